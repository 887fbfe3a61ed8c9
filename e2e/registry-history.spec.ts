import type { Page } from '@playwright/test';
import { createUser, newPassword } from '../seed/people.js';
import { createRegistry } from '../seed/registries.js';
import { unique } from './support/api';
import { expect, expectNoA11yViolations, signIn, test } from './support/fixtures';
import { captureScreens } from './support/screens';

// 26 links write 26 version.linked and 26 moves of latest: more than one page of 50.
test.use({ seed: { prefix: 'hist', versions: 26, aliases: [['baseline']] } });

const historyRows = (page: Page) =>
  page
    .getByRole('table')
    .getByRole('row')
    .filter({ has: page.getByRole('cell') });

test("a registry's history: newest first, paged and filtered in the URL", async ({ signedIn: page, collection }) => {
  test.setTimeout(180_000);
  await page.goto(`/registry/${collection.registry}`);
  await page.getByRole('link', { name: 'History', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/registry/${collection.registry}/history$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/ history$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);

  const newest = historyRows(page).first();
  await expect(newest).toContainText('moved alias “latest” from v24 to v25');
  await expect(newest).toContainText('admin');
  await expect(newest.getByRole('link', { name: 'v25' })).toHaveAttribute('href', `${collection.path}/v25`);
  await expect(newest.getByRole('link', { name: collection.collection })).toHaveAttribute('href', collection.path);
  await expect(newest.locator('time')).toHaveAttribute('title', /\d/);
  await expectNoA11yViolations(page);

  // Paging: cursors in the URL survive a reload.
  const pager = page.getByRole('navigation', { name: 'Pages' });
  await expect(pager).toContainText('1–50');
  await pager.getByRole('button', { name: 'Next' }).click();
  await expect(pager).toContainText(/51–5\d/);
  await expect(page).toHaveURL(/after=/);
  await page.reload();
  await expect(pager).toContainText(/51–5\d/);
  await expect(historyRows(page).last()).toContainText('registry');
  await pager.getByRole('button', { name: 'Previous' }).click();
  await expect(pager).toContainText('1–50');

  // By action: only links, newest first, and the filter goes back to the first page.
  await page.getByRole('combobox', { name: 'Action', exact: true }).selectOption({ label: 'Version linked' });
  await expect(page).toHaveURL(/action=version\.linked/);
  await expect(historyRows(page)).toHaveCount(26);
  await expect(historyRows(page).first()).toContainText('linked v25 from');
  await expect(historyRows(page).last()).toContainText('linked v0 from');

  // By user, with the action: a user who did nothing here gives an empty page that says so.
  await page.getByRole('textbox', { name: 'User', exact: true }).fill('admin');
  await page.getByRole('textbox', { name: 'User', exact: true }).press('Enter');
  await expect(page).toHaveURL(/user=admin/);
  await expect(historyRows(page)).toHaveCount(26);
  await page.getByRole('textbox', { name: 'User', exact: true }).fill('nobody-at-all');
  await page.getByRole('textbox', { name: 'User', exact: true }).press('Enter');
  await expect(page.getByText('No event matches these filters')).toBeVisible();
  await expectNoA11yViolations(page);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).not.toHaveURL(/user=|action=/);
  await expect(page.getByRole('combobox', { name: 'Action', exact: true })).toHaveValue('');
  await expect(pager).toContainText('1–50');
});

test("a restricted registry's history is not found for someone outside it, as the registry is", async ({ page, api }) => {
  const registry = await createRegistry(api, { name: unique('secret'), restricted: true, types: ['model'] });
  const outsider = await createUser(api, { username: unique('out'), orgRole: 'member', password: newPassword() });
  await signIn(page, outsider);
  await page.goto(`/registry/${registry.name}/history`);
  await expect(page.getByRole('heading', { name: 'Registry not found' })).toBeVisible();
  await expect(page.getByRole('table')).toHaveCount(0);
});

test.describe('after a change', () => {
  test.use({ seed: { prefix: 'hist', versions: 1 } });
  test('a change made in the app shows in the history when it is opened again', async ({ signedIn: page, collection }) => {
    await page.goto(`/registry/${collection.registry}/history`);
    await expect(page.getByRole('cell', { name: 'linked v0', exact: false }).first()).toBeVisible();
    await page.getByRole('link', { name: collection.collection }).first().click();
    await page.getByRole('textbox', { name: 'New tags' }).fill('fresh');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await expect(page.getByRole('list', { name: 'Collection tags' })).toContainText('fresh');
    await page.goBack();
    await expect(historyRows(page).first()).toContainText('added tag “fresh”');
  });
});

test.describe('screens', () => {
  test.use({ seed: { prefix: 'hist', versions: 3, aliases: [['baseline'], ['production'], []] } });
  test('screenshots: a registry history, filtered and unfiltered', async ({ browser, collection }) => {
    test.setTimeout(120_000);
    const path = `/registry/${collection.registry}/history`;
    await captureScreens(browser, [
      {
        name: 'registry-history-link',
        path: `/registry/${collection.registry}`,
        ready: (p) => p.getByRole('link', { name: 'History', exact: true }),
      },
      { name: 'registry-history', path, ready: (p) => p.getByRole('cell', { name: /created the registry/ }) },
      {
        name: 'registry-history-filtered',
        path: `${path}?action=alias.added&user=admin`,
        ready: (p) => p.getByRole('cell', { name: /baseline/ }),
      },
      {
        name: 'registry-history-empty',
        path: `${path}?user=nobody-at-all`,
        ready: (p) => p.getByRole('button', { name: 'Clear filters' }),
      },
    ]);
  });
});
