import { useId } from 'react';

/** Splits "a, b c" into distinct aliases, in order. */
export function splitAliases(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}

export interface AliasCheck {
  /** Reasons the aliases cannot be used as typed (the link must wait until they are fixed). */
  errors: string[];
  /** What will happen that the person may not expect (an alias moving from another version). */
  warnings: string[];
}

/**
 * Checks aliases before a link, with the rules the server applies: 1–128 characters without `/` or
 * `:`; a protected alias needs a registry admin; an alias another version holds moves.
 */
export function checkAliases(
  aliases: string[],
  context: { holders: ReadonlyMap<string, string>; protectedAliases: readonly string[]; mayUseProtected: boolean; self?: string },
): AliasCheck {
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const alias of aliases) {
    if (alias.length > 128) errors.push(`"${alias.slice(0, 20)}…" is longer than 128 characters.`);
    else if (/[/:]/.test(alias)) errors.push(`"${alias}" contains "/" or ":", which aliases cannot hold.`);
    else if (context.protectedAliases.includes(alias) && !context.mayUseProtected) {
      errors.push(`"${alias}" is a protected alias: only registry admins may add it.`);
    } else {
      const holder = context.holders.get(alias);
      if (holder && holder !== context.self) warnings.push(`"${alias}" will move from ${holder} to this version.`);
      if (context.protectedAliases.includes(alias)) warnings.push(`"${alias}" is a protected alias.`);
    }
  }
  return { errors, warnings };
}

interface Props {
  value: string;
  onChange: (text: string) => void;
  check: AliasCheck;
  label?: string;
}

/** The optional aliases of a link: typed as text, with the checks above shown under the field. */
export function AliasesField({ value, onChange, check, label = 'Aliases (optional)' }: Props) {
  const id = useId();
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder="e.g. production, candidate"
        aria-describedby={`${id}-help ${id}-checks`}
        aria-invalid={check.errors.length > 0}
        autoComplete="off"
      />
      <p id={`${id}-help`} className="field__help">
        Separate aliases with commas or spaces. <code>latest</code> is set for you.
      </p>
      <div id={`${id}-checks`} aria-live="polite">
        {check.errors.map((message) => (
          <p key={message} className="form-error">
            {message}
          </p>
        ))}
        {check.warnings.map((message) => (
          <p key={message} className="field__warning" role="note">
            {message}
          </p>
        ))}
      </div>
    </div>
  );
}
