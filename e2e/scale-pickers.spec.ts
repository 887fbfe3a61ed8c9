import type { Locator, Page } from '@playwright/test';
import { linkVersionsInBulk, logVersionsInBulk } from '../seed/bulk.js';
import type { SeedClient } from '../seed/client.js';
import { linkVersion } from '../seed/collections.js';
import { createTeam } from '../seed/people.js';
import { createRegistry } from '../seed/registries.js';
import { seedClient, unique } from './support/api';
import { expect, expectNoA11yViolations, signIn, test } from './support/fixtures';
import { choose, combobox, listbox } from './support/pickers';
import { captureScreens } from './support/screens';

// The link flows at real scale: a source artifact with 300 versions and a registry with 500
// collections. The pickers hold the server's first 20 matches of what is typed, so any version or
// collection is found by typing, however many there are.
const VERSIONS = 300;
const COLLECTIONS = 500;
/** The collection holding the alias "staging", found by typing. */
const STAGED = 487;

interface Scale {
  team: string;
  registry: string;
  /** Source versions' Artifact ids, by index. */
  versions: string[];
}

const collectionName = (i: number) => `col-${String(i).padStart(3, '0')}`;

async function seedScale(api: SeedClient): Promise<Scale> {
  const team = unique('scale');
  const registry = unique('zoo');
  await createTeam(api, { name: team, members: ['admin'] });
  await createRegistry(api, { name: registry });
  const started = Date.now();
  const logged = await logVersionsInBulk(api, { entity: team, project: 'scale', name: 'big-model', count: VERSIONS });
  const versions = logged.map((v) => v.artifactId);
  const seeded = Date.now();
  // Each collection holds one source version (they repeat past the 300th); col-487 also holds the alias "staging".
  const plain = Array.from({ length: COLLECTIONS }, (_, i) => i).filter((i) => i !== STAGED);
  await linkVersionsInBulk(api, {
    artifactIds: plain.map((i) => versions[i % VERSIONS] ?? ''),
    registry,
    collectionOf: (k) => collectionName(plain[k] ?? 0),
  });
  await linkVersion(api, {
    artifactId: versions[STAGED % VERSIONS] ?? '',
    registry,
    collection: collectionName(STAGED),
    aliases: ['staging'],
  });
  await linkVersion(api, { artifactId: versions[0] ?? '', registry, collection: 'target' });
  console.log(`seeded ${VERSIONS} versions in ${seeded - started} ms, ${COLLECTIONS} collections in ${Date.now() - seeded} ms`);
  return { team, registry, versions };
}

// Seeded once: a failure skips the rest rather than seeding all again.
test.describe.configure({ mode: 'serial' });

let scale: Scale;
test.beforeAll(async ({ baseURL }) => {
  test.setTimeout(600_000);
  scale = await seedScale(seedClient(baseURL));
});

async function openSheet(page: Page): Promise<Locator> {
  await page.goto(`/registry/${scale.registry}/target`);
  await page.getByRole('button', { name: 'Link new version' }).click();
  const sheet = page.getByRole('dialog', { name: 'Link new version' });
  await choose(sheet, 'Team', scale.team, scale.team);
  await choose(sheet, 'Project', 'scale');
  await choose(sheet, 'Artifact', 'big-model', 'BIG');
  return sheet;
}

/** The open list lies inside the window, sideways and downwards. */
async function expectOnScreen(page: Page, list: Locator) {
  const box = await list.boundingBox();
  const viewport = page.viewportSize();
  expect(box && viewport).toBeTruthy();
  if (!box || !viewport) return;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
  expect(box.y + Math.min(box.height, 40)).toBeLessThanOrEqual(viewport.height);
  // Nothing clips or covers it: its lowest visible point is the list itself.
  const shown = await list.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const at = document.elementFromPoint(r.x + r.width / 2, Math.min(r.bottom, window.innerHeight) - 4);
    return el.contains(at);
  });
  expect(shown, 'the open list is clipped or covered').toBe(true);
}

test('Link new version: any of 300 versions is found by typing, and v250 is linked', async ({ signedIn: page }) => {
  test.setTimeout(120_000);
  const sheet = await openSheet(page);
  const version = combobox(sheet, 'Version');
  const versions = listbox(sheet, 'Version');

  // Untyped, the newest 20.
  await version.click();
  await expect(versions.getByRole('option')).toHaveCount(20);
  await expect(versions.getByRole('option').first()).toHaveAccessibleName(/^v299 \(latest\)/);

  // v7 among v7, v70…v79: the one named exactly comes first.
  await version.fill('v7');
  await expect(versions.getByRole('option').first()).toHaveAccessibleName(/^v7$/);
  await expect(versions.getByRole('option')).toHaveCount(11);
  await expectOnScreen(page, versions);
  await expectNoA11yViolations(page);

  // Keyboard: Down moves to the first option, Enter picks it.
  await version.press('ArrowDown');
  await expect(version).toHaveAttribute('aria-activedescendant', /.+/);
  await version.press('Enter');
  await expect(version).toHaveValue('v7');
  await expect(version).toHaveAttribute('aria-expanded', 'false');

  // An alias finds its version too.
  await version.fill('LATE');
  await expect(versions.getByRole('option')).toHaveCount(1);
  await expect(versions.getByRole('option')).toHaveAccessibleName(/^v299 \(latest\)/);

  await choose(sheet, 'Version', /^v250$/, 'v250');
  await expect(version).toHaveValue('v250');
  await sheet.getByRole('button', { name: 'Link', exact: true }).click();
  await expect(sheet.getByRole('status')).toHaveText(/Linked as v1\./);
  // Searched again (the number alone finds it too), v250 now says where it is.
  await version.fill('250');
  await expect(versions.getByRole('option', { name: /^v250 linked as v1$/ })).toBeVisible();
});

test('Link to registry: one collection among 500 is found by typing, with its aliases offered', async ({ signedIn: page }) => {
  test.setTimeout(120_000);
  await page.goto(`/${scale.team}/scale/artifacts/model/big-model/v299`);
  await page.getByRole('button', { name: 'Link to registry' }).click();
  const modal = page.getByRole('dialog', { name: 'Link to registry' });
  const picker = combobox(modal, 'Select a registered model');
  const options = listbox(modal, 'Select a registered model');

  await picker.click();
  // The first 20 collections, then a new collection in each registry the version may go to.
  await expect(options.getByRole('option', { name: /^(?!New collection in ).+ in / })).toHaveCount(20);
  await expect(options.getByRole('option', { name: /New collection in Models/ })).toBeVisible();
  await picker.fill('COL-48');
  await expect(options.getByRole('option', { name: new RegExp(`^col-48\\d in ${scale.registry}`, 'i') })).toHaveCount(10);
  await expectOnScreen(page, options);
  await expectNoA11yViolations(page);
  await choose(modal, 'Select a registered model', new RegExp(`^col-487 in ${scale.registry}`, 'i'), 'col-487');
  await expect(picker).toHaveValue(new RegExp(`^col-487 in ${scale.registry}`, 'i'));
  await modal.getByRole('button', { name: 'Next step' }).click();

  // Aliases: the collection's own are offered; new ones are typed.
  const aliases = combobox(modal, 'Aliases');
  await aliases.click();
  const offered = listbox(modal, 'Aliases');
  await expect(offered.getByRole('option', { name: 'staging on v0' })).toBeVisible();
  await expectNoA11yViolations(page);
  await offered.getByRole('option', { name: 'staging on v0' }).click();
  await expect(aliases).toHaveValue('staging, ');
  await aliases.pressSequentially('reviewed');
  await expect(modal.getByRole('note')).toHaveText('"staging" will move from v0 to this version.');
  await modal.getByRole('button', { name: 'Link to registry' }).click();
  await expect(modal.getByRole('status')).toContainText(new RegExp(`Linked as v1 in ${scale.registry} / col-487\\.`, 'i'));
});

test('screenshots: the pickers open at 1280 and 390 px, light and dark, on screen', async ({ browser }) => {
  test.setTimeout(300_000);
  await captureScreens(browser, [
    {
      name: 'scale-link-sheet',
      path: `/registry/${scale.registry}/target`,
      ready: (p) => p.getByRole('button', { name: 'Link new version' }),
      open: async (p) => {
        const sheet = await openSheet(p);
        await combobox(sheet, 'Version').fill('v7');
        await expect(listbox(sheet, 'Version').getByRole('option')).toHaveCount(11);
        await expectOnScreen(p, listbox(sheet, 'Version'));
      },
    },
    {
      name: 'scale-link-modal',
      path: `/${scale.team}/scale/artifacts/model/big-model/v299`,
      ready: (p) => p.getByRole('button', { name: 'Link to registry' }),
      open: async (p) => {
        await p.getByRole('button', { name: 'Link to registry' }).click();
        const modal = p.getByRole('dialog', { name: 'Link to registry' });
        await combobox(modal, 'Select a registered model').fill('col-08');
        await expect(listbox(modal, 'Select a registered model').getByRole('option', { name: /^col-08\d in / })).toHaveCount(10);
        await expectOnScreen(p, listbox(modal, 'Select a registered model'));
      },
    },
    {
      name: 'scale-project-sidebar',
      path: `/${scale.team}/scale/artifacts/model/big-model`,
      ready: (p) => p.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Artifacts' }),
    },
  ]);
});

test('the Artifacts icon of the project sidebar leads to the artifact browser', async ({ page }) => {
  await signIn(page);
  await page.goto(`/${scale.team}/scale/artifacts/model/big-model/v3`);
  const artifacts = page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Artifacts' });
  await artifacts.click();
  await expect(page).toHaveURL(new RegExp(`/${scale.team}/scale/artifacts$`));
  await expect(page.getByRole('heading', { level: 1, name: 'Artifacts' })).toBeVisible();
  await expect(artifacts).toHaveAttribute('aria-current', 'page');
});
