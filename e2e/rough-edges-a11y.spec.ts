import type { Page } from '@playwright/test';
import { seedClient } from './support/api';
import { seedCollection, type SeededCollection } from './support/collection-seed';
import { expect, signIn, test } from './support/fixtures';
import { combobox } from './support/pickers';
import { a11yViolations } from './support/rough-edges';

const CARD = `# Card

## Checks

- [x] evaluated on the holdout set
- [ ] reviewed by the safety team
`;

let seed: SeededCollection;

test.beforeAll(async ({ baseURL }) => {
  seed = await seedCollection(seedClient(baseURL), { versions: 2, description: CARD, prefix: 'axe' });
});

/** Every page and open dialog or menu a new user meets, each scanned once it has loaded. */
async function scanAll(page: Page, label: string): Promise<string[]> {
  const found: string[] = [];
  const scan = async (where: string) => found.push(...(await a11yViolations(page, `${label} ${where}`)));

  await page.goto('/login');
  await expect(page.getByRole('button', { name: /sign in/i })).toBeVisible();
  await scan('sign-in');

  await signIn(page);
  await page.goto('/registry');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await scan('home');
  await page.getByRole('button', { name: /User menu/ }).click();
  await expect(page.getByRole('menu')).toBeVisible();
  await scan('home, user menu open');
  await page.keyboard.press('Escape');

  await page.goto(`/registry/${seed.registry}`);
  await expect(page.getByRole('row', { name: new RegExp(seed.collection) })).toBeVisible();
  await scan('registry');
  await page.getByRole('button', { name: `More actions for ${seed.collection}` }).click();
  await expect(page.getByRole('menu')).toBeVisible();
  await scan('registry, collection menu open');
  await page.getByRole('menuitem', { name: 'Link new version' }).click();
  await expect(combobox(page.getByRole('dialog', { name: 'Link new version' }), 'Team')).toBeEnabled();
  await scan('registry, link sheet open');
  await page.keyboard.press('Escape');

  await page.goto(`/registry/${seed.registry}/settings`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await scan('settings');

  await page.goto(seed.path);
  await expect(page.getByRole('row', { name: /^v1\b/ })).toBeVisible();
  await scan('collection');
  await page.getByRole('button', { name: 'More actions for v1' }).click();
  await expect(page.getByRole('menu')).toBeVisible();
  await scan('collection, version menu open');
  await page.keyboard.press('Escape');

  await page.goto(`${seed.path}/v1`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await scan('version');

  await page.goto(`/${seed.team}/training/artifacts/model/resnet/v1`);
  await expect(page.getByRole('button', { name: 'Link to registry' })).toBeVisible();
  await scan('artifact browser');
  await page.getByRole('button', { name: 'Link to registry' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await scan('artifact browser, link modal open');
  await page.keyboard.press('Escape');
  await page.context().clearCookies();
  return found;
}

for (const colorScheme of ['light', 'dark'] as const) {
  for (const width of [1280, 390]) {
    test(`axe finds nothing on every page and dialog at ${width} px, ${colorScheme}`, async ({ page }) => {
      test.setTimeout(300_000);
      await page.setViewportSize({ width, height: 844 });
      await page.emulateMedia({ colorScheme });
      const found = await scanAll(page, `${width}/${colorScheme}`);
      // Known and still open: at 390 px the open version menu leaves the breadcrumb's registry link too small a
      // target for axe (target-size). Only that finding is let through; any other fails.
      const known = (v: string) => width === 390 && /version menu open: target-size: li:nth-child\(3\) > a/.test(v);
      expect(found.filter((v) => !known(v))).toEqual([]);
    });
  }
}
