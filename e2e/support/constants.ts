/** Credentials of the e2e server's first start (see playwright.config.ts). */
export const E2E_ADMIN = { username: 'admin', password: 'e2e-admin-password' };
export const E2E_API_KEY = 'e2e0'.repeat(10);
/** The e2e server's port and origin: the session cookie counts only with this Origin. */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 4180);
export const E2E_ORIGIN = `http://127.0.0.1:${E2E_PORT}`;
/**
 * The second e2e server keeps its files in a bucket: the registry on the next port, the bucket's S3
 * service (s3rver, on loopback) on the one after. Specs named `*.s3.spec.ts` run against it.
 */
export const E2E_S3_PORT = E2E_PORT + 1;
export const E2E_S3_ORIGIN = `http://127.0.0.1:${E2E_S3_PORT}`;
export const E2E_BUCKET = 'registry-e2e';
export const E2E_BUCKET_ORIGIN = `http://127.0.0.1:${E2E_PORT + 2}`;
/** s3rver's fixed keys, for the registry's AWS SDK chain and for specs that look into the bucket. */
export const E2E_BUCKET_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
