import type { useVersionFilters } from '../versionFilters';

type Filters = ReturnType<typeof useVersionFilters>;

/** A text filter that applies when the viewer leaves the box or presses Enter, so typing is no request per key. */
function TextFilter({
  id,
  label,
  value,
  placeholder,
  onApply,
}: {
  id: string;
  label: string;
  value: string;
  placeholder: string;
  onApply: (value: string) => void;
}) {
  return (
    <div className="field field--narrow">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        defaultValue={value}
        key={value}
        autoComplete="off"
        spellCheck={false}
        placeholder={placeholder}
        onBlur={(e) => onApply(e.target.value.trim())}
        onKeyDown={(e) => e.key === 'Enter' && onApply(e.currentTarget.value.trim())}
      />
    </div>
  );
}

/** The versions list's sort, alias, tag and created-date filters; their state lives in the URL. */
export function VersionFilters({ filters }: { filters: Filters }) {
  const { values, set } = filters;
  return (
    <form className="toolbar version-filters" role="search" aria-label="Filter versions" onSubmit={(e) => e.preventDefault()}>
      <div className="field field--narrow">
        <label className="field__label" htmlFor="version-sort">
          Sort
        </label>
        <select id="version-sort" value={values.sort} onChange={(e) => set('sort', e.target.value)}>
          <option value="">Newest first</option>
          <option value="oldest">Oldest first</option>
        </select>
      </div>
      <TextFilter id="version-alias" label="Alias" value={values.alias} placeholder="Any alias" onApply={(v) => set('alias', v)} />
      <TextFilter id="version-tag" label="Tag" value={values.tag} placeholder="Any tag" onApply={(v) => set('tag', v)} />
      <div className="field field--narrow">
        <label className="field__label" htmlFor="version-from">
          Created from
        </label>
        <input
          id="version-from"
          type="date"
          value={values.from}
          max={values.to || undefined}
          onChange={(e) => set('from', e.target.value)}
        />
      </div>
      <div className="field field--narrow">
        <label className="field__label" htmlFor="version-to">
          Created to
        </label>
        <input id="version-to" type="date" value={values.to} min={values.from || undefined} onChange={(e) => set('to', e.target.value)} />
      </div>
    </form>
  );
}
