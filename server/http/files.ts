import { randomBytes } from 'node:crypto';
import type { DB } from '../db/database.js';
import { artifactDigest, MAX_MANIFEST_BYTES, parseManifest } from '../modules/artifacts/manifest.js';
import { base64Md5ToHex, type BlobStore } from '../storage/blobs.js';
import { blobDownload, unsignedRefusal } from './downloads.js';
import { errorResponse, readBodyLimited } from './responses.js';
import { downloadRunFile, fileStream, uploadRunFile } from './run-files.js';
import {
  artifactByManifestToken,
  bindUploadedContent,
  claimManifestUpload,
  fileByUploadToken,
  fileOfArtifact,
  manifestPart,
  saveManifest,
} from '../modules/artifacts/repository-files.js';
import { artifactsByIds } from '../modules/collections/repository-artifacts.js';
import { downloadType } from '../modules/artifacts/urls.js';

export interface FilesOptions {
  store: BlobStore;
  maxUploadBytes: number;
}

/**
 * `/files/*`: uploads to the URLs createArtifactFiles / createArtifactManifest hand out (the
 * unguessable token is the credential, as with a cloud store's signed URL) and downloads through
 * signed, expiring URLs (Artifact.files.directUrl), so the SDK needs no headers for either.
 */
export async function filesRoute(db: DB, options: FilesOptions, request: Request, pathname: string): Promise<Response> {
  const parts = pathname.split('/').slice(2);
  if (request.method === 'PUT' && parts.length === 2 && parts[0] === 'upload') return uploadFile(db, options, request, parts[1] ?? '');
  if (request.method === 'PUT' && parts.length === 4 && parts[0] === 'upload-part') return uploadPart(db, options, request, parts.slice(1));
  if (request.method === 'PUT' && parts.length === 2 && parts[0] === 'manifest-upload') return uploadManifest(db, request, parts[1] ?? '');
  if ((request.method === 'GET' || request.method === 'HEAD') && parts[0] === 'artifacts') return download(db, options, request, parts);
  // Runs: the SDK's file_stream (API key), run file uploads (token) and downloads (signed).
  if (request.method === 'POST' && parts.length === 4 && parts[3] === 'file_stream') return fileStream(db, request, parts.slice(0, 3));
  if (request.method === 'PUT' && parts.length === 2 && parts[0] === 'run-upload')
    return uploadRunFile(db, options.store, request, parts[1] ?? '');
  if ((request.method === 'GET' || request.method === 'HEAD') && parts[0] === 'runs')
    return downloadRunFile(db, options.store, request, parts);
  return errorResponse(404, 'NOT_FOUND', `No file route ${request.method} ${pathname}.`);
}

const TOKEN = /^[A-Za-z0-9_-]{20,64}$/;

async function uploadFile(db: DB, options: FilesOptions, request: Request, token: string): Promise<Response> {
  const file = TOKEN.test(token) ? await fileByUploadToken(db, token) : undefined;
  // Tokens are retired on use and at commit, so a committed version's old URLs all end here.
  if (!file)
    return errorResponse(
      404,
      'NOT_FOUND',
      'This upload URL is unknown, already used, or its version is committed: ask createArtifactFiles for a new one.',
    );
  if (file.state !== 'PENDING') return errorResponse(409, 'CONFLICT', 'The version is committed; its files cannot change.');
  const md5hex = base64Md5ToHex(file.digest);
  if (!md5hex) return errorResponse(400, 'BAD_USER_INPUT', 'The declared MD5 of this file is not valid.');
  if (Number(request.headers.get('content-length') ?? '0') > options.maxUploadBytes) {
    return errorResponse(413, 'PAYLOAD_TOO_LARGE', `Files may be at most ${options.maxUploadBytes} bytes.`);
  }
  const result = await options.store.put(request.body ?? new ReadableStream({ start: (c) => c.close() }), md5hex, options.maxUploadBytes);
  if (!result.ok) {
    if (result.reason === 'too_large')
      return errorResponse(413, 'PAYLOAD_TOO_LARGE', `Files may be at most ${options.maxUploadBytes} bytes.`);
    const actual = Buffer.from(result.actualMd5hex, 'hex').toString('base64');
    return errorResponse(
      400,
      'BAD_USER_INPUT',
      `The uploaded content of "${file.name}" has MD5 ${actual}, but ${file.digest} was declared: upload the file's exact bytes. Nothing was stored.`,
    );
  }
  // The bytes are stored under their own SHA-256 whatever happens next; only the binding decides what a version serves.
  const bound = await bindUploadedContent(db, file.id, token, { sha256: result.sha256hex, size: result.size });
  if (bound === 0)
    return errorResponse(409, 'CONFLICT', 'The version was committed (or this URL used) meanwhile; its files did not change.');
  return new Response(null, { status: 200 });
}

/**
 * `PUT /files/upload-part/<token>/<upload id>/<part number>`: one part of a multipart upload of the
 * local store. The token is the file's upload credential, the upload id must be of that same file,
 * and the body must have the MD5 declared for the part (and the Content-MD5 sent, if any). Answers the
 * part's ETag (its MD5) as S3 does, which the SDK sends back when completing.
 */
async function uploadPart(db: DB, options: FilesOptions, request: Request, [token = '', uploadId = '', number = '']: string[]) {
  const local = options.store.parts;
  const unknown = () =>
    errorResponse(
      404,
      'NOT_FOUND',
      'This part URL is unknown, its file was uploaded or declared again, or its version is committed: ask createArtifactFiles for new ones.',
    );
  const file = local && TOKEN.test(token) ? await fileByUploadToken(db, token) : undefined;
  if (!local || !file) return unknown();
  if (file.state !== 'PENDING') return errorResponse(409, 'CONFLICT', 'The version is committed; its files cannot change.');
  const partNumber = /^\d{1,5}$/.test(number) ? Number(number) : 0;
  const sentMd5 = request.headers.get('content-md5');
  const sentMd5hex = sentMd5 === null ? null : base64Md5ToHex(sentMd5);
  if (sentMd5 !== null && !sentMd5hex) return errorResponse(400, 'BAD_USER_INPUT', 'Content-MD5 must be the base64 MD5 of the body.');
  if (Number(request.headers.get('content-length') ?? '0') > options.maxUploadBytes) {
    return errorResponse(413, 'PAYLOAD_TOO_LARGE', `Files may be at most ${options.maxUploadBytes} bytes.`);
  }
  const owner = { artifactId: file.artifact_id, fileId: file.id, token };
  const body = request.body ?? new ReadableStream({ start: (c) => c.close() });
  const result = await local.put(owner, uploadId, partNumber, body, options.maxUploadBytes, sentMd5hex);
  if (!result.ok) {
    if (result.reason === 'unknown_upload') return unknown();
    if (result.reason === 'out_of_range')
      return errorResponse(400, 'BAD_USER_INPUT', `This upload of "${file.name}" has no part ${number.slice(0, 20)}.`);
    if (result.reason === 'too_large')
      return errorResponse(413, 'PAYLOAD_TOO_LARGE', `Files may be at most ${options.maxUploadBytes} bytes.`);
    if (result.reason === 'header_mismatch')
      return errorResponse(400, 'BAD_USER_INPUT', `Content-MD5 is not the MD5 declared for part ${partNumber} of "${file.name}".`);
    return errorResponse(
      400,
      'BAD_USER_INPUT',
      `Part ${partNumber} of "${file.name}" has MD5 ${result.actualMd5hex}, but ${result.declaredMd5hex} was declared: upload the part's exact bytes.`,
    );
  }
  return new Response(null, { status: 200, headers: { etag: `"${result.md5hex}"` } });
}

async function uploadManifest(db: DB, request: Request, token: string): Promise<Response> {
  const unknown = () =>
    errorResponse(404, 'NOT_FOUND', 'This manifest upload URL is unknown or already used: ask createArtifactManifest for a new one.');
  const artifact = TOKEN.test(token) ? await artifactByManifestToken(db, token) : undefined;
  if (!artifact) return unknown();
  if (artifact.state !== 'PENDING') return errorResponse(409, 'CONFLICT', 'The version is committed; its manifest cannot change.');
  const tooLarge = () =>
    errorResponse(
      413,
      'PAYLOAD_TOO_LARGE',
      `Manifests may be at most ${MAX_MANIFEST_BYTES / 1024 / 1024} MiB (a 100 000-file manifest is about 10-25 MiB).`,
    );
  if (Number(request.headers.get('content-length') ?? '0') > MAX_MANIFEST_BYTES) return tooLarge();
  const body = await readBodyLimited(request, MAX_MANIFEST_BYTES);
  if (!body) return tooLarge();
  const text = Buffer.from(body).toString('utf8');
  let parsed;
  try {
    parsed = await parseManifest(text);
  } catch (error) {
    return errorResponse(400, 'BAD_USER_INPUT', error instanceof Error ? error.message : 'The manifest is not valid.');
  }
  const digest = await artifactDigest(parsed.entries);
  if (digest !== artifact.digest) {
    return errorResponse(
      400,
      'BAD_USER_INPUT',
      `The manifest's digest is ${digest}, but the version was created with digest ${artifact.digest}: they must describe the same files.`,
    );
  }
  // Checked before the URL is used up: a refused manifest can be sent again, fixed, to the same URL.
  const claim = `writing:${randomBytes(12).toString('base64url')}`;
  if (!(await claimManifestUpload(db, token, claim))) return unknown();
  if (!(await saveManifest(db, artifact.id, claim, { text, header: JSON.stringify(parsed.header) }, parsed.entries))) {
    return errorResponse(
      409,
      'CONFLICT',
      'A newer manifest upload of this version started while this one was stored: the newer one is kept.',
    );
  }
  return new Response(null, { status: 200 });
}

async function download(db: DB, options: FilesOptions, request: Request, parts: string[]): Promise<Response> {
  const refusal = await unsignedRefusal(db, request);
  if (refusal) return refusal;
  const artifactId = Number(parts[1]);
  if (!Number.isSafeInteger(artifactId)) return errorResponse(404, 'NOT_FOUND', 'No such file.');
  if (parts.length === 3 && parts[2] === 'manifest') {
    const [artifact] = await artifactsByIds(db, [artifactId]);
    if (!artifact || artifact.manifest === null) return errorResponse(404, 'NOT_FOUND', 'No such manifest.');
    // Part by part, one short statement each, as it was stored.
    let part = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const text = await manifestPart(db, artifactId, part++);
        if (text === undefined) controller.close();
        else controller.enqueue(Buffer.from(text, 'utf8'));
      },
    });
    return new Response(body, { headers: { 'content-type': 'application/json' } });
  }
  const fileId = Number(parts[3]);
  if (parts.length !== 4 || parts[2] !== 'files' || !Number.isSafeInteger(fileId)) return errorResponse(404, 'NOT_FOUND', 'No such file.');
  const file = await fileOfArtifact(db, artifactId, fileId);
  const blob = file?.sha256 ? await options.store.get(file.sha256) : null;
  if (!file || !blob) return errorResponse(404, 'NOT_FOUND', 'No such file.');
  return blobDownload(request, blob, { name: file.name, contentType: downloadType(file.mimetype) });
}
