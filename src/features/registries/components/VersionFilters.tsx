import { useState } from 'react';
import { versionNameOf, type useVersionFilters } from '../versionFilters';

type Filters = ReturnType<typeof useVersionFilters>;

/**
 * A text filter that applies when the viewer leaves the box or presses Enter, so typing is no request
 * per key. With `check`, what is typed is applied as `check` names it, or not at all: `invalid` says why.
 */
function TextFilter({
  id,
  label,
  value,
  placeholder,
  onApply,
  check,
  invalid,
}: {
  id: string;
  label: string;
  value: string;
  placeholder: string;
  onApply: (value: string) => void;
  check?: (typed: string) => string | null;
  invalid?: string;
}) {
  const [problem, setProblem] = useState(false);
  const apply = (input: HTMLInputElement) => {
    const typed = input.value.trim();
    const checked = typed && check ? check(typed) : typed;
    setProblem(checked === null);
    if (checked === null) return;
    input.value = checked;
    onApply(checked);
  };
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
        aria-invalid={problem || undefined}
        aria-describedby={invalid ? `${id}-problem` : undefined}
        onBlur={(e) => apply(e.target)}
        onKeyDown={(e) => e.key === 'Enter' && apply(e.currentTarget)}
      />
      {invalid && (
        <p id={`${id}-problem`} className="field__error" aria-live="polite">
          {problem ? invalid : null}
        </p>
      )}
    </div>
  );
}

/** The versions list's sort, version, alias, tag and created-date filters; their state lives in the URL. */
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
      <TextFilter
        id="version-name"
        label="Version"
        value={values.version}
        placeholder="Any version"
        onApply={(v) => set('version', v)}
        check={versionNameOf}
        invalid="A version is v and its number, such as v7."
      />
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
