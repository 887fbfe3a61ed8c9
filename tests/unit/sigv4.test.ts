import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import type { S3Config } from '../../server/config.js';
import { presign } from '../../server/storage/sigv4.js';
import { bucketOrigin, s3Client } from '../../server/storage/s3.js';

// The fast presigner of upload and download URLs must sign exactly what the AWS SDK signs.

const now = new Date('2026-12-07T20:44:14.123Z');
const key = 'blobs/0123456789abcdef0123456789abcdef';
const disposition = `attachment; filename*=UTF-8''${encodeURIComponent("a b(1)'é*.txt")}`;
const md5 = 'XUFAKrxLKna5cZ2REBfFkg==';

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/** A URL's parts, its query in a stable order. */
function parts(url: string) {
  const u = new URL(url);
  return { origin: u.origin, path: u.pathname, query: [...u.searchParams.entries()].sort(([a], [b]) => a.localeCompare(b)) };
}

const path = (config: S3Config) => (config.forcePathStyle ? `/${config.bucket}/${key}` : `/${key}`);

async function gets(config: S3Config, credentials: Credentials) {
  const sdk = await getSignedUrl(
    s3Client(config, { credentials }),
    new GetObjectCommand({ Bucket: config.bucket, Key: key, ResponseContentDisposition: disposition, ResponseContentType: 'text/plain' }),
    { expiresIn: 900, signingDate: now },
  );
  const ours = presign({
    method: 'GET',
    origin: bucketOrigin(config),
    path: path(config),
    query: { 'response-content-disposition': disposition, 'response-content-type': 'text/plain', 'x-id': 'GetObject' },
    region: config.region,
    credentials,
    expiresIn: 900,
    now,
  });
  return { sdk: parts(sdk), ours: parts(ours) };
}

async function puts(config: S3Config, credentials: Credentials) {
  const sdk = await getSignedUrl(
    s3Client(config, { credentials }),
    new PutObjectCommand({ Bucket: config.bucket, Key: key, ContentMD5: md5 }),
    {
      expiresIn: 3600,
      signingDate: now,
      signableHeaders: new Set(['content-md5']),
    },
  );
  const ours = presign({
    method: 'PUT',
    origin: bucketOrigin(config),
    path: path(config),
    query: { 'x-id': 'PutObject' },
    headers: { 'content-md5': md5 },
    region: config.region,
    credentials,
    expiresIn: 3600,
    now,
  });
  return { sdk: parts(sdk), ours: parts(ours) };
}

const minio: S3Config = { bucket: 'models', endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', forcePathStyle: true };
const aws: S3Config = { bucket: 'models', endpoint: undefined, region: 'eu-west-3', forcePathStyle: false };
const keys: Credentials = { accessKeyId: 'AKID', secretAccessKey: 'secret' };
const session: Credentials = { ...keys, sessionToken: 'token/with+chars=' };

describe('presigned URLs equal the AWS SDK’s', () => {
  it('GET, path style on another endpoint', async () => {
    const { sdk, ours } = await gets(minio, keys);
    expect(ours).toEqual(sdk);
  });

  it('GET, virtual-hosted on AWS, with a session token', async () => {
    const { sdk, ours } = await gets(aws, session);
    expect(ours).toEqual(sdk);
  });

  it('PUT with a signed Content-MD5, both styles', async () => {
    for (const [config, credentials] of [
      [minio, keys],
      [aws, session],
    ] as const) {
      const { sdk, ours } = await puts(config, credentials);
      expect(ours).toEqual(sdk);
      expect(new URL(sdk.origin + sdk.path + '?' + new URLSearchParams(sdk.query)).searchParams.get('X-Amz-SignedHeaders')).toBe(
        'content-md5;host',
      );
    }
  });
});
