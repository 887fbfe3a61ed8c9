import { GetObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import type { S3Config } from '../../server/config.js';
import { presignGet } from '../../server/storage/sigv4.js';
import { bucketOrigin, s3Client } from '../../server/storage/s3.js';

// The fast presigner of download URLs must sign exactly what the AWS SDK signs.

const now = new Date('2026-12-07T20:44:14.123Z');
const file = `attachment; filename*=UTF-8''${encodeURIComponent("a b(1)'é*.txt")}`;

async function bothFor(config: S3Config, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) {
  const key = 'blobs/0123456789abcdef0123456789abcdef';
  const sdk = await getSignedUrl(
    s3Client(config, { credentials }),
    new GetObjectCommand({ Bucket: config.bucket, Key: key, ResponseContentDisposition: file, ResponseContentType: 'text/plain' }),
    { expiresIn: 900, signingDate: now },
  );
  const ours = presignGet({
    origin: bucketOrigin(config),
    path: config.forcePathStyle ? `/${config.bucket}/${key}` : `/${key}`,
    query: { 'response-content-disposition': file, 'response-content-type': 'text/plain', 'x-id': 'GetObject' },
    region: config.region,
    credentials,
    expiresIn: 900,
    now,
  });
  const parts = (url: string) => {
    const u = new URL(url);
    return { origin: u.origin, path: u.pathname, query: [...u.searchParams.entries()].sort(([a], [b]) => a.localeCompare(b)) };
  };
  return { sdk: parts(sdk), ours: parts(ours) };
}

describe('presigned GETs', () => {
  it('equal the AWS SDK’s, path style on another endpoint', async () => {
    const { sdk, ours } = await bothFor(
      { bucket: 'models', endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', forcePathStyle: true },
      { accessKeyId: 'AKID', secretAccessKey: 'secret' },
    );
    expect(ours).toEqual(sdk);
  });

  it('equal the AWS SDK’s, virtual-hosted on AWS, with a session token', async () => {
    const { sdk, ours } = await bothFor(
      { bucket: 'models', endpoint: undefined, region: 'eu-west-3', forcePathStyle: false },
      { accessKeyId: 'AKID', secretAccessKey: 'secret', sessionToken: 'token/with+chars=' },
    );
    expect(ours).toEqual(sdk);
  });
});
