import { createTeam } from '../seed/people.js';
import { logVersion } from '../seed/versions.js';
import { unique } from './support/api';
import { expect, test } from './support/fixtures';

test.describe.configure({ timeout: 120_000 });

// The artifact browser used to show the newest 50 versions and say "Showing the newest 50 of 60", with
// no way to the rest. Now it pages, the page kept in the URL.
test('the artifact browser pages through every version, and a reload keeps the page', async ({ signedIn: page, api }) => {
  const team = unique('paging');
  await createTeam(api, { name: team, members: ['admin'] });
  for (let start = 0; start < 60; start += 10) {
    // Ten at a time; each logs the next version of the same artifact, so the order is by version number.
    await Promise.all(
      Array.from({ length: 10 }, (_, k) =>
        logVersion(api, { entity: team, project: 'p', name: 'big', type: 'model', files: { 'w.txt': `w ${start + k}` } }),
      ),
    );
  }
  await page.goto(`/${team}/p/artifacts/model/big`);
  const table = page.getByRole('table', { name: 'Versions of big' });
  const pager = page.getByRole('navigation', { name: 'Pages' });
  await expect(table.getByRole('row')).toHaveCount(51);
  await expect(table.getByRole('link', { name: 'v59', exact: true })).toBeVisible();
  await expect(pager).toContainText('1–50 of 60');
  await expect(pager.getByRole('button', { name: 'Previous' })).toBeDisabled();

  await pager.getByRole('button', { name: 'Next' }).click();
  await expect(pager).toContainText('51–60 of 60');
  await expect(table.getByRole('row')).toHaveCount(11);
  await expect(table.getByRole('link', { name: 'v0', exact: true })).toBeVisible();
  await expect(pager.getByRole('button', { name: 'Next' })).toBeDisabled();
  await expect(page).toHaveURL(/after=/);

  // A reload lands on the same page, and Previous goes back to the first.
  await page.reload();
  await expect(table.getByRole('link', { name: 'v0', exact: true })).toBeVisible();
  await expect(pager).toContainText('51–60 of 60');
  await pager.getByRole('button', { name: 'Previous' }).click();
  await expect(table.getByRole('link', { name: 'v59', exact: true })).toBeVisible();
  await expect(pager).toContainText('1–50 of 60');
});
