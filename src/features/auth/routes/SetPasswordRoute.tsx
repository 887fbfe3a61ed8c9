import { useState, type FormEvent } from 'react';
import { Link, useLocation } from '@/lib/router';
import { useMutation, useQuery } from 'urql';
import { errorMessage } from '@/lib/errors';
import { graphql } from '@/lib/graphql';

const SetPasswordQuery = graphql(`
  query SetPassword($token: String!) {
    passwordLink(token: $token) {
      username
      expiresAt
    }
  }
`);

const SetPassword_Set = graphql(`
  mutation SetPassword_Set($input: SetPasswordWithLinkInput!) {
    setPasswordWithLink(input: $input) {
      username
    }
  }
`);

/**
 * `/set-password#<token>`: a one-time link from an org admin (a new user, or a reset). Reachable signed
 * out; the token is in the fragment, which the browser never sends to a server or puts in a Referer.
 */
export default function Component() {
  const token = useLocation().hash.slice(1);
  const [{ data, fetching, error }] = useQuery({
    query: SetPasswordQuery,
    variables: { token },
    pause: !token,
    requestPolicy: 'network-only',
  });
  const [result, setPassword] = useMutation(SetPassword_Set);
  const [password, setNew] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const target = data?.passwordLink;
  const done = result.data?.setPasswordWithLink;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setMismatch(password !== repeat);
    if (password === repeat) await setPassword({ input: { token, newPassword: password } });
  }

  let body;
  if (done) {
    body = (
      <>
        <p role="status">
          The password of <strong>{done.username}</strong> is set. The link no longer works.
        </p>
        <Link className="button button--primary" to="/login">
          Sign in
        </Link>
      </>
    );
  } else if (token && (fetching || (!data && !error))) {
    body = <p>Checking the link…</p>;
  } else if (!target) {
    body = (
      <>
        <p role="alert">
          {error
            ? errorMessage(error)
            : 'This password link does not work: it was used already, has expired, or a newer one replaced it. Ask an organization admin for a new link.'}
        </p>
        <Link to="/login">Go to sign-in</Link>
      </>
    );
  } else {
    body = (
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
        <p>
          Choose a password for <strong>{target.username}</strong>. Setting it signs this user out everywhere.
        </p>
        <div className="field">
          <label className="field__label" htmlFor="set-password-new">
            New password
          </label>
          <input
            id="set-password-new"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setNew(e.target.value)}
            aria-describedby="set-password-help"
            minLength={8}
            required
            autoFocus
          />
          <p id="set-password-help" className="field__help">
            At least 8 characters.
          </p>
        </div>
        <label className="field">
          <span className="field__label">Repeat the new password</span>
          <input type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} required />
        </label>
        {(mismatch || result.error) && (
          <p className="form-error" role="alert">
            {mismatch ? 'The passwords differ: type the same one twice.' : errorMessage(result.error)}
          </p>
        )}
        <button type="submit" className="button button--primary" disabled={result.fetching || !password || !repeat}>
          {result.fetching ? 'Setting…' : 'Set password'}
        </button>
      </form>
    );
  }

  return (
    <main className="login">
      <section className="login__card" aria-labelledby="set-password-title">
        <div className="brand brand--large" aria-hidden="true">
          <span className="brand__mark">R</span>
        </div>
        <h1 id="set-password-title">Set your password</h1>
        {body}
      </section>
    </main>
  );
}
