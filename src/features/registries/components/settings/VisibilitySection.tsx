import { useId, useState } from 'react';
import { useMutation } from 'urql';
import { Dialog } from '@/components/Dialog';
import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';
import { needsRole } from '@/lib/roles';
import { errorMessage } from '@/lib/errors';
import { FieldError } from './FieldError';

export const VisibilitySection_Project = graphql(`
  fragment VisibilitySection_Project on Project {
    id
    name
    displayName
    access
    isCore
  }
`);

const VisibilitySection_Restrict = graphql(
  `
    mutation VisibilitySection_Restrict($name: String!) {
      upsertModel(input: { name: $name, access: "RESTRICTED", updateOnly: true }) {
        project {
          id
          ...VisibilitySection_Project
        }
      }
    }
  `,
  [VisibilitySection_Project],
);

// The server's rules (upsertModel): organization → restricted only, and never for core registries.
export const ONE_WAY_REASON = 'A restricted registry cannot be made visible to the whole organization again.';
export const CORE_REASON = 'Core registries stay visible to the whole organization.';

interface Props {
  registry: FragmentOf<typeof VisibilitySection_Project>;
  canEdit: boolean;
}

/** Organization or restricted. Going restricted hides the registry from non-members, so it asks first. */
export function VisibilitySection({ registry, canEdit }: Props) {
  const r = readFragment(VisibilitySection_Project, registry);
  const id = useId();
  const [confirming, setConfirming] = useState(false);
  const [result, restrict] = useMutation(VisibilitySection_Restrict);
  const restricted = r.access === 'RESTRICTED';
  const reason = restricted ? ONE_WAY_REASON : r.isCore ? CORE_REASON : !canEdit ? needsRole('admin') : null;

  async function confirm() {
    const res = await restrict({ name: r.name });
    if (!res.error) setConfirming(false);
  }

  return (
    <section className="panel settings__section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Visibility</h2>
      <fieldset className="settings__choices" disabled={reason !== null} aria-describedby={`${id}-reason ${id}-error`}>
        <legend className="visually-hidden">Who can see this registry</legend>
        <label className="settings__choice">
          <input type="radio" name={`${id}-access`} value="PRIVATE" checked={!restricted} readOnly />
          <span>
            <strong>Organization</strong>
            <span className="field__help">Everyone in the organization can see it, with the viewer role unless given another.</span>
          </span>
        </label>
        <label className="settings__choice">
          <input type="radio" name={`${id}-access`} value="RESTRICTED" checked={restricted} onChange={() => setConfirming(true)} />
          <span>
            <strong>Restricted</strong>
            <span className="field__help">Only the members listed below can see it.</span>
          </span>
        </label>
      </fieldset>
      <p id={`${id}-reason`} className="field__help settings__reason">
        {reason}
      </p>
      <FieldError id={`${id}-error`} message={confirming ? null : errorMessage(result.error)} />
      <Dialog
        open={confirming}
        onOpenChange={setConfirming}
        title={`Make ${r.displayName} restricted?`}
        description="Only its members will see it: everyone else in the organization loses access to it and its versions."
      >
        <div className="stack">
          <p className="field__warning">{ONE_WAY_REASON}</p>
          <FieldError id={`${id}-dialog-error`} message={errorMessage(result.error)} />
          <div className="actions">
            <button type="button" className="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <button type="button" className="button button--danger" disabled={result.fetching} onClick={() => void confirm()}>
              Make restricted
            </button>
          </div>
        </div>
      </Dialog>
    </section>
  );
}
