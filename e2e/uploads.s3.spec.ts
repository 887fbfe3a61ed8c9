import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Download, Page, Request, Route } from '@playwright/test';
import { data } from '../seed/client.js';
import { createTeam } from '../seed/people.js';
import { logVersion } from '../seed/versions.js';
import { unique } from './support/api';
import { E2E_BUCKET, E2E_BUCKET_CREDENTIALS, E2E_BUCKET_ORIGIN, E2E_S3_ORIGIN } from './support/constants';
import { expect, test } from './support/fixtures';

// The web app against the server whose files live in a bucket (playwright.config.ts, project
// chromium-s3): the browser PUTs each file, or each part of a big one, straight to the bucket with the
// URLs the server presigned, and downloads from it; the bucket's CORS is the one the README gives.

/** The web app's MULTIPART_THRESHOLD (src/features/artifacts/log-version.ts). */
const MULTIPART_THRESHOLD = 64 * 1024 * 1024;

const bucket = new S3Client({
  region: 'us-east-1',
  endpoint: E2E_BUCKET_ORIGIN,
  forcePathStyle: true,
  credentials: E2E_BUCKET_CREDENTIALS,
});

/** The object a committed file is bound to (its storagePath), read from the bucket itself. */
async function objectOf(api: Parameters<typeof data>[0], team: string, version: string, name: string): Promise<Buffer> {
  const read = await data<{ project: { artifact: { files: { edges: { node: { name: string; storagePath: string } }[] } } } }>(
    api,
    `query ($e: String!, $v: String!) { project(entityName: $e, name: "p") { artifact(name: $v) { files { edges { node { name storagePath } } } } } }`,
    { e: team, v: version },
  );
  const key = read.project.artifact.files.edges.find((e) => e.node.name === name)?.node.storagePath ?? '';
  expect(key).toMatch(/^blobs\/[0-9a-f]{32}$/);
  const object = await bucket.send(new GetObjectCommand({ Bucket: E2E_BUCKET, Key: key }));
  return Buffer.from((await object.Body?.transformToByteArray()) ?? []);
}

/** Requests the page sends to the bucket, from now on. */
function bucketRequests(page: Page): Request[] {
  const seen: Request[] = [];
  page.on('request', (request) => {
    if (request.url().startsWith(`${E2E_BUCKET_ORIGIN}/`)) seen.push(request);
  });
  return seen;
}

async function md5Of(download: Download): Promise<string> {
  const md5 = createHash('md5');
  for await (const chunk of await download.createReadStream()) md5.update(chunk as Buffer);
  return md5.digest('hex');
}

test('a version logged from the browser goes straight to the bucket, and its file comes back from there', async ({
  signedIn: page,
  api,
}) => {
  const team = unique('team');
  await createTeam(api, { name: team, members: ['admin'] });
  await logVersion(api, { entity: team, project: 'p', name: 'notes', type: 'dataset', files: { 'old.txt': 'v0' } });
  const sent = bucketRequests(page);
  const registryUploads: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'PUT' && request.url().startsWith(`${E2E_S3_ORIGIN}/files/upload`)) registryUploads.push(request.url());
  });

  await page.goto(`/${team}/p/artifacts/dataset/notes`);
  await page.getByRole('button', { name: 'Log version' }).click();
  const dialog = page.getByRole('dialog', { name: 'Log version' });
  const bytes = randomBytes(200_000);
  await dialog.locator('input[type=file]').setInputFiles({ name: 'sample.bin', mimeType: 'application/octet-stream', buffer: bytes });
  await dialog.getByRole('button', { name: 'Log version' }).click();
  await expect(dialog.getByRole('status')).toHaveText(/Logged notes:v1\./);

  // One PUT, to the bucket, at the version's upload key; nothing through the registry's own upload route.
  const puts = sent.filter((r) => r.method() === 'PUT');
  expect(puts).toHaveLength(1);
  expect(new URL(puts[0]?.url() ?? '').pathname).toMatch(new RegExp(`^/${E2E_BUCKET}/uploads/\\d+/`));
  expect(registryUploads).toEqual([]);
  expect((await objectOf(api, team, 'notes:v1', 'sample.bin')).equals(bytes)).toBe(true);

  await dialog.getByRole('link', { name: 'View notes:v1' }).click();
  const files = page.getByRole('table', { name: 'Files' });
  const downloading = page.waitForEvent('download');
  await files.getByRole('button', { name: 'Download sample.bin' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('sample.bin');
  expect(await md5Of(download)).toBe(createHash('md5').update(bytes).digest('hex'));
  expect(sent.filter((r) => r.method() === 'GET').map((r) => new URL(r.url()).pathname)).toEqual([
    expect.stringMatching(new RegExp(`^/${E2E_BUCKET}/blobs/[0-9a-f]{32}$`)),
  ]);
});

test('a file above the multipart threshold goes to the bucket in parts with progress; a part cut off once is sent again', async ({
  signedIn: page,
  api,
}) => {
  test.setTimeout(80_000);
  const team = unique('team');
  await createTeam(api, { name: team, members: ['admin'] });
  await logVersion(api, { entity: team, project: 'p', name: 'big', type: 'model', files: { 'old.txt': 'v0' } });
  // 64 MiB + 3 MiB: five parts of at most 16 MiB (S3 takes parts of 5 MiB and more, but the last).
  const bytes = randomBytes(MULTIPART_THRESHOLD + 3 * 1024 * 1024);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-e2e-'));
  const file = path.join(dir, 'weights.bin');
  fs.writeFileSync(file, bytes);

  await page.goto(`/${team}/p/artifacts/model/big`);
  await page.getByRole('button', { name: 'Log version' }).click();
  const dialog = page.getByRole('dialog', { name: 'Log version' });
  await dialog.locator('input[type=file]').setInputFiles(file);

  // The first PUT of part 1 to the bucket is cut off; the app sends it again. Requests are held for the
  // route only until then (each 16 MiB body takes seconds through it).
  const parts = bucketRequests(page);
  const uploads = `${E2E_BUCKET_ORIGIN}/${E2E_BUCKET}/uploads/**`;
  const cutOnce = async (route: Route) => {
    if (route.request().method() !== 'PUT') return route.continue();
    await route.abort('connectionreset');
    await page.unroute(uploads, cutOnce);
  };
  await page.route(uploads, cutOnce);
  await dialog.getByRole('button', { name: 'Log version' }).click();
  await expect(dialog.getByRole('progressbar', { name: /Uploading… \d+%/ })).toBeVisible({ timeout: 30_000 });
  await expect(dialog.getByRole('status')).toHaveText(/Logged big:v1\./, { timeout: 60_000 });
  const tries = (part: string) => parts.filter((r) => r.method() === 'PUT' && new URL(r.url()).searchParams.get('partNumber') === part);
  expect(['1', '2', '3', '4', '5'].map((p) => tries(p).length)).toEqual([2, 1, 1, 1, 1]);
  expect(tries('1')[0]?.failure()?.errorText).toBeTruthy();
  expect(tries('1')[1]?.failure()).toBeNull();

  // The parts were joined in the bucket into the declared bytes (the download from there is the test above's).
  expect(
    createHash('md5')
      .update(await objectOf(api, team, 'big:v1', 'weights.bin'))
      .digest('hex'),
  ).toBe(createHash('md5').update(bytes).digest('hex'));
  fs.rmSync(dir, { recursive: true, force: true });
});
