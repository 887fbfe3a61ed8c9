import { useCallback, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from 'urql';
import { NotFound } from '@/components/NotFoundRoute';
import { EmptyState, ErrorState, Loading } from '@/components/States';
import { errorMessage } from '@/lib/errors';
import { REGISTRY_PREFIX } from '@/lib/format';
import { graphql } from '@/lib/graphql';
import { roleAllows } from '@/lib/roles';
import { AutomationRow, AutomationRow_Trigger } from '../components/AutomationRow';
import { CreateAutomationDialog, type WebhookChoice } from '../components/CreateAutomationDialog';
import '../automations.css';

const RegistryAutomationsQuery = graphql(
  `
    query RegistryAutomations($name: String!) {
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
  const [{ data, fetching, stale, error }, refetch] = useQuery({
    query: RegistryAutomationsQuery,
    variables: { name: `${REGISTRY_PREFIX}${registry}` },
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

  return (
    <>
      <div className="page__header">
        <nav aria-label="Breadcrumbs" className="breadcrumbs">
          <Link to="/registry">Registry</Link>
          <span aria-hidden="true">/</span>
          <Link to={basePath}>{project.displayName}</Link>
          <span aria-hidden="true">/</span>
          <span aria-current="page">Automations</span>
        </nav>
        <div className="page__header--row">
          <h1>{project.displayName} automations</h1>
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
      </div>
      {project.triggers.length === 0 ? (
        <EmptyState title="No automations yet">
          {canManage ? <p>Create one to tell another system about changes here.</p> : null}
        </EmptyState>
      ) : (
        <ul className="automations">
          {project.triggers.map((trigger) => (
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
        />
      )}
    </>
  );
}
