import { createUser, newPassword } from '../seed/people.js';
import { grantRegistryRole } from '../seed/registries.js';
import { unique } from './support/api';
import { seedCollection } from './support/collection-seed';
import { expect, expectNoA11yViolations, signIn, test } from './support/fixtures';

const CARD = `# ResNet-50 classifier

Trained on **ImageNet**.

- top-1: 76.1%
- input: 224×224

<script>window.__modelCardRan = true</script>

[evil](javascript:alert(1))
`;

test.describe('a collection page', () => {
  test.describe(() => {
    test.use({
      seed: {
        versions: 3,
        aliases: [['production'], ['candidate'], []],
        protectedAliases: ['production'],
        description: CARD,
      },
    });
    test('shows the model card safely, versions with aliases, the lock on a protected alias and the source; a member edits the card', async ({
      page,
      api,
      collection: seed,
    }) => {
      test.setTimeout(90_000);
      const member = await createUser(api, { username: unique('member'), password: newPassword() });
      await grantRegistryRole(api, { registry: seed.registry, username: member.username, role: 'member' });
      await signIn(page, member);
      await page.goto(seed.path);

      await expect(page.getByRole('heading', { level: 1, name: seed.collection })).toBeVisible();
      const card = page.getByRole('region', { name: 'Model card' });
      await expect(card.getByRole('heading', { name: 'ResNet-50 classifier' })).toBeVisible();
      await expect(card.getByText('ImageNet')).toHaveJSProperty('tagName', 'STRONG');
      await expect(card.getByRole('listitem').filter({ hasText: 'top-1: 76.1%' })).toBeVisible();
      // Raw HTML is text, never run; a javascript: link loses its target.
      await expect(card.getByText('<script>window.__modelCardRan = true</script>')).toBeVisible();
      expect(await page.evaluate(() => (window as unknown as { __modelCardRan?: boolean }).__modelCardRan)).toBeUndefined();
      await expect(card.getByText('evil')).not.toHaveAttribute('href', /javascript/);

      const rows = page.getByRole('table', { name: `Versions of ${seed.collection}` }).getByRole('row');
      await expect(rows).toHaveCount(4);
      const v0 = page.getByRole('row', { name: /^v0\b/ });
      await expect(v0.getByRole('list', { name: 'Aliases of v0' })).toHaveText(/production/);
      await expect(v0.getByRole('img', { name: 'Protected alias' })).toBeVisible();
      const v2 = page.getByRole('row', { name: /^v2\b/ });
      await expect(v2.getByRole('list', { name: 'Aliases of v2' })).toHaveText('latest');
      await expect(v2.getByRole('img', { name: 'Protected alias' })).toHaveCount(0);
      // The member is not in the source team: the source is named, not linked to a project they cannot open.
      await expect(v2.getByText(`${seed.team}/training/resnet:v2`)).toBeVisible();
      await expect(v2.getByRole('link', { name: `${seed.team}/training/resnet:v2` })).toHaveCount(0);
      await expect(v2.getByRole('cell', { name: 'admin', exact: true })).toBeVisible();
      await expect(v2.getByRole('link', { name: 'v2', exact: true })).toHaveAttribute('href', `${seed.path}/v2`);
      await expect(page.getByRole('link', { name: seed.registry }).first()).toHaveAttribute('href', `/registry/${seed.registry}`);
      await expectNoA11yViolations(page);

      await card.getByRole('button', { name: 'Edit' }).click();
      const editor = card.getByLabel('Description (Markdown)');
      await expect(editor).toHaveValue(CARD);
      await editor.fill('## Usage\n\n1. Load it\n2. Predict\n\n```python\nmodel.predict(x)\n```');
      await expectNoA11yViolations(page);
      await card.getByRole('button', { name: 'Save' }).click();
      await expect(card.getByRole('heading', { name: 'Usage' })).toBeVisible();
      await expect(card.getByRole('listitem')).toHaveText(['Load it', 'Predict']);
      await expect(card.getByText('model.predict(x)')).toBeVisible();
      await expect(editor).toHaveCount(0);
      // Saved on the server, not only in the cache.
      await page.reload();
      await expect(card.getByRole('heading', { name: 'Usage' })).toBeVisible();

      // Tags: added and removed in place; the history tells who did what.
      await page.getByLabel('New tags').fill('vision, resnet');
      await page.getByRole('button', { name: 'Add tag' }).click();
      const tags = page.getByRole('list', { name: 'Collection tags' });
      await expect(tags.getByRole('listitem')).toHaveCount(2);
      await tags.getByRole('button', { name: 'Remove tag vision' }).click();
      await expect(tags.getByRole('listitem')).toHaveCount(1);
      await expect(tags.getByRole('listitem')).toContainText('resnet');

      await page.getByRole('tab', { name: 'Action history' }).click();
      const history = page.getByRole('list', { name: 'Action history' });
      await expect(history.getByRole('listitem').first()).toContainText(`${member.username} removed tag “vision”`);
      await expect(history).toContainText(`${member.username} edited the model card`);
      await expect(history).toContainText(`admin linked v2 from ${seed.team}/training/resnet:v2`);
      await expect(history).toContainText('admin added alias “production” to v0');
      await expectNoA11yViolations(page);
    });
  });

  test.describe(() => {
    test.use({ seed: { versions: 1, description: 'Just a card.' } });
    test('a viewer sees the card but every change is hidden or says it needs the member role', async ({ page, api, collection: seed }) => {
      const viewer = await createUser(api, { username: unique('viewer'), password: newPassword() });
      await signIn(page, viewer);
      await page.goto(seed.path);
      await expect(page.getByText('Just a card.')).toBeVisible();
      await expect(page.getByRole('button', { name: 'Link new version' })).toBeDisabled();
      await expect(page.getByRole('button', { name: 'Edit' })).toHaveAccessibleDescription('Needs the member role in this registry');
      await expect(page.getByRole('button', { name: /More actions/ })).toHaveCount(0);
      await expect(page.getByLabel('New tags')).toHaveCount(0);
      await expectNoA11yViolations(page);
    });
  });

  test.describe(() => {
    test.use({ seed: { versions: 3, aliases: [['staging'], [], []] } });
    test('moving an alias warns which version holds it; afterwards only the new version has it', async ({
      page,

      collection: seed,
    }) => {
      await signIn(page);
      await page.goto(seed.path);
      await page.getByRole('button', { name: 'More actions for v2' }).click();
      await page.getByRole('menuitem', { name: 'Add alias' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add alias to v2' });
      await dialog.getByLabel('Aliases').fill('staging');
      await expect(dialog.getByRole('note')).toHaveText('"staging" will move from v0 to this version.');
      await expectNoA11yViolations(page);

      const requests: string[] = [];
      page.on('request', (r) => {
        if (r.url().includes('/graphql')) requests.push(JSON.parse(r.postData() ?? '{}').operationName ?? '');
      });
      await dialog.getByRole('button', { name: 'Move alias' }).click();
      await expect(dialog).toHaveCount(0);
      await expect(page.getByRole('list', { name: 'Aliases of v2' })).toHaveText(/staging/);
      await expect(page.getByRole('list', { name: 'Aliases of v0' })).toHaveCount(0);
      // Only the mutation went out: the page updated from what it returned.
      expect(requests).toEqual(['VersionDialogs_AddAliases']);

      await page.getByRole('tab', { name: 'Action history' }).click();
      await expect(page.getByRole('list', { name: 'Action history' }).getByRole('listitem').first()).toContainText(
        'admin moved alias “staging” from v0 to v2',
      );
      await page.getByRole('tab', { name: 'Versions' }).click();

      // Removing goes through the same menu.
      await page.getByRole('button', { name: 'More actions for v2' }).click();
      await page.getByRole('menuitem', { name: /Remove alias “staging”/ }).click();
      await expect(page.getByRole('list', { name: 'Aliases of v2' })).toHaveText('latest');
    });
  });

  test.describe(() => {
    test.use({ seed: { versions: 2, aliases: [['production'], []], protectedAliases: ['production'] } });
    test('a member is refused a protected alias, and cannot unlink a version holding one', async ({ page, api, collection: seed }) => {
      const member = await createUser(api, { username: unique('member'), password: newPassword() });
      await grantRegistryRole(api, { registry: seed.registry, username: member.username, role: 'member' });
      await signIn(page, member);
      await page.goto(seed.path);

      await page.getByRole('button', { name: 'More actions for v1' }).click();
      await page.getByRole('menuitem', { name: 'Add alias' }).click();
      const dialog = page.getByRole('dialog', { name: 'Add alias to v1' });
      await dialog.getByLabel('Aliases').fill('production');
      await expect(dialog.getByText('"production" is a protected alias: only registry admins may add it.')).toBeVisible();
      await expect(dialog.getByRole('button', { name: /alias/ })).toBeDisabled();
      await expectNoA11yViolations(page);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect(page.getByRole('list', { name: 'Aliases of v0' })).toHaveText(/production/);
      await expect(page.getByRole('list', { name: 'Aliases of v1' })).toHaveText('latest');

      // The protected alias cannot be removed by a member either.
      await page.getByRole('button', { name: 'More actions for v0' }).click();
      await expect(page.getByRole('menuitem', { name: /Remove alias “production” \(registry admins only\)/ })).toHaveAttribute(
        'data-disabled',
        '',
      );
      // Nor can the version holding it be unlinked: the menu says so instead of offering what the server refuses.
      const unlink = page.getByRole('menuitem', { name: /^Unlink/ });
      await expect(unlink).toHaveText('Unlink (holds protected alias “production”: registry admins only)');
      await expect(unlink).toHaveAttribute('data-disabled', '');
      await expectNoA11yViolations(page);
      await page.keyboard.press('Escape');
      await expect(page.getByRole('row', { name: /^v0\b/ })).toBeVisible();
    });
  });

  test.describe(() => {
    test.use({ seed: { versions: 3 } });
    test('unlinking asks first, then the row leaves without a reload and latest moves back', async ({ page, collection: seed }) => {
      await signIn(page);
      await page.goto(seed.path);
      await page.getByRole('button', { name: 'More actions for v2' }).click();
      await page.getByRole('menuitem', { name: 'Unlink…' }).click();
      const confirm = page.getByRole('dialog', { name: 'Unlink v2?' });
      await expect(confirm).toContainText('The source version stays in its project.');
      await expectNoA11yViolations(page);
      await confirm.getByRole('button', { name: 'Cancel' }).click();
      await expect(page.getByRole('row', { name: /^v2\b/ })).toBeVisible();

      await page.getByRole('button', { name: 'More actions for v2' }).click();
      await page.getByRole('menuitem', { name: 'Unlink…' }).click();
      const navigations: string[] = [];
      page.on('framenavigated', (f) => navigations.push(f.url()));
      await confirm.getByRole('button', { name: 'Unlink v2' }).click();
      await expect(page.getByRole('row', { name: /^v2\b/ })).toHaveCount(0);
      await expect(page.getByRole('list', { name: 'Aliases of v1' })).toHaveText('latest');
      expect(navigations).toEqual([]);
      // The unlinked version's page is gone too.
      await page.goto(`${seed.path}/v2`);
      await expect(page.getByText('Version not found')).toBeVisible();
    });
  });

  test('an unknown collection and a restricted registry the viewer is not in are "not found"', async ({ page, api, collection: open }) => {
    const secret = await seedCollection(api, { versions: 1, restricted: true, prefix: 'secret' });
    const outsider = await createUser(api, { username: unique('outsider'), password: newPassword() });
    await signIn(page, outsider);
    await page.goto(`/registry/${open.registry}/no-such-collection`);
    await expect(page.getByText('Collection not found')).toBeVisible();
    // A restricted registry the viewer is not in is a registry that does not exist.
    await page.goto(secret.path);
    await expect(page.getByRole('heading', { level: 1, name: 'Registry not found' })).toBeVisible();
    await expect(page.getByText(/permission/i)).toHaveCount(0);
    await page.goto(`${secret.path}/v0`);
    await expect(page.getByRole('heading', { level: 1, name: 'Registry not found' })).toBeVisible();
    await expectNoA11yViolations(page);
  });

  test.describe(() => {
    test.use({ seed: { versions: 2, description: 'Card' } });
    test('revisiting the collection makes no GraphQL request', async ({ page, collection: seed }) => {
      await signIn(page);
      await page.goto(seed.path);
      await page.getByRole('link', { name: 'v1', exact: true }).click();
      await expect(page.getByTestId('full-name')).toHaveText(`wandb-registry-${seed.registry}/${seed.collection}:v1`);
      const requests: string[] = [];
      page.on('request', (r) => {
        if (r.url().includes('/graphql')) requests.push(r.postData() ?? '');
      });
      await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: seed.collection }).click();
      await expect(page.getByRole('row', { name: /^v1\b/ })).toBeVisible();
      await page.goBack();
      await expect(page.getByTestId('full-name')).toBeVisible();
      expect(requests).toEqual([]);
    });
  });

  test.describe(() => {
    test.use({ seed: { versions: 52 } });
    test('versions page: older ones are on the next page, which the URL keeps', async ({ page, collection: seed }) => {
      test.setTimeout(180_000);
      await signIn(page);
      await page.goto(seed.path);
      const table = page.getByRole('table', { name: `Versions of ${seed.collection}` });
      const pager = page.getByRole('navigation', { name: 'Pages' });
      await expect(table.getByRole('row')).toHaveCount(51);
      await expect(pager).toContainText('1–50 of 52');
      await expect(page.getByRole('row', { name: /^v1\b/ })).toHaveCount(0);
      await pager.getByRole('button', { name: 'Next' }).click();
      await expect(table.getByRole('row')).toHaveCount(3);
      await expect(page.getByRole('row', { name: /^v0\b/ })).toBeVisible();
      await expect(pager).toContainText('51–52 of 52');
      await expect(pager.getByRole('button', { name: 'Next' })).toBeDisabled();
      await page.reload();
      await expect(pager).toContainText('51–52 of 52');
      await pager.getByRole('button', { name: 'Previous' }).click();
      await expect(pager).toContainText('1–50 of 52');
      await page.goBack();
      await expect(pager).toContainText('51–52 of 52');
    });
  });
});
