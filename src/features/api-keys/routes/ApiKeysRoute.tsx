import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { EmptyState, ErrorState, Loading } from '@/components/States';
import { errorMessage } from '@/lib/errors';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';
import { formatDate } from '@/lib/format';
import { ConfirmInPlace } from '@/components/ConfirmInPlace';

const ApiKeyRow_ApiKey = graphql(`
  fragment ApiKeyRow_ApiKey on ApiKey {
    id
    name
    description
    createdAt
  }
`);

const ApiKeysQuery = graphql(
  `
    query ApiKeys {
      viewer {
        id
        apiKeys {
          edges {
            node {
              id
              ...ApiKeyRow_ApiKey
            }
          }
        }
      }
    }
  `,
  [ApiKeyRow_ApiKey],
);

const ApiKeys_Generate = graphql(
  `
    mutation ApiKeys_Generate($description: String) {
      generateApiKey(input: { description: $description }) {
        key
        apiKey {
          id
          ...ApiKeyRow_ApiKey
        }
      }
    }
  `,
  [ApiKeyRow_ApiKey],
);

const ApiKeys_Revoke = graphql(`
  mutation ApiKeys_Revoke($id: ID!) {
    deleteApiKey(input: { id: $id }) {
      success
    }
  }
`);

function ApiKeyRow({ apiKey }: { apiKey: FragmentOf<typeof ApiKeyRow_ApiKey> }) {
  const key = readFragment(ApiKeyRow_ApiKey, apiKey);
  const [revoke, revokeKey] = useMutation(ApiKeys_Revoke);
  return (
    <tr>
      <td>
        <code>{key.name}</code>
      </td>
      <td>{key.description || <span className="muted">No description</span>}</td>
      <td className="hide-narrow">
        <time dateTime={key.createdAt}>{formatDate(key.createdAt)}</time>
      </td>
      <td className="table__actions">
        {revoke.error && (
          <span className="form-error" role="alert">
            {errorMessage(revoke.error)}
          </span>
        )}
        {
          <ConfirmInPlace
            text="Revoke"
            label={`Revoke key ${key.name}`}
            confirmText="Revoke now"
            confirmLabel={`Confirm revoking key ${key.name}`}
            busy={revoke.fetching}
            onConfirm={() => void revokeKey({ id: key.id })}
          />
        }
      </td>
    </tr>
  );
}

export default function Component() {
  const [{ data, fetching, error }, refetch] = useQuery({ query: ApiKeysQuery });
  const [created, generate] = useMutation(ApiKeys_Generate);
  const [description, setDescription] = useState('');
  const [newKey, setNewKey] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const keys = data?.viewer?.apiKeys?.edges ?? [];

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await generate({ description });
    const key = result.data?.generateApiKey.key;
    if (key) {
      setNewKey(key);
      setCopied(false);
      setDescription('');
    }
  }

  return (
    <>
      <div className="page__header">
        <h1>API keys</h1>
        <p className="page__lead">
          Scripts and the wandb SDK sign in with a key, sent as HTTP Basic <code>api:&lt;key&gt;</code> or <code>Bearer &lt;key&gt;</code>.
        </p>
      </div>

      <form className="panel inline-form" onSubmit={submit}>
        <label className="field">
          <span className="field__label">Description</span>
          <input
            name="description"
            value={description}
            maxLength={200}
            placeholder="e.g. training cluster"
            onChange={(e) => setDescription(e.target.value)}
          />
        </label>
        <button type="submit" className="button button--primary" disabled={created.fetching}>
          Create key
        </button>
        {created.error && (
          <p className="form-error" role="alert">
            {errorMessage(created.error)}
          </p>
        )}
      </form>

      {newKey && (
        <div className="panel panel--notice" role="status">
          <p>
            <strong>Copy your new key now.</strong> It is shown only this once.
          </p>
          <div className="secret">
            <code data-testid="new-api-key">{newKey}</code>
            <button
              type="button"
              className="button"
              onClick={() => void navigator.clipboard?.writeText(newKey).then(() => setCopied(true))}
            >
              {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
        </div>
      )}

      {fetching && !data ? (
        <Loading label="Loading keys…" />
      ) : error && !data ? (
        <ErrorState
          title="Your keys could not be loaded"
          message={error.message}
          onRetry={() => refetch({ requestPolicy: 'network-only' })}
        />
      ) : keys.length === 0 ? (
        <EmptyState title="No API keys">
          <p>Create one above to use Registry from scripts.</p>
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Your API keys</caption>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Description</th>
                <th scope="col" className="hide-narrow">
                  Created
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map(({ node }) => (
                <ApiKeyRow key={node.id} apiKey={node} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
