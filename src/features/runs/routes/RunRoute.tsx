import { useState } from 'react';
import { Link, useParams } from '@/lib/router';
import { useQuery } from 'urql';
import { NotFound } from '@/components/NotFoundRoute';
import { ErrorState, Loading } from '@/components/States';
import { formatDate } from '@/lib/format';
import { ProjectFrame } from '@/components/ProjectFrame';
import { graphql } from '@/lib/graphql';
import { KeyValues } from '../components/KeyValues';
import { RunArtifacts, RunArtifacts_Run } from '../components/RunArtifacts';
import { RunCharts, RunCharts_Run } from '../components/RunCharts';
import { RunConsole, RunConsole_Run } from '../components/RunConsole';
import { RunFiles, RunFiles_Run } from '../components/RunFiles';
import { projectArtifactsPath } from '../paths';
import '../runs.css';

const RunPageQuery = graphql(
  `
    query RunPage($entity: String!, $project: String!, $run: String!, $after: String) {
      project(entityName: $entity, name: $project) {
        id
        name
        entityName
        run(name: $run) {
          id
          name
          displayName
          state
          exitcode
          createdAt
          heartbeatAt
          host
          program
          jobType
          historyLineCount
          config
          summaryMetrics
          ...RunCharts_Run
          ...RunConsole_Run
          ...RunFiles_Run
          ...RunArtifacts_Run
        }
      }
    }
  `,
  [RunCharts_Run, RunConsole_Run, RunFiles_Run, RunArtifacts_Run],
);

const STATE_LABELS: Record<string, string> = { running: 'Running', finished: 'Finished', failed: 'Failed', crashed: 'Crashed' };

/** A run: state, config, summary, a chart per metric, console output, files, the versions it logged and used. */
export default function Component() {
  const params = useParams();
  const entity = params.entity ?? '';
  const projectName = params.project ?? '';
  const runName = params.run ?? '';
  const [after, setAfter] = useState<string | null>(null);
  const [{ data, fetching, stale, error }, refetch] = useQuery({
    query: RunPageQuery,
    variables: { entity, project: projectName, run: runName, after },
  });

  if (fetching && !data) return <Loading label="Loading the run…" />;
  if (error && !data) {
    return (
      <ErrorState title="The run could not be loaded" message={error.message} onRetry={() => refetch({ requestPolicy: 'network-only' })} />
    );
  }
  const project = data?.project;
  const run = project?.run;
  // A run in a project the viewer may not see does not exist for them.
  if (!project || !run) return fetching || stale ? <Loading label="Loading the run…" /> : <NotFound title="Run not found" />;

  return (
    <ProjectFrame entity={project.entityName} project={project.name}>
      <div className="page__header">
        <nav aria-label="Breadcrumbs" className="breadcrumbs">
          <Link to="/projects">Projects</Link>
          <span aria-hidden="true">/</span>
          <span>{project.entityName}</span>
          <span aria-hidden="true">/</span>
          <Link to={projectArtifactsPath(project.entityName, project.name)}>{project.name}</Link>
          <span aria-hidden="true">/</span>
          <span>runs</span>
        </nav>
        <div className="run-title">
          <h1>{run.displayName ?? run.name}</h1>
          <span className={`badge run-state run-state--${run.state}`}>{STATE_LABELS[run.state] ?? run.state}</span>
        </div>
        <p className="mono muted run-path">
          {project.entityName}/{project.name}/{run.name}
        </p>
      </div>
      <div className="run-page">
        <dl className="run-facts">
          <div>
            <dt>State</dt>
            <dd>
              {STATE_LABELS[run.state] ?? run.state}
              {run.exitcode !== null && ` (exit code ${run.exitcode})`}
            </dd>
          </div>
          <div>
            <dt>Started</dt>
            <dd>{formatDate(run.createdAt)}</dd>
          </div>
          <div>
            <dt>Last heard from</dt>
            <dd>{run.heartbeatAt ? formatDate(run.heartbeatAt) : <span className="muted">never</span>}</dd>
          </div>
          <div>
            <dt>History rows</dt>
            <dd>{run.historyLineCount ?? 0}</dd>
          </div>
          {run.host && (
            <div>
              <dt>Host</dt>
              <dd className="mono">{run.host}</dd>
            </div>
          )}
          {run.program && (
            <div>
              <dt>Program</dt>
              <dd className="mono">{run.program}</dd>
            </div>
          )}
          {run.jobType && (
            <div>
              <dt>Job type</dt>
              <dd>{run.jobType}</dd>
            </div>
          )}
        </dl>
        <RunCharts run={run} />
        <div className="run-columns">
          <section aria-labelledby="config-heading" className="run-section">
            <h3 id="config-heading">Config</h3>
            <KeyValues json={run.config} label="Config" empty="No config." wrapped />
          </section>
          <section aria-labelledby="summary-heading" className="run-section">
            <h3 id="summary-heading">Summary</h3>
            <KeyValues json={run.summaryMetrics} label="Summary" empty="No summary." />
          </section>
        </div>
        <RunArtifacts run={run} />
        <RunConsole run={run} onMore={setAfter} />
        <RunFiles run={run} />
      </div>
    </ProjectFrame>
  );
}
