import * as Tabs from '@radix-ui/react-tabs';
import { Link, useParams } from '@/lib/router';
import { useQuery } from 'urql';
import { NotFound } from '@/components/NotFoundRoute';
import { ErrorState, Loading } from '@/components/States';
import { graphql } from '@/lib/graphql';
import { roleAllows, ROLE_LABELS, type RegistryRole } from '@/lib/roles';
import { VersionFiles, VersionFiles_Membership } from '../components/VersionFiles';
import { VersionMetadata, VersionMetadata_Membership } from '../components/VersionMetadata';
import { VersionOverview, VersionOverview_Membership } from '../components/VersionOverview';
import { VersionUsage } from '../components/VersionUsage';
import { registryProject } from '../format';
import { useTabParam } from '../useTabParam';
import '../collection.css';

const VersionPageQuery = graphql(
  `
    query VersionPage($registry: String!, $collection: String!, $version: String!) {
      viewer {
        id
        organizations {
          id
          name
          orgEntity {
            id
            name
            project(name: $registry) {
              id
              name
              displayName
              protectedAliases
              viewerRole {
                role
              }
              artifactCollection(name: $collection) {
                __typename
                id
                name
                defaultArtifactType {
                  id
                  name
                }
                artifactMembership(aliasName: $version) {
                  id
                  version
                  ...VersionOverview_Membership
                  ...VersionMetadata_Membership
                  ...VersionFiles_Membership
                }
              }
            }
          }
        }
      }
    }
  `,
  [VersionOverview_Membership, VersionMetadata_Membership, VersionFiles_Membership],
);

export default function Component() {
  const params = useParams();
  const registry = params.registry ?? '';
  const [tab, setTab] = useTabParam(['version', 'metadata', 'files', 'usage'] as const, 'version');
  const [{ data, fetching, stale, error }, refetch] = useQuery({
    query: VersionPageQuery,
    variables: { registry: registryProject(registry), collection: params.collection ?? '', version: params.version ?? '' },
  });

  if (fetching && !data) return <Loading label="Loading the version…" />;
  if (error && !data) {
    return (
      <ErrorState
        title="The version could not be loaded"
        message={error.message}
        onRetry={() => refetch({ requestPolicy: 'network-only' })}
      />
    );
  }
  const org = data?.viewer?.organizations[0];
  const project = org?.orgEntity?.project;
  const collection = project?.artifactCollection?.__typename === 'ArtifactPortfolio' ? project.artifactCollection : null;
  const membership = collection?.artifactMembership;
  if (!org?.orgEntity || !project || !collection || !membership) {
    // The cache's partial answer while the rest is on its way is no answer yet.
    if (fetching || stale) return <Loading label="Loading the version…" />;
    return <NotFound title={!project ? 'Registry not found' : !collection ? 'Collection not found' : 'Version not found'} />;
  }

  const role = (project.viewerRole?.role ?? null) as RegistryRole | null;
  const canDownload = roleAllows(role, 'viewer');
  const tagsReadOnlyReason = roleAllows(role, 'member')
    ? null
    : `Only registry members can add or remove tags; your role is ${role ? ROLE_LABELS[role] : 'none'}.`;
  const registryPath = `/registry/${encodeURIComponent(registry)}`;
  const collectionPath = `${registryPath}/${encodeURIComponent(collection.name)}`;
  const nameInRegistry = `${collection.name}:${membership.version}`;
  const fullName = `${project.name}/${nameInRegistry}`;

  return (
    <>
      <div className="page__header">
        <nav aria-label="Breadcrumb">
          <ol className="breadcrumbs">
            <li>
              <Link to="/registry">Registry</Link>
            </li>
            <li aria-hidden="true">/</li>
            <li>
              <Link to={registryPath}>{project.displayName}</Link>
            </li>
            <li aria-hidden="true">/</li>
            <li>
              <Link to={collectionPath}>{collection.name}</Link>
            </li>
            <li aria-hidden="true">/</li>
            <li>
              <span aria-current="page">{membership.version}</span>
            </li>
          </ol>
        </nav>
        <h1 className="collection__title">
          {collection.name} <span className="muted">{membership.version}</span>
        </h1>
        <p className="page__lead collection__meta">
          <span className="badge">{collection.defaultArtifactType.name}</span>
          <span>
            in <Link to={registryPath}>{project.displayName}</Link>
          </span>
          {role && <span className="muted">Your role: {ROLE_LABELS[role]}</span>}
        </p>
      </div>

      <Tabs.Root value={tab} onValueChange={setTab}>
        <Tabs.List className="tabs__list" aria-label="Version">
          <Tabs.Trigger className="tabs__trigger" value="version">
            Version
          </Tabs.Trigger>
          <Tabs.Trigger className="tabs__trigger" value="metadata">
            Metadata
          </Tabs.Trigger>
          <Tabs.Trigger className="tabs__trigger" value="files">
            Files
          </Tabs.Trigger>
          <Tabs.Trigger className="tabs__trigger" value="usage">
            Usage
          </Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="version" className="panel">
          <VersionOverview
            membership={membership}
            fullName={fullName}
            protectedAliases={project.protectedAliases}
            tagsReadOnlyReason={tagsReadOnlyReason}
          />
        </Tabs.Content>
        <Tabs.Content value="metadata">
          <VersionMetadata membership={membership} />
        </Tabs.Content>
        <Tabs.Content value="files">
          <VersionFiles membership={membership} canDownload={canDownload} />
        </Tabs.Content>
        <Tabs.Content value="usage">
          <VersionUsage
            path={`${org.name}/${fullName}`}
            entityName={org.orgEntity.name}
            projectName={project.name}
            nameInRegistry={nameInRegistry}
            canDownload={canDownload}
          />
        </Tabs.Content>
      </Tabs.Root>
    </>
  );
}
