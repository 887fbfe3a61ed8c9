import { linkVersion } from '../seed/collections.js';
import { createTeam } from '../seed/people.js';
import { logVersion } from '../seed/versions.js';
import { unique } from './support/api';
import { expect, expectNoA11yViolations, signIn, test } from './support/fixtures';
import { choose, combobox, listbox } from './support/pickers';

test.describe.configure({ timeout: 120_000 });

test("axe finds nothing on projects, browser, version overview, the modal's steps and Log version, in light and dark", async ({
  browser,
  api,
}) => {
  const team = unique('team');
  const collection = unique('axe');
  await createTeam(api, { name: team, members: ['admin'] });
  const v0 = await logVersion(api, {
    entity: team,
    project: 'p',
    name: 'net',
    type: 'model',
    files: { 'w.bin': 'w' },
    metadata: { f1: 0.9 },
  });
  await linkVersion(api, { artifactId: v0.artifactId, registry: 'model', collection: collection, aliases: ['production'] });

  for (const colorScheme of ['light', 'dark'] as const) {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    await signIn(page);
    await page.goto('/projects');
    await expect(page.getByRole('region', { name: team })).toBeVisible();
    await expectNoA11yViolations(page);
    await page.goto(`/${team}/p/artifacts`);
    await expect(page.getByText('Select a collection')).toBeVisible();
    await expectNoA11yViolations(page);
    await page.getByRole('navigation', { name: 'Artifacts' }).getByRole('link', { name: /net/ }).click();
    await expect(page.getByRole('table', { name: 'Versions of net' })).toBeVisible();
    await expectNoA11yViolations(page);
    await page.getByRole('link', { name: 'v0', exact: true }).click();
    await expect(page.getByRole('region', { name: 'Linked to' }).getByRole('link')).toHaveCount(1);
    await expectNoA11yViolations(page);

    await page.getByRole('button', { name: 'Link to registry' }).click();
    const modal = page.getByRole('dialog', { name: 'Link to registry' });
    await choose(modal, 'Select a registered model', /New collection in Models/);
    await modal.getByRole('textbox', { name: 'New collection name' }).fill(collection);
    await expect(modal.getByText(`Models already has "${collection}": pick it in the list instead.`)).toBeVisible();
    await expectNoA11yViolations(page);
    await combobox(modal, 'Select a registered model').fill(collection);
    await expect(listbox(modal, 'Select a registered model')).toBeVisible();
    await expectNoA11yViolations(page);
    await choose(modal, 'Select a registered model', new RegExp(`${collection}.*already linked as v0`), collection);
    await modal.getByRole('button', { name: 'Next step' }).click();
    await combobox(modal, 'Aliases').fill('production bad:alias');
    await expect(
      modal.getByText('Alias "bad:alias" is not valid: use 1-128 characters without "/" or ":" and no leading or trailing spaces.'),
    ).toBeVisible();
    await expectNoA11yViolations(page);
    await modal.getByRole('button', { name: 'Close' }).first().click();

    await page.getByRole('button', { name: 'Log version' }).click();
    const log = page.getByRole('dialog', { name: 'Log version' });
    await log.getByRole('textbox', { name: 'Metadata (JSON, optional)' }).fill('[1, 2]');
    await log.getByRole('button', { name: 'Log version' }).click();
    await expect(log.getByText('Metadata must be a JSON object, e.g. {"accuracy": 0.93}.')).toBeVisible();
    await expectNoA11yViolations(page);
    await page.keyboard.press('Escape');
    await context.close();
  }
});

test('revisiting the browser and a version makes no GraphQL request', async ({ signedIn: page, api }) => {
  const team = unique('team');
  await createTeam(api, { name: team, members: ['admin'] });
  await logVersion(api, { entity: team, project: 'p', name: 'net', type: 'model', files: { 'w.bin': 'w' } });

  await page.goto(`/${team}/p/artifacts/model/net`);
  await page.getByRole('link', { name: 'v0', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Version overview' })).toBeVisible();
  const requests: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/graphql')) requests.push(`${r.url()} ${r.postData() ?? ''}`);
  });
  await page.goBack();
  await expect(page.getByRole('table', { name: 'Versions of net' })).toBeVisible();
  await page.goForward();
  await expect(page.getByRole('heading', { name: 'Version overview' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Projects' }).click();
  await expect(page.getByRole('region', { name: team })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Version overview' })).toBeVisible();
  // Only the first visit of Projects asks the server.
  expect(requests.filter((request) => !request.includes('"operationName":"Projects"'))).toEqual([]);
  expect(requests).toHaveLength(1);
});
