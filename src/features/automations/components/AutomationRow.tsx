import { useEffect, useState } from 'react';
import { useMutation } from 'urql';
import { RelativeTime } from '@/components/RelativeTime';
import { errorMessage } from '@/lib/errors';
import { graphql, readFragment, type FragmentOf, type ResultOf } from '@/lib/graphql';
import { describeFilter, eventLabel } from '../events';
import { ConfirmInPlace } from '@/components/ConfirmInPlace';

export const DeliveryRow_Delivery = graphql(`
  fragment DeliveryRow_Delivery on AutomationDelivery {
    id
    webhookId
    createdAt
    eventType
    alias
    artifactVersionString
    status
    attempts
    statusCode
    durationMs
    responseExcerpt
    error
    lastAttemptAt
  }
`);

export const AutomationRow_Trigger = graphql(
  `
    fragment AutomationRow_Trigger on Trigger {
      id
      name
      description
      enabled
      scopeType
      scope {
        __typename
        ... on ArtifactPortfolio {
          id
          name
        }
        ... on Project {
          id
          name
        }
      }
      triggeringEventType
      triggeringCondition {
        __typename
        ... on FilterEventTriggeringCondition {
          filter
        }
      }
      triggeredAction {
        __typename
        ... on GenericWebhookTriggeredAction {
          integration {
            id
            name
          }
        }
      }
      deliveries(first: 20) {
        edges {
          node {
            id
            ...DeliveryRow_Delivery
          }
        }
      }
    }
  `,
  [DeliveryRow_Delivery],
);

const AutomationRow_SetEnabled = graphql(`
  mutation AutomationRow_SetEnabled($id: ID!, $enabled: Boolean!) {
    updateFilterTrigger(input: { id: $id, enabled: $enabled }) {
      trigger {
        id
        enabled
        updatedAt
      }
    }
  }
`);

const AutomationRow_Delete = graphql(`
  mutation AutomationRow_Delete($id: ID!) {
    deleteTrigger(input: { triggerID: $id }) {
      success
    }
  }
`);

const DeliveryRow_Redeliver = graphql(
  `
    mutation DeliveryRow_Redeliver($id: ID!) {
      redeliverDelivery(input: { id: $id }) {
        delivery {
          id
          ...DeliveryRow_Delivery
        }
      }
    }
  `,
  [DeliveryRow_Delivery],
);

const STATUS_LABELS: Record<string, string> = { PENDING: 'Pending', DELIVERED: 'Delivered', FAILED: 'Failed' };

function DeliveryRow({ delivery, canManage }: { delivery: FragmentOf<typeof DeliveryRow_Delivery>; canManage: boolean }) {
  const d = readFragment(DeliveryRow_Delivery, delivery);
  const [redelivery, redeliver] = useMutation(DeliveryRow_Redeliver);
  const what = [d.alias ? `alias ${d.alias}` : null, d.artifactVersionString].filter(Boolean).join(' · ');
  return (
    <tr>
      <td>
        <RelativeTime iso={d.createdAt} />
      </td>
      <td>
        <span>{eventLabel(d.eventType)}</span>
        {what && <div className="muted delivery__what">{what}</div>}
      </td>
      <td>
        <span className={`badge delivery__status delivery__status--${d.status.toLowerCase()}`}>{STATUS_LABELS[d.status] ?? d.status}</span>
      </td>
      <td>{d.statusCode ?? <span className="muted">—</span>}</td>
      <td className="hide-narrow">{d.durationMs === null ? <span className="muted">—</span> : `${d.durationMs} ms`}</td>
      <td className="hide-narrow">{d.attempts}</td>
      <td className="hide-narrow delivery__excerpt">
        {d.error ? (
          <span className="form-error">{d.error}</span>
        ) : d.responseExcerpt ? (
          <code>{d.responseExcerpt.slice(0, 200)}</code>
        ) : null}
      </td>
      <td className="table__actions">
        {canManage && (
          <button
            type="button"
            className="button"
            disabled={d.status === 'PENDING' || redelivery.fetching}
            onClick={() => void redeliver({ id: d.id })}
            aria-label={`Redeliver ${eventLabel(d.eventType).toLowerCase()} (${d.webhookId})`}
          >
            Redeliver
          </button>
        )}
        {redelivery.error && (
          <p className="form-error" role="alert">
            {errorMessage(redelivery.error)}
          </p>
        )}
      </td>
    </tr>
  );
}

/** An automation's deliveries, newest first; asks again every few seconds while shown, since the worker sends them in the background. */
function Deliveries({
  trigger,
  canManage,
  refresh,
}: {
  trigger: ResultOf<typeof AutomationRow_Trigger>;
  canManage: boolean;
  refresh: () => void;
}) {
  useEffect(() => {
    const timer = setInterval(refresh, 3000);
    return () => clearInterval(timer);
  }, [refresh]);
  const deliveries = trigger.deliveries?.edges ?? [];
  return (
    <div className="deliveries">
      <div className="deliveries__header">
        <h3 id={`deliveries-${trigger.id}`}>Deliveries of {trigger.name}</h3>
        <button type="button" className="button" onClick={refresh}>
          Refresh
        </button>
      </div>
      {deliveries.length === 0 ? (
        <p className="muted">No deliveries yet: they appear here when a matching event happens.</p>
      ) : (
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby={`deliveries-${trigger.id}`}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">State</th>
                <th scope="col">Status</th>
                <th scope="col" className="hide-narrow">
                  Duration
                </th>
                <th scope="col" className="hide-narrow">
                  Attempts
                </th>
                <th scope="col" className="hide-narrow">
                  Response
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map(({ node }) => (
                <DeliveryRow key={node.id} delivery={node} canManage={canManage} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** One automation: what it reacts to, where, its webhook, on or off; its deliveries on demand. */
export function AutomationRow({
  trigger,
  canManage,
  refresh,
}: {
  trigger: FragmentOf<typeof AutomationRow_Trigger>;
  canManage: boolean;
  refresh: () => void;
}) {
  const t = readFragment(AutomationRow_Trigger, trigger);
  const [toggling, setEnabled] = useMutation(AutomationRow_SetEnabled);
  const [removal, remove] = useMutation(AutomationRow_Delete);
  const [open, setOpen] = useState(false);
  const scope = t.scope.__typename === 'ArtifactPortfolio' && 'name' in t.scope ? `Collection ${t.scope.name}` : 'The whole registry';
  const filter = t.triggeringCondition.__typename === 'FilterEventTriggeringCondition' ? describeFilter(t.triggeringCondition.filter) : '';
  const webhook =
    t.triggeredAction.__typename === 'GenericWebhookTriggeredAction'
      ? (t.triggeredAction.integration?.name ?? 'A webhook of another team')
      : 'None';
  return (
    <li className="panel automation">
      <div className="automation__main">
        <div className="automation__title">
          <h2>{t.name}</h2>
          <span className={`badge ${t.enabled ? '' : 'badge--restricted'}`}>{t.enabled ? 'Enabled' : 'Disabled'}</span>
        </div>
        {t.description ? <p className="muted">{t.description}</p> : null}
        <dl className="automation__facts">
          <div>
            <dt>When</dt>
            <dd>{eventLabel(t.triggeringEventType)}</dd>
          </div>
          <div>
            <dt>Scope</dt>
            <dd>{scope}</dd>
          </div>
          <div>
            <dt>Filter</dt>
            <dd>
              <code>{filter}</code>
            </dd>
          </div>
          <div>
            <dt>Webhook</dt>
            <dd>{webhook}</dd>
          </div>
        </dl>
      </div>
      <div className="automation__actions">
        {t.deliveries && (
          <button type="button" className="button" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? 'Hide deliveries' : 'Deliveries'}
          </button>
        )}
        {canManage && (
          <>
            <button
              type="button"
              className="button"
              disabled={toggling.fetching}
              onClick={() => void setEnabled({ id: t.id, enabled: !t.enabled })}
              aria-label={`${t.enabled ? 'Disable' : 'Enable'} automation ${t.name}`}
            >
              {t.enabled ? 'Disable' : 'Enable'}
            </button>
            {
              <ConfirmInPlace
                text="Delete"
                label={`Delete automation ${t.name}`}
                confirmText="Delete now"
                confirmLabel={`Confirm deleting automation ${t.name}`}
                busy={removal.fetching}
                onConfirm={() => void remove({ id: t.id })}
              />
            }
          </>
        )}
      </div>
      {(toggling.error || removal.error) && (
        <p className="form-error" role="alert">
          {errorMessage(toggling.error ?? removal.error)}
        </p>
      )}
      {open && <Deliveries trigger={t} canManage={canManage} refresh={refresh} />}
    </li>
  );
}
