import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { ErrorState, Loading } from '@/components/States';
import { errorMessage } from '@/lib/errors';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';
import { formatDate } from '@/lib/format';
import { ConfirmInPlace } from '@/components/ConfirmInPlace';

const UserRow_User = graphql(`
  fragment UserRow_User on User {
    id
    username
    name
    email
    orgRole
  }
`);

const UsersQuery = graphql(
  `
    query Users {
      viewer {
        id
        orgRole
      }
      users(query: "") {
        edges {
          node {
            id
            ...UserRow_User
          }
        }
      }
    }
  `,
  [UserRow_User],
);

const Users_Create = graphql(
  `
    mutation Users_Create($input: CreateUserInput!) {
      createUser(input: $input) {
        user {
          id
          ...UserRow_User
        }
        passwordLink {
          url
          expiresAt
        }
      }
    }
  `,
  [UserRow_User],
);

const UserRow_Reset = graphql(`
  mutation UserRow_Reset($username: String!) {
    createPasswordResetLink(input: { username: $username }) {
      user {
        id
      }
      passwordLink {
        url
        expiresAt
      }
    }
  }
`);

interface IssuedLink {
  username: string;
  url: string;
  expiresAt: string;
  kind: 'new' | 'reset';
}

/** The link an admin gives a user, shown once: the server keeps only its digest. */
function LinkNotice({ link }: { link: IssuedLink }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="panel panel--notice" role="status">
      <p>
        <strong>
          {link.kind === 'new'
            ? `Give ${link.username} this link to choose a password.`
            : `Give ${link.username} this link to choose a new password.`}
        </strong>{' '}
        It works once, until {formatDate(link.expiresAt)}, and is shown only now.
        {link.kind === 'reset' && ' Their sessions have ended; their old password works until they use the link.'}
      </p>
      <div className="secret">
        <code data-testid="password-link">{link.url}</code>
        <button
          type="button"
          className="button"
          aria-label={`Copy the password link for ${link.username}`}
          onClick={() => void navigator.clipboard?.writeText(link.url).then(() => setCopied(true))}
        >
          <span aria-live="polite">{copied ? 'Copied' : 'Copy'}</span>
        </button>
      </div>
    </div>
  );
}

function UserRow({ user, onLink }: { user: FragmentOf<typeof UserRow_User>; onLink: (link: IssuedLink) => void }) {
  const u = readFragment(UserRow_User, user);
  const [reset, resetPassword] = useMutation(UserRow_Reset);
  const username = u.username ?? '';

  async function confirm(): Promise<boolean> {
    const res = await resetPassword({ username });
    const link = res.data?.createPasswordResetLink.passwordLink;
    if (link) onLink({ username, url: link.url, expiresAt: link.expiresAt, kind: 'reset' });
    return Boolean(link);
  }

  return (
    <tr>
      <th scope="row">{username}</th>
      <td className="hide-narrow">{u.name}</td>
      <td className="hide-narrow">{u.email ?? <span className="muted">None</span>}</td>
      <td className="hide-narrow">{u.orgRole}</td>
      <td className="table__actions">
        {reset.error && (
          <span className="form-error" role="alert">
            {errorMessage(reset.error)}
          </span>
        )}
        <ConfirmInPlace
          text="Reset password"
          label={`Reset the password of ${username}`}
          confirmText="Reset and sign out"
          confirmLabel={`Confirm resetting the password of ${username}`}
          busy={reset.fetching}
          onConfirm={confirm}
        />
      </td>
    </tr>
  );
}

/** `/settings/users`: org admins create users and give them one-time password links. */
export default function Component() {
  const [{ data, fetching, error }, refetch] = useQuery({ query: UsersQuery });
  const [created, createUser] = useMutation(Users_Create);
  const [email, setEmail] = useState('');
  const [username, setUsername] = useState('');
  const [orgRole, setOrgRole] = useState('member');
  const [link, setLink] = useState<IssuedLink | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const res = await createUser({ input: { email: email.trim() || null, username: username.trim() || null, orgRole } });
    const made = res.data?.createUser;
    if (made?.passwordLink) {
      const user = readFragment(UserRow_User, made.user);
      setLink({ username: user.username ?? '', url: made.passwordLink.url, expiresAt: made.passwordLink.expiresAt, kind: 'new' });
      setEmail('');
      setUsername('');
      // The list gains a user: read it again rather than guess where it sorts.
      refetch({ requestPolicy: 'network-only' });
    }
  }

  // The cache may answer the viewer at once and the (nullable) user list only from the network.
  if (fetching && !data?.users) return <Loading label="Loading users…" />;
  if (error && !data)
    return (
      <ErrorState
        title="The users could not be loaded"
        message={error.message}
        onRetry={() => refetch({ requestPolicy: 'network-only' })}
      />
    );
  if (data?.viewer?.orgRole !== 'admin') {
    return (
      <div className="page__header">
        <h1>Users</h1>
        <p className="page__lead">Only organization admins manage users.</p>
      </div>
    );
  }
  const users = data.users?.edges ?? [];

  return (
    <>
      <div className="page__header">
        <h1>Users</h1>
        <p className="page__lead">
          People of your organization. A new user, or one whose password you reset, chooses a password through a one-time link you give
          them.
        </p>
      </div>

      <form className="panel inline-form" onSubmit={(e) => void submit(e)} aria-label="Create user">
        <label className="field">
          <span className="field__label">Email</span>
          <input type="email" name="email" value={email} onChange={(e) => setEmail(e.target.value)} placeholder="ada@example.com" />
        </label>
        <label className="field">
          <span className="field__label">Username (optional)</span>
          <input name="username" value={username} onChange={(e) => setUsername(e.target.value)} placeholder="made from the email" />
        </label>
        <label className="field">
          <span className="field__label">Role</span>
          <select value={orgRole} onChange={(e) => setOrgRole(e.target.value)}>
            <option value="member">member</option>
            <option value="viewer">viewer</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <button type="submit" className="button button--primary" disabled={created.fetching || (!email.trim() && !username.trim())}>
          Create user
        </button>
        {created.error && (
          <p className="form-error" role="alert">
            {errorMessage(created.error)}
          </p>
        )}
      </form>

      {/* Keyed by the link, so a new one starts with "Copy" again. */}
      {link && <LinkNotice key={link.url} link={link} />}

      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">Users</caption>
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col" className="hide-narrow">
                Name
              </th>
              <th scope="col" className="hide-narrow">
                Email
              </th>
              <th scope="col" className="hide-narrow">
                Role
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.map(({ node }) => (
              <UserRow key={node.id} user={node} onLink={setLink} />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
