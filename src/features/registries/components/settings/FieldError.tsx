/** The error of one field, right under it; the region exists before the message so it is announced. */
export function FieldError({ id, message }: { id: string; message: string | null }) {
  return (
    <p id={id} className="field__error" aria-live="polite">
      {message}
    </p>
  );
}
