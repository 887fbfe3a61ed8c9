// A large file's upload with S3 storage, in the benchmark (BENCH_ONLY=transfer runs only this part): a
// Registry server process with its files in an S3-compatible server on loopback (s3rver), and a
// generated file of BENCH_TRANSFER_MB (1 024: 1 GiB) uploaded
//  (a) as the SDK uploads a large file: createArtifactFiles with uploadPartsInput, a PUT of each part
//      (100 MiB, the SDK's part size) to its presigned URL, completeMultipartUploadArtifact; and
//  (b) as one PUT of the whole file to the presigned URL createArtifactFiles answers without parts,
// alternated, each version then committed. Figures: seconds and MB/s of each upload, the ratio of (a)'s
// throughput to (b)'s, and the server process's CPU time while (a) ran (the bytes never pass through
// it) and while each commit ran.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { s3Client } from '../server/storage/s3.js';
import { data, httpClient, type SeedClient } from '../seed/client.js';
import { createTeam } from '../seed/people.js';
import { artifactDigest, putTo } from '../seed/sdk-logging.js';
import { sdkDocument } from '../seed/sdk-operations.js';
import { startBenchServer, type BenchServer } from './bench-servers.js';

const KEY = 't'.repeat(40);
const TEAM = 'bench-team';
const PROJECT = 'transfer';
const MiB = 1024 * 1024;
/** The SDK's part size: max(size / 1 000 parts, 100 MiB) (wandb/sdk/artifacts/storage_policies/_multipart.py). */
const partSizeFor = (size: number) => Math.max(Math.ceil(size / 1000), 100 * MiB);

interface BigFile {
  path: string;
  size: number;
  md5: Buffer;
  parts: { partNumber: number; start: number; end: number; hexMD5: string }[];
}

/** Writes `size` random bytes to `file` a chunk at a time (never all in memory). */
async function generate(file: string, size: number): Promise<void> {
  const out = fs.createWriteStream(file);
  for (let at = 0; at < size; at += 4 * MiB) {
    if (!out.write(randomBytes(Math.min(4 * MiB, size - at)))) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

/**
 * New bytes at the start of the file, so each upload is content the server has not stored (it would
 * otherwise skip the upload of bytes the uploader can already read), hashed whole and by part as the
 * SDK hashes before it uploads.
 */
async function renew(file: string, size: number): Promise<BigFile> {
  const handle = await fs.promises.open(file, 'r+');
  await handle.write(randomBytes(16), 0, 16, 0);
  await handle.close();
  const partSize = partSizeFor(size);
  const whole = createHash('md5');
  const parts: BigFile['parts'] = [];
  for (let start = 0; start < size; start += partSize) {
    const end = Math.min(size, start + partSize);
    const part = createHash('md5');
    for await (const chunk of fs.createReadStream(file, { start, end: end - 1, highWaterMark: 4 * MiB }) as AsyncIterable<Buffer>) {
      part.update(chunk);
      whole.update(chunk);
    }
    parts.push({ partNumber: parts.length + 1, start, end, hexMD5: part.digest('hex') });
  }
  return { path: file, size, md5: whole.digest(), parts };
}

/** PUTs bytes `start`…`end` of a file to a presigned URL, streamed from disk with its length. */
async function putRange(url: string, file: string, start: number, end: number, headers: Record<string, string> = {}) {
  const request = http.request(url, { method: 'PUT', headers: { ...headers, 'content-length': String(end - start) } });
  const answered = new Promise<http.IncomingMessage>((resolve, reject) => {
    request.once('response', resolve);
    request.once('error', reject);
  });
  await pipeline(fs.createReadStream(file, { start, end: end - 1, highWaterMark: MiB }), request);
  const response = await answered;
  let body = '';
  for await (const piece of response) body += String(piece);
  if (response.statusCode !== 200) throw new Error(`PUT answered ${response.statusCode}: ${body.slice(0, 300)}`);
  return String(response.headers.etag ?? '');
}

function ok<T>(step: string, res: { errors?: { message: string }[]; data?: Record<string, unknown> | null }): T {
  if (res.errors?.length || !res.data) throw new Error(`${step}: ${res.errors?.map((e) => e.message).join('; ') ?? 'no data'}`);
  return res.data as T;
}

interface Declared {
  id: string;
  manifestId: string;
  manifest: string;
}

/** A pending version of one file (`big.bin`), its manifest declared but not yet uploaded, as the SDK starts. */
async function pendingVersion(api: SeedClient, name: string, file: BigFile): Promise<Declared> {
  const md5 = file.md5.toString('base64');
  const created = ok<{ createArtifact: { artifact: { id: string } } }>(
    'CreateArtifact',
    await api.gql(sdkDocument('CreateArtifact'), {
      input: {
        entityName: TEAM,
        projectName: PROJECT,
        artifactTypeName: 'model',
        artifactCollectionName: name,
        digest: artifactDigest({ 'big.bin': md5 }),
        clientID: randomBytes(16).toString('hex'),
        sequenceClientID: randomBytes(16).toString('hex'),
        enableDigestDeduplication: false,
      },
    }),
  );
  const id = created.createArtifact.artifact.id;
  const manifest = ok<{ createArtifactManifest: { artifactManifest: { id: string } } }>(
    'CreateArtifactManifest',
    await api.gql(sdkDocument('CreateArtifactManifest'), {
      artifactID: id,
      name: 'wandb_manifest.json',
      digest: '',
      entityName: TEAM,
      projectName: PROJECT,
      runName: '',
      manifestType: 'FULL',
      includeUpload: false,
    }),
  );
  const text = JSON.stringify({
    version: 1,
    storagePolicy: 'wandb-storage-policy-v1',
    storagePolicyConfig: { storageLayout: 'V2' },
    contents: { 'big.bin': { digest: md5, size: file.size } },
  });
  return { id, manifestId: manifest.createArtifactManifest.artifactManifest.id, manifest: text };
}

interface FileUpload {
  uploadUrl: string | null;
  uploadHeaders: string[];
  storagePath: string | null;
  uploadMultipartUrls: { uploadID: string; uploadUrlParts: { partNumber: number; uploadUrl: string }[] } | null;
}

async function declareFile(api: SeedClient, version: Declared, file: BigFile, inParts: boolean): Promise<FileUpload> {
  const declared = ok<{ createArtifactFiles: { files: { edges: { node: FileUpload }[] } } }>(
    'CreateArtifactFiles',
    await api.gql(sdkDocument('CreateArtifactFiles'), {
      storageLayout: 'V2',
      artifactFiles: [
        {
          artifactID: version.id,
          artifactManifestID: version.manifestId,
          name: 'big.bin',
          md5: file.md5.toString('base64'),
          mimetype: null,
          uploadPartsInput: inParts ? file.parts.map(({ partNumber, hexMD5 }) => ({ partNumber, hexMD5 })) : null,
        },
      ],
    }),
  );
  const upload = declared.createArtifactFiles.files.edges[0]?.node;
  if (!upload) throw new Error('createArtifactFiles answered no file');
  return upload;
}

/** The manifest's upload and the commit, as the SDK ends a version; the server's CPU time meanwhile. */
async function commit(api: SeedClient, server: BenchServer, version: Declared) {
  const cpu = server.cpuSeconds();
  const started = performance.now();
  const updated = ok<{ updateArtifactManifest: { artifactManifest: { file: { uploadUrl: string } } } }>(
    'UpdateArtifactManifest',
    await api.gql(sdkDocument('UpdateArtifactManifest'), {
      artifactManifestID: version.manifestId,
      digest: createHash('md5').update(version.manifest).digest('base64'),
      baseArtifactID: null,
      includeUpload: true,
    }),
  );
  const put = await putTo(api, updated.updateArtifactManifest.artifactManifest.file.uploadUrl, version.manifest);
  if (!put.ok) throw new Error(`PUT manifest answered ${put.status}`);
  ok('CommitArtifact', await api.gql(sdkDocument('CommitArtifact'), { artifactID: version.id }));
  return { seconds: +((performance.now() - started) / 1000).toFixed(2), serverCpuSeconds: +(server.cpuSeconds() - cpu).toFixed(2) };
}

/** (a): the SDK's multipart upload; timed from createArtifactFiles to the completion's answer. */
async function multipart(api: SeedClient, server: BenchServer, file: BigFile, name: string) {
  const version = await pendingVersion(api, name, file);
  const cpu = server.cpuSeconds();
  const started = performance.now();
  const upload = await declareFile(api, version, file, true);
  const multipartUrls = upload.uploadMultipartUrls;
  if (!multipartUrls || !upload.storagePath) throw new Error('createArtifactFiles answered no multipart upload');
  const completedParts = [];
  // One part after another, each from its own place in the file.
  for (const part of file.parts) {
    const url = multipartUrls.uploadUrlParts.find((p) => p.partNumber === part.partNumber)?.uploadUrl;
    if (!url) throw new Error(`no URL for part ${part.partNumber}`);
    completedParts.push({ partNumber: part.partNumber, hexMD5: await putRange(url, file.path, part.start, part.end) });
  }
  const partsSent = performance.now();
  ok(
    'CompleteMultipartUploadArtifact',
    await api.gql(sdkDocument('CompleteMultipartUploadArtifact'), {
      completeMultipartAction: 'Complete',
      completedParts,
      artifactID: version.id,
      storagePath: upload.storagePath,
      uploadID: multipartUrls.uploadID,
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const serverCpuSeconds = server.cpuSeconds() - cpu;
  const completeSeconds = (performance.now() - partsSent) / 1000;
  return { seconds, serverCpuSeconds, completeSeconds, commit: await commit(api, server, version) };
}

/** (b): one PUT of the whole file to its presigned URL, with the Content-MD5 it is signed for; timed alone. */
async function singlePut(api: SeedClient, server: BenchServer, file: BigFile, name: string) {
  const version = await pendingVersion(api, name, file);
  const upload = await declareFile(api, version, file, false);
  if (!upload.uploadUrl) throw new Error('createArtifactFiles answered no upload URL');
  const headers = Object.fromEntries(upload.uploadHeaders.map((h) => [h.slice(0, h.indexOf(':')), h.slice(h.indexOf(':') + 1)]));
  const cpu = server.cpuSeconds();
  const started = performance.now();
  await putRange(upload.uploadUrl, file.path, 0, file.size, headers);
  const seconds = (performance.now() - started) / 1000;
  const serverCpuSeconds = server.cpuSeconds() - cpu;
  return { seconds, serverCpuSeconds, commit: await commit(api, server, version) };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
};

export async function measureTransfer(options: { megabytes?: number; runs?: number } = {}) {
  const megabytes = options.megabytes ?? (Number(process.env.BENCH_TRANSFER_MB) > 0 ? Number(process.env.BENCH_TRANSFER_MB) : 1024);
  const runs = options.runs ?? 3;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-bench-transfer-'));
  // The S3 server on loopback, its objects in the work directory, with s3rver's fixed keys.
  fs.mkdirSync(path.join(work, 's3'));
  const s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: path.join(work, 's3') });
  const endpoint = `http://127.0.0.1:${(await s3.run()).port}`;
  const bucket = 'registry-bench';
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const admin = s3Client({ bucket, endpoint, region: 'us-east-1', forcePathStyle: true }, { credentials });
  await admin.send(new CreateBucketCommand({ Bucket: bucket }));
  admin.destroy();
  let server: BenchServer | undefined;
  try {
    const bigFile = path.join(work, 'big.bin');
    const size = megabytes * MiB;
    await generate(bigFile, size);
    server = await startBenchServer({
      DATA_DIR: path.join(work, 'data'),
      REGISTRY_ORG: 'bench',
      REGISTRY_ADMIN_PASSWORD: 'bench-password',
      REGISTRY_ADMIN_API_KEY: KEY,
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    });
    const api = httpClient(server.base, KEY);
    await createTeam(api, { name: TEAM, members: ['admin'] });
    await data(api, sdkDocument('UpsertBucket'), { name: 'bench', project: PROJECT, entity: TEAM, jobType: 'bench' });
    // What the server spends doing nothing (its delivery worker's poll), the floor of every CPU figure.
    const idleCpu = server.cpuSeconds();
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const idleCpuPerSecond = (server.cpuSeconds() - idleCpu) / 10;

    // Alternated, so a slow moment of the machine weighs on both alike.
    const a: Awaited<ReturnType<typeof multipart>>[] = [];
    const b: Awaited<ReturnType<typeof singlePut>>[] = [];
    for (let run = 0; run < runs; run++) {
      a.push(await multipart(api, server, await renew(bigFile, size), `parts-${run}`));
      b.push(await singlePut(api, server, await renew(bigFile, size), `whole-${run}`));
    }
    const mb = size / 1e6;
    const summary = (results: { seconds: number; serverCpuSeconds: number; commit: { seconds: number; serverCpuSeconds: number } }[]) => {
      const seconds = median(results.map((r) => r.seconds));
      return {
        seconds: +seconds.toFixed(2),
        megabytesPerSecond: +(mb / seconds).toFixed(1),
        serverCpuSeconds: +median(results.map((r) => r.serverCpuSeconds)).toFixed(2),
        commitSeconds: median(results.map((r) => r.commit.seconds)),
        commitServerCpuSeconds: median(results.map((r) => r.commit.serverCpuSeconds)),
        allSeconds: results.map((r) => +r.seconds.toFixed(2)),
      };
    };
    // The S3 server joining the parts (s3rver copies them into one new file) is part of (a)'s time.
    const parts = { ...summary(a), completeSeconds: +median(a.map((r) => r.completeSeconds)).toFixed(2) };
    const whole = summary(b);
    const partsOnly = median(a.map((r) => r.seconds - r.completeSeconds));
    return {
      bytes: size,
      runs,
      parts: { count: Math.ceil(size / partSizeFor(size)), bytes: partSizeFor(size) },
      multipart: parts,
      singlePut: whole,
      multipartVsPutThroughput: { ratio: +(parts.megabytesPerSecond / whole.megabytesPerSecond).toFixed(2), goal: 0.9 },
      // The same without the completion (the S3 server's join): the parts' PUTs against the one PUT.
      partPutsVsPutThroughput: +(whole.seconds / partsOnly).toFixed(2),
      serverIdleCpuSecondsPerSecond: +idleCpuPerSecond.toFixed(3),
      loadAverage: os.loadavg().map((l) => +l.toFixed(2)),
    };
  } finally {
    await server?.stop();
    await s3.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
