import type { Page } from '@playwright/test';
import { linkVersionsInBulk, logVersionsInBulk } from '../seed/bulk.js';
import { createTeam } from '../seed/people.js';
import { createRegistry } from '../seed/registries.js';
import { seedClient, unique } from './support/api';
import { expect, expectNoA11yViolations, signIn, test } from './support/fixtures';
import { choose } from './support/pickers';
import { captureScreens } from './support/screens';

// The collection page at real scale: one collection of 2 000 linked versions, made through the API.
// The source artifact has 2 001 versions; all but its v3 are linked (v3 is linked from the page), so
// the collection's v0…v1999 are source versions in the order their links arrived.
const VERSIONS = 2000;
/** The source version left for the Link new version sheet. */
const UNLINKED = 3;

interface Big {
  team: string;
  registry: string;
  /** The 2 000-version collection's page. */
  path: string;
  /** A 10-version collection of the same registry, to compare with. */
  smallPath: string;
}

async function seedBig(baseURL: string | undefined): Promise<Big> {
  const api = seedClient(baseURL);
  const team = unique('big');
  const registry = unique('big');
  await createTeam(api, { name: team, members: ['admin'] });
  await createRegistry(api, { name: registry, types: ['model'] });
  const started = Date.now();
  const source = await logVersionsInBulk(api, { entity: team, project: 'scale', name: 'huge-model', count: VERSIONS + 1 });
  const logged = Date.now();
  const linked = source.filter((v) => v.versionIndex !== UNLINKED).map((v) => v.artifactId);
  const indices = await linkVersionsInBulk(api, { artifactIds: linked, registry, collectionOf: () => 'huge' });
  expect(new Set(indices).size).toBe(VERSIONS);
  await linkVersionsInBulk(api, { artifactIds: linked.slice(-10), registry, collectionOf: () => 'small' });
  console.log(`seeded ${VERSIONS + 1} source versions in ${logged - started} ms, linked them in ${Date.now() - logged} ms`);
  return { team, registry, path: `/registry/${registry}/huge`, smallPath: `/registry/${registry}/small` };
}

// Seeded once: a failure skips the rest rather than seeding all again.
test.describe.configure({ mode: 'serial', timeout: 120_000 });

let big: Big;
test.beforeAll(async ({ baseURL }) => {
  test.setTimeout(600_000);
  big = await seedBig(baseURL);
});

const versionsTable = (page: Page) => page.getByRole('table', { name: /^Versions of/ });
const shownVersions = (page: Page) => versionsTable(page).getByRole('rowheader');
const pager = (page: Page) => page.getByRole('navigation', { name: 'Pages' });
const versionBox = (page: Page) => page.getByRole('textbox', { name: 'Version', exact: true });

/** Opens a collection page and waits for its first row and pager; how long that took, in ms. */
async function openTimed(page: Page, path: string, firstRow: string, range: string): Promise<number> {
  const started = Date.now();
  await page.goto(path);
  await expect(shownVersions(page).first()).toHaveText(firstRow);
  await expect(pager(page)).toContainText(range);
  return Date.now() - started;
}

test('the first page of 2 000 versions: the newest 50 and the total', async ({ signedIn: page }) => {
  // Warmed once each (the route's code, the session), then timed.
  await openTimed(page, big.smallPath, 'v9', '1–10 of 10');
  await openTimed(page, big.path, 'v1999', '1–50 of 2000');
  const small = await openTimed(page, big.smallPath, 'v9', '1–10 of 10');
  const large = await openTimed(page, big.path, 'v1999', '1–50 of 2000');
  // Logged, not asserted: on a shared machine the wall clock says more about the neighbours.
  console.log(`first page shown: 10 versions ${small} ms, 2 000 versions ${large} ms`);

  await expect(shownVersions(page)).toHaveCount(50);
  await expect(shownVersions(page).last()).toHaveText('v1950');
  await expect(pager(page).getByRole('button', { name: 'Previous' })).toBeDisabled();
  await expect(pager(page).getByRole('button', { name: 'Next' })).toBeEnabled();
  await expectNoA11yViolations(page);
});

test('search for v7: the Version filter shows exactly that row, kept in the URL', async ({ signedIn: page }) => {
  await page.goto(big.path);
  await expect(pager(page)).toContainText('1–50 of 2000');
  await versionBox(page).fill('v7');
  await versionBox(page).press('Enter');
  await expect(shownVersions(page)).toHaveText(['v7']);
  await expect(pager(page)).toContainText('1–1 of 1');
  await expect(page).toHaveURL(/version=v7(&|$)/);
  await page.reload();
  await expect(shownVersions(page)).toHaveText(['v7']);
  await expect(versionBox(page)).toHaveValue('v7');

  // The number alone (or V1999) names a version too; what names none says so and changes nothing.
  await versionBox(page).fill('1999');
  await versionBox(page).press('Enter');
  await expect(shownVersions(page)).toHaveText(['v1999']);
  await expect(versionBox(page)).toHaveValue('v1999');
  await versionBox(page).fill('seven');
  await versionBox(page).press('Enter');
  await expect(versionBox(page)).toHaveAttribute('aria-invalid', 'true');
  await expect(versionBox(page)).toHaveAccessibleDescription('A version is v and its number, such as v7.');
  await expect(shownVersions(page)).toHaveText(['v1999']);
  await expect(page).toHaveURL(/version=v1999(&|$)/);
  await expectNoA11yViolations(page);

  // A version the collection does not have yet.
  await versionBox(page).fill('v2000');
  await versionBox(page).press('Enter');
  await expect(versionBox(page)).not.toHaveAttribute('aria-invalid');
  await expect(page.getByText('No version matches these filters')).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(pager(page)).toContainText('1–50 of 2000');
  await expect(page).not.toHaveURL(/version=/);
});

test('reaching v0 is one sort-order change', async ({ signedIn: page }) => {
  await page.goto(big.path);
  await expect(shownVersions(page).first()).toHaveText('v1999');
  await page.getByRole('combobox', { name: 'Sort', exact: true }).selectOption({ label: 'Oldest first' });
  await expect(shownVersions(page).first()).toHaveText('v0');
  await expect(shownVersions(page).nth(49)).toHaveText('v49');
  await expect(pager(page)).toContainText('1–50 of 2000');
  await expect(page).toHaveURL(/sort=oldest/);
});

test('a deep link to page 3 opens the same rows after a reload, with a working Previous', async ({ signedIn: page }) => {
  await page.goto(big.path);
  await expect(pager(page)).toContainText('1–50 of 2000');
  await pager(page).getByRole('button', { name: 'Next' }).click();
  await expect(pager(page)).toContainText('51–100 of 2000');
  await pager(page).getByRole('button', { name: 'Next' }).click();
  await expect(pager(page)).toContainText('101–150 of 2000');
  await expect(shownVersions(page).first()).toHaveText('v1899');
  const third = page.url();

  // A new page with no history behind it, reloaded.
  const other = await page.context().newPage();
  await other.goto(third);
  await expect(shownVersions(other).first()).toHaveText('v1899');
  await other.reload();
  await expect(shownVersions(other).first()).toHaveText('v1899');
  await expect(shownVersions(other).last()).toHaveText('v1850');
  await expect(pager(other)).toContainText('101–150 of 2000');
  await pager(other).getByRole('button', { name: 'Previous' }).click();
  await expect(pager(other)).toContainText('51–100 of 2000');
  await expect(shownVersions(other).first()).toHaveText('v1949');
  await pager(other).getByRole('button', { name: 'Previous' }).click();
  await expect(shownVersions(other).first()).toHaveText('v1999');
  await expect(pager(other).getByRole('button', { name: 'Previous' })).toBeDisabled();
  await other.close();
});

test('screenshots: 2 000 versions at 1280 and 390 px, light and dark', async ({ browser }) => {
  test.setTimeout(180_000);
  await captureScreens(browser, [
    { name: 'scale-2000-versions', path: big.path, ready: (p) => p.getByText('1–50 of 2000') },
    { name: 'scale-2000-version-v7', path: `${big.path}?version=v7`, ready: (p) => p.getByText('1–1 of 1') },
  ]);
});

test('link v3 from the sidebar: found by typing among 2 001, and first in the table', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page);
  await page.goto(big.path);
  await expect(pager(page)).toContainText('1–50 of 2000');
  await page.getByRole('button', { name: 'Link new version' }).click();
  const sheet = page.getByRole('dialog', { name: 'Link new version' });
  await choose(sheet, 'Team', big.team, big.team);
  await choose(sheet, 'Project', 'scale');
  await choose(sheet, 'Artifact', 'huge-model', 'HUGE');
  // The only version of 2 001 not linked here; v30…v39 and v300… are, and say so.
  await choose(sheet, 'Version', /^v3$/, 'v3');
  await sheet.getByRole('button', { name: 'Link', exact: true }).click();
  await expect(sheet.getByRole('status')).toHaveText(/Linked as v2000\./);
  await sheet.getByRole('button', { name: 'Done' }).click();
  await expect(sheet).toHaveCount(0);
  await expect(shownVersions(page).first()).toHaveText('v2000');
  await expect(versionsTable(page).getByRole('row').nth(1)).toContainText('latest');
  await expect(pager(page)).toContainText('1–50 of 2001');
});
