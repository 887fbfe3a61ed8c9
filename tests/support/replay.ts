import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { TestApp } from './app.js';

/**
 * Replays the wandb SDK's recorded exchanges (tests/wandb-compat/recorded/) against a live in-process
 * server: each request as the SDK sent it, with the ids, tokens, cursors and URLs of earlier answers
 * put in place of the recorded ones, as the SDK itself takes them from the answers it got. Each answer
 * is compared with the recorded one (the proxy's `response` where it was patched): same fields and
 * values, except values that are the server's own (ids, cursors, URLs, times), which must be of the
 * same kind and are mapped for the requests that follow.
 */

/** A file's bytes as the recording keeps them: JSON files in full, others by size and MD5 only. */
export interface RecordedFile {
  size: number;
  md5: string;
  md5_b64: string;
  json?: unknown;
}

export interface Exchange {
  seq: number;
  flow: string;
  step: string;
  method: string;
  path: string;
  requestHeaders: Record<string, string>;
  operation?: string;
  graphql?: { query: string; variables?: Record<string, unknown> } & Record<string, unknown>;
  body?: unknown;
  status: number;
  response: unknown;
  patched?: boolean;
  patch?: { rule: string; kind: 'resent' | 'synthesized'; resent?: { query?: string; variables?: Record<string, unknown> } };
}

export function readRecording(file: string): Exchange[] {
  const text = fs.readFileSync(new URL(`../wandb-compat/recorded/${file}`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Exchange);
}

export const exchangeName = (x: Exchange) => `${x.flow} ${x.seq} ${x.operation ?? `${x.method} ${x.path.split('?')[0]}`}`;

const isRecordedFile = (body: unknown): body is RecordedFile =>
  typeof body === 'object' && body !== null && 'md5' in body && 'size' in body && 'md5_b64' in body;

const md5 = (bytes: Uint8Array | string) => createHash('md5').update(bytes);

type Kind = 'id' | 'cursor' | 'url' | 'time';

/** Values the server makes up itself, which differ from server to server but must keep their kind. */
function kindOf(value: string): Kind | undefined {
  if (/^https?:\/\//.test(value)) return 'url';
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(value)) return 'time';
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value) && value.length >= 8) {
    const decoded = Buffer.from(value, value.includes('-') || value.includes('_') ? 'base64url' : 'base64').toString('utf8');
    if (/^[A-Za-z]+:-?\d+$/.test(decoded)) return 'id';
    if (/^\{"v":.*"id":\d+\}$/.test(decoded)) return 'cursor';
  }
  return undefined;
}

const idType = (value: string) => Buffer.from(value, 'base64').toString('utf8').split(':')[0];
const urlShape = (value: string) => new URL(value).pathname.split('/').slice(0, 3).join('/');

export class Replay {
  /** Recorded value → live value: ids, cursors, URLs, tokens, and the digests of the bytes sent instead. */
  readonly values = new Map<string, string>();
  /** `<connection path> <recorded cursor>` → the live cursor (see compareCursor). */
  readonly cursors = new Map<string, string>();
  /** Recorded `path?query` of a URL an answer gave → the live one. */
  readonly paths = new Map<string, string>();
  /** Bytes sent for each recorded file (by its recorded MD5). */
  private readonly bytes = new Map<string, Uint8Array<ArrayBuffer>>();
  /** Headers an answer gave with an upload URL (`uploadHeaders`), by that URL: the SDK sends them with its PUT. */
  readonly uploadHeaders = new Map<string, string[]>();

  /**
   * `bucket`: the origin of the S3 service the server's store is in. Its presigned URLs then stand
   * where the recording has the server's own `/files/` URLs, and file transfers go there.
   */
  constructor(
    private readonly t: TestApp,
    private readonly key: string,
    private readonly exchanges: Exchange[],
    readonly bucket?: string,
  ) {
    // File bytes are recorded by size and MD5 only: any bytes of that size do, with their own digests
    // put in place of the recorded ones wherever a later request names them.
    for (const x of exchanges) {
      if (x.method === 'PUT' && isRecordedFile(x.body) && x.body.json === undefined && !this.bytes.has(x.body.md5)) {
        const bytes = new Uint8Array(randomBytes(x.body.size));
        this.bytes.set(x.body.md5, bytes);
        this.values.set(x.body.md5, md5(bytes).digest('hex'));
        this.values.set(x.body.md5_b64, md5(bytes).digest('base64'));
      }
    }
  }

  /** A request's values with every known recorded value replaced by the live one. */
  map<T>(value: T): T {
    if (typeof value === 'string') return (this.values.get(value) ?? value) as T;
    if (Array.isArray(value)) return value.map((v: unknown) => this.map(v)) as T;
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.map(v)])) as T;
    return value;
  }

  /**
   * The JSON files the SDK uploads (manifest, wandb-metadata.json), rebuilt with live ids and digests,
   * and the digests that follow from them: the file's MD5 and, for a manifest, the artifact digest
   * (logging-inputs.md) and its commit hash. Done again before each exchange: ids become known late.
   */
  private prepareJsonFiles(): void {
    for (const x of this.exchanges) {
      if (x.method !== 'PUT' || !isRecordedFile(x.body) || x.body.json === undefined) continue;
      const live = JSON.stringify(this.map(x.body.json));
      this.bytes.set(x.body.md5, new TextEncoder().encode(live));
      this.values.set(x.body.md5, md5(live).digest('hex'));
      this.values.set(x.body.md5_b64, md5(live).digest('base64'));
      const contents = (x.body.json as { contents?: Record<string, { digest: string }> }).contents;
      if (contents) {
        const digest = (entries: [string, string][]) => {
          const hash = createHash('md5').update('wandb-artifact-manifest-v1\n');
          for (const [path, d] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) hash.update(`${path}:${d}\n`);
          return hash.digest('hex');
        };
        const recorded = digest(Object.entries(contents).map(([path, e]) => [path, e.digest]));
        const liveDigest = digest(Object.entries(contents).map(([path, e]) => [path, this.map(e.digest)]));
        this.values.set(recorded, liveDigest);
        this.values.set(recorded.slice(0, 12), liveDigest.slice(0, 12));
      }
    }
  }

  /** The live path of a recorded request path (a whole URL when it is the bucket's): a URL an earlier answer gave, or the path itself. */
  livePath(path: string): string | undefined {
    if (path === '/graphql' || (path.startsWith('/files/') && path.endsWith('/file_stream'))) return path;
    return this.paths.get(path);
  }

  private headers(x: Exchange): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(x.requestHeaders)) {
      if (name === 'authorization') headers[name] = `Basic ${Buffer.from(`api:${this.key}`).toString('base64')}`;
      else if (name !== 'accept-encoding') headers[name] = value;
    }
    return headers;
  }

  /** Sends a GraphQL body (the recorded one, or the proxy's re-sent variant) with live values. */
  private async sendGraphql(x: Exchange, body: Record<string, unknown>): Promise<{ status: number; json: unknown }> {
    const response = await this.t.request('/graphql', { method: 'POST', headers: this.headers(x), body: JSON.stringify(this.map(body)) });
    return { status: response.status, json: await response.json() };
  }

  /**
   * Sends one exchange's request and returns the differences between the live answer and the
   * recorded one (empty: the SDK got what it needed).
   */
  async play(x: Exchange): Promise<{ problems: string[]; live: unknown }> {
    this.prepareJsonFiles();
    const problems: string[] = [];
    let live: unknown;
    if (x.graphql) {
      const answer = await this.sendGraphql(x, x.graphql);
      live = answer.json;
      if (answer.status !== x.status) problems.push(`status ${answer.status}, recorded ${x.status}`);
      compare(this, x.response, live, '', problems);
      return { problems, live };
    }
    const path = this.livePath(x.path);
    if (path === undefined) return { problems: [`no earlier answer gave a URL for ${x.path}`], live: undefined };
    let body: BodyInit | undefined;
    if (isRecordedFile(x.body)) {
      const bytes = this.bytes.get(x.body.md5);
      if (!bytes) throw new Error(`no bytes for ${x.path}`);
      body = bytes;
    } else if (x.body !== null && x.body !== undefined) {
      body = JSON.stringify(this.map(x.body));
    }
    const init = { method: x.method, headers: { ...this.headers(x), ...headerObject(this.uploadHeaders.get(path) ?? []) }, body };
    const response = path.startsWith('/') ? await this.t.request(path, init) : await fetch(path, init);
    if (response.status !== x.status)
      problems.push(`status ${response.status}, recorded ${x.status}: ${(await response.text()).slice(0, 300)}`);
    else if (isRecordedFile(x.response)) {
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (x.response.json !== undefined) {
        // JSON files are compared as JSON: the server writes the manifest in its own layout.
        live = JSON.parse(new TextDecoder().decode(bytes));
        compare(this, x.response.json, live, '', problems);
      } else {
        const expected = this.values.get(x.response.md5) ?? x.response.md5;
        const got = md5(bytes).digest('hex');
        if (bytes.byteLength !== x.response.size || got !== expected)
          problems.push(`file of ${bytes.byteLength} bytes, MD5 ${got}; expected ${x.response.size} bytes, MD5 ${expected}`);
      }
    } else if (x.response !== null) {
      live = await response.json();
      compare(this, x.response, live, '', problems);
    }
    return { problems, live };
  }
}

/** `Name:value` headers as an object. */
const headerObject = (headers: readonly string[]) =>
  Object.fromEntries(headers.map((h) => [h.slice(0, h.indexOf(':')), h.slice(h.indexOf(':') + 1)]));

/**
 * What a server with S3 answers where the recording (local store) has nothing: the signed Content-MD5
 * to send with a presigned PUT, and the upload's key as storagePath. The SDK takes both as they come.
 */
const S3_UPLOAD_HEADERS = /^Content-MD5:[A-Za-z0-9+/]{22}==$/;
const S3_UPLOAD_KEY = /^uploads\/\d+\/[A-Za-z0-9_-]+$/;

/** Lists of named things (introspection's fields, server features): the recorded ones must be there. */
const NAMED_LISTS = new Set(['fields', 'inputFields', 'args', 'features']);

/** Answers that hold what the client stored, as a JSON object in a string. */
const STORED_JSON = /(^|\.)upsertBucket\.bucket\.config$/;

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * A cursor names a row of one connection. Two connections' recorded cursors can be the same string (a
 * collection and a version with equal ids and times in the recording) while ours differ, so a cursor is
 * held to its recorded value per connection; a request sends back the latest one seen, as the SDK does.
 */
function compareCursor(replay: Replay, recorded: string, live: string, path: string, fail: (what: string) => void): void {
  if (kindOf(live) !== 'cursor') return void fail(`"${live.slice(0, 80)}" is no cursor like "${recorded.slice(0, 80)}"`);
  const connection = path.replace(/\.(pageInfo\.(endCursor|startCursor)|edges\.\d+\.cursor)$/, '');
  const key = `${connection} ${recorded}`;
  const known = replay.cursors.get(key);
  if (known !== undefined && live !== known) {
    return void fail(`"${live.slice(0, 80)}" instead of "${known.slice(0, 80)}" (recorded "${recorded.slice(0, 80)}")`);
  }
  replay.cursors.set(key, live);
  replay.values.set(recorded, live);
}

/**
 * Compares a recorded answer with the live one, learning the live values of the server's own
 * (ids, cursors, URLs), and collects each difference with its path.
 */
export function compare(replay: Replay, recorded: unknown, live: unknown, path: string, problems: string[]): void {
  const fail = (what: string) => problems.push(`${path || '(answer)'}: ${what}`);
  if (typeof recorded === 'string') {
    if (recorded === '<redacted>') return;
    if (STORED_JSON.test(path)) {
      // The recording's server kept no run config ("{}"); ours answers the config the SDK sent.
      if (typeof live !== 'string' || !isJsonObject(live)) fail(`${JSON.stringify(live)?.slice(0, 80)} is no JSON object`);
      return;
    }
    if (typeof live !== 'string')
      return void fail(`${JSON.stringify(live)?.slice(0, 80)} instead of ${JSON.stringify(recorded).slice(0, 80)}`);
    const kind = kindOf(recorded);
    if (kind === 'cursor') return compareCursor(replay, recorded, live, path, fail);
    const known = replay.values.get(recorded);
    // Signed URLs change with time: each answer's URL stands for itself.
    if (known !== undefined && kind !== 'url') {
      if (live !== known) fail(`"${live.slice(0, 80)}" instead of "${known.slice(0, 80)}" (recorded "${recorded.slice(0, 80)}")`);
      return;
    }
    if (live === recorded && kind !== 'url') {
      if (kind === 'id') replay.values.set(recorded, live);
      return;
    }
    if (kind === undefined) return void fail(`"${live.slice(0, 80)}" instead of "${recorded.slice(0, 80)}"`);
    if (kindOf(live) !== kind) return void fail(`"${live.slice(0, 80)}" is no ${kind} like "${recorded.slice(0, 80)}"`);
    if (kind === 'id' && idType(live) !== idType(recorded)) return void fail(`id of a ${idType(live)}, recorded a ${idType(recorded)}`);
    if (kind === 'url') {
      const rec = new URL(recorded);
      const got = new URL(live);
      // A file's bytes go to and come from the bucket, where the recording's server had `/files/` URLs.
      if (replay.bucket && got.origin === replay.bucket) {
        if (!rec.pathname.startsWith('/files/')) return void fail(`URL ${live} is the bucket's, where ${recorded} was no file's`);
        replay.paths.set(rec.pathname + rec.search, live);
        return;
      }
      // A URL the recording proxy invented (where the server had none) may be any URL of ours.
      const invented = rec.pathname.startsWith('/__patched__/');
      if (!invented && urlShape(live) !== urlShape(recorded)) return void fail(`URL ${live} does not lead where ${recorded} did`);
      replay.paths.set(rec.pathname + rec.search, got.pathname + got.search);
    }
    if (kind !== 'time') replay.values.set(recorded, live);
    return;
  }
  if (recorded === null && replay.bucket && path.endsWith('.storagePath') && typeof live === 'string' && S3_UPLOAD_KEY.test(live)) return;
  if (recorded === null || typeof recorded !== 'object') {
    if (live !== recorded) fail(`${JSON.stringify(live)?.slice(0, 80)} instead of ${JSON.stringify(recorded)}`);
    return;
  }
  if (Array.isArray(recorded)) {
    if (!Array.isArray(live)) return void fail(`${JSON.stringify(live)?.slice(0, 80)} instead of a list`);
    const key = path.split('.').at(-1) ?? '';
    if (key === 'uploadHeaders' && replay.bucket && recorded.length === 0 && live.every((h) => S3_UPLOAD_HEADERS.test(String(h)))) return;
    const named = NAMED_LISTS.has(key) && recorded.every((r) => r && typeof r === 'object' && 'name' in r);
    if (named) {
      for (const r of recorded as { name: string }[]) {
        const match = (live as { name?: string }[]).find((l) => l && l.name === r.name);
        if (!match) fail(`no "${r.name}"`);
        else compare(replay, r, match, `${path}[${r.name}]`, problems);
      }
      return;
    }
    // Artifact.aliases now carries each registry link's vN, as W&B answers (docs/wandb-compat.md).
    const items =
      key === 'aliases'
        ? live.filter((l: unknown) => !(l && typeof l === 'object' && /^v\d+$/.test(String((l as { alias?: unknown }).alias))))
        : live;
    if (items.length !== recorded.length) return void fail(`${items.length} items instead of ${recorded.length}`);
    recorded.forEach((r, i) => compare(replay, r, items[i], `${path}[${i}]`, problems));
    return;
  }
  if (live === null || typeof live !== 'object' || Array.isArray(live))
    return void fail(`${JSON.stringify(live)?.slice(0, 80)} instead of an object`);
  for (const [k, v] of Object.entries(recorded)) {
    if (!(k in live)) fail(`no "${k}"`);
    else compare(replay, v, (live as Record<string, unknown>)[k], path ? `${path}.${k}` : k, problems);
  }
  const { uploadUrl, uploadHeaders } = live as { uploadUrl?: unknown; uploadHeaders?: unknown };
  if (typeof uploadUrl === 'string' && Array.isArray(uploadHeaders) && uploadHeaders.length > 0) {
    replay.uploadHeaders.set(uploadUrl, uploadHeaders.map(String));
  }
}
