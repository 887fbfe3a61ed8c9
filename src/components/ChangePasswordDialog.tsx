import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { Dialog } from '@/components/Dialog';
import { errorMessage } from '@/lib/errors';
import { graphql } from '@/lib/graphql';

const ChangePasswordDialog_Change = graphql(`
  mutation ChangePasswordDialog_Change($input: ChangePasswordInput!) {
    changePassword(input: $input) {
      user {
        id
      }
    }
  }
`);

/** The viewer changes their password with the current one; their other sessions end, this one stays. */
export function ChangePasswordDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  const [result, change] = useMutation(ChangePasswordDialog_Change);

  function close(isOpen: boolean) {
    if (!isOpen) {
      setCurrent('');
      setNext('');
      setRepeat('');
      setMismatch(false);
      setDone(false);
    }
    onOpenChange(isOpen);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (next !== repeat) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    const res = await change({ input: { currentPassword: current, newPassword: next } });
    if (res.data?.changePassword) setDone(true);
  }

  return (
    <Dialog open={open} onOpenChange={close} title="Change password">
      {done ? (
        <div className="stack">
          <p role="status">Your password was changed. Your other sessions were signed out; this one stays signed in.</p>
          <div className="actions">
            <button type="button" className="button button--primary" onClick={() => close(false)}>
              Done
            </button>
          </div>
        </div>
      ) : (
        <form className="stack" onSubmit={(e) => void submit(e)} noValidate>
          <label className="field">
            <span className="field__label">Current password</span>
            <input type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
          </label>
          <div className="field">
            <label className="field__label" htmlFor="change-password-new">
              New password
            </label>
            <input
              id="change-password-new"
              type="password"
              autoComplete="new-password"
              value={next}
              onChange={(e) => setNext(e.target.value)}
              aria-describedby="change-password-help"
              minLength={8}
              required
            />
            <p id="change-password-help" className="field__help">
              At least 8 characters.
            </p>
          </div>
          <label className="field">
            <span className="field__label">Repeat the new password</span>
            <input type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} required />
          </label>
          {(mismatch || result.error) && (
            <p className="form-error" role="alert">
              {mismatch ? 'The new passwords differ: type the same one twice.' : errorMessage(result.error)}
            </p>
          )}
          <div className="actions">
            <button type="button" className="button" onClick={() => close(false)}>
              Cancel
            </button>
            <button type="submit" className="button button--primary" disabled={result.fetching || !current || !next || !repeat}>
              {result.fetching ? 'Changing…' : 'Change password'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
