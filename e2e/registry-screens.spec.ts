import { createCollection, linkVersion } from '../seed/collections.js';
import { createTeam } from '../seed/people.js';
import { createRegistry } from '../seed/registries.js';
import { logVersion } from '../seed/versions.js';
import { seedClient } from './support/api';
import { expect, signIn, test } from './support/fixtures';
import { choose, combobox, listbox } from './support/pickers';
import { captureScreens, screenshotSchemes } from './support/screens';

// A registry as a team would have it after some weeks: several collections, tags, versions, aliases.
test('screenshots: registry home and a registry with collections', async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const api = seedClient(baseURL ?? '');
  await createTeam(api, { name: 'perception', members: ['admin'] });
  await createRegistry(api, {
    name: 'vision',
    types: ['model', 'dataset'],
    description: 'Production vision models and the datasets they were trained on.',
  });
  await createRegistry(api, { name: 'research', restricted: true, description: 'Experimental checkpoints, invited members only.' });
  const collections = [
    { name: 'object-detector', type: 'model', tags: ['production', 'yolo'], versions: 3, aliases: ['production'] },
    { name: 'segmentation-unet', type: 'model', tags: ['medical'], versions: 2, aliases: ['staging'] },
    { name: 'coco-2017-cleaned', type: 'dataset', tags: ['coco', 'curated', 'v2-labels'], versions: 1, aliases: [] },
    { name: 'depth-estimator', type: 'model', tags: [], versions: 0, aliases: [] },
  ];
  for (const c of collections) {
    await createCollection(api, { registry: 'vision', name: c.name, type: c.type, tags: c.tags });
    for (let i = 0; i < c.versions; i++) {
      const logged = await logVersion(api, {
        entity: 'perception',
        project: 'training',
        name: c.name,
        type: c.type,
        files: { 'weights.bin': `${c.name} ${i}` },
      });
      await linkVersion(api, {
        artifactId: logged.artifactId,
        registry: 'vision',
        collection: c.name,
        aliases: i === c.versions - 1 ? c.aliases : [],
      });
    }
  }
  await captureScreens(browser, [
    { name: 'registry-home-cards', path: '/registry', ready: (p) => p.getByRole('article', { name: 'vision', exact: true }) },
    { name: 'registry-vision', path: '/registry/vision', ready: (p) => p.getByRole('row', { name: /object-detector/ }) },
  ]);
});

test('screenshots: the Link new version sheet and the Create registry dialog', async ({ browser }) => {
  // Several screens, each at two widths and in two schemes: far more than one page's work.
  test.setTimeout(120_000);
  for (const colorScheme of screenshotSchemes) {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({ colorScheme, viewport: { width, height: 800 } });
      const page = await context.newPage();
      await signIn(page);
      await page.goto('/registry/vision');
      await page.getByRole('button', { name: 'More actions for object-detector' }).click();
      await page.getByRole('menuitem', { name: 'Link new version' }).click();
      const sheet = page.getByRole('dialog', { name: 'Link new version' });
      await choose(sheet, 'Team', 'perception');
      await choose(sheet, 'Project', 'training');
      await choose(sheet, 'Artifact', 'object-detector');
      await combobox(sheet, 'Version').click();
      await listbox(sheet, 'Version').getByRole('option').nth(2).click();
      await combobox(sheet, 'Aliases (optional)').fill('production');
      await expect(sheet.getByRole('note').first()).toBeVisible();
      await page.screenshot({ path: `e2e/screenshots/registry-link-sheet-${colorScheme}-${width}.png` });
      await page.goto('/registry');
      await page.getByRole('button', { name: 'Create registry' }).click();
      const dialog = page.getByRole('dialog', { name: 'Create registry' });
      await dialog.getByLabel('Name').fill('bad:name');
      await dialog.getByRole('button', { name: 'Create registry' }).click();
      await expect(dialog.getByRole('alert')).toBeVisible();
      await page.screenshot({ path: `e2e/screenshots/registry-create-dialog-${colorScheme}-${width}.png` });
      await context.close();
    }
  }
});
