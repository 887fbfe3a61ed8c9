import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { UploadPart } from './blobs.js';
import { writeBounded } from './streams.js';

/**
 * Multipart uploads of the local store, as S3 does them: parts are received one by one (in any order,
 * again after a failure) and kept as files under `<dataDir>/blobs/multipart/<artifact>/<upload id>/`
 * until the upload is completed, when they are read back in order as one stream. Each upload records
 * which file (id and upload token) it belongs to and the MD5 declared for every part, so a part URL of
 * another file or version, or of a file declared again since, leads nowhere.
 */
export interface LocalParts {
  /** Starts an upload of the file; drops the file's earlier uploads (their URLs were replaced). */
  start(owner: PartsOwner, parts: readonly UploadPart[]): Promise<string>;
  /**
   * Stores one part after checking its MD5 against the declared one (and against `sentMd5hex`, the
   * request's Content-MD5, when given); a part sent again replaces the earlier copy.
   */
  put(
    owner: PartsOwner,
    uploadId: string,
    partNumber: number,
    body: ReadableStream<Uint8Array>,
    maxBytes: number,
    sentMd5hex?: string | null,
  ): Promise<PartResult>;
  /**
   * The upload's parts as one stream, in order, when every declared part is there and each matches
   * the MD5 the completion names; otherwise why not.
   */
  joined(owner: PartsOwner, uploadId: string, completed: readonly UploadPart[]): Promise<JoinResult>;
  /** Deletes the uploads of a version (committed, deleted) or of one upload. */
  drop(artifactId: number, uploadId?: string): Promise<void>;
}

export interface PartsOwner {
  artifactId: number;
  fileId: number;
  token: string;
}

export type PartResult =
  | { ok: true; md5hex: string }
  | { ok: false; reason: 'unknown_upload' }
  | { ok: false; reason: 'out_of_range' }
  | { ok: false; reason: 'too_large' }
  | { ok: false; reason: 'header_mismatch' }
  | { ok: false; reason: 'md5_mismatch'; actualMd5hex: string; declaredMd5hex: string };

export type JoinResult =
  | { ok: true; size: number; stream: () => ReadableStream<Uint8Array> }
  | { ok: false; reason: 'unknown_upload' }
  | { ok: false; reason: 'missing'; partNumbers: number[] }
  | { ok: false; reason: 'wrong_parts'; expected: number };

interface Meta {
  fileId: number;
  token: string;
  parts: UploadPart[];
}

const UPLOAD_ID = /^[0-9a-f]{32}$/;
const PART_FILE = /^(\d+)-([0-9a-f]{32})$/;

export function localParts(dataDir: string): LocalParts {
  const root = path.join(dataDir, 'blobs', 'multipart');
  const versionDir = (artifactId: number) => path.join(root, String(artifactId));
  const uploadDir = (artifactId: number, uploadId: string) => path.join(versionDir(artifactId), uploadId);

  async function metaOf(owner: PartsOwner, uploadId: string): Promise<Meta | null> {
    if (!UPLOAD_ID.test(uploadId) || !Number.isSafeInteger(owner.artifactId)) return null;
    try {
      const meta = JSON.parse(await fs.readFile(path.join(uploadDir(owner.artifactId, uploadId), 'meta.json'), 'utf8')) as Meta;
      return meta.fileId === owner.fileId && meta.token === owner.token ? meta : null;
    } catch {
      return null;
    }
  }

  /** Part number → its stored file and MD5 (the newest, if a part was sent twice). */
  async function received(dir: string): Promise<Map<number, { file: string; md5hex: string }>> {
    const found = new Map<number, { file: string; md5hex: string; mtime: number }>();
    for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
      const match = PART_FILE.exec(name);
      if (!match) continue;
      const file = path.join(dir, name);
      const stat = await fs.stat(file).catch(() => null);
      if (!stat) continue;
      const n = Number(match[1]);
      const before = found.get(n);
      if (!before || stat.mtimeMs >= before.mtime) found.set(n, { file, md5hex: match[2] ?? '', mtime: stat.mtimeMs });
    }
    return new Map([...found].map(([n, { file, md5hex }]) => [n, { file, md5hex }]));
  }

  return {
    async start(owner, parts) {
      const dir = versionDir(owner.artifactId);
      // An earlier upload of the same file is dead: its token was replaced by this declaration.
      for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
        const meta = await fs.readFile(path.join(dir, name, 'meta.json'), 'utf8').catch(() => null);
        if (meta && (JSON.parse(meta) as Meta).fileId === owner.fileId) await fs.rm(path.join(dir, name), { recursive: true, force: true });
      }
      const uploadId = randomBytes(16).toString('hex');
      await fs.mkdir(uploadDir(owner.artifactId, uploadId), { recursive: true });
      const meta: Meta = { fileId: owner.fileId, token: owner.token, parts: [...parts] };
      await fs.writeFile(path.join(uploadDir(owner.artifactId, uploadId), 'meta.json'), JSON.stringify(meta));
      return uploadId;
    },

    async put(owner, uploadId, partNumber, body, maxBytes, sentMd5hex) {
      const meta = await metaOf(owner, uploadId);
      if (!meta) return { ok: false, reason: 'unknown_upload' };
      const declared = meta.parts.find((p) => p.partNumber === partNumber);
      if (!declared) return { ok: false, reason: 'out_of_range' };
      if (sentMd5hex && sentMd5hex !== declared.md5hex) return { ok: false, reason: 'header_mismatch' };
      const dir = uploadDir(owner.artifactId, uploadId);
      // The parts together are one file: what the others hold already counts against its limit.
      let others = 0;
      for (const [n, { file }] of await received(dir)) if (n !== partNumber) others += (await fs.stat(file).catch(() => null))?.size ?? 0;
      const room = maxBytes - others;
      const tmp = path.join(dir, `${partNumber}.${randomBytes(8).toString('hex')}.tmp`);
      const md5 = createHash('md5');
      const written = await writeBounded(body, tmp, room, [md5]);
      if (!written.ok) return written;
      const actual = md5.digest('hex');
      if (actual !== declared.md5hex) {
        await fs.rm(tmp, { force: true });
        return { ok: false, reason: 'md5_mismatch', actualMd5hex: actual, declaredMd5hex: declared.md5hex };
      }
      await fs.rename(tmp, path.join(dir, `${partNumber}-${actual}`));
      return { ok: true, md5hex: actual };
    },

    async joined(owner, uploadId, completed) {
      const meta = await metaOf(owner, uploadId);
      if (!meta) return { ok: false, reason: 'unknown_upload' };
      if (completed.length !== meta.parts.length) return { ok: false, reason: 'wrong_parts', expected: meta.parts.length };
      const have = await received(uploadDir(owner.artifactId, uploadId));
      const missing = completed.filter((p) => have.get(p.partNumber)?.md5hex !== p.md5hex).map((p) => p.partNumber);
      if (missing.length > 0) return { ok: false, reason: 'missing', partNumbers: missing };
      const files = completed.map((p) => have.get(p.partNumber)?.file ?? '');
      let size = 0;
      for (const file of files) size += (await fs.stat(file)).size;
      async function* chunks(): AsyncGenerator<Uint8Array> {
        // One part open at a time, read in the stream's own chunks: never the whole file in memory.
        for (const file of files) for await (const chunk of createReadStream(file)) yield chunk as Buffer;
      }
      return { ok: true, size, stream: () => Readable.toWeb(Readable.from(chunks())) as ReadableStream<Uint8Array> };
    },

    async drop(artifactId, uploadId) {
      if (!Number.isSafeInteger(artifactId)) return;
      if (uploadId !== undefined && !UPLOAD_ID.test(uploadId)) return;
      await fs.rm(uploadId ? uploadDir(artifactId, uploadId) : versionDir(artifactId), { recursive: true, force: true });
    },
  };
}

/**
 * Deletes multipart uploads not written to since `before` (default: 7 days ago) and returns how many.
 * A version that is committed or deleted drops its uploads then; this catches versions left pending,
 * as a lifecycle rule on `uploads/` does in a bucket. An upload resumed within the week is kept.
 */
export async function removeAbandonedUploads(dataDir: string, before = new Date(Date.now() - 7 * 24 * 3600 * 1000)): Promise<number> {
  const root = path.join(dataDir, 'blobs', 'multipart');
  let removed = 0;
  for (const version of await fs.readdir(root).catch(() => [] as string[])) {
    const uploads = await fs.readdir(path.join(root, version)).catch(() => [] as string[]);
    for (const upload of uploads) {
      const dir = path.join(root, version, upload);
      const names = await fs.readdir(dir).catch(() => [] as string[]);
      const times = await Promise.all(names.map(async (n) => (await fs.stat(path.join(dir, n)).catch(() => null))?.mtimeMs ?? 0));
      if (Math.max(0, ...times) >= before.getTime()) continue;
      await fs.rm(dir, { recursive: true, force: true });
      removed++;
    }
    if ((await fs.readdir(path.join(root, version)).catch(() => [])).length === 0)
      await fs.rmdir(path.join(root, version)).catch(() => undefined);
  }
  return removed;
}
