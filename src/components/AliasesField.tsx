import { useId } from 'react';
import { useQuery } from 'urql';
import { aliasUseProblem, LATEST } from '@shared/names';
import { startsWithPattern } from '@/lib/filters';
import { graphql } from '@/lib/graphql';
import { useSettled } from '@/lib/useSettled';
import { Combobox, type ComboboxOption } from './Combobox';

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

// The target collection's versions holding the typed aliases (to warn before one moves), and those
// holding aliases that start as the last one typed (to offer them).
const AliasLookupQuery = graphql(`
  query AliasesField_Lookup($collection: ID!, $holders: JSONString, $withHolders: Boolean!, $matching: JSONString) {
    artifactCollection(id: $collection) {
      id
      holders: artifactMemberships(first: 50, filters: $holders) @include(if: $withHolders) {
        edges {
          node {
            id
            version
            aliases {
              id
              alias
            }
          }
        }
      }
      matching: artifactMemberships(first: 20, filters: $matching) {
        edges {
          node {
            id
            version
            aliases {
              id
              alias
            }
          }
        }
      }
    }
  }
`);

/** The alias being typed: the text after the last separator. */
const lastToken = (text: string) => /[^\s,]*$/.exec(text)?.[0] ?? '';

/**
 * Asks the server, for a target collection (none: a new one), which of its versions hold the typed
 * aliases and which aliases start as the one being typed.
 */
export function useAliasLookup(collectionId: string | null, text: string) {
  const settled = useSettled(text);
  const typed = splitAliases(settled);
  const token = lastToken(settled);
  const [{ data }] = useQuery({
    query: AliasLookupQuery,
    variables: {
      collection: collectionId ?? '',
      holders: JSON.stringify({ alias: { $in: typed } }),
      withHolders: typed.length > 0,
      matching: JSON.stringify({ alias: { $regex: token ? startsWithPattern(token) : '.' } }),
    },
    pause: !collectionId,
  });
  const holders = new Map<string, string>();
  for (const { node } of data?.artifactCollection?.holders?.edges ?? []) for (const a of node.aliases) holders.set(a.alias, node.version);
  const taken = new Set(typed);
  const suggestions: ComboboxOption[] = [];
  for (const { node } of data?.artifactCollection?.matching?.edges ?? [])
    for (const { alias } of node.aliases)
      if (alias !== LATEST && !taken.has(alias) && alias.toLowerCase().startsWith(token.toLowerCase()))
        suggestions.push({ value: alias, label: alias, detail: `on ${node.version}` });
  return { holders, suggestions: suggestions.slice(0, 20) };
}

interface Props {
  value: string;
  onChange: (text: string) => void;
  check: AliasCheck;
  label?: string;
  /** The target collection's aliases to offer (useAliasLookup): the field becomes a combobox. */
  suggestions?: readonly ComboboxOption[];
}

/**
 * The optional aliases of a link: typed as text, with the checks above shown under the field; with
 * suggestions, a combobox whose list puts an existing alias in place of the one being typed.
 */
export function AliasesField({ value, onChange, check, label = 'Aliases (optional)', suggestions }: Props) {
  const id = useId();
  const describedBy = `${id}-help ${id}-checks`;
  const invalid = check.errors.length > 0;
  const help = (
    <>
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
    </>
  );
  if (suggestions) {
    return (
      <Combobox
        label={label}
        inputValue={value}
        onInputChange={onChange}
        options={suggestions}
        onSelect={(option) => onChange(`${value.slice(0, value.length - lastToken(value).length)}${option.value}, `)}
        placeholder="e.g. production, candidate"
        completions
        describedBy={describedBy}
        invalid={invalid}
      >
        {help}
      </Combobox>
    );
  }
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
        aria-describedby={describedBy}
        aria-invalid={invalid}
        autoComplete="off"
      />
      {help}
    </div>
  );
}
