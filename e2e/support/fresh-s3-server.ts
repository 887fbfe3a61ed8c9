// The e2e server whose files live in a bucket: an S3 service (s3rver) on loopback with an empty bucket
// whose CORS is the README's, then the registry on an emptied DATA_DIR, started as `npm start` does
// with S3_BUCKET / S3_ENDPOINT set (playwright.config.ts gives the environment).
import fs from 'node:fs';
import S3rver from 's3rver';

const { DATA_DIR: dataDir, PORT: port, S3_BUCKET: bucket, S3_ENDPOINT: endpoint } = process.env;
if (!dataDir || !dataDir.includes('e2e')) throw new Error('DATA_DIR must be set to an e2e directory');
if (!port || !bucket || !endpoint) throw new Error('PORT, S3_BUCKET and S3_ENDPOINT must be set');

// What a browser on the app's origin needs to PUT files (with their Content-MD5) and GET them (README, "Files in S3").
const cors = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>http://127.0.0.1:${port}</AllowedOrigin>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedHeader>content-md5</AllowedHeader>
    <AllowedHeader>content-type</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3600</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

const directory = `${dataDir}-bucket`;
fs.rmSync(directory, { recursive: true, force: true });
fs.mkdirSync(directory, { recursive: true });
const s3 = new S3rver({
  address: '127.0.0.1',
  port: Number(new URL(endpoint).port),
  silent: true,
  directory,
  configureBuckets: [{ name: bucket, configs: [cors] }],
});
await s3.run();

await import('./fresh-server.js');
