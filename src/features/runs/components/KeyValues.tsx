/** A value of a config or summary entry as one line of text. */
function show(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toPrecision(6).replace(/\.?0+$/, '');
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/**
 * Entries of a JSON object (a run's config or summary) as a table. The SDK wraps config values as
 * `{"desc", "value"}`; its own bookkeeping (`_wandb`, `_step`, …) starts with "_" and is left out.
 */
export function KeyValues({
  json,
  label,
  empty,
  wrapped = false,
}: {
  json: string | null;
  label: string;
  empty: string;
  wrapped?: boolean;
}) {
  let entries: [string, unknown][] = [];
  try {
    const parsed: unknown = JSON.parse(json ?? '{}');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) entries = Object.entries(parsed);
  } catch {
    entries = [];
  }
  entries = entries
    .filter(([key]) => !key.startsWith('_'))
    .map(([key, value]) => [
      key,
      wrapped && value && typeof value === 'object' && 'value' in value ? (value as { value: unknown }).value : value,
    ]);
  if (entries.length === 0) return <p className="muted">{empty}</p>;
  entries.sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="table-wrap">
      <table className="table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {entries.map(([key, value]) => (
            <tr key={key}>
              <th scope="row" className="mono">
                {key}
              </th>
              <td className="mono run-value">{show(value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
