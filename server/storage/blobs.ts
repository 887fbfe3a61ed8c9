import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Content-addressed file storage, keyed by the hex MD5 of the content (the SDK's own file digest). */
export interface BlobStore {
  has(md5hex: string): Promise<boolean>;
  /** A readable stream of the content, or null when it is not stored. */
  get(md5hex: string): Promise<{ stream: ReadStream; size: number } | null>;
  /**
   * Streams `body` in; keeps it only when its MD5 equals `expectedMd5hex` and it is at most `maxBytes`.
   * Nothing is left behind on failure.
   */
  put(body: ReadableStream<Uint8Array>, expectedMd5hex: string, maxBytes: number): Promise<PutResult>;
}

export type PutResult =
  | { ok: true; size: number }
  | { ok: false; reason: 'md5_mismatch'; actualMd5hex: string }
  | { ok: false; reason: 'too_large' };

const HEX_MD5 = /^[0-9a-f]{32}$/;

class TooLarge extends Error {}

async function* chunksOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Blobs under `<dataDir>/blobs/<aa>/<md5hex>`; uploads go to `<dataDir>/blobs/tmp` first, then are renamed. */
export function localBlobStore(dataDir: string): BlobStore {
  const root = path.join(dataDir, 'blobs');
  const blobPath = (md5hex: string) => {
    // The name is always our own hex digest, never a caller's path.
    if (!HEX_MD5.test(md5hex)) throw new Error(`not a hex MD5: ${md5hex}`);
    return path.join(root, md5hex.slice(0, 2), md5hex);
  };

  return {
    async has(md5hex) {
      try {
        await fs.access(blobPath(md5hex));
        return true;
      } catch {
        return false;
      }
    },

    async get(md5hex) {
      const file = blobPath(md5hex);
      try {
        const stat = await fs.stat(file);
        return { stream: createReadStream(file), size: stat.size };
      } catch {
        return null;
      }
    },

    async put(body, expectedMd5hex, maxBytes) {
      const target = blobPath(expectedMd5hex);
      const tmpDir = path.join(root, 'tmp');
      await fs.mkdir(tmpDir, { recursive: true });
      const tmp = path.join(tmpDir, `${randomBytes(12).toString('hex')}.part`);
      const hash = createHash('md5');
      let size = 0;
      try {
        await pipeline(
          // Read through getReader(): node:http adapters hand over web streams that are not Node's own.
          Readable.from(chunksOf(body)),
          async function* (source: AsyncIterable<Uint8Array>) {
            for await (const chunk of source) {
              size += chunk.byteLength;
              if (size > maxBytes) throw new TooLarge();
              hash.update(chunk);
              yield chunk;
            }
          },
          createWriteStream(tmp),
        );
      } catch (error) {
        await fs.rm(tmp, { force: true });
        if (error instanceof TooLarge) return { ok: false, reason: 'too_large' };
        throw error;
      }
      const actual = hash.digest('hex');
      if (actual !== expectedMd5hex) {
        await fs.rm(tmp, { force: true });
        return { ok: false, reason: 'md5_mismatch', actualMd5hex: actual };
      }
      await fs.mkdir(path.dirname(target), { recursive: true });
      // Same content, same name: a concurrent upload of it simply replaces it atomically.
      await fs.rename(tmp, target);
      return { ok: true, size };
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
