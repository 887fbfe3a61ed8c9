import { Readable } from 'node:stream';
import type { DB } from '../db/database.js';
import { verifySignedPath } from '../modules/artifacts/signing.js';
import { errorResponse } from './responses.js';

/** The 403 of a download URL whose signature is wrong or expired; null when it is good. */
export async function unsignedRefusal(db: DB, request: Request): Promise<Response | null> {
  const verdict = await verifySignedPath(db, new URL(request.url));
  if (verdict === 'ok') return null;
  return errorResponse(
    403,
    'FORBIDDEN',
    verdict === 'expired' ? 'This download URL has expired: ask for the file again.' : 'This download URL is not valid.',
  );
}

/** A stored file as a download: always an attachment, named by the last part of its path. */
export function blobDownload(
  request: Request,
  blob: { stream: Readable; size: number },
  file: { name: string; contentType: string },
): Response {
  const headers = {
    'content-type': file.contentType,
    'content-length': String(blob.size),
    'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name.split('/').at(-1) ?? 'file')}`,
    'cache-control': 'private, max-age=3600',
  };
  if (request.method === 'HEAD') {
    blob.stream.destroy();
    return new Response(null, { headers });
  }
  return new Response(Readable.toWeb(blob.stream) as ReadableStream<Uint8Array>, { headers });
}
