import { seedClient, unique } from './support/api';
import { expect, signIn, test } from './support/fixtures';
import { createCollection, createRegistry } from '../seed/index.js';

test('a registry page past the first keeps its place in the URL: reload, deep link, back and Previous', async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const api = seedClient(baseURL);
  const registry = unique('paged');
  await createRegistry(api, { name: registry });
  for (let i = 0; i < 45; i++) await createCollection(api, { registry, name: `c-${String(i).padStart(2, '0')}` });
  await signIn(page);
  await page.goto(`/registry/${registry}`);
  const pager = page.getByRole('navigation', { name: 'Pages' });
  await expect(pager).toContainText('1–20 of 45');
  await pager.getByRole('button', { name: 'Next' }).click();
  await expect(pager).toContainText('21–40 of 45');
  await pager.getByRole('button', { name: 'Next' }).click();
  await expect(pager).toContainText('41–45 of 45');
  const third = page.url();

  await page.reload();
  await expect(pager).toContainText('41–45 of 45');
  await expect(pager.getByRole('button', { name: 'Previous' })).toBeEnabled();
  await expect(pager.getByRole('button', { name: 'Next' })).toBeDisabled();
  await pager.getByRole('button', { name: 'Previous' }).click();
  await expect(pager).toContainText('21–40 of 45');
  await page.goBack();
  await expect(pager).toContainText('41–45 of 45');

  // A deep link in a fresh tab, with no history behind it.
  const other = await page.context().newPage();
  await other.goto(third);
  const otherPager = other.getByRole('navigation', { name: 'Pages' });
  await expect(otherPager).toContainText('41–45 of 45');
  await otherPager.getByRole('button', { name: 'Previous' }).click();
  await expect(otherPager).toContainText('21–40 of 45');
  await otherPager.getByRole('button', { name: 'Previous' }).click();
  await expect(otherPager).toContainText('1–20 of 45');
  await expect(otherPager.getByRole('button', { name: 'Previous' })).toBeDisabled();
  for (const width of [1280, 390]) {
    await other.setViewportSize({ width, height: 844 });
    await other.screenshot({ path: `/tmp/web-shots/registry-paged-${width}.png`, fullPage: true });
  }
});
