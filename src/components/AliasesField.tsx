import { useId } from 'react';
import { aliasUseProblem, LATEST } from '@shared/names';

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
 * Checks aliases with the rules the server applies (shared/names.ts): their shape, no `vN`, `latest`
 * only as part of a link (which sets it anyway); a protected alias needs a registry admin; an alias
 * another version holds moves. `linking` is false when aliases are added to a linked version.
 */
export function checkAliases(
  aliases: string[],
  context: {
    holders: ReadonlyMap<string, string>;
    protectedAliases: readonly string[];
    mayUseProtected: boolean;
    self?: string;
    linking?: boolean;
  },
): AliasCheck {
  const errors: string[] = [];
  const warnings: string[] = [];
  const linking = context.linking ?? true;
  for (const alias of aliases) {
    const problem = aliasUseProblem(alias, linking);
    if (problem) errors.push(problem);
    else if (alias === LATEST) continue;
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
