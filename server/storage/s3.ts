import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3Config } from '../config.js';
import { HEX_SHA256, type BlobStore, type DirectTransfers, type PutResult } from './blobs.js';
import { presign } from './sigv4.js';

export interface S3StoreOptions {
  /** Explicit keys (tests); otherwise the AWS SDK's default chain (AWS_ACCESS_KEY_ID, profiles, roles). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** How long an upload URL works (default 1 h; a part of a multipart upload: 6 h). */
  uploadTtlSeconds?: number;
  /** How long a download URL works (default 15 min: the SDK and the browser fetch right after asking). */
  downloadTtlSeconds?: number;
}

/**
 * Object keys. Content the server received itself sits under `sha256/<hex>` (its own digest, as in
 * the local store); content sent directly sits under `blobs/<random>`, a key the server chose when it
 * verified and sealed the upload; uploads land under `uploads/…` and are never served.
 */
function objectKey(contentKey: string): string | null {
  if (HEX_SHA256.test(contentKey)) return `sha256/${contentKey}`;
  return /^blobs\/[0-9a-f]{32}$/.test(contentKey) ? contentKey : null;
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
}

function isPreconditionFailed(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'PreconditionFailed' || e.$metadata?.httpStatusCode === 412;
}

const unquoted = (etag: string | undefined) => (etag ?? '').replace(/^"|"$/g, '');

/** Where presigned URLs of the bucket point: the endpoint (path style) or the bucket's own host. */
export function bucketOrigin(config: S3Config): string {
  const endpoint = new URL(config.endpoint ?? `https://s3.${config.region}.amazonaws.com`);
  if (!config.forcePathStyle) endpoint.hostname = `${config.bucket}.${endpoint.hostname}`;
  return endpoint.origin;
}

export function s3Client(config: S3Config, options: S3StoreOptions = {}): S3Client {
  return new S3Client({
    region: config.region,
    endpoint: config.endpoint,
    forcePathStyle: config.forcePathStyle,
    credentials: options.credentials,
    // Presigned PUTs must not carry a checksum of the empty body the signer saw; the MD5 is ours.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/**
 * Presigns requests for keys the store made (`uploads/…`, `blobs/…`, `sha256/…`: nothing to escape),
 * fast (sigv4.ts): a page of URLs costs milliseconds, not the SDK's 0.6 ms each.
 */
function presigner(client: S3Client, config: S3Config) {
  const origin = bucketOrigin(config);
  const prefix = config.forcePathStyle ? `/${config.bucket}/` : '/';
  return async (request: {
    method: 'GET' | 'PUT';
    key: string;
    query: Record<string, string>;
    headers?: Record<string, string>;
    expiresIn: number;
  }) => {
    // The provider keeps what it resolved until it expires: one lookup serves a whole page.
    const credentials = await client.config.credentials();
    return presign({ ...request, origin, path: prefix + request.key, region: config.region, credentials });
  };
}

/** Files in an S3-compatible bucket: the same store interface as the local one, plus direct transfers. */
export function s3BlobStore(config: S3Config, options: S3StoreOptions = {}): BlobStore {
  const client = s3Client(config, options);
  const Bucket = config.bucket;
  const uploadTtl = options.uploadTtlSeconds ?? 3600;
  const partTtl = options.uploadTtlSeconds ?? 6 * 3600;
  const downloadTtl = options.downloadTtlSeconds ?? 900;
  const sign = presigner(client, config);

  const direct: DirectTransfers = {
    origin: bucketOrigin(config),
    async uploadUrl(key, md5base64) {
      // The MD5 is signed, so S3 refuses a PUT without this exact MD5 and checks the body against it.
      const url = await sign({
        method: 'PUT',
        key,
        query: { 'x-id': 'PutObject' },
        headers: { 'content-md5': md5base64 },
        expiresIn: uploadTtl,
      });
      return { url, headers: [`Content-MD5:${md5base64}`] };
    },

    async startMultipart(key, parts) {
      const started = await client.send(new CreateMultipartUploadCommand({ Bucket, Key: key }));
      const uploadId = started.UploadId;
      if (!uploadId) throw new Error('S3 started a multipart upload without an id');
      // Parts carry no signed MD5 (clients differ in the headers they send); the commit checks the
      // object's ETag against the MD5s declared for the parts instead.
      const urls = await Promise.all(
        parts.map(async (p) => ({
          partNumber: p.partNumber,
          uploadUrl: await getSignedUrl(client, new UploadPartCommand({ Bucket, Key: key, UploadId: uploadId, PartNumber: p.partNumber }), {
            expiresIn: partTtl,
          }),
        })),
      );
      return { uploadId, urls };
    },

    async completeMultipart(key, uploadId, parts) {
      await client.send(
        new CompleteMultipartUploadCommand({
          Bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: `"${p.md5hex}"` })) },
        }),
      );
    },

    async inspect(key) {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return { size: Number(head.ContentLength ?? 0), etag: unquoted(head.ETag) };
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },

    async md5Of(key, etag) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket, Key: key, IfMatch: `"${etag}"` }));
        if (!(object.Body instanceof Readable)) throw new Error('S3 answered GetObject without a stream');
        const md5 = createHash('md5');
        for await (const chunk of object.Body as AsyncIterable<Buffer>) md5.update(chunk);
        return md5.digest('hex');
      } catch (error) {
        if (isNotFound(error) || isPreconditionFailed(error)) return null;
        throw error;
      }
    },

    async seal(uploadKey, etag) {
      const key = `blobs/${randomBytes(16).toString('hex')}`;
      // Only the bytes that were verified: a PUT to the upload URL since then makes the copy fail.
      await client.send(new CopyObjectCommand({ Bucket, Key: key, CopySource: `${Bucket}/${uploadKey}`, CopySourceIfMatch: `"${etag}"` }));
      await client.send(new DeleteObjectCommand({ Bucket, Key: uploadKey }));
      return key;
    },

    async downloadUrl(contentKey, file) {
      const key = objectKey(contentKey);
      if (!key) throw new Error(`not a content key of this store: ${contentKey}`);
      const name = encodeURIComponent(file.name.split('/').at(-1) ?? 'file');
      const query = {
        'response-content-disposition': `attachment; filename*=UTF-8''${name}`,
        'response-content-type': file.contentType,
        'x-id': 'GetObject',
      };
      return sign({ method: 'GET', key, query, expiresIn: downloadTtl });
    },
  };

  return {
    direct,

    async ready() {
      await client.send(new HeadBucketCommand({ Bucket }));
    },

    async get(contentKey) {
      const key = objectKey(contentKey);
      if (!key) return null;
      try {
        const object = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        if (!(object.Body instanceof Readable)) throw new Error('S3 answered GetObject without a stream');
        return { stream: object.Body, size: Number(object.ContentLength ?? 0) };
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },

    async put(body, expectedMd5hex, maxBytes) {
      // Hashed on the way to a temporary file first: S3 needs the length before the bytes, and the
      // key is the SHA-256, known only at the end.
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'registry-upload-'));
      const tmp = path.join(dir, 'part');
      try {
        const received = await receive(body, tmp, maxBytes);
        if (!received) return { ok: false, reason: 'too_large' };
        if (received.md5hex !== expectedMd5hex) return { ok: false, reason: 'md5_mismatch', actualMd5hex: received.md5hex };
        await client.send(
          new PutObjectCommand({
            Bucket,
            Key: `sha256/${received.sha256hex}`,
            Body: createReadStream(tmp),
            ContentLength: received.size,
            ContentMD5: Buffer.from(received.md5hex, 'hex').toString('base64'),
          }),
        );
        return { ok: true, size: received.size, sha256hex: received.sha256hex } satisfies PutResult;
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Writes `body` to `file`, hashing it; null when it is larger than `maxBytes`. */
async function receive(
  body: ReadableStream<Uint8Array>,
  file: string,
  maxBytes: number,
): Promise<{ size: number; md5hex: string; sha256hex: string } | null> {
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  let size = 0;
  let tooLarge = false;
  const reader = body.getReader();
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      size += value.byteLength;
      if (size > maxBytes) {
        tooLarge = true;
        await reader.cancel();
        return;
      }
      md5.update(value);
      sha256.update(value);
      yield value;
    }
  }
  await pipeline(Readable.from(chunks()), createWriteStream(file));
  if (tooLarge) return null;
  return { size, md5hex: md5.digest('hex'), sha256hex: sha256.digest('hex') };
}

/**
 * The start's check of S3 settings: credentials the AWS SDK can find, and a bucket they may use.
 * Throws what to fix when either is wrong; a service that does not answer is only reported (the
 * server starts, and `/readyz` says unavailable until it answers).
 */
export async function checkS3Access(config: S3Config, options: S3StoreOptions = {}): Promise<string | null> {
  const client = s3Client(config, options);
  try {
    await client.config.credentials();
  } catch {
    throw new Error(
      'S3_BUCKET is set, but the AWS SDK found no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY ' +
        '(or AWS_PROFILE, or run with an instance or task role).',
    );
  }
  const where = `bucket "${config.bucket}" at ${config.endpoint ?? `AWS S3 (${config.region})`}`;
  try {
    await client.send(new HeadBucketCommand({ Bucket: config.bucket }));
    return null;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404) throw new Error(`S3: the ${where} does not exist: create it, or correct S3_BUCKET / S3_ENDPOINT.`);
    if (status === 403 || status === 401) {
      throw new Error(`S3: the credentials may not use the ${where}: allow them s3:ListBucket, GetObject, PutObject, DeleteObject.`);
    }
    if (status === 301 || status === 400)
      throw new Error(`S3: the ${where} refused the request (${status}): check S3_REGION and S3_FORCE_PATH_STYLE.`);
    return `S3: the ${where} did not answer (${error instanceof Error ? error.message : String(error)}); files are unavailable until it does.`;
  } finally {
    client.destroy();
  }
}
