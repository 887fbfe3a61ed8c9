// Naming rules of registries, collections, versions, aliases, tags and runs: pure functions with no
// Node or server imports, so the server and the browser check names the same way. Each `*Problem`
// returns what is wrong with a name (a sentence for the person who typed it), or undefined when it is fine.

/** Registries are projects named `wandb-registry-<name>` in the organization entity. */
export const REGISTRY_PREFIX = 'wandb-registry-';

/** Collection, artifact and type names: W&B's rule (letters, digits, "-", "_", "." and inner spaces). */
const NAME = /^[-\w]+([ ]*[-.\w]+)*$/;

/** Tag names: W&B's rule (letters, digits, "-", "_" and inner spaces), 1-128 characters. */
export const TAG_NAME = /^[-\w]+([ ]+[-\w]+)*$/;

export function nameProblem(kind: string, name: string): string | undefined {
  if (name.length >= 1 && name.length <= 128 && NAME.test(name)) return undefined;
  return `${kind} name "${name.slice(0, 140)}" is not valid: use 1-128 letters, digits, "-", "_", "." or inner spaces (no "/" or ":").`;
}

/** Names a registry's own pages take in its address (`/registry/<name>/settings`): no new collection may take them. */
export const RESERVED_COLLECTION_NAMES: readonly string[] = ['settings', 'history'];

/** What is wrong with the name of a new registry collection. */
export function newCollectionNameProblem(name: string): string | undefined {
  if (RESERVED_COLLECTION_NAMES.includes(name)) {
    return `"${name}" is the address of a page of every registry; choose another collection name.`;
  }
  return nameProblem('Collection', name);
}

/** Aliases: 1-128 characters, no "/" or ":". */
export function aliasProblem(alias: string): string | undefined {
  if (alias.length >= 1 && alias.length <= 128 && !/[/:]/.test(alias) && alias.trim() === alias) return undefined;
  return `Alias "${alias.slice(0, 140)}" is not valid: use 1-128 characters without "/" or ":" and no leading or trailing spaces.`;
}

/** `latest` always marks a collection's newest version: a link sets it, and nobody adds or removes it by hand. */
export const LATEST = 'latest';

/**
 * What is wrong with an alias someone asks to put on a version: its shape, a version's name (`v3`), or
 * `latest` itself (`linking` is true when the version is being linked, which sets `latest` anyway).
 */
export function aliasUseProblem(alias: string, linking: boolean): string | undefined {
  if (alias === LATEST) return linking ? undefined : '"latest" always marks the newest version; it cannot be added or removed by hand.';
  if (isVersionName(alias)) return `Alias "${alias.slice(0, 140)}" looks like a version number (vN); choose another name.`;
  return aliasProblem(alias);
}

export function tagProblem(tag: string): string | undefined {
  if (tag.length >= 1 && tag.length <= 128 && TAG_NAME.test(tag)) return undefined;
  return `Tag "${tag.slice(0, 140)}" is not valid: use 1-128 letters, digits, "-", "_" or inner spaces.`;
}

export function runNameProblem(name: string): string | undefined {
  if (name.length >= 1 && name.length <= 128 && /^[-\w.]+$/.test(name)) return undefined;
  return `Run name "${name.slice(0, 140)}" is not valid: use 1-128 letters, digits, "-", "_" or ".".`;
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

export function isRegistryProjectName(name: string): boolean {
  return name.startsWith(REGISTRY_PREFIX);
}

/** A registry's own name from its project's (`wandb-registry-model` → `model`). */
export function registryName(projectName: string): string {
  return isRegistryProjectName(projectName) ? projectName.slice(REGISTRY_PREFIX.length) : projectName;
}
