import { useId, useState, type FormEvent } from 'react';
import { Link, useParams } from '@/lib/router';
import { useMutation, useQuery } from 'urql';
import { NotFound } from '@/components/NotFoundRoute';
import { EmptyState, ErrorState, Loading } from '@/components/States';
import { errorMessage } from '@/lib/errors';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';
import '../teams.css';
import { ConfirmInPlace } from '@/components/ConfirmInPlace';
import { formatDate } from '@/lib/format';

export const WebhookRow_Integration = graphql(`
  fragment WebhookRow_Integration on GenericWebhookIntegration {
    id
    name
    urlEndpoint
    secretRef
    accessTokenRef
    createdAt
  }
`);

const TeamSettingsQuery = graphql(
  `
    query TeamSettings($name: String!) {
      entity(name: $name) {
        id
        name
        isTeam
        viewerIsAdmin
        secrets {
          name
          updatedAt
        }
        integrations(first: 100) {
          edges {
            node {
              __typename
              ... on GenericWebhookIntegration {
                id
                ...WebhookRow_Integration
              }
            }
          }
        }
      }
    }
  `,
  [WebhookRow_Integration],
);

const TeamSettings_SaveSecret = graphql(`
  mutation TeamSettings_SaveSecret($entityName: String!, $secretName: String!, $secretValue: String!) {
    insertSecret(input: { entityName: $entityName, secretName: $secretName, secretValue: $secretValue }) {
      success
    }
  }
`);

const TeamSettings_DeleteSecret = graphql(`
  mutation TeamSettings_DeleteSecret($entityName: String!, $secretName: String!) {
    deleteSecret(input: { entityName: $entityName, secretName: $secretName }) {
      success
    }
  }
`);

const TeamSettings_CreateWebhook = graphql(
  `
    mutation TeamSettings_CreateWebhook($input: CreateGenericWebhookIntegrationInput!) {
      createGenericWebhookIntegration(input: $input) {
        integration {
          id
          ...WebhookRow_Integration
        }
      }
    }
  `,
  [WebhookRow_Integration],
);

const WebhookRow_Test = graphql(`
  mutation WebhookRow_Test($id: ID!) {
    testGenericWebhookIntegration(input: { id: $id }) {
      ok
      statusCode
      durationMs
      responseExcerpt
      error
    }
  }
`);

const WebhookRow_Delete = graphql(`
  mutation WebhookRow_Delete($id: ID!) {
    deleteIntegration(input: { id: $id }) {
      success
    }
  }
`);

function WebhookRow({ webhook, canManage }: { webhook: FragmentOf<typeof WebhookRow_Integration>; canManage: boolean }) {
  const w = readFragment(WebhookRow_Integration, webhook);
  const [test, runTest] = useMutation(WebhookRow_Test);
  const [removal, remove] = useMutation(WebhookRow_Delete);
  const outcome = test.data?.testGenericWebhookIntegration;
  return (
    <tr>
      <td>
        <strong>{w.name}</strong>
        <div className="muted webhook__url">{w.urlEndpoint}</div>
      </td>
      <td className="hide-narrow">{w.secretRef ? <code>{w.secretRef}</code> : <span className="muted">Not signed</span>}</td>
      <td className="hide-narrow">{w.accessTokenRef ? <code>{w.accessTokenRef}</code> : <span className="muted">None</span>}</td>
      <td className="table__actions">
        {canManage && (
          <div className="webhook__actions">
            <button
              type="button"
              className="button"
              disabled={test.fetching}
              onClick={() => void runTest({ id: w.id })}
              aria-label={`Test webhook ${w.name}`}
            >
              {test.fetching ? 'Testing…' : 'Test'}
            </button>
            {
              <ConfirmInPlace
                text="Delete"
                label={`Delete webhook ${w.name}`}
                confirmText="Delete now"
                confirmLabel={`Confirm deleting webhook ${w.name}`}
                busy={removal.fetching}
                onConfirm={() => void remove({ id: w.id })}
              />
            }
          </div>
        )}
        {(test.error || outcome) && (
          <p className={`webhook__result ${outcome?.ok ? 'webhook__result--ok' : 'form-error'}`} role="status">
            {test.error
              ? errorMessage(test.error)
              : outcome?.statusCode != null
                ? `HTTP ${outcome.statusCode} in ${outcome.durationMs} ms${outcome.responseExcerpt ? `: ${outcome.responseExcerpt.slice(0, 120)}` : ''}`
                : `No answer: ${outcome?.error ?? 'unknown error'}`}
          </p>
        )}
        {removal.error && (
          <p className="form-error" role="alert">
            {errorMessage(removal.error)}
          </p>
        )}
      </td>
    </tr>
  );
}

function CreateWebhookForm({ team, secrets }: { team: string; secrets: string[] }) {
  const id = useId();
  const [created, create] = useMutation(TeamSettings_CreateWebhook);
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [signing, setSigning] = useState('');
  const [token, setToken] = useState('');

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await create({
      input: { entityName: team, name, urlEndpoint: url, secretRef: signing || null, accessTokenRef: token || null },
    });
    if (result.data?.createGenericWebhookIntegration) {
      setName('');
      setUrl('');
      setSigning('');
      setToken('');
    }
  }

  return (
    <form className="panel team-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>New webhook</h3>
      <div className="team-form__fields">
        <label className="field">
          <span className="field__label">Name</span>
          <input required maxLength={255} value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. deploy" />
        </label>
        <label className="field team-form__wide">
          <span className="field__label">URL</span>
          <input
            required
            type="url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="https://hooks.example.com/registry"
          />
        </label>
        <label className="field">
          <span className="field__label">Signing secret</span>
          <select value={signing} onChange={(e) => setSigning(e.target.value)}>
            <option value="">None (not signed)</option>
            {secrets.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">Access token secret</span>
          <select value={token} onChange={(e) => setToken(e.target.value)}>
            <option value="">None</option>
            {secrets.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted">
        Deliveries are signed with the signing secret (Standard Webhooks&apos; <code>webhook-signature</code>); the access token is sent as{' '}
        <code>Authorization: Bearer</code>.
      </p>
      <div className="row">
        <button type="submit" className="button button--primary" disabled={created.fetching}>
          Create webhook
        </button>
      </div>
      {created.error && (
        <p className="form-error" role="alert">
          {errorMessage(created.error)}
        </p>
      )}
    </form>
  );
}

function SecretRow({ team, name, updatedAt, canManage }: { team: string; name: string; updatedAt: string; canManage: boolean }) {
  const [removal, remove] = useMutation(TeamSettings_DeleteSecret);
  return (
    <tr>
      <td>
        <code>{name}</code>
      </td>
      <td className="hide-narrow">
        <time dateTime={updatedAt}>{formatDate(updatedAt)}</time>
      </td>
      <td className="table__actions">
        {canManage && (
          <ConfirmInPlace
            text="Delete"
            label={`Delete secret ${name}`}
            confirmText="Delete now"
            confirmLabel={`Confirm deleting secret ${name}`}
            busy={removal.fetching}
            onConfirm={() => void remove({ entityName: team, secretName: name })}
          />
        )}
        {removal.error && (
          <p className="form-error" role="alert">
            {errorMessage(removal.error)}
          </p>
        )}
      </td>
    </tr>
  );
}

function AddSecretForm({ team }: { team: string }) {
  const id = useId();
  const [saved, save] = useMutation(TeamSettings_SaveSecret);
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [savedName, setSavedName] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await save({ entityName: team, secretName: name, secretValue: value });
    if (result.data?.insertSecret) {
      setSavedName(name);
      setName('');
      setValue('');
    }
  }

  return (
    <form className="panel team-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Add a secret</h3>
      <div className="team-form__fields">
        <label className="field">
          <span className="field__label">Name</span>
          <input
            required
            maxLength={64}
            pattern="[A-Za-z_][A-Za-z0-9_]*"
            title="Letters, digits and _, not starting with a digit"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. SIGNING_KEY"
          />
        </label>
        <label className="field team-form__wide">
          <span className="field__label">Value</span>
          <input required type="password" autoComplete="off" maxLength={10000} value={value} onChange={(e) => setValue(e.target.value)} />
        </label>
      </div>
      <p className="muted">The value is stored encrypted and never shown again. Saving a name that exists replaces its value.</p>
      <div className="row">
        <button type="submit" className="button button--primary" disabled={saved.fetching}>
          Save secret
        </button>
      </div>
      {saved.error && (
        <p className="form-error" role="alert">
          {errorMessage(saved.error)}
        </p>
      )}
      {savedName && !saved.error && (
        <p className="muted" role="status">
          Saved <code>{savedName}</code>.
        </p>
      )}
    </form>
  );
}

/** A team's webhooks (where automations POST) and the secrets they sign and authenticate with. */
export default function Component() {
  const { team = '' } = useParams();
  const [{ data, fetching, error }, refetch] = useQuery({ query: TeamSettingsQuery, variables: { name: team } });

  if (fetching && !data) return <Loading label="Loading team settings…" />;
  if (error && !data) {
    return (
      <ErrorState
        title="Team settings could not be loaded"
        message={errorMessage(error)}
        onRetry={() => refetch({ requestPolicy: 'network-only' })}
      />
    );
  }
  const entity = data?.entity;
  // Integrations are null for those outside the team: the team does not exist for them.
  if (!entity || !entity.integrations) return <NotFound title="Team not found" />;
  const canManage = entity.viewerIsAdmin;
  const secrets = entity.secrets.map((s) => s.name);
  const webhooks = entity.integrations.edges.flatMap(({ node }) => (node.__typename === 'GenericWebhookIntegration' ? [node] : []));

  return (
    <>
      <div className="page__header">
        <nav aria-label="Breadcrumbs" className="breadcrumbs">
          <Link to="/settings/teams">Teams</Link>
          <span aria-hidden="true">/</span>
          <span aria-current="page">{entity.name}</span>
        </nav>
        <h1>{entity.name}: webhooks and secrets</h1>
        <p className="page__lead">
          Registry automations POST to a team&apos;s webhooks. {canManage ? '' : 'Only the team’s admins change them.'}
        </p>
      </div>

      <section className="team-section" aria-labelledby="webhooks-title">
        <h2 id="webhooks-title">Webhooks</h2>
        {webhooks.length === 0 ? (
          <EmptyState title="No webhooks">{canManage ? <p>Create one below.</p> : null}</EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Webhooks of {entity.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Webhook</th>
                  <th scope="col" className="hide-narrow">
                    Signing secret
                  </th>
                  <th scope="col" className="hide-narrow">
                    Access token
                  </th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {webhooks.map((node) => (
                  <WebhookRow key={node.id} webhook={node} canManage={canManage} />
                ))}
              </tbody>
            </table>
          </div>
        )}
        {canManage && <CreateWebhookForm team={entity.name} secrets={secrets} />}
      </section>

      {canManage && (
        <section className="team-section" aria-labelledby="secrets-title">
          <h2 id="secrets-title">Secrets</h2>
          {secrets.length === 0 ? (
            <EmptyState title="No secrets">
              <p>Add a signing key or an access token for your webhooks.</p>
            </EmptyState>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">Secrets of {entity.name}</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col" className="hide-narrow">
                      Saved
                    </th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {entity.secrets.map((s) => (
                    <SecretRow key={s.name} team={entity.name} name={s.name} updatedAt={s.updatedAt} canManage={canManage} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <AddSecretForm team={entity.name} />
        </section>
      )}
    </>
  );
}
