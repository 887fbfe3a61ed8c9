import { userError } from '../../graphql/errors.js';

/** Collection, artifact and type names: W&B's rule (letters, digits, "-", "_", "." and inner spaces). */
const NAME = /^[-\w]+([ ]*[-.\w]+)*$/;

export function validateName(kind: string, name: string): string {
  if (name.length < 1 || name.length > 128 || !NAME.test(name)) {
    throw userError(
      'BAD_USER_INPUT',
      `${kind} name "${name.slice(0, 140)}" is not valid: use 1-128 letters, digits, "-", "_", "." or inner spaces (no "/" or ":").`,
    );
  }
  return name;
}

/** Aliases: 1-128 characters, no "/" or ":". */
export function validateAlias(alias: string): string {
  if (alias.length < 1 || alias.length > 128 || /[/:]/.test(alias) || alias.trim() !== alias) {
    throw userError(
      'BAD_USER_INPUT',
      `Alias "${alias.slice(0, 140)}" is not valid: use 1-128 characters without "/" or ":" and no leading or trailing spaces.`,
    );
  }
  return alias;
}

/** The N of a version addressed as `vN` (up to 9 digits), or undefined when it is an alias. */
export function versionIndexOf(version: string): number | undefined {
  const match = /^v(\d{1,9})$/.exec(version);
  return match ? Number(match[1]) : undefined;
}

/** Versions are named `v<N>`; an alias may not look like one. */
export function isVersionName(alias: string): boolean {
  return /^v\d+$/.test(alias);
}
