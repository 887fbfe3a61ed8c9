import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from '@/lib/router';
import { useResetSession } from '@/app/providers';
import { postJson } from '@/lib/http';
import { queryClient, WithQueryClient } from '@/lib/query-client';

/** Only same-site paths are followed after sign-in, never another origin. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/registry';
}

function LoginForm() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const resetSession = useResetSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation({
    mutationFn: () => postJson<{ username: string }>('/api/auth/login', { username, password }),
    onSuccess: () => {
      queryClient.clear();
      resetSession();
      navigate(safeNext(params.get('next')), { replace: true });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    signIn.mutate();
  }

  return (
    <main className="login">
      <form className="login__card" onSubmit={submit} aria-labelledby="login-title" noValidate>
        <div className="brand brand--large" aria-hidden="true">
          <span className="brand__mark">R</span>
        </div>
        <h1 id="login-title">Sign in to Registry</h1>
        <label className="field">
          <span className="field__label">Username</span>
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
            autoFocus
          />
        </label>
        <label className="field">
          <span className="field__label">Password</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {signIn.error && (
          <p className="form-error" role="alert">
            {signIn.error.message}
          </p>
        )}
        <button type="submit" className="button button--primary" disabled={signIn.isPending}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

export default function Component() {
  return (
    <WithQueryClient>
      <LoginForm />
    </WithQueryClient>
  );
}
