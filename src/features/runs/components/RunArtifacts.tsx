import { Link } from '@/lib/router';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';
import { registryShortName } from '@/lib/format';
import { artifactVersionPath, registryVersionPath } from '../paths';

const RunArtifact_Artifact = graphql(`
  fragment RunArtifact_Artifact on Artifact {
    id
    versionIndex
    artifactType {
      id
      name
    }
    artifactSequence {
      id
      name
      project {
        id
        name
        entityName
      }
    }
    artifactMemberships(first: 5) {
      edges {
        node {
          id
          versionIndex
          artifactCollection {
            __typename
            id
            name
            project {
              id
              name
            }
          }
        }
      }
    }
  }
`);

export const RunArtifacts_Run = graphql(
  `
    fragment RunArtifacts_Run on Run {
      id
      outputArtifacts(first: 10) {
        totalCount
        edges {
          node {
            id
            ...RunArtifact_Artifact
          }
        }
      }
      inputArtifacts(first: 10) {
        totalCount
        edges {
          node {
            id
            ...RunArtifact_Artifact
          }
        }
      }
    }
  `,
  [RunArtifact_Artifact],
);

function VersionItem({ artifact }: { artifact: FragmentOf<typeof RunArtifact_Artifact> }) {
  const a = readFragment(RunArtifact_Artifact, artifact);
  const project = a.artifactSequence.project;
  const name = `${a.artifactSequence.name}:v${a.versionIndex ?? '?'}`;
  const links = a.artifactMemberships.edges
    .map((e) => e.node)
    .filter((m) => m.artifactCollection?.__typename === 'ArtifactPortfolio' && m.artifactCollection.project && m.versionIndex !== null);
  return (
    <li>
      {project && a.versionIndex !== null ? (
        <Link to={artifactVersionPath(project.entityName, project.name, a.artifactType.name, a.artifactSequence.name, a.versionIndex)}>
          {project.entityName}/{project.name}/{name}
        </Link>
      ) : (
        <span className="mono">{name}</span>
      )}
      <span className="chip">{a.artifactType.name}</span>
      {links.map((m) => {
        const registry = registryShortName(m.artifactCollection?.project?.name ?? '');
        const collection = m.artifactCollection?.name ?? '';
        return (
          <Link key={m.id} to={registryVersionPath(registry, collection, m.versionIndex ?? 0)} className="run-link-chip">
            {registry}/{collection}:v{m.versionIndex}
          </Link>
        );
      })}
    </li>
  );
}

interface VersionsList {
  totalCount: number;
  edges: { node: FragmentOf<typeof RunArtifact_Artifact> & { id: string } }[];
}

function Versions({ title, id, list }: { title: string; id: string; list: VersionsList | null }) {
  const nodes = list?.edges.map((e) => e.node) ?? [];
  const more = (list?.totalCount ?? 0) - nodes.length;
  return (
    <section aria-labelledby={id} className="run-section">
      <h3 id={id}>{title}</h3>
      {nodes.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul className="run-versions" aria-labelledby={id}>
          {nodes.map((node) => (
            <VersionItem key={node.id} artifact={node} />
          ))}
        </ul>
      )}
      {more > 0 && <p className="muted">and {more} more.</p>}
    </section>
  );
}

/** The versions the run logged (outputs) and used (inputs), each with the registry versions it is linked to. */
export function RunArtifacts({ run }: { run: FragmentOf<typeof RunArtifacts_Run> }) {
  const r = readFragment(RunArtifacts_Run, run);
  return (
    <>
      <Versions title="Logged versions" id="outputs-heading" list={r.outputArtifacts} />
      <Versions title="Used versions" id="inputs-heading" list={r.inputArtifacts} />
    </>
  );
}
