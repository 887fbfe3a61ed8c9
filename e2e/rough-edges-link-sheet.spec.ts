import { seedClient } from './support/api';
import { seedCollection } from './support/collection-seed';
import { expect, signIn, test } from './support/fixtures';
import { choose, combobox, listbox } from './support/pickers';

test.describe('Link new version on a collection page holding more than one page of versions', () => {
  test('the sheet opens over the page, which keeps its versions', async ({ page, baseURL }) => {
    test.setTimeout(180_000);
    const api = seedClient(baseURL);
    // One more than the page's 50 rows: the sheet's own list of the collection's versions is longer than the page's.
    const seed = await seedCollection(api, { versions: 51, prefix: 'many' });
    await signIn(page);
    await page.goto(seed.path);
    const table = page.getByRole('table', { name: `Versions of ${seed.collection}` });
    await expect(table.getByRole('row')).toHaveCount(51);

    await page.getByRole('button', { name: 'Link new version' }).click();
    const sheet = page.getByRole('dialog', { name: 'Link new version' });
    await expect(combobox(sheet, 'Team')).toBeEnabled();
    // Behind the open sheet (hidden from the accessibility tree), the page still holds its collection.
    await expect(page.getByText('Collection not found')).toHaveCount(0);
    await expect(page.locator('h1', { hasText: seed.collection })).toBeAttached();
    await expect(page.locator('table.versions tbody tr')).toHaveCount(50);

    // The sheet still knows every linked version, the oldest included.
    await choose(sheet, 'Team', seed.team);
    await choose(sheet, 'Project', 'training');
    await choose(sheet, 'Artifact', 'resnet');
    // Found by typing, however many versions are newer.
    await combobox(sheet, 'Version').fill('v0');
    await expect(listbox(sheet, 'Version').getByRole('option', { name: /^v0 linked as v0$/ })).toBeVisible();
    await page.screenshot({ path: '/tmp/web-shots/link-sheet-51-1280.png' });
    await sheet.getByRole('button', { name: 'Done' }).click();
    await expect(table.getByRole('row')).toHaveCount(51);
    await expect(page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Next' })).toBeEnabled();
  });
});
