import type { Page } from '@playwright/test';
import { addVersionTags } from '../seed/versions.js';
import { expect, expectNoA11yViolations, test } from './support/fixtures';
import { captureScreens } from './support/screens';

// v0 baseline, v1 production (tagged), v2 (tagged), v3 candidate and latest.
test.use({ seed: { prefix: 'filt', versions: 4, aliases: [['baseline'], ['production'], [], ['candidate']] } });

const versionsTable = (page: Page) => page.getByRole('table', { name: /^Versions of/ });
const shownVersions = (page: Page) => versionsTable(page).getByRole('rowheader');

/** Today in the browser's time zone, as a date input takes it. */
const today = (page: Page) =>
  page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });

test('versions sort and filter by alias, tag and created date, all kept in the URL', async ({ signedIn: page, api, collection }) => {
  test.setTimeout(90_000);
  for (const artifactId of collection.artifactIds.slice(1, 3)) await addVersionTags(api, { artifactId, tags: ['approved'] });
  await page.goto(collection.path);
  await expect(shownVersions(page)).toHaveText(['v3', 'v2', 'v1', 'v0']);
  // Each row says when, with the full date on hover.
  const created = versionsTable(page).getByRole('row').nth(1).locator('time');
  await expect(created).toHaveAttribute('title', /\d/);
  await expect(created).toHaveAttribute('datetime', /^\d{4}-\d{2}-\d{2}T/);

  // Reaching v0 is one sort-order change.
  await page.getByRole('combobox', { name: 'Sort', exact: true }).selectOption({ label: 'Oldest first' });
  await expect(shownVersions(page)).toHaveText(['v0', 'v1', 'v2', 'v3']);
  await expect(page).toHaveURL(/sort=oldest/);

  await page.getByRole('textbox', { name: 'Alias', exact: true }).fill('production');
  await page.getByRole('textbox', { name: 'Alias', exact: true }).press('Enter');
  await expect(shownVersions(page)).toHaveText(['v1']);
  await expect(page).toHaveURL(/alias=production/);
  await page.reload();
  await expect(shownVersions(page)).toHaveText(['v1']);
  await expect(page.getByRole('textbox', { name: 'Alias', exact: true })).toHaveValue('production');

  await page.getByRole('textbox', { name: 'Alias', exact: true }).fill('');
  await page.getByRole('textbox', { name: 'Alias', exact: true }).press('Enter');
  await page.getByRole('textbox', { name: 'Tag', exact: true }).fill('approved');
  await page.getByRole('textbox', { name: 'Tag', exact: true }).press('Enter');
  await expect(shownVersions(page)).toHaveText(['v1', 'v2']);
  await page.getByRole('combobox', { name: 'Sort', exact: true }).selectOption({ label: 'Newest first' });
  await expect(shownVersions(page)).toHaveText(['v2', 'v1']);
  await expectNoA11yViolations(page);

  // Created today: all of them; from tomorrow on: none, and the page says so.
  const day = await today(page);
  await page.getByLabel('Created from', { exact: true }).fill(day);
  await page.getByLabel('Created to', { exact: true }).fill(day);
  await expect(shownVersions(page)).toHaveText(['v2', 'v1']);
  const tomorrow = new Date(`${day}T12:00:00Z`);
  tomorrow.setUTCDate(tomorrow.getUTCDate() + 1);
  await page.getByLabel('Created to', { exact: true }).fill('');
  await page.getByLabel('Created from', { exact: true }).fill(tomorrow.toISOString().slice(0, 10));
  await expect(page.getByText('No version matches these filters')).toBeVisible();
  await expect(versionsTable(page)).toHaveCount(0);
  await expectNoA11yViolations(page);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(shownVersions(page)).toHaveText(['v3', 'v2', 'v1', 'v0']);
  await expect(page).not.toHaveURL(/tag=|from=|alias=/);
  await expect(page.getByRole('textbox', { name: 'Tag', exact: true })).toHaveValue('');
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
});

test('screenshots: a collection with filters, and one no version matches', async ({ browser, api, collection }) => {
  test.setTimeout(120_000);
  for (const artifactId of collection.artifactIds.slice(1, 3)) await addVersionTags(api, { artifactId, tags: ['approved'] });
  await captureScreens(browser, [
    {
      name: 'collection-filters',
      path: `${collection.path}?tag=approved&sort=oldest`,
      ready: (p) => p.getByRole('rowheader', { name: 'v2' }),
    },
    {
      name: 'collection-filters-empty',
      path: `${collection.path}?alias=nothing-has-this`,
      ready: (p) => p.getByRole('button', { name: 'Clear filters' }),
    },
  ]);
});
