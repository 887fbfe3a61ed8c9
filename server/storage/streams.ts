import type { Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** The chunks of a web stream, read through its reader: node:http adapters hand over web streams that are not Node's own. */
export async function* chunksOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
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

class TooLarge extends Error {}

/**
 * Writes a request body to `file`, feeding each chunk to `hashes` on the way, and stops (removing
 * what was written) once it passes `maxBytes`: a body is never held whole, nor kept past its limit.
 */
export async function writeBounded(
  body: ReadableStream<Uint8Array>,
  file: string,
  maxBytes: number,
  hashes: readonly Hash[],
): Promise<{ ok: true; size: number } | { ok: false; reason: 'too_large' }> {
  let size = 0;
  try {
    await pipeline(
      Readable.from(chunksOf(body)),
      async function* (source: AsyncIterable<Uint8Array>) {
        for await (const chunk of source) {
          size += chunk.byteLength;
          if (size > maxBytes) throw new TooLarge();
          for (const hash of hashes) hash.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(file),
    );
  } catch (error) {
    await fs.rm(file, { force: true });
    if (error instanceof TooLarge) return { ok: false, reason: 'too_large' };
    throw error;
  }
  return { ok: true, size };
}
