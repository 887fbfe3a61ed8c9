import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { data } from '../seed/client.js';
import { createTeam, createUser, newPassword } from '../seed/people.js';
import { logVersion } from '../seed/versions.js';
import { unique } from './support/api';
import { expect, expectNoA11yViolations, signIn, test } from './support/fixtures';

test.describe.configure({ timeout: 60_000 });

/** The web app's MULTIPART_THRESHOLD (src/features/artifacts/log-version.ts). */
const MULTIPART_THRESHOLD = 64 * 1024 * 1024;

test('log a version from the browser: files dropped and picked, metadata checked, progress shown, lands as the next vN', async ({
  signedIn: page,
  api,
}) => {
  const team = unique('team');
  await createTeam(api, { name: team, members: ['admin'] });
  await logVersion(api, { entity: team, project: 'p', name: 'resnet', type: 'model', files: { 'old.txt': 'v0' } });

  await page.goto(`/${team}/p/artifacts/model/resnet`);
  await expect(page.getByRole('table', { name: 'Versions of resnet' }).getByRole('row')).toHaveCount(2);
  await page.getByRole('button', { name: 'Log version' }).click();
  const dialog = page.getByRole('dialog', { name: 'Log version' });
  // Name and type default to the selected collection.
  await expect(dialog.getByRole('textbox', { name: 'Name' })).toHaveValue('resnet');
  await expect(dialog.getByRole('textbox', { name: 'Type' })).toHaveValue('model');
  await expectNoA11yViolations(page);

  // Nothing to upload yet, and metadata that is not a JSON object: errors next to the fields.
  await dialog.getByRole('textbox', { name: 'Metadata (JSON, optional)' }).fill('{"accuracy": 0.93');
  await dialog.getByRole('button', { name: 'Log version' }).click();
  await expect(dialog.getByText('Add at least one file.')).toBeVisible();
  await expect(dialog.getByRole('textbox', { name: 'Metadata (JSON, optional)' })).toHaveAccessibleDescription(
    /Metadata is not valid JSON/,
  );

  // One file through the picker, one dropped.
  const weights = Buffer.alloc(300_000, 7);
  await dialog.locator('input[type=file]').setInputFiles({ name: 'weights.bin', mimeType: 'application/octet-stream', buffer: weights });
  const dropped = await page.evaluateHandle(() => {
    const data = new DataTransfer();
    data.items.add(new File(['dropped notes'], 'notes.txt', { type: 'text/plain' }));
    return data;
  });
  await dialog.getByText('Drop files here, or').dispatchEvent('drop', { dataTransfer: dropped });
  const picks = dialog.getByRole('list', { name: 'Files to upload' });
  await expect(picks.getByRole('listitem')).toHaveCount(2);
  await expect(picks).toContainText('weights.bin');
  await expect(picks).toContainText('notes.txt');

  await dialog.getByRole('textbox', { name: 'Metadata (JSON, optional)' }).fill('{"accuracy": 0.93}');
  await expect(dialog.getByText(/Metadata is not valid JSON/)).toHaveCount(0);
  await dialog.getByRole('textbox', { name: 'Description (optional)' }).fill('Uploaded from the browser');

  // Hold each file upload a moment so the progress bar can be seen (and checked) mid-way.
  await page.route('**/files/upload/**', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 700));
    await route.continue();
  });
  await dialog.getByRole('button', { name: 'Log version' }).click();
  const progress = dialog.getByRole('progressbar', { name: /Uploading… \d+%/ });
  await expect(progress).toBeVisible();
  await expectNoA11yViolations(page);
  await expect(dialog.getByRole('status')).toHaveText(/Logged resnet:v1\./);
  await page.unrouteAll();

  // The lists on screen already know v1.
  await dialog.getByRole('button', { name: 'Close' }).last().click();
  await expect(page.getByRole('table', { name: 'Versions of resnet' }).getByRole('link', { name: 'v1', exact: true })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Artifacts' }).getByRole('link', { name: /resnet/ })).toContainText('2');
  await page.getByRole('link', { name: 'v1', exact: true }).click();

  const files = page.getByRole('table', { name: 'Files' });
  await expect(files.getByRole('row')).toHaveCount(3);
  await expect(files).toContainText('weights.bin');
  await expect(files).toContainText('notes.txt');
  await expect(page.getByText('Uploaded from the browser')).toBeVisible();
  await expect(page.getByLabel('Metadata (JSON)')).toContainText('"accuracy": 0.93');

  // Download returns the exact bytes.
  const downloading = page.waitForEvent('download');
  await files.getByRole('button', { name: 'Download notes.txt' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('notes.txt');
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  expect(Buffer.concat(chunks).toString()).toBe('dropped notes');

  // Through the API too: the next version of the collection, with its files.
  const read = await data<{ project: { artifact: { versionIndex: number; fileCount: number; description: string } } }>(
    api,
    `query ($e: String!) { project(entityName: $e, name: "p") { artifact(name: "resnet:latest") { versionIndex fileCount description } } }`,
    { e: team },
  );
  expect(read.project.artifact).toEqual({ versionIndex: 1, fileCount: 2, description: 'Uploaded from the browser' });
});

test('an org viewer in the team sees Log version disabled, as Project.readOnly says, with the role it needs', async ({ page, api }) => {
  const viewer = await createUser(api, { username: unique('watcher'), password: newPassword(), orgRole: 'viewer' });
  const team = unique('team');
  await createTeam(api, { name: team, members: ['admin', viewer.username] });
  await logVersion(api, { entity: team, project: 'p', name: 'resnet', type: 'model', files: { 'a.txt': 'a' } });
  await signIn(page, viewer);
  await page.goto(`/${team}/p/artifacts/model/resnet`);
  const log = page.getByRole('button', { name: 'Log version' });
  await expect(log).toBeDisabled();
  await expect(log).toHaveAccessibleDescription('Needs the organization member or admin role, in a team of this project');
  await expectNoA11yViolations(page);
});

test('a file above the multipart threshold goes up in parts with progress; a failed part is retried, and Resume sends only what is missing', async ({
  signedIn: page,
  api,
}) => {
  test.setTimeout(180_000);
  const team = unique('team');
  await createTeam(api, { name: team, members: ['admin'] });
  await logVersion(api, { entity: team, project: 'p', name: 'big', type: 'model', files: { 'old.txt': 'v0' } });
  // 64 MiB + 3 MiB: five parts of at most 16 MiB.
  const bytes = randomBytes(MULTIPART_THRESHOLD + 3 * 1024 * 1024);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-e2e-'));
  const file = path.join(dir, 'weights.bin');
  fs.writeFileSync(file, bytes);

  await page.goto(`/${team}/p/artifacts/model/big`);
  await page.getByRole('button', { name: 'Log version' }).click();
  const dialog = page.getByRole('dialog', { name: 'Log version' });
  await dialog.locator('input[type=file]').setInputFiles(file);

  // Part 2 fails once (then is retried); part 3 fails every try until the network "comes back".
  const tries = new Map<string, number>();
  let networkDown = true;
  await page.route('**/files/upload-part/**', async (route) => {
    const part = route.request().url().split('/').at(-1) ?? '';
    const n = (tries.get(part) ?? 0) + 1;
    tries.set(part, n);
    if ((part === '2' && n === 1) || (part === '3' && networkDown)) {
      await route.abort('connectionreset');
      return;
    }
    await route.continue();
  });
  await dialog.getByRole('button', { name: 'Log version' }).click();
  await expect(dialog.getByRole('progressbar', { name: /Uploading… \d+%/ })).toBeVisible({ timeout: 60_000 });
  const stopped = dialog.getByRole('alert');
  await expect(stopped).toContainText('Resume continues with what is not uploaded yet', { timeout: 60_000 });
  expect(tries.get('1')).toBe(1);
  expect(tries.get('2')).toBe(2);
  expect(tries.get('3')).toBe(3);
  await expectNoA11yViolations(page);
  await page.screenshot({ path: 'test-results/log-version-resume.png' });

  networkDown = false;
  await dialog.getByRole('button', { name: 'Resume upload' }).click();
  await expect(dialog.getByRole('status')).toHaveText(/Logged big:v1\./, { timeout: 60_000 });
  await page.unrouteAll();
  // Parts sent before the stop were not sent again.
  expect(Object.fromEntries(tries)).toEqual({ '1': 1, '2': 2, '3': 4, '4': 1, '5': 1 });

  await dialog.getByRole('link', { name: 'View big:v1' }).click();
  const files = page.getByRole('table', { name: 'Files' });
  await expect(files).toContainText('weights.bin');
  const downloading = page.waitForEvent('download');
  await files.getByRole('button', { name: 'Download weights.bin' }).click();
  const download = await downloading;
  const md5 = createHash('md5');
  for await (const chunk of await download.createReadStream()) md5.update(chunk as Buffer);
  expect(md5.digest('hex')).toBe(createHash('md5').update(bytes).digest('hex'));
  fs.rmSync(dir, { recursive: true, force: true });
});
