import { createRegistry } from '../seed/index.js';
import { unique } from './support/api';
import { expect, test } from './support/fixtures';

// What no page's own spec reaches of the app's router (docs/decisions/0009-an-in-house-router.md).
test('the address bar: links, back and forward, any case and a trailing slash, modified clicks, unknown paths', async ({
  signedIn: page,
  api,
}) => {
  const registry = unique('routed');
  await createRegistry(api, { name: registry });

  await page.goto('/registry');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(page.getByRole('heading', { level: 1, name: 'Registry' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Registry' })).toHaveAttribute('aria-current', 'page');

  // A plain click stays in the app (no new document), marks the link current, and joins the history.
  const marker = await page.evaluate(() => ((window as unknown as { routed: number }).routed = Math.random()));
  await nav.getByRole('link', { name: 'Projects' }).click();
  await expect(page).toHaveURL(/\/projects$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Projects' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Projects' })).toHaveAttribute('aria-current', 'page');
  await expect(nav.getByRole('link', { name: 'Registry' })).not.toHaveAttribute('aria-current', 'page');
  expect(await page.evaluate(() => (window as unknown as { routed: number }).routed)).toBe(marker);
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: 'Registry' })).toBeVisible();
  await page.goForward();
  await expect(page.getByRole('heading', { level: 1, name: 'Projects' })).toBeVisible();

  // A click with Ctrl (or Shift, Meta) is the browser's: a new tab, this page unchanged.
  const opened = page.context().waitForEvent('page');
  await nav.getByRole('link', { name: 'Registry' }).click({ modifiers: ['ControlOrMeta'] });
  const tab = await opened;
  await expect(tab).toHaveURL(/\/registry$/);
  await tab.close();
  await expect(page).toHaveURL(/\/projects$/);

  // Addresses as people type them.
  await page.goto('/REGISTRY/');
  await expect(page.getByRole('heading', { level: 1, name: 'Registry' })).toBeVisible();
  await page.goto(`/registry/${registry}/`);
  await expect(page.getByRole('heading', { level: 1, name: registry })).toBeVisible();
  await page.goto(`/registry/${encodeURIComponent(registry)}`);
  await expect(page.getByRole('heading', { level: 1, name: registry })).toBeVisible();

  // An address that is no page: a page that says so, with the way back. (A malformed escape such as
  // /registry/%E0%A4%A never reaches the app: the server answers it with what to fix.)
  await page.goto('/nowhere');
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Go to the registries' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Registry' })).toBeVisible();
});
