// Checks of what a client sends about a version (metadata, description, tags, aliases, TTL, its
// collection's name), shared by the services that create and change versions.
import { userError } from '../../graphql/errors.js';
import { validateAliasUse, validateName, validateTag } from '../../graphql/names.js';

/** Metadata is stored as JSON and shown on every version page; larger documents belong in files. */
export const MAX_METADATA_BYTES = 256 * 1024;
const MAX_DESCRIPTION = 64 * 1024;

/** Metadata given as JSON text, re-serialized: `{}` when absent. */
export function parseMetadata(text: string | null | undefined): string {
  if (text == null || text === '') return '{}';
  if (Buffer.byteLength(text, 'utf8') > MAX_METADATA_BYTES) {
    throw userError(
      'BAD_USER_INPUT',
      `Metadata is larger than ${MAX_METADATA_BYTES / 1024} KiB of JSON: store large data in the artifact's files.`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw userError('BAD_USER_INPUT', 'Metadata must be a JSON object, given as a JSON string.');
  }
  if (value === null) return '{}';
  if (typeof value !== 'object' || Array.isArray(value))
    throw userError('BAD_USER_INPUT', 'Metadata must be a JSON object ({"key": value}).');
  // Postgres jsonb refuses \u0000 in strings; say so instead of failing in SQL.
  if (text.includes('\\u0000')) throw userError('BAD_USER_INPUT', 'Metadata may not contain the NUL character (\\u0000).');
  return JSON.stringify(value);
}

export function checkDescription(description: string | null | undefined): string | null {
  if (description == null) return null;
  if (description.length > MAX_DESCRIPTION)
    throw userError('BAD_USER_INPUT', `The description is longer than ${MAX_DESCRIPTION} characters.`);
  return description;
}

/** Validated, de-duplicated tag names. */
export function checkTags(tags: readonly { tagName: string }[] | null | undefined): string[] {
  const names = (tags ?? []).map((t) => t.tagName);
  for (const name of names) validateTag(name);
  return [...new Set(names)];
}

/** Validated, de-duplicated alias names; none may look like a version (vN). */
export function checkAliases(aliases: readonly { alias: string }[] | null | undefined): string[] {
  const names = (aliases ?? []).map((a) => validateAliasUse(a.alias, true));
  return [...new Set(names)];
}

/** A TTL in seconds; -1 keeps forever, null inherits. */
export function checkTtl(ttl: number | null | undefined): number | null {
  if (ttl == null) return null;
  if (!Number.isSafeInteger(ttl) || ttl < -1)
    throw userError('BAD_USER_INPUT', 'ttlDurationSeconds is a whole number of seconds, or -1 to keep forever.');
  return ttl;
}

/**
 * The collection a new version goes to: newer SDKs send `artifactCollectionName` (which wins), older
 * ones only `artifactCollectionNames`, which must then hold one name: a version lives in one sequence.
 */
export function collectionNameOf(input: {
  artifactCollectionName?: string | null;
  artifactCollectionNames?: readonly string[] | null;
}): string {
  if (input.artifactCollectionName != null) return validateName('Artifact', input.artifactCollectionName);
  const names = [...new Set(input.artifactCollectionNames ?? [])];
  if (names.length === 0)
    throw userError('BAD_USER_INPUT', 'Name the artifact: give artifactCollectionName (or artifactCollectionNames with one name).');
  if (names.length > 1) {
    const shown = names
      .slice(0, 5)
      .map((n) => `"${n.slice(0, 140)}"`)
      .join(', ');
    throw userError(
      'BAD_USER_INPUT',
      `A version goes to exactly one artifact, got ${names.length} names in artifactCollectionNames (${shown}): send one.`,
    );
  }
  return validateName('Artifact', names[0]!);
}
