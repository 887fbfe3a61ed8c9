import { createHash } from 'node:crypto';
import { userError } from '../../graphql/errors.js';

/** One file of a manifest, as the SDK writes it (artifact_manifest_v1.py). */
export interface ManifestEntry {
  path: string;
  /** Base64 MD5 for stored files; for references, whatever the reference's digest is (an ETag, …). */
  digest: string;
  size: number;
  ref: string | null;
}

const MAX_PATH = 1024;

/**
 * A file path inside an artifact: relative, "/"-separated, no "." or ".." segments, no control
 * characters. Paths end up in download URLs and on users' disks, so anything else is refused.
 */
export function validateFilePath(name: string): string {
  const bad = (why: string) =>
    userError('BAD_USER_INPUT', `File name "${name.slice(0, 200)}" is not valid: ${why}.`);
  if (name.length === 0 || name.length > MAX_PATH) throw bad(`use 1-${MAX_PATH} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(name)) throw bad('no control characters or backslashes');
  if (name.startsWith('/')) throw bad('use a relative path, not one starting with "/"');
  for (const segment of name.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') throw bad('no empty, "." or ".." path segments');
  }
  return name;
}

/** The artifact digest (logging-inputs.md): hex MD5 of the header and each `path:digest` line, paths sorted. */
export function artifactDigest(entries: readonly { path: string; digest: string }[]): string {
  const hash = createHash('md5');
  hash.update('wandb-artifact-manifest-v1\n');
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const entry of sorted) hash.update(`${entry.path}:${entry.digest}\n`);
  return hash.digest('hex');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses and checks an uploaded manifest; the error says what is wrong (sent back with HTTP 400). */
export function parseManifest(text: string): { entries: ManifestEntry[]; json: Record<string, unknown> } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('The manifest is not valid JSON.');
  }
  if (!isRecord(json)) throw new Error('The manifest must be a JSON object.');
  if (json.version !== 1) throw new Error('Only manifest "version": 1 is supported.');
  if (!isRecord(json.contents)) throw new Error('The manifest needs a "contents" object of path → entry.');
  const entries: ManifestEntry[] = [];
  for (const [path, entry] of Object.entries(json.contents)) {
    try {
      validateFilePath(path);
    } catch (error) {
      throw new Error(error instanceof Error ? error.message : String(error));
    }
    if (!isRecord(entry) || typeof entry.digest !== 'string' || entry.digest === '') {
      throw new Error(`Manifest entry "${path.slice(0, 200)}" needs a "digest" string.`);
    }
    const size = entry.size ?? 0;
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
      throw new Error(`Manifest entry "${path.slice(0, 200)}" has an invalid "size".`);
    }
    const ref = typeof entry.ref === 'string' ? entry.ref : null;
    entries.push({ path, digest: entry.digest, size, ref });
  }
  return { entries, json };
}
