import type { Page } from '@playwright/test';
import { seedClient, unique } from './support/api';
import { seedCollection } from './support/collection-seed';
import { createUser, newPassword } from '../seed/index.js';
import { expect, signIn, test } from './support/fixtures';

async function shots(page: Page, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 844 });
    await page.screenshot({ path: `/tmp/web-shots/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

test.describe('not found, and sources the viewer cannot open', () => {
  test('a registry member outside the source team sees the source version as text, not a link to "Project not found"', async ({
    page,
    baseURL,
  }) => {
    test.setTimeout(120_000);
    const api = seedClient(baseURL);
    // An organization-visible registry: every org user is a viewer there; the source team's project is its members' only.
    const seed = await seedCollection(api, { versions: 1, prefix: 'src' });
    const outsider = await createUser(api, { username: unique('outsider'), password: newPassword() });
    await signIn(page, outsider);
    const label = `${seed.team}/training/resnet:v0`;

    await page.goto(seed.path);
    const row = page.getByRole('row', { name: /^v0\b/ });
    await expect(row.getByText(label)).toBeVisible();
    await expect(row.getByRole('link', { name: label })).toHaveCount(0);
    await shots(page, 'source-outsider-collection');

    await page.goto(`${seed.path}/v0`);
    await expect(page.getByText(label)).toBeVisible();
    await expect(page.getByRole('link', { name: label })).toHaveCount(0);
    await shots(page, 'source-outsider-version');

    // A member of the source team still gets the link.
    await signIn(page);
    await page.goto(seed.path);
    await expect(page.getByRole('row', { name: /^v0\b/ }).getByRole('link', { name: label })).toBeVisible();
  });

  test('a missing registry says so, and every not-found page has its h1', async ({ page }) => {
    await signIn(page);
    await page.goto('/registry/nope/x');
    await expect(page.getByRole('heading', { level: 1, name: 'Registry not found' })).toBeVisible();
    await shots(page, 'registry-not-found');
    await page.goto('/registry/nope/x/v0');
    await expect(page.getByRole('heading', { level: 1, name: 'Registry not found' })).toBeVisible();
    await page.goto('/registry/model/no-such-collection');
    await expect(page.getByRole('heading', { level: 1, name: 'Collection not found' })).toBeVisible();
    await page.goto('/registry/nope');
    await expect(page.getByRole('heading', { level: 1, name: 'Registry not found' })).toBeVisible();
    await page.goto('/no/such/page/here/at/all');
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  });
});
