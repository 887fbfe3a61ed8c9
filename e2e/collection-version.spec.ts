import fs from 'node:fs/promises';
import { createUser, newPassword } from '../seed/people.js';
import { grantRegistryRole } from '../seed/registries.js';
import { unique } from './support/api';
import { expect, expectNoA11yViolations, signIn, test } from './support/fixtures';

test.describe('a linked version page', () => {
  test.describe(() => {
    test.use({ seed: { versions: 2, aliases: [[], ['production']], protectedAliases: ['production'] } });
    test('each tab shows what it should; the full name copies; a viewer downloads a file', async ({
      page,
      context,
      api,
      collection: seed,
    }) => {
      test.setTimeout(90_000);
      const viewer = await createUser(api, { username: unique('viewer'), password: newPassword() });
      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      await signIn(page, viewer);
      // Addressed by an alias: the page shows the version it points at.
      await page.goto(`${seed.path}/latest`);

      const fullName = `wandb-registry-${seed.registry}/${seed.collection}:v1`;
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${seed.collection} v1`);
      await expect(page.getByRole('link', { name: seed.collection })).toHaveAttribute('href', seed.path);
      const overview = page.getByRole('tabpanel', { name: 'Version' });
      await expect(overview.getByTestId('full-name')).toHaveText(fullName);
      await expect(overview.getByRole('list', { name: 'Aliases' })).toContainText('production');
      await expect(overview.getByRole('list', { name: 'Aliases' })).toContainText('latest');
      await expect(overview.getByRole('img', { name: 'Protected alias' })).toBeVisible();
      await expect(overview.getByText('Trained run 1')).toBeVisible();
      // The viewer is not in the source team: the source is named, not linked to a project they cannot open.
      await expect(overview.getByText(`${seed.team}/training/resnet:v1`)).toBeVisible();
      await expect(overview.getByRole('link', { name: `${seed.team}/training/resnet:v1` })).toHaveCount(0);
      await expect(overview).toContainText('admin on');
      await overview.getByRole('button', { name: 'Copy full name' }).click();
      await expect(overview.getByRole('button', { name: 'Copy full name' })).toHaveText('Copied');
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(fullName);
      await expectNoA11yViolations(page);

      await page.getByRole('tab', { name: 'Metadata' }).click();
      const metadata = page.getByRole('tabpanel', { name: 'Metadata' });
      await expect(metadata.getByRole('row', { name: /^accuracy/ })).toContainText('0.91');
      await expect(metadata.getByRole('row', { name: /^epochs/ })).toContainText('11');
      await expect(metadata.getByRole('row', { name: /^optimizer/ })).toContainText('"name": "adam"');
      await expectNoA11yViolations(page);

      await page.getByRole('tab', { name: 'Files' }).click();
      const files = page.getByRole('tabpanel', { name: 'Files' });
      await expect(files.getByRole('row', { name: /model\.bin/ })).toContainText('21 B');
      await expect(files.getByRole('row', { name: /config\.json/ })).toBeVisible();
      const downloading = page.waitForEvent('download');
      await files.getByRole('button', { name: 'Download model.bin' }).click();
      const download = await downloading;
      expect(download.suggestedFilename()).toBe('model.bin');
      expect(await fs.readFile(await download.path(), 'utf8')).toBe('weights of version 1\n');
      await expectNoA11yViolations(page);

      await page.getByRole('tab', { name: 'Usage' }).click();
      const usage = page.getByRole('tabpanel', { name: 'Usage' });
      const sdkPath = `acme/${fullName}`;
      await expect(usage.getByRole('region', { name: 'Python: wandb.Api' })).toContainText(`wandb.Api().artifact("${sdkPath}")`);
      await expect(usage.getByRole('region', { name: 'Python: in a run' })).toContainText(`run.use_artifact("${sdkPath}")`);
      const curl = usage.getByRole('region', { name: 'curl' });
      await expect(curl).toContainText(`-u "api:$REGISTRY_API_KEY"`);
      await expect(curl).toContainText(`${new URL(page.url()).origin}/graphql`);
      await curl.getByRole('button', { name: 'Copy curl' }).click();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(`\\"${seed.collection}:v1\\"`);
      await expectNoA11yViolations(page);
    });
  });

  test('the curl snippet answers with the version and a working download URL', async ({ page, request, collection: seed }) => {
    await signIn(page);
    await page.goto(`${seed.path}/v0`);
    await page.getByRole('tab', { name: 'Usage' }).click();
    const text = (await page.getByRole('region', { name: 'curl' }).locator('pre').textContent()) ?? '';
    // The body between -d '…' is the document a script would send.
    const body = JSON.parse(/-d '(.*)'$/s.exec(text)?.[1] ?? '{}') as { query: string };
    const res = await request.post('/graphql', {
      data: body,
      headers: { authorization: `Basic ${Buffer.from(`api:${'e2e0'.repeat(10)}`).toString('base64')}` },
    });
    const json = (await res.json()) as {
      data: {
        project: { artifactCollectionMembership: { version: string; files: { edges: { node: { name: string; directUrl: string } }[] } } };
      };
    };
    const membership = json.data.project.artifactCollectionMembership;
    expect(membership.version).toBe('v0');
    const file = membership.files.edges.find((e) => e.node.name === 'model.bin');
    const bytes = await request.get(file?.node.directUrl ?? '');
    expect(await bytes.text()).toBe('weights of version 0\n');
  });

  test('a restricted viewer sees names and sizes but no download or usage, and why', async ({ page, api, collection: seed }) => {
    const restricted = await createUser(api, { username: unique('rv'), password: newPassword() });
    await grantRegistryRole(api, { registry: seed.registry, username: restricted.username, role: 'restricted_viewer' });
    await signIn(page, restricted);
    await page.goto(`${seed.path}/v0`);
    await expect(page.getByText('Your role: Restricted viewer')).toBeVisible();
    await page.getByRole('tab', { name: 'Files' }).click();
    const files = page.getByRole('tabpanel', { name: 'Files' });
    await expect(files.getByRole('row', { name: /model\.bin/ })).toBeVisible();
    await expect(files.getByRole('button', { name: /Download/ })).toHaveCount(0);
    await expect(files.getByRole('note')).toContainText('cannot download them');
    await expectNoA11yViolations(page);
    await page.getByRole('tab', { name: 'Usage' }).click();
    await expect(page.getByRole('tabpanel', { name: 'Usage' }).getByRole('note')).toContainText('Restricted viewers cannot download');
    await expect(page.getByText('wandb.Api()')).toHaveCount(0);
    await expectNoA11yViolations(page);
  });

  test('an unknown version is "not found"', async ({ page, collection: seed }) => {
    await signIn(page);
    await page.goto(`${seed.path}/v7`);
    await expect(page.getByText('Version not found')).toBeVisible();
    await page.goto(`${seed.path}/no-such-alias`);
    await expect(page.getByText('Version not found')).toBeVisible();
  });
});

test.describe(() => {
  test.use({
    seed: {
      versions: 2,
      aliases: [['production'], []],
      protectedAliases: ['production'],
      description: '# Card\n\n- one\n\n```\ncode\n```',
    },
  });
  test('axe finds nothing in dark mode: the collection, a dialog, every version tab', async ({ page, collection: seed }) => {
    test.setTimeout(90_000);
    await page.emulateMedia({ colorScheme: 'dark' });
    await signIn(page);
    await page.goto(seed.path);
    await expect(page.getByRole('heading', { name: 'Card', exact: true })).toBeVisible();
    await expectNoA11yViolations(page);
    await page.getByRole('button', { name: 'More actions for v1' }).click();
    await expectNoA11yViolations(page);
    await page.getByRole('menuitem', { name: 'Add alias' }).click();
    await page.getByRole('dialog').getByLabel('Aliases').fill('production');
    await expect(page.getByRole('dialog').getByRole('note')).toHaveCount(2);
    await expectNoA11yViolations(page);
    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: 'Action history' }).click();
    await expect(page.getByRole('list', { name: 'Action history' })).toBeVisible();
    await expectNoA11yViolations(page);

    await page.goto(`${seed.path}/v0`);
    for (const tab of ['Version', 'Metadata', 'Files', 'Usage']) {
      await page.getByRole('tab', { name: tab }).click();
      await expect(page.getByRole('tabpanel', { name: tab })).toBeVisible();
      await expectNoA11yViolations(page);
    }
  });
});

test('the ⋯ menu works from the keyboard', async ({ page, collection: seed }) => {
  await signIn(page);
  await page.goto(seed.path);
  await page.getByRole('button', { name: 'More actions for v0' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menuitem', { name: 'Add alias' })).toBeFocused();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Add alias to v0' });
  // Focus moves into the dialog (its first control, Close), then on to the field.
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(dialog.getByLabel('Aliases')).toBeFocused();
  await page.keyboard.type('golden');
  await page.keyboard.press('Enter');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('list', { name: 'Aliases of v0' })).toContainText('golden');
});
