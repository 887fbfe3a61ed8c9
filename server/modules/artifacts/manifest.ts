import { createHash } from 'node:crypto';
import { userError } from '../../graphql/errors.js';
import { base64Md5ToHex } from '../../storage/blobs.js';

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
  const bad = (why: string) => userError('BAD_USER_INPUT', `File name "${name.slice(0, 200)}" is not valid: ${why}.`);
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
export async function artifactDigest(entries: readonly { path: string; digest: string }[]): Promise<string> {
  const hash = createHash('md5');
  hash.update('wandb-artifact-manifest-v1\n');
  // The default sort compares UTF-16 code units, as `<` does; without a comparator it is several times faster.
  const digests = new Map(entries.map((e) => [e.path, e.digest]));
  const paths = [...digests.keys()].sort();
  for (const [i, path] of paths.entries()) {
    hash.update(`${path}:${digests.get(path) ?? ''}\n`);
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await nextTurn();
  }
  return hash.digest('hex');
}

/**
 * The largest manifest accepted. A 100 000-file dataset's manifest is 10-23 MB (45-character paths,
 * compact to indented with birthArtifactID), so 64 MiB leaves room for long paths.
 */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
/** Every entry becomes a file row and is held in memory while the upload is checked. */
export const MAX_MANIFEST_ENTRIES = 1_000_000;
/** Entries handled between turns of the event loop, so other requests keep being answered. */
const YIELD_EVERY = 1_000;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class InvalidJson extends Error {
  constructor(at: number) {
    super(`The manifest is not valid JSON (near character ${at}).`);
  }
}

const QUOTE = 34;
const BACKSLASH = 92;
const SPACE = new Set([32, 9, 10, 13]);
const OPENERS = new Set([123, 91]);
const CLOSERS = new Set([125, 93]);
/** Characters that end a number or a literal (true, false, null). */
const SCALAR_END = new Set([44, 125, 93, 32, 9, 10, 13]);

function skipSpace(text: string, at: number): number {
  while (at < text.length && SPACE.has(text.charCodeAt(at))) at++;
  return at;
}

/** The index after the string starting (with its quote) at `at`. */
function stringEnd(text: string, at: number): number {
  let from = at + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) throw new InvalidJson(at);
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** The index after the JSON value starting at `at`; only its extent: JSON.parse of the slice checks it. */
function valueEnd(text: string, at: number): number {
  const first = text.charCodeAt(at);
  if (first === QUOTE) return stringEnd(text, at);
  if (OPENERS.has(first)) {
    let depth = 0;
    for (let i = at; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) i = stringEnd(text, i) - 1;
      else if (OPENERS.has(c)) depth++;
      else if (CLOSERS.has(c) && --depth === 0) return i + 1;
    }
    throw new InvalidJson(at);
  }
  let end = at;
  while (end < text.length && !SCALAR_END.has(text.charCodeAt(end))) end++;
  if (end === at) throw new InvalidJson(at);
  return end;
}

function parseSlice(text: string, start: number, end: number): unknown {
  try {
    return JSON.parse(text.slice(start, end));
  } catch {
    throw new InvalidJson(start);
  }
}

/** Reads the members of the JSON object whose `{` is at `at`, one at a time, without parsing their values. */
class MemberReader {
  at: number;
  private first = true;

  constructor(
    private readonly text: string,
    open: number,
  ) {
    this.at = open + 1;
  }

  /** The next member's key and the extent of its value; null after the closing brace (`at` is then past it). */
  next(): { key: string; start: number; end: number } | null {
    const text = this.text;
    let at = skipSpace(text, this.at);
    if (text[at] === '}') {
      this.at = at + 1;
      return null;
    }
    if (!this.first) {
      if (text[at] !== ',') throw new InvalidJson(at);
      at = skipSpace(text, at + 1);
    }
    this.first = false;
    if (text[at] !== '"') throw new InvalidJson(at);
    const keyEnd = stringEnd(text, at);
    const key = parseSlice(text, at, keyEnd) as string;
    at = skipSpace(text, keyEnd);
    if (text[at] !== ':') throw new InvalidJson(at);
    const start = skipSpace(text, at + 1);
    const end = valueEnd(text, start);
    this.at = end;
    return { key, start, end };
  }
}

function manifestEntry(path: string, entry: unknown): ManifestEntry {
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
  if (ref === null && !base64Md5ToHex(entry.digest)) {
    throw new Error(`Manifest entry "${path.slice(0, 200)}" needs a base64 MD5 "digest" (or a "ref").`);
  }
  return { path, digest: entry.digest, size, ref };
}

/**
 * Parses and checks an uploaded manifest; the error says what is wrong (sent back with HTTP 400).
 * Entries are read one by one, yielding to the event loop every few thousand: JSON.parse of a whole
 * 50 000-entry manifest held every other request for its duration. `header` is the manifest without
 * its contents.
 */
export async function parseManifest(text: string): Promise<{ entries: ManifestEntry[]; header: Record<string, unknown> }> {
  // PostgreSQL's jsonb refuses \u0000 in strings; say so instead of failing in SQL.
  if (text.includes('\\u0000')) throw new Error('The manifest may not contain the NUL character (\\u0000).');
  const open = skipSpace(text, 0);
  if (text[open] !== '{') throw new Error('The manifest must be a JSON object: {"version": 1, "contents": {path: entry, …}}.');
  const header: Record<string, unknown> = {};
  let entries: ManifestEntry[] | null = null;
  const top = new MemberReader(text, open);
  for (let member = top.next(); member; member = top.next()) {
    if (member.key !== 'contents') {
      header[member.key] = parseSlice(text, member.start, member.end);
      continue;
    }
    if (entries) throw new Error('The manifest has two "contents" objects.');
    if (text[member.start] !== '{') throw new Error('The manifest needs a "contents" object of path → entry.');
    entries = [];
    const seen = new Set<string>();
    const contents = new MemberReader(text, member.start);
    for (let item = contents.next(); item; item = contents.next()) {
      if (seen.has(item.key)) throw new Error(`The manifest lists "${item.key.slice(0, 200)}" twice.`);
      if (entries.length === MAX_MANIFEST_ENTRIES) throw new Error(`A manifest may list at most ${MAX_MANIFEST_ENTRIES} files.`);
      seen.add(item.key);
      entries.push(manifestEntry(item.key, parseSlice(text, item.start, item.end)));
      if (entries.length % YIELD_EVERY === 0) await nextTurn();
    }
  }
  if (skipSpace(text, top.at) !== text.length) throw new InvalidJson(top.at);
  if (header.version !== 1) throw new Error('Only manifest "version": 1 is supported.');
  if (!entries) throw new Error('The manifest needs a "contents" object of path → entry.');
  return { entries, header };
}
