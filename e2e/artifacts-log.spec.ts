import { data } from '../seed/client.js';
import { createTeam, createUser, newPassword } from '../seed/people.js';
import { logVersion } from '../seed/versions.js';
import { unique } from './support/api';
import { expect, expectNoA11yViolations, signIn, test } from './support/fixtures';

test.describe.configure({ timeout: 60_000 });

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
