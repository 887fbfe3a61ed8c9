// Files sent to and fetched from S3 directly, with presigned URLs: where each upload goes, multipart
// uploads (on both stores), and the commit's check that every upload holds the declared bytes before it is kept.
import type { Artifact, ArtifactFile } from '../../db/tables.js';
import type { Context } from '../../graphql/builder.js';
import { userError } from '../../graphql/errors.js';
import { base64Md5ToHex, type DirectTransfers, type UploadPart } from '../../storage/blobs.js';
import type { LocalParts } from '../../storage/parts.js';
import { bindFiles, bindUploadedContent, type DirectUploadRow, fileOfUpload, filesAwaitingUpload } from './repository-files.js';
import { downloadType, uploadPartUrl } from './urls.js';

/** The store's direct transfers, when files go straight to it (S3); null for the local store. */
export const directStore = (ctx: Context): DirectTransfers | null => ctx.store?.direct ?? null;

/**
 * Where a pending file's bytes are PUT: unique to the file and its current upload URL, and never
 * served. The commit copies verified bytes from there to a key no URL can write.
 */
export const uploadKeyOf = (file: Pick<ArtifactFile, 'artifact_id' | 'upload_token'>) => `uploads/${file.artifact_id}/${file.upload_token}`;

const UPLOAD_KEY = /^uploads\/(\d+)\/([A-Za-z0-9_-]{20,64})$/;

// The URL and headers are read by two fields of the same file; signed once.
const signedUploads = new WeakMap<ArtifactFile, Promise<{ url: string; headers: string[] }>>();

/** The presigned PUT of a file (the caller checked that the viewer may upload it). */
export function directUpload(store: DirectTransfers, file: ArtifactFile): Promise<{ url: string; headers: string[] }> {
  let signed = signedUploads.get(file);
  if (!signed) {
    signed = store.uploadUrl(uploadKeyOf(file), file.digest);
    signedUploads.set(file, signed);
  }
  return signed;
}

/** A presigned GET of a file's content: an attachment, typed by the same rule as `/files/` downloads. */
export function directDownload(store: DirectTransfers, file: ArtifactFile): Promise<string> {
  return store.downloadUrl(file.sha256 ?? '', { name: file.name, contentType: downloadType(file.mimetype) });
}

// ---- multipart

const MAX_PARTS = 10_000;

/** The parts as the SDK declares them, checked: numbered 1…n in order, each with a hex MD5. */
export function checkParts(name: string, parts: readonly { hexMD5: string; partNumber: number }[]): UploadPart[] {
  const sorted = [...parts].map((p) => ({ partNumber: Number(p.partNumber), md5hex: p.hexMD5.replace(/"/g, '').toLowerCase() }));
  sorted.sort((a, b) => a.partNumber - b.partNumber);
  if (
    sorted.length === 0 ||
    sorted.length > MAX_PARTS ||
    sorted.some((p, i) => p.partNumber !== i + 1 || !/^[0-9a-f]{32}$/.test(p.md5hex))
  ) {
    throw userError(
      'BAD_USER_INPUT',
      `The parts of "${name.slice(0, 200)}" must be numbered 1 to n (at most ${MAX_PARTS}), each with the hex MD5 of its bytes.`,
    );
  }
  return sorted;
}

export interface MultipartUrls {
  uploadID: string;
  uploadUrlParts: { partNumber: number; uploadUrl: string }[];
}

const multipartUrls = new WeakMap<ArtifactFile, MultipartUrls>();

/** The part URLs handed out for a file by this request's createArtifactFiles; null when it goes up whole. */
export const multipartUrlsOf = (file: ArtifactFile): MultipartUrls | null => multipartUrls.get(file) ?? null;

/**
 * Starts a multipart upload, with a URL per part, for each declared file that still needs its bytes
 * and came with parts: with S3 the parts go to the bucket, with the local store to the server's own
 * part route (the file's upload token is their credential, as for a whole PUT).
 */
export async function startMultipartUploads(
  ctx: Context,
  rows: readonly ArtifactFile[],
  declaredParts: (row: ArtifactFile) => readonly { hexMD5: string; partNumber: number }[] | null | undefined,
): Promise<void> {
  const direct = directStore(ctx);
  const local = ctx.store?.parts;
  if (!direct && !local) return;
  // Checked before any upload starts.
  const planned = rows.flatMap((row) => {
    const declared = declaredParts(row);
    return declared && declared.length > 0 && row.upload_token
      ? [{ row, token: row.upload_token, parts: checkParts(row.name, declared) }]
      : [];
  });
  await Promise.all(
    planned.map(async ({ row, token, parts }) => {
      if (direct) {
        const { uploadId, urls } = await direct.startMultipart(uploadKeyOf(row), parts);
        multipartUrls.set(row, { uploadID: uploadId, uploadUrlParts: urls });
      } else if (local) {
        const uploadId = await local.start({ artifactId: row.artifact_id, fileId: row.id, token }, parts);
        const urls = parts.map((p) => ({ partNumber: p.partNumber, uploadUrl: uploadPartUrl(ctx, token, uploadId, p.partNumber) }));
        multipartUrls.set(row, { uploadID: uploadId, uploadUrlParts: urls });
      }
    }),
  );
}

export interface CompleteMultipartInput {
  storagePath: string;
  uploadID: string;
  completedParts: readonly { hexMD5: string; partNumber: number }[];
}

/**
 * Joins the uploaded parts of a file of a pending version (the caller checked the viewer may write
 * it). Nothing is trusted yet: the commit checks the joined bytes against the file's declared MD5.
 */
export async function completeMultipartUpload(ctx: Context, artifact: Artifact, input: CompleteMultipartInput): Promise<string> {
  const store = directStore(ctx);
  const local = ctx.store?.parts;
  if (!store && !local)
    throw userError('BAD_USER_INPUT', 'Multipart uploads are not used by this server: PUT the whole file to its uploadUrl.');
  if (artifact.state !== 'PENDING') throw userError('BAD_USER_INPUT', 'This version is committed; its files cannot change.');
  const match = UPLOAD_KEY.exec(input.storagePath);
  const file = match && Number(match[1]) === artifact.id ? await fileOfUpload(ctx.db, artifact.id, match[2] ?? '') : undefined;
  if (!file?.upload_token) {
    throw userError(
      'NOT_FOUND',
      'No upload of this version has this storagePath (it is used, or was replaced): ask createArtifactFiles again.',
    );
  }
  const parts = checkParts(file.name, input.completedParts);
  if (!store && local) return completeLocally(ctx, local, { ...file, upload_token: file.upload_token }, input.uploadID, parts);
  try {
    await store?.completeMultipart(input.storagePath, input.uploadID, parts);
  } catch (error) {
    const name = (error as { name?: string }).name ?? 'Error';
    throw userError(
      'BAD_USER_INPUT',
      `The storage refused to join the parts of "${file.name}" (${name}): upload every part, then complete again.`,
    );
  }
  return file.digest;
}

/**
 * The local store's completion: the parts, each as declared and as the completion names it, are
 * joined in order through the store's put (which checks the whole file's MD5 and keys it by its
 * SHA-256), and the file is bound to the result, as a whole PUT would bind it.
 */
async function completeLocally(
  ctx: Context,
  local: LocalParts,
  file: ArtifactFile & { upload_token: string },
  uploadId: string,
  parts: UploadPart[],
): Promise<string> {
  const owner = { artifactId: file.artifact_id, fileId: file.id, token: file.upload_token };
  const joined = await local.joined(owner, uploadId, parts);
  const name = file.name.slice(0, 200);
  if (!joined.ok) {
    if (joined.reason === 'unknown_upload')
      throw userError('NOT_FOUND', `No multipart upload of "${name}" has this uploadID: ask createArtifactFiles again.`);
    if (joined.reason === 'wrong_parts')
      throw userError('BAD_USER_INPUT', `The upload of "${name}" has ${joined.expected} parts: complete it with all of them.`);
    const shown = joined.partNumbers.slice(0, 20).join(', ');
    throw userError(
      'BAD_USER_INPUT',
      `Part(s) ${shown}${joined.partNumbers.length > 20 ? ', …' : ''} of "${name}" are not uploaded (or not with the MD5 given): PUT them, then complete again. Nothing was stored.`,
    );
  }
  const maxBytes = ctx.settings?.maxUploadBytes ?? Number.MAX_SAFE_INTEGER;
  if (joined.size > maxBytes) throw userError('BAD_USER_INPUT', `"${name}" is ${joined.size} bytes; files may be at most ${maxBytes}.`);
  const store = ctx.store;
  if (!store) throw new Error('no blob store');
  const result = await store.put(joined.stream(), base64Md5ToHex(file.digest) ?? '', maxBytes);
  if (!result.ok) {
    if (result.reason === 'too_large') throw userError('BAD_USER_INPUT', `"${name}" is larger than ${maxBytes} bytes.`);
    throw userError(
      'BAD_USER_INPUT',
      `The joined parts of "${name}" have MD5 ${Buffer.from(result.actualMd5hex, 'hex').toString('base64')}, but ${file.digest} was declared: upload the file's exact bytes. Nothing was stored.`,
    );
  }
  const bound = await bindUploadedContent(ctx.db, file.id, file.upload_token, { sha256: result.sha256hex, size: result.size });
  if (bound === 0) throw userError('CONFLICT', 'The version was committed (or this file uploaded) meanwhile; its files did not change.');
  await local.drop(file.artifact_id, uploadId);
  return file.digest;
}

// ---- at commit

/** How many files are checked and copied at once. */
const CONCURRENCY = 16;

type Received = { file: DirectUploadRow; key: string } | { file: DirectUploadRow; problem: string } | null;

/** Checks one upload against its declaration and copies it to its final key; null when nothing was uploaded. */
async function receiveOne(store: DirectTransfers, artifactId: number, file: DirectUploadRow): Promise<Received> {
  const uploadKey = uploadKeyOf({ artifact_id: artifactId, upload_token: file.upload_token });
  const found = await store.inspect(uploadKey);
  if (!found) return null;
  const md5hex = base64Md5ToHex(file.digest) ?? '';
  if (found.size !== file.size) return { file, problem: `is ${found.size} bytes, but the manifest says ${file.size}` };
  // A single PUT's ETag is its MD5 (S3 checked the signed Content-MD5 too); a multipart object's is
  // not, so its bytes are read through once.
  const actual = found.etag === md5hex ? md5hex : await store.md5Of(uploadKey, found.etag);
  if (actual === null) return null;
  if (actual !== md5hex) {
    return { file, problem: `has MD5 ${Buffer.from(actual, 'hex').toString('base64')}, but ${file.digest} was declared` };
  }
  try {
    return { file, key: await store.seal(uploadKey, found.etag) };
  } catch (error) {
    // Replaced or taken by a commit running meanwhile: as if not uploaded.
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404 || status === 412) return null;
    throw error;
  }
}

/**
 * Before a commit with S3: each file waiting for its bytes is looked up at its upload key; one that
 * is there with the declared size and MD5 is copied to a key of the server's choosing (which no URL
 * handed out can write), its upload deleted, and the file bound to the copy. A file with other bytes
 * stops the commit, named; one with none is left for reuse or for the missing-files check.
 */
export async function receiveDirectUploads(ctx: Context, artifact: Artifact): Promise<void> {
  const store = directStore(ctx);
  if (!store) return;
  const waiting = await filesAwaitingUpload(ctx.db, artifact.id);
  const received: { id: number; sha256: string; size: number }[] = [];
  const wrong: string[] = [];
  for (let i = 0; i < waiting.length; i += CONCURRENCY) {
    const batch = await Promise.all(waiting.slice(i, i + CONCURRENCY).map((f) => receiveOne(store, artifact.id, f)));
    for (const r of batch) {
      if (r && 'key' in r) received.push({ id: r.file.id, sha256: r.key, size: r.file.size });
      else if (r) wrong.push(`"${r.file.name}" ${r.problem}`);
    }
  }
  // Kept whatever else fails: the copies are the declared bytes, and the URLs that led there are spent.
  await bindFiles(ctx.db, artifact.id, received);
  if (wrong.length > 0) {
    throw userError(
      'BAD_USER_INPUT',
      `${wrong.length} uploaded file(s) are not what was declared: ${wrong.slice(0, 20).join('; ')}${wrong.length > 20 ? '; …' : ''}. ` +
        'PUT the exact bytes to the same uploadUrl again, then commit. Nothing was committed.',
    );
  }
}
