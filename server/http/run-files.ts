import { createHash } from 'node:crypto';
import type { DB } from '../db/database.js';
import type { Context } from '../graphql/builder.js';
import { authenticate } from './authenticate.js';
import { markRunFileStored, runFileById, runFileByUploadToken } from '../modules/runs/repository.js';
import { applyFileStream, FILE_STREAM_LIMITS, FileStreamError, parseFileStreamBody } from '../modules/runs/service.js';
import { requireWritableRun } from '../modules/runs/access.js';
import type { BlobStore } from '../storage/blobs.js';
import { blobDownload, unsignedRefusal } from './downloads.js';
import { errorResponse, readBodyLimited } from './responses.js';

/**
 * Run files are read whole before they are stored: the SDK declares no digest for them, and the blob
 * store keeps only content whose digest it was told. They are small (metadata, requirements, console
 * log, summary); bulk data belongs in artifacts.
 */
export const MAX_RUN_FILE_BYTES = 64 * 1024 * 1024;

const TOKEN = /^[A-Za-z0-9_-]{20,64}$/;

/** What the SDK reads back from every file_stream request. */
const STREAM_ANSWER = { exitcode: null, limits: {} };

/**
 * `POST /files/<entity>/<project>/<run>/file_stream`, authenticated by API key like /graphql. A request
 * is answered once its lines are committed, so an acknowledged chunk is never lost.
 */
export async function fileStream(db: DB, request: Request, parts: readonly string[]): Promise<Response> {
  // The SDK streams with its API key; a cookie counts only from the app's own origin (no extra origins).
  const auth = await authenticate(db, request, { corsOrigins: [] });
  if (!auth.ok) return errorResponse(auth.status, auth.code, auth.message);
  if (!auth.viewer) return errorResponse(401, 'UNAUTHENTICATED', 'Send an API key (HTTP Basic "api:<key>") to stream a run.');
  const raw = await readBodyLimited(request, FILE_STREAM_LIMITS.bodyBytes);
  if (!raw)
    return errorResponse(
      413,
      'PAYLOAD_TOO_LARGE',
      `A file_stream request may be at most ${FILE_STREAM_LIMITS.bodyBytes} bytes: send smaller chunks.`,
    );
  let parsed;
  try {
    parsed = parseFileStreamBody(JSON.parse(Buffer.from(raw).toString('utf8')));
  } catch (error) {
    const message = error instanceof FileStreamError ? error.message : 'The body is not JSON.';
    return errorResponse(400, 'BAD_USER_INPUT', `${message} Nothing was stored.`);
  }
  const ctx: Context = { db, viewer: auth.viewer, loaders: new Map() };
  const [entityName = '', projectName = '', runName = ''] = parts.map((part) => decodeURIComponent(part));
  try {
    const run = await requireWritableRun(ctx, entityName, projectName, runName);
    await applyFileStream(db, run, parsed);
  } catch (error) {
    const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
    if (code === 'NOT_FOUND') return errorResponse(404, code, (error as Error).message);
    if (code === 'FORBIDDEN' || code === 'BAD_USER_INPUT' || code === 'UNAUTHENTICATED') {
      return errorResponse(code === 'FORBIDDEN' ? 403 : code === 'UNAUTHENTICATED' ? 401 : 400, code, (error as Error).message);
    }
    throw error;
  }
  return Response.json(STREAM_ANSWER);
}

/** `PUT /files/run-upload/<token>`: the URL createRunFiles / RunUploadUrls handed out; it works once. */
export async function uploadRunFile(db: DB, store: BlobStore, request: Request, token: string): Promise<Response> {
  const file = TOKEN.test(token) ? await runFileByUploadToken(db, token) : undefined;
  if (!file) return errorResponse(404, 'NOT_FOUND', 'This upload URL is unknown or already used: ask createRunFiles for a new one.');
  const body = await readBodyLimited(request, MAX_RUN_FILE_BYTES);
  if (!body)
    return errorResponse(413, 'PAYLOAD_TOO_LARGE', `Run files may be at most ${MAX_RUN_FILE_BYTES} bytes: log larger files as artifacts.`);
  const md5 = createHash('md5').update(body).digest('hex');
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(body);
      controller.close();
    },
  });
  const result = await store.put(stream, md5, MAX_RUN_FILE_BYTES);
  if (!result.ok) throw new Error(`run file upload: the blob store refused content it was given (${result.reason})`);
  // A second PUT on the same URL, racing this one, finds the token spent.
  const stored = await markRunFileStored(db, file.id, token, { md5, blob: result.sha256hex, size: result.size });
  if (!stored) return errorResponse(404, 'NOT_FOUND', 'This upload URL is unknown or already used: ask createRunFiles for a new one.');
  return new Response(null, { status: 200 });
}

/** `GET /files/runs/<runId>/files/<fileId>?expires&sig`: a signed download URL of a run file. */
export async function downloadRunFile(db: DB, store: BlobStore, request: Request, parts: readonly string[]): Promise<Response> {
  const refusal = await unsignedRefusal(db, request);
  if (refusal) return refusal;
  const runId = Number(parts[1]);
  const fileId = Number(parts[3]);
  if (parts.length !== 4 || parts[2] !== 'files' || !Number.isSafeInteger(runId) || !Number.isSafeInteger(fileId)) {
    return errorResponse(404, 'NOT_FOUND', 'No such file.');
  }
  const file = await runFileById(db, runId, fileId);
  const blob = file?.blob ? await store.get(file.blob) : null;
  if (!file || !blob) return errorResponse(404, 'NOT_FOUND', 'No such file.');
  // Run files are the SDK's own (logs, config, metadata): never rendered, whatever their name.
  return blobDownload(request, blob, { name: file.name, contentType: 'application/octet-stream' });
}
