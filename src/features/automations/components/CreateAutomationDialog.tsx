import { useId, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { SearchSelect, type ComboboxOption } from '@/components/Combobox';
import { Dialog } from '@/components/Dialog';
import { RelativeTime } from '@/components/RelativeTime';
import { errorMessage } from '@/lib/errors';
import { containsPattern } from '@/lib/filters';
import { graphql } from '@/lib/graphql';
import { useSettled } from '@/lib/useSettled';
import { DEFAULT_PAYLOAD, EVENT_CHOICES, PAYLOAD_VARIABLES, filterJson } from '../events';
import { AutomationRow_Trigger } from './AutomationRow';

const CreateAutomation_Collections = graphql(`
  query CreateAutomation_Collections($entity: String!, $project: String!, $filters: JSONString) {
    project(entityName: $entity, name: $project) {
      id
      artifactCollections(first: 20, order: "+name", filters: $filters, collectionTypes: [PORTFOLIO]) {
        edges {
          node {
            id
            name
          }
        }
      }
    }
  }
`);

// The payload as the webhook would get it from the newest matching event here, so the editor shows real values.
const CreateAutomation_Preview = graphql(`
  query CreateAutomation_Preview(
    $entity: String!
    $project: String!
    $eventType: EventTriggeringConditionType!
    $collectionId: ID
    $payload: String
  ) {
    project(entityName: $entity, name: $project) {
      id
      automationPayloadPreview(eventType: $eventType, collectionId: $collectionId, requestPayload: $payload) {
        body
        problem
        eventAt
        eventSubject
      }
    }
  }
`);

const CreateAutomation_Create = graphql(
  `
    mutation CreateAutomation_Create($input: CreateFilterTriggerInput!) {
      createFilterTrigger(input: $input) {
        trigger {
          id
          ...AutomationRow_Trigger
        }
      }
    }
  `,
  [AutomationRow_Trigger],
);

export interface WebhookChoice {
  id: string;
  label: string;
}

interface Props {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  registry: { id: string; name: string; entity: string };
  webhooks: readonly WebhookChoice[];
  /** Chosen at first as the scope (opened from a collection's automations). */
  collection?: ComboboxOption;
}

const NONE: ComboboxOption = { value: '', label: '' };

/** "New automation": the event, the scope (the registry or one collection), a filter, the webhook and its payload. */
export function CreateAutomationDialog({ open, onOpenChange, registry, webhooks, collection: initial }: Props) {
  const id = useId();
  const [name, setName] = useState('');
  const [event, setEvent] = useState('ADD_ARTIFACT_ALIAS');
  const [scope, setScope] = useState<'registry' | 'collection'>(initial ? 'collection' : 'registry');
  const [collection, setCollection] = useState<ComboboxOption>(initial ?? NONE);
  const [search, setSearch] = useState('');
  const [filterValue, setFilterValue] = useState('');
  const [webhook, setWebhook] = useState(webhooks[0]?.id ?? '');
  const [payload, setPayload] = useState(DEFAULT_PAYLOAD);
  const [enabled, setEnabled] = useState(true);
  const [problem, setProblem] = useState<string | null>(null);
  const payloadRef = useRef<HTMLTextAreaElement>(null);
  const settled = useSettled(search);
  const [collections] = useQuery({
    query: CreateAutomation_Collections,
    variables: {
      entity: registry.entity,
      project: registry.name,
      filters: settled.trim() ? JSON.stringify({ name: { $regex: containsPattern(settled.trim()) } }) : null,
    },
    pause: !open || scope !== 'collection',
  });
  const settledPayload = useSettled(payload, 400);
  const [preview] = useQuery({
    query: CreateAutomation_Preview,
    variables: {
      entity: registry.entity,
      project: registry.name,
      eventType: event as 'LINK_MODEL',
      collectionId: scope === 'collection' && collection.value ? collection.value : null,
      payload: settledPayload,
    },
    pause: !open,
  });
  const previewed = preview.data?.project?.automationPayloadPreview;
  const [created, create] = useMutation(CreateAutomation_Create);
  const choice = EVENT_CHOICES.find((e) => e.value === event);
  const options = (collections.data?.project?.artifactCollections?.edges ?? []).map(({ node }) => ({ value: node.id, label: node.name }));

  const insertVariable = (variable: string) => {
    const box = payloadRef.current;
    const text = `\${${variable}}`;
    const start = box?.selectionStart ?? payload.length;
    const end = box?.selectionEnd ?? payload.length;
    setPayload(payload.slice(0, start) + text + payload.slice(end));
    requestAnimationFrame(() => {
      box?.focus();
      box?.setSelectionRange(start + text.length, start + text.length);
    });
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    if (!webhook) return setProblem('Choose a webhook: a team admin creates them in team settings.');
    if (scope === 'collection' && !collection.value) return setProblem('Choose the collection, or the whole registry.');
    const result = await create({
      input: {
        name,
        enabled,
        scopeType: scope === 'collection' ? 'ARTIFACT_COLLECTION' : 'PROJECT',
        scopeID: scope === 'collection' ? collection.value : registry.id,
        triggeringEventType: event as 'LINK_MODEL',
        eventFilter: filterJson(choice?.filterField, filterValue),
        triggeredActionType: 'GENERIC_WEBHOOK',
        triggeredActionConfig: { genericWebhookActionInput: { integrationID: webhook, requestPayload: payload } },
      },
    });
    if (result.data?.createFilterTrigger?.trigger) {
      setName('');
      setFilterValue('');
      onOpenChange(false);
    }
  }

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      variant="sheet"
      title="New automation"
      description="When an event in this registry matches, POST to a webhook."
    >
      <form className="stack automation-form" onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span className="field__label">Name</span>
          <input required maxLength={255} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. deploy on production" />
        </label>
        <div className="field">
          <label className="field__label" htmlFor={`${id}-event`}>
            Event
          </label>
          <select id={`${id}-event`} value={event} onChange={(e) => setEvent(e.target.value)}>
            {EVENT_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="field automation-form__scope">
          <legend className="field__label">Scope</legend>
          <label className="check">
            <input type="radio" name={`${id}-scope`} checked={scope === 'registry'} onChange={() => setScope('registry')} />
            The whole registry
          </label>
          <label className="check">
            <input type="radio" name={`${id}-scope`} checked={scope === 'collection'} onChange={() => setScope('collection')} />
            One collection
          </label>
          {scope === 'collection' && (
            <SearchSelect
              label="Collection"
              chosenLabel={collection.label}
              selected={collection.value}
              onSearch={setSearch}
              options={options}
              loading={collections.fetching || settled !== search}
              onSelect={setCollection}
              placeholder="Search collections"
              emptyText="No collection matches"
            />
          )}
        </fieldset>
        {choice?.filterField && (
          <label className="field">
            <span className="field__label">Only when the {choice.filterField} is</span>
            <input
              value={filterValue}
              maxLength={128}
              onChange={(e) => setFilterValue(e.target.value)}
              placeholder={choice.filterField === 'alias' ? 'e.g. production (empty: any)' : 'e.g. golden (empty: any)'}
            />
          </label>
        )}
        <div className="field">
          <label className="field__label" htmlFor={`${id}-webhook`}>
            Webhook
          </label>
          <select id={`${id}-webhook`} value={webhook} onChange={(e) => setWebhook(e.target.value)} required>
            {webhooks.length === 0 && <option value="">No webhook in your teams</option>}
            {webhooks.map((w) => (
              <option key={w.id} value={w.id}>
                {w.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field__label" htmlFor={`${id}-payload`}>
            Payload
          </label>
          <textarea
            id={`${id}-payload`}
            ref={payloadRef}
            className="automation-form__payload"
            rows={8}
            spellCheck={false}
            value={payload}
            onChange={(e) => setPayload(e.target.value)}
            aria-describedby={`${id}-variables`}
          />
          <div id={`${id}-variables`} className="automation-form__variables">
            <p className="muted">JSON; these are filled in when the webhook is sent (a team secret&apos;s name works too):</p>
            <ul>
              {PAYLOAD_VARIABLES.map((v) => (
                <li key={v.name}>
                  <button type="button" className="link-button" onClick={() => insertVariable(v.name)} aria-label={`Insert ${v.name}`}>
                    <code>{`\${${v.name}}`}</code>
                  </button>{' '}
                  <span className="muted">{v.description}</span>
                </li>
              ))}
            </ul>
          </div>
        </div>
        <section className="automation-form__preview" aria-labelledby={`${id}-preview`} aria-live="polite">
          <h3 id={`${id}-preview`}>Preview</h3>
          {previewed ? (
            <>
              <p className="muted">
                {previewed.eventAt && previewed.eventSubject ? (
                  <>
                    Filled from the newest such event here: <strong>{previewed.eventSubject}</strong>,{' '}
                    <RelativeTime iso={previewed.eventAt} />.
                  </>
                ) : (
                  'No such event here yet: the variables are shown unfilled.'
                )}{' '}
                Secrets stay hidden.
              </p>
              {previewed.problem && <p className="form-error">{previewed.problem}</p>}
              <pre className="automation-form__preview-body">{previewed.body}</pre>
            </>
          ) : preview.error ? (
            <p className="form-error">{errorMessage(preview.error)}</p>
          ) : (
            <p className="muted">Loading the preview…</p>
          )}
        </section>
        <label className="check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Enabled
        </label>
        {(problem || created.error) && (
          <p className="form-error" role="alert">
            {problem ?? errorMessage(created.error)}
          </p>
        )}
        <div className="row">
          <button type="submit" className="button button--primary" disabled={created.fetching}>
            Create automation
          </button>
        </div>
      </form>
    </Dialog>
  );
}
