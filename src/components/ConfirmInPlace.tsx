import { useState } from 'react';

interface Props {
  /** The button's text, e.g. "Delete". */
  text: string;
  /** Its accessible name, which says what it acts on: "Delete webhook hooks". */
  label: string;
  /** The confirming button's text, e.g. "Delete now". */
  confirmText: string;
  /** Its accessible name: "Confirm deleting webhook hooks". */
  confirmLabel: string;
  /** While the change is under way, the confirming button is disabled. */
  busy: boolean;
  /** When it answers true (the change is done and the row stays), the button comes back. */
  onConfirm: () => void | Promise<boolean>;
}

/** A destructive action asked twice, in place: the button turns into Keep and the confirming button. */
export function ConfirmInPlace({ text, label, confirmText, confirmLabel, busy, onConfirm }: Props) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button type="button" className="button" onClick={() => setConfirming(true)} aria-label={label}>
        {text}
      </button>
    );
  }
  return (
    <>
      <button type="button" className="button" onClick={() => setConfirming(false)}>
        Keep
      </button>
      <button
        type="button"
        className="button button--danger"
        disabled={busy}
        onClick={() => void Promise.resolve(onConfirm()).then((done) => done && setConfirming(false))}
        aria-label={confirmLabel}
      >
        {confirmText}
      </button>
    </>
  );
}
