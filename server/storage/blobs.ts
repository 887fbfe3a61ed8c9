import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { localParts, type LocalParts } from './parts.js';
import { writeBounded } from './streams.js';

/**
 * Content-addressed file storage, keyed by the hex SHA-256 the store computes itself while receiving
 * the bytes. The SDK's MD5 is only checked, never trusted as a name: two different contents can share
 * an MD5, never a SHA-256, so a stored blob cannot be replaced by other bytes.
 */
export interface BlobStore {
  /** A readable stream of the content under a key `put` or `direct.seal` gave, or null when it is not stored. */
  get(key: string): Promise<{ stream: Readable; size: number } | null>;
  /**
   * Streams `body` in; keeps it only when its MD5 equals `expectedMd5hex` and it is at most `maxBytes`,
   * under its SHA-256. Nothing is left behind on failure.
   */
  put(body: ReadableStream<Uint8Array>, expectedMd5hex: string, maxBytes: number): Promise<PutResult>;
  /** Resolves when the store can take and give files now; rejects with the reason otherwise (`/readyz`). */
  ready(): Promise<void>;
  /** Present when clients send and fetch bytes to and from the store itself, through presigned URLs (S3). */
  direct?: DirectTransfers;
  /** Present when multipart uploads come through the server and wait as part files (the local store). */
  parts?: LocalParts;
}

/** One part of a multipart upload as the SDK declares it: its number and the hex MD5 of its bytes. */
export interface UploadPart {
  partNumber: number;
  md5hex: string;
}

/**
 * Transfers that bypass the server. Uploads go to a key unique to one file of one pending version;
 * the store never trusts what is there until `inspect` says it has the declared size and MD5, and
 * `seal` then copies exactly those bytes to a key of its own choosing that no URL handed out can write.
 */
export interface DirectTransfers {
  /** The origin every URL below points to (the web app's pages must be allowed to connect to it). */
  origin: string;
  /** A URL to PUT a whole file to `key`, and the headers (`Name:value`) to send with it; the MD5 is signed in. */
  uploadUrl(key: string, md5base64: string): Promise<{ url: string; headers: string[] }>;
  /** Starts a multipart upload to `key`: its id and a URL per part. */
  startMultipart(
    key: string,
    parts: readonly UploadPart[],
  ): Promise<{ uploadId: string; urls: { partNumber: number; uploadUrl: string }[] }>;
  /** Joins the parts (each must have the MD5 declared for it) into the object at `key`. */
  completeMultipart(key: string, uploadId: string, parts: readonly UploadPart[]): Promise<void>;
  /** Size and ETag (without quotes) of what is at `key`; null when nothing is. */
  inspect(key: string): Promise<{ size: number; etag: string } | null>;
  /**
   * The hex MD5 of what is at `key` if its ETag is still `etag`, read through (a multipart object's
   * ETag is no MD5 of its bytes); null when it changed or is gone.
   */
  md5Of(key: string, etag: string): Promise<string | null>;
  /** Copies what is at `uploadKey`, only if its ETag is still `etag`, to a fresh key it returns; then deletes the upload. */
  seal(uploadKey: string, etag: string): Promise<string>;
  /** A short-lived URL that downloads the content under `key` as an attachment named `name`. */
  downloadUrl(key: string, file: { name: string; contentType: string }): Promise<string>;
}

export type PutResult =
  | { ok: true; size: number; sha256hex: string }
  | { ok: false; reason: 'md5_mismatch'; actualMd5hex: string }
  | { ok: false; reason: 'too_large' };

export const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** `<root>/<aa>/<sha256hex>`: the name is always our own hex digest, never a caller's path. */
export function blobPath(root: string, sha256hex: string): string {
  if (!HEX_SHA256.test(sha256hex)) throw new Error(`not a hex SHA-256: ${sha256hex}`);
  return path.join(root, sha256hex.slice(0, 2), sha256hex);
}

/** Blobs under `<dataDir>/blobs/<aa>/<sha256hex>`; uploads go to `<dataDir>/blobs/tmp` first, then are renamed. */
export function localBlobStore(dataDir: string): BlobStore {
  const root = path.join(dataDir, 'blobs');

  return {
    parts: localParts(dataDir),

    async ready() {
      await fs.mkdir(root, { recursive: true });
      await fs.access(root, fs.constants.R_OK | fs.constants.W_OK);
    },

    async get(sha256hex) {
      // Keys of another store (after a move from S3) are not here.
      if (!HEX_SHA256.test(sha256hex)) return null;
      const file = blobPath(root, sha256hex);
      try {
        const stat = await fs.stat(file);
        return { stream: createReadStream(file), size: stat.size };
      } catch {
        return null;
      }
    },

    async put(body, expectedMd5hex, maxBytes) {
      const tmpDir = path.join(root, 'tmp');
      await fs.mkdir(tmpDir, { recursive: true });
      const tmp = path.join(tmpDir, `${randomBytes(12).toString('hex')}.part`);
      const md5 = createHash('md5');
      const sha256 = createHash('sha256');
      const written = await writeBounded(body, tmp, maxBytes, [md5, sha256]);
      if (!written.ok) return written;
      const actual = md5.digest('hex');
      if (actual !== expectedMd5hex) {
        await fs.rm(tmp, { force: true });
        return { ok: false, reason: 'md5_mismatch', actualMd5hex: actual };
      }
      const sha256hex = sha256.digest('hex');
      const target = blobPath(root, sha256hex);
      await fs.mkdir(path.dirname(target), { recursive: true });
      // Same SHA-256, same bytes: a concurrent upload of the same content replaces it with itself.
      await fs.rename(tmp, target);
      return { ok: true, size: written.size, sha256hex };
    },
  };
}

/**
 * Content stored before SHA-256 keys, under `<dataDir>/blobs/<aa>/<md5hex>`, for the start-time
 * backfill. `adopt` hashes such a file and links it under its SHA-256 name, leaving the old name in
 * place until `drop`, so a crash at any step leaves something the next start can finish.
 */
export function legacyLocalBlobs(dataDir: string) {
  const root = path.join(dataDir, 'blobs');
  const legacyPath = (md5hex: string) => {
    if (!/^[0-9a-f]{32}$/.test(md5hex)) throw new Error(`not a hex MD5: ${md5hex}`);
    return path.join(root, md5hex.slice(0, 2), md5hex);
  };
  return {
    /** The content's SHA-256 and size, now also stored under that name; null when the file is missing or not that MD5. */
    async adopt(md5hex: string): Promise<{ sha256hex: string; size: number } | null> {
      const file = legacyPath(md5hex);
      const md5 = createHash('md5');
      const sha256 = createHash('sha256');
      let size = 0;
      try {
        for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
          md5.update(chunk);
          sha256.update(chunk);
          size += chunk.byteLength;
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
      if (md5.digest('hex') !== md5hex) return null;
      const sha256hex = sha256.digest('hex');
      const target = blobPath(root, sha256hex);
      await fs.mkdir(path.dirname(target), { recursive: true });
      try {
        await fs.link(file, target);
      } catch (error) {
        // Already there (an earlier, interrupted run or an upload): same SHA-256, same bytes.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      return { sha256hex, size };
    },
    async drop(md5hex: string): Promise<void> {
      await fs.rm(legacyPath(md5hex), { force: true });
    },
  };
}

/** The SDK sends base64 MD5s; blobs are named by hex. Null when the text is not a base64 MD5. */
export function base64Md5ToHex(md5: string): string | null {
  if (!/^[A-Za-z0-9+/]{22}==$/.test(md5)) return null;
  return Buffer.from(md5, 'base64').toString('hex');
}

/**
 * Deletes what uploads cut short left in `<dataDir>/blobs/tmp` (`*.part` last written before `before`)
 * and returns how many. Called at start, before serving: a part belongs to one request of one process,
 * no request outlives its process, and locally one process owns its DATA_DIR, so every part found then
 * is dead. Waiting for parts to age instead would keep a killed upload's bytes until some later restart.
 */
export async function removeStaleParts(dataDir: string, before: Date = new Date()): Promise<number> {
  const tmpDir = path.join(dataDir, 'blobs', 'tmp');
  let names: string[];
  try {
    names = await fs.readdir(tmpDir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names.filter((n) => n.endsWith('.part'))) {
    const file = path.join(tmpDir, name);
    const stat = await fs.stat(file).catch(() => null);
    if (!stat?.isFile() || stat.mtime >= before) continue;
    await fs.rm(file, { force: true });
    removed++;
  }
  return removed;
}
