import { createUser, newPassword } from '../seed/people.js';
import { grantRegistryRole } from '../seed/registries.js';
import { unique } from './support/api';
import { expect, signIn, test } from './support/fixtures';
import { choose } from './support/pickers';

// The browser offers only what the server accepts: its checks are the server's rules (shared/names.ts).

test.describe('the browser never offers what the server refuses', () => {
  test.use({ seed: { versions: 2, aliases: [['production'], []], protectedAliases: ['production'] } });

  test('Add alias refuses "latest" and "v1" at the field, with the server\'s words, instead of offering "Move alias"', async ({
    signedIn: page,
    collection,
  }) => {
    await page.goto(collection.path);
    await page.getByRole('button', { name: 'More actions for v0' }).click();
    await page.getByRole('menuitem', { name: 'Add alias' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add alias to v0' });
    const field = dialog.getByRole('textbox', { name: 'Aliases' });
    await field.fill('latest');
    await expect(dialog.getByText('"latest" always marks the newest version; it cannot be added or removed by hand.')).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Move alias' })).toHaveCount(0);
    await expect(dialog.getByRole('button', { name: 'Add alias' })).toBeDisabled();
    await field.fill('v1');
    await expect(dialog.getByText('Alias "v1" looks like a version number (vN); choose another name.')).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Add alias' })).toBeDisabled();
  });

  test('a member cannot start unlinking a version that holds a protected alias; an unprotected one can', async ({
    page,
    api,
    collection,
  }) => {
    const member = await createUser(api, { username: unique('mia'), password: newPassword() });
    await grantRegistryRole(api, { registry: collection.registry, username: member.username, role: 'member' });
    await signIn(page, member);
    await page.goto(collection.path);
    await page.getByRole('button', { name: 'More actions for v0' }).click();
    await expect(page.getByRole('menuitem', { name: /^Unlink/ })).toHaveText(
      'Unlink (holds protected alias “production”: registry admins only)',
    );
    await expect(page.getByRole('menuitem', { name: /^Unlink/ })).toHaveAttribute('aria-disabled', 'true');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'More actions for v1' }).click();
    await expect(page.getByRole('menuitem', { name: 'Unlink…' })).toBeEnabled();
  });
});

test('a new collection named "bad/name" is refused at the field, before Next step', async ({ signedIn: page, collection }) => {
  await page.goto(`/${collection.team}/training/artifacts`);
  await page.getByRole('navigation', { name: 'Artifacts' }).getByRole('link', { name: 'resnet' }).click();
  await page.getByRole('link', { name: 'v0', exact: true }).click();
  await page.getByRole('button', { name: 'Link to registry' }).click();
  const modal = page.getByRole('dialog', { name: 'Link to registry' });
  await choose(modal, 'Select a registered model', /New collection in Models/);
  await modal.getByRole('textbox', { name: 'New collection name' }).fill('bad/name');
  await expect(modal.getByText('Names cannot hold "/" or ":".')).toBeVisible();
  await expect(modal.getByRole('button', { name: 'Next step' })).toBeDisabled();
  await modal.getByRole('textbox', { name: 'New collection name' }).fill('good-name');
  await expect(modal.getByRole('button', { name: 'Next step' })).toBeEnabled();
});

test('a registry called "Models" would read as the core one: refused at the name, and no second card', async ({ signedIn: page }) => {
  await page.goto('/registry');
  await page.getByRole('button', { name: 'Create registry' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create registry' });
  const nameField = dialog.getByLabel('Name');
  await nameField.fill('Models');
  await dialog.getByRole('button', { name: 'Create registry' }).click();
  await expect(nameField).toHaveAccessibleDescription(/A registry shown as "Models" already exists: choose another name\.$/);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('article', { name: 'Models', exact: true })).toHaveCount(1);
});
