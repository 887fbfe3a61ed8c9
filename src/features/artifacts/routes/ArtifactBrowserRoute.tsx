import { lazy, Suspense, useState } from 'react';
import { Link, useParams } from '@/lib/router';
import { useQuery } from 'urql';
import { Gated } from '@/components/Gated';
import { NotFound } from '@/components/NotFoundRoute';
import { EmptyState, ErrorState, Loading } from '@/components/States';
import { ProjectFrame } from '@/components/ProjectFrame';
import { graphql } from '@/lib/graphql';
import { roleAllows } from '@/lib/roles';
import { usePageParams } from '@/lib/usePageParams';
import { ArtifactSidebar, ArtifactSidebar_Project } from '../components/ArtifactSidebar';
import { VersionList, VersionList_ArtifactCollection, VERSIONS_PAGE_SIZE } from '../components/VersionList';
import { VersionOverview, VersionOverview_Artifact } from '../components/VersionOverview';
import { artifactsPath } from '../format';
import '../artifacts.css';

const LogVersionDialog = lazy(() => import('../components/LogVersionDialog'));

const ArtifactBrowserQuery = graphql(
  `
    query ArtifactBrowser(
      $entity: String!
      $project: String!
      $collection: String!
      $withCollection: Boolean!
      $version: String!
      $withVersion: Boolean!
      $versionsFirst: Int!
      $versionsAfter: String
    ) {
      viewer {
        id
        organizations {
          id
          orgEntity {
            id
            name
            projects(first: 100, order: "+created_at") {
              edges {
                node {
                  id
                  viewerRole {
                    role
                  }
                }
              }
              pageInfo {
                endCursor
                hasNextPage
              }
            }
          }
        }
      }
      project(entityName: $entity, name: $project) {
        id
        name
        entityName
        readOnly
        ...ArtifactSidebar_Project
        artifactCollection(name: $collection) @include(if: $withCollection) {
          id
          name
          ...VersionList_ArtifactCollection
        }
        artifact(name: $version) @include(if: $withVersion) {
          id
          ...VersionOverview_Artifact
        }
      }
    }
  `,
  [ArtifactSidebar_Project, VersionList_ArtifactCollection, VersionOverview_Artifact],
);

/** A project's artifact browser: types and collections, a collection's versions, a version's overview. */
export default function Component() {
  const params = useParams();
  const entity = params.entity ?? '';
  const projectName = params.project ?? '';
  const name = params.name ?? '';
  const version = params.version ?? '';
  const [logging, setLogging] = useState(false);
  const { after } = usePageParams();
  const [{ data, fetching, stale, error }, refetch] = useQuery({
    query: ArtifactBrowserQuery,
    variables: {
      entity,
      project: projectName,
      collection: name,
      withCollection: name !== '',
      version: `${name}:${version}`,
      withVersion: name !== '' && version !== '',
      versionsFirst: VERSIONS_PAGE_SIZE,
      versionsAfter: after,
    },
  });

  if (fetching && !data) return <Loading label="Loading artifacts…" />;
  if (error && !data) {
    return (
      <ErrorState
        title="The artifacts could not be loaded"
        message={error.message}
        onRetry={() => refetch({ requestPolicy: 'network-only' })}
      />
    );
  }
  const project = data?.project;
  // A project the viewer may not see does not exist for them.
  // The cache's partial answer while the rest is on its way is no answer yet: "not found" only once it is.
  const pending = fetching || stale;
  if (!project) return pending ? <Loading label="Loading artifacts…" /> : <NotFound title="Project not found" />;
  const orgEntity = data.viewer?.organizations[0]?.orgEntity;
  const mayLink = (orgEntity?.projects?.edges ?? []).some(({ node }) => roleAllows(node.viewerRole?.role, 'member'));
  const collection = name ? project.artifactCollection : null;
  const artifact = name && version ? project.artifact : null;

  let main;
  if (name && version) {
    main = artifact ? (
      <VersionOverview
        artifact={artifact}
        orgEntityName={orgEntity?.name ?? ''}
        linkGate={{ allowed: mayLink, reason: 'Needs the member role in a registry: you are a viewer in every registry you can see.' }}
      />
    ) : pending ? (
      <Loading label="Loading the version…" />
    ) : (
      <NotFound title="Version not found" level={2} />
    );
  } else if (name) {
    main = collection ? (
      <VersionList collection={collection} />
    ) : pending ? (
      <Loading label="Loading the versions…" />
    ) : (
      <NotFound title="Collection not found" level={2} />
    );
  } else {
    main = (
      <EmptyState title="Select a collection">
        <p>Pick a collection in the sidebar to see its versions.</p>
      </EmptyState>
    );
  }

  return (
    <ProjectFrame entity={project.entityName} project={project.name}>
      <div className="page__header page__header--row">
        <div>
          <nav aria-label="Breadcrumbs" className="breadcrumbs">
            <Link to="/projects">Projects</Link>
            <span aria-hidden="true">/</span>
            <span>{project.entityName}</span>
            <span aria-hidden="true">/</span>
            <Link to={artifactsPath(project.entityName, project.name)}>{project.name}</Link>
            {name && (
              <>
                <span aria-hidden="true">/</span>
                <Link to={artifactsPath(project.entityName, project.name, params.type ?? '', name)}>{name}</Link>
              </>
            )}
          </nav>
          <h1>Artifacts</h1>
        </div>
        <Gated allowed={project.readOnly === false} reason="Needs the organization member or admin role, in a team of this project">
          {(gate) => (
            <button type="button" className="button" onClick={() => setLogging(true)} {...gate}>
              Log version
            </button>
          )}
        </Gated>
      </div>
      <div className="browser">
        <ArtifactSidebar project={project} />
        <div className="browser__main">{main}</div>
      </div>
      {logging && (
        <Suspense fallback={null}>
          <LogVersionDialog
            open={logging}
            onOpenChange={setLogging}
            entity={project.entityName}
            project={project.name}
            defaults={{ name, type: params.type ?? '' }}
          />
        </Suspense>
      )}
    </ProjectFrame>
  );
}
