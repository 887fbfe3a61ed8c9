import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import type { S3Config } from '../../server/config.js';
import type { BlobStore } from '../../server/storage/blobs.js';
import { s3BlobStore, s3Client, type S3StoreOptions } from '../../server/storage/s3.js';

/** s3rver's fixed keys. */
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface TestS3 {
  endpoint: string;
  config: S3Config;
  /** An S3 store on the test bucket, or on `bucket` (`options`: URL lifetimes). */
  store(options?: Omit<S3StoreOptions, 'credentials'> & { bucket?: string }): BlobStore;
  close(): Promise<void>;
}

/**
 * A real S3 protocol server for one test file: s3rver on a random port of 127.0.0.1, its objects in a
 * temp dir, with one bucket. It checks signatures and expiry like S3, but not Content-MD5: the commit's
 * own check is what refuses wrong bytes there.
 */
export async function startS3(bucket = 'registry-test'): Promise<TestS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const config: S3Config = { bucket, endpoint, region: 'us-east-1', forcePathStyle: true };
  await s3Client(config, { credentials }).send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    endpoint,
    config,
    store: ({ bucket: other, ...options } = {}) => s3BlobStore({ ...config, bucket: other ?? bucket }, { ...options, credentials }),
    async close() {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
