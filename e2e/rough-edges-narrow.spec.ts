import type { Locator } from '@playwright/test';
import { seedClient, unique } from './support/api';
import { seedCollection } from './support/collection-seed';
import { createUser, grantRegistryRole, newPassword } from '../seed/index.js';
import { expect, signIn, test } from './support/fixtures';

test.use({ viewport: { width: 390, height: 844 } });

/** The control lies wholly inside the 390 px viewport, without scrolling anything sideways. */
async function expectOnScreen(control: Locator) {
  await expect(control).toBeVisible();
  const box = await control.boundingBox();
  expect(box, 'no box').not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);
}

test('at 390 px every row action is on screen: the collection ⋯ menu, version menus, the members table', async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const api = seedClient(baseURL);
  const seed = await seedCollection(api, { versions: 2, prefix: 'narrow' });
  const member = await createUser(api, { username: unique('member-with-a-long-name'), password: newPassword() });
  await grantRegistryRole(api, { registry: seed.registry, username: member.username, role: 'member' });
  await signIn(page);

  await page.goto(`/registry/${seed.registry}`);
  const more = page.getByRole('button', { name: `More actions for ${seed.collection}` });
  await expectOnScreen(more);
  await page.screenshot({ path: '/tmp/web-shots/narrow-registry-390.png', fullPage: true });
  await more.click();
  await page.getByRole('menuitem', { name: 'Link new version' }).click();
  await expect(page.getByRole('dialog', { name: 'Link new version' })).toBeVisible();
  await page.keyboard.press('Escape');

  await page.goto(seed.path);
  const versionMenu = page.getByRole('button', { name: 'More actions for v1' });
  await expectOnScreen(versionMenu);
  await page.screenshot({ path: '/tmp/web-shots/narrow-collection-390.png', fullPage: true });
  await versionMenu.click();
  await expect(page.getByRole('menuitem', { name: 'Add alias' })).toBeVisible();
  await page.keyboard.press('Escape');

  await page.goto(`/registry/${seed.registry}/settings`);
  await expectOnScreen(page.getByRole('combobox', { name: `Role of ${member.username}` }));
  await expectOnScreen(page.getByRole('button', { name: `Remove ${member.username}` }));
  await page.screenshot({ path: '/tmp/web-shots/narrow-settings-390.png', fullPage: true });
});
