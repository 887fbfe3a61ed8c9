import { useCallback, useState } from 'react';
import { Link, useParams, useSearchParams } from '@/lib/router';
import { useQuery } from 'urql';
import { NotFound } from '@/components/NotFoundRoute';
import { EmptyState, ErrorState, Loading } from '@/components/States';
import { errorMessage } from '@/lib/errors';
import { REGISTRY_PREFIX } from '@/lib/format';
import { graphql, readFragment } from '@/lib/graphql';
import { roleAllows } from '@/lib/roles';
import { AutomationRow, AutomationRow_Trigger } from '../components/AutomationRow';
import { CreateAutomationDialog, type WebhookChoice } from '../components/CreateAutomationDialog';
import '../automations.css';

const RegistryAutomationsQuery = graphql(
  `
    query RegistryAutomations($name: String!, $collection: String!, $withCollection: Boolean!) {
      viewer {
        id
        teams {
          edges {
            node {
              id
              name
              integrations(first: 100) {
                edges {
                  node {
                    __typename
                    ... on GenericWebhookIntegration {
                      id
                      name
                    }
                  }
                }
              }
            }
          }
        }
        organizations {
          id
          orgEntity {
            id
            name
            project(name: $name) {
              id
              name
              displayName
              viewerRole {
                role
              }
              artifactCollection(name: $collection) @include(if: $withCollection) {
                id
                name
              }
              triggers {
                id
                ...AutomationRow_Trigger
              }
            }
          }
        }
      }
    }
  `,
  [AutomationRow_Trigger],
);

/** A registry's automations: what each reacts to and where it posts, its deliveries; registry admins create and change them. */
export default function Component() {
  const { registry = '' } = useParams();
  // `?collection=`: one collection's automations (its own and the registry's), from the collection's page.
  const [params] = useSearchParams();
  const collectionName = params.get('collection')?.trim() ?? '';
  const [{ data, fetching, stale, error }, refetch] = useQuery({
    query: RegistryAutomationsQuery,
    variables: { name: `${REGISTRY_PREFIX}${registry}`, collection: collectionName, withCollection: Boolean(collectionName) },
  });
  const [creating, setCreating] = useState(false);
  const refresh = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);

  if (fetching && !data) return <Loading label="Loading automations…" />;
  if (error && !data) {
    return <ErrorState title="The automations could not be loaded" message={errorMessage(error)} onRetry={refresh} />;
  }
  const org = data?.viewer?.organizations[0]?.orgEntity;
  const project = org?.project;
  if (!org || !project) return fetching || stale ? <Loading label="Loading automations…" /> : <NotFound title="Registry not found" />;

  const canManage = roleAllows(project.viewerRole?.role, 'admin');
  const webhooks: WebhookChoice[] = (data?.viewer?.teams?.edges ?? []).flatMap(({ node: team }) =>
    (team.integrations?.edges ?? []).flatMap(({ node }) =>
      node.__typename === 'GenericWebhookIntegration' ? [{ id: node.id, label: `${team.name} / ${node.name}` }] : [],
    ),
  );
  const basePath = `/registry/${encodeURIComponent(registry)}`;
  const collection = collectionName ? project.artifactCollection : null;
  if (collectionName && !collection) return <NotFound title="Collection not found" />;
  const triggers = collection
    ? project.triggers.filter((trigger) => {
        const scope = readFragment(AutomationRow_Trigger, trigger).scope;
        return scope.__typename === 'Project' || ('id' in scope && scope.id === collection.id);
      })
    : project.triggers;

  return (
    <>
      <div className="page__header">
        <nav aria-label="Breadcrumbs" className="breadcrumbs">
          <Link to="/registry">Registry</Link>
          <span aria-hidden="true">/</span>
          <Link to={basePath}>{project.displayName}</Link>
          <span aria-hidden="true">/</span>
          {collection ? (
            <>
              <Link to={`${basePath}/${encodeURIComponent(collection.name)}`}>{collection.name}</Link>
              <span aria-hidden="true">/</span>
            </>
          ) : null}
          <span aria-current="page">Automations</span>
        </nav>
        <div className="page__header--row">
          <h1>{collection ? `${collection.name} automations` : `${project.displayName} automations`}</h1>
          {canManage && (
            <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
              New automation
            </button>
          )}
        </div>
        <p className="page__lead">
          When a version is linked, an alias moves or a tag changes here, an automation POSTs to a team&apos;s webhook (
          <Link to="/settings/teams">team settings</Link>).{canManage ? '' : ' Registry admins create and change them.'}
        </p>
        {collection && (
          <p className="muted">
            This collection&apos;s own automations and the registry&apos;s.{' '}
            <Link to={`${basePath}/automations`}>All of the registry&apos;s</Link>
          </p>
        )}
      </div>
      {triggers.length === 0 ? (
        <EmptyState title="No automations yet">
          {canManage ? <p>Create one to tell another system about changes here.</p> : null}
        </EmptyState>
      ) : (
        <ul className="automations">
          {triggers.map((trigger) => (
            <AutomationRow key={trigger.id} trigger={trigger} canManage={canManage} refresh={refresh} />
          ))}
        </ul>
      )}
      {canManage && (
        <CreateAutomationDialog
          open={creating}
          onOpenChange={setCreating}
          registry={{ id: project.id, name: project.name, entity: org.name }}
          webhooks={webhooks}
          collection={collection ? { value: collection.id, label: collection.name } : undefined}
        />
      )}
    </>
  );
}
