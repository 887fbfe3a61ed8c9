import { useId, useState, type FormEvent } from 'react';
import { useNavigate } from '@/lib/router';
import { useMutation } from 'urql';
import { Dialog } from '@/components/Dialog';
import { Gated } from '@/components/Gated';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';
import { needsRole } from '@/lib/roles';
import { errorMessage } from '@/lib/errors';
import { FieldError } from './FieldError';

export const DangerZone_Project = graphql(`
  fragment DangerZone_Project on Project {
    id
    name
    displayName
    isCore
  }
`);

// The cache drops the registry from every list (updater for deleteModel in src/lib/urql.ts).
const DangerZone_Delete = graphql(`
  mutation DangerZone_Delete($id: String!) {
    deleteModel(input: { id: $id }) {
      success
    }
  }
`);

export const CORE_DELETE_REASON = 'Core registries (Models, Datasets) cannot be deleted.';

interface Props {
  registry: FragmentOf<typeof DangerZone_Project>;
  /** The name in the URL, which the person types to confirm. */
  shortName: string;
  canEdit: boolean;
}

/** Deleting the registry: its collections and links go, source versions stay. Typing its name confirms. */
export function DangerZone({ registry, shortName, canEdit }: Props) {
  const r = readFragment(DangerZone_Project, registry);
  const id = useId();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [result, remove] = useMutation(DangerZone_Delete);
  const reason = r.isCore ? CORE_DELETE_REASON : needsRole('admin');

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (typed !== shortName) return;
    const res = await remove({ id: r.id });
    if (!res.error) navigate('/registry', { replace: true });
  }

  return (
    <section className="panel settings__section settings__danger" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Danger zone</h2>
      <div className="row">
        <p className="spacer">
          Deleting <strong>{r.displayName}</strong> removes its collections, linked versions, aliases and members. The source versions stay
          in their projects.
        </p>
        <Gated allowed={canEdit && !r.isCore} reason={reason}>
          {(props) => (
            <button type="button" className="button button--danger" {...props} onClick={() => setOpen(true)}>
              Delete registry
            </button>
          )}
        </Gated>
      </div>
      {r.isCore && <p className="field__help">{CORE_DELETE_REASON}</p>}
      <Dialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          setTyped('');
        }}
        title={`Delete ${r.displayName}?`}
        description="This cannot be undone. Collections, linked versions and their aliases go with it."
      >
        <form className="stack" onSubmit={submit}>
          <div className="field">
            <label className="field__label" htmlFor={id}>
              Type <code>{shortName}</code> to confirm
            </label>
            <input
              id={id}
              value={typed}
              autoComplete="off"
              spellCheck={false}
              aria-describedby={`${id}-error`}
              onChange={(e) => setTyped(e.target.value)}
            />
            <FieldError id={`${id}-error`} message={errorMessage(result.error)} />
          </div>
          <div className="actions">
            <button type="button" className="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button type="submit" className="button button--danger" disabled={typed !== shortName || result.fetching}>
              Delete this registry
            </button>
          </div>
        </form>
      </Dialog>
    </section>
  );
}
