import { linkVersion } from '../seed/collections.js';
import { createTeam } from '../seed/people.js';
import { logVersion } from '../seed/versions.js';
import { unique } from './support/api';
import { expect, signIn, test } from './support/fixtures';
import { choose, combobox, listbox } from './support/pickers';
import { captureScreens, screenshotSchemes } from './support/screens';

test.describe.configure({ timeout: 180_000 });

test('screenshots: projects, artifact browser, version overview, Link to registry, Log version', async ({ browser, api }) => {
  const team = unique('vision');
  await createTeam(api, { name: team, members: ['admin'] });
  const metadata = { accuracy: 0.934, epochs: 90, optimizer: { name: 'sgd', lr: 0.1 } };
  const logged = [];
  for (const [i, text] of ['first', 'second', 'third'].entries()) {
    logged.push(
      await logVersion(api, {
        entity: team,
        project: 'image-classification',
        name: 'resnet50',
        type: 'model',
        files: { 'model/weights.bin': text.repeat(4000), 'config.yaml': `lr: 0.${i + 1}\n` },
        metadata: { ...metadata, epochs: 30 * (i + 1) },
        description: 'ResNet-50 trained on ImageNet-1k, with a very long description that wraps on narrow screens.',
        aliases: i === 2 ? ['best'] : [],
      }),
    );
  }
  await logVersion(api, {
    entity: team,
    project: 'image-classification',
    name: 'imagenet-val-subset-with-a-long-name',
    type: 'dataset',
    files: { 'a.csv': 'x' },
  });
  await logVersion(api, { entity: team, project: 'detection', name: 'yolo', type: 'model', files: { 'w.bin': 'y' } });
  const collection = unique('image-classifier');
  await linkVersion(api, { artifactId: logged[1]?.artifactId ?? '', registry: 'model', collection: collection, aliases: ['production'] });
  await linkVersion(api, { artifactId: logged[2]?.artifactId ?? '', registry: 'model', collection: collection, aliases: ['staging'] });

  const base = `/${team}/image-classification/artifacts`;
  await captureScreens(browser, [
    { name: 'artifacts-projects', path: '/projects', ready: (p) => p.getByRole('region', { name: team }) },
    { name: 'artifacts-browser', path: `${base}/model/resnet50`, ready: (p) => p.getByRole('table', { name: 'Versions of resnet50' }) },
    {
      name: 'artifacts-version',
      path: `${base}/model/resnet50/v2`,
      ready: (p) => p.getByRole('region', { name: 'Linked to' }).getByRole('link').first(),
    },
  ]);

  // The dialogs, on the version overview: each step of Link to registry, and Log version.
  for (const colorScheme of screenshotSchemes) {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({ colorScheme, viewport: { width, height: 800 } });
      const page = await context.newPage();
      await signIn(page);
      await page.goto(`${base}/model/resnet50/v0`);
      await page.getByRole('button', { name: 'Link to registry' }).click();
      const modal = page.getByRole('dialog', { name: 'Link to registry' });
      await combobox(modal, 'Select a registered model').fill(collection);
      await expect(listbox(modal, 'Select a registered model').getByRole('option', { name: new RegExp(collection) })).toBeVisible();
      await expect(modal.getByText('Searching…')).toHaveCount(0);
      await page.screenshot({ path: `e2e/screenshots/artifacts-link-pick-${colorScheme}-${width}.png` });
      await choose(modal, 'Select a registered model', new RegExp(collection), collection);
      await modal.getByRole('button', { name: 'Next step' }).click();
      await combobox(modal, 'Aliases').fill('production, candidate');
      await expect(modal.getByRole('note').first()).toBeVisible();
      await page.screenshot({ path: `e2e/screenshots/artifacts-link-aliases-${colorScheme}-${width}.png` });
      await modal.getByRole('button', { name: 'Close' }).first().click();
      await page.getByRole('button', { name: 'Log version' }).click();
      const log = page.getByRole('dialog', { name: 'Log version' });
      await log.locator('input[type=file]').setInputFiles([
        { name: 'weights.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(12_345) },
        { name: 'config.yaml', mimeType: 'text/yaml', buffer: Buffer.from('lr: 0.1') },
      ]);
      await log.getByRole('textbox', { name: 'Metadata (JSON, optional)' }).fill('{"accuracy": ');
      await page.screenshot({ path: `e2e/screenshots/artifacts-log-${colorScheme}-${width}.png` });
      await context.close();
    }
  }
});
