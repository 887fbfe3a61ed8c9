import { seedClient } from './support/api';
import { seedCollection } from './support/collection-seed';
import { expect, signIn, test } from './support/fixtures';
import { seenTexts, slowGraphQL, watchTexts } from './support/rough-edges';

test.describe('pages that are loading never say "not found"', () => {
  test('clicking through the artifact browser and the registry pages', async ({ page, baseURL }) => {
    test.setTimeout(120_000);
    const api = seedClient(baseURL);
    const seed = await seedCollection(api, { versions: 2, prefix: 'load' });
    await signIn(page);
    await watchTexts(page, /not found/i);
    await slowGraphQL(page, 400);

    await page.goto(`/${seed.team}/training/artifacts`);
    await page.getByRole('link', { name: 'resnet' }).click();
    await expect(page.getByRole('link', { name: 'v1', exact: true })).toBeVisible();
    await page.getByRole('link', { name: 'v1', exact: true }).click();
    await expect(page).toHaveURL(/\/resnet\/v1$/);
    await expect(page.getByRole('button', { name: 'Link to registry' })).toBeVisible();
    await page.goBack();
    await page.getByRole('link', { name: 'v0', exact: true }).click();
    await expect(page).toHaveURL(/\/resnet\/v0$/);
    await expect(page.getByRole('button', { name: 'Link to registry' })).toBeVisible();
    const seen = await seenTexts(page);

    await page.goto(`/registry/${seed.registry}`);
    await page.getByRole('link', { name: seed.collection, exact: true }).first().click();
    await expect(page.getByRole('heading', { level: 1, name: seed.collection })).toBeVisible();
    await page.getByRole('link', { name: 'v1', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await page.getByRole('link', { name: seed.collection }).first().click();
    await expect(page.getByRole('heading', { level: 1, name: seed.collection })).toBeVisible();

    expect([...seen, ...(await seenTexts(page))]).toEqual([]);
  });

  test('"not found" still shows once the answer is empty', async ({ page }) => {
    await signIn(page);
    await page.goto('/acme/nope/artifacts');
    await expect(page.getByRole('heading', { level: 1, name: 'Project not found' })).toBeVisible();
  });
});
