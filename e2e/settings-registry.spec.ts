import type { Page } from '@playwright/test';
import { createRegistry } from '../seed/registries.js';
import { expect, expectNoA11yViolations, test } from './support/fixtures';
import { unique } from './support/api';
import { openSettings, recordOperations, section } from './support/settings';

test('edit and save the description', async ({ signedIn: page, api }) => {
  const registry = unique('described');
  await createRegistry(api, { name: registry, description: 'Before' });
  await openSettings(page, registry);
  const description = section(page, 'Description').getByLabel('Description');
  await expect(description).toHaveValue('Before');
  await description.fill('Production models of the vision team');
  await section(page, 'Description').getByRole('button', { name: 'Save description' }).click();
  await expect(section(page, 'Description').getByRole('status')).toHaveText('Saved.');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Registry' }).click();
  await expect(page.getByRole('article', { name: registry, exact: true })).toContainText('Production models of the vision team');
});

test('rename: a bad or taken name is refused at the field; a good one moves the registry to its new address', async ({
  signedIn: page,
  api,
}) => {
  const registry = unique('old-name');
  const renamed = unique('new-name');
  await createRegistry(api, { name: registry });
  await openSettings(page, registry);
  const name = section(page, 'Name');
  const field = name.getByLabel('Registry name');
  await expect(field).toHaveValue(registry);
  await field.fill('bad/name');
  await name.getByRole('button', { name: 'Rename registry' }).click();
  await expect(field).toHaveAccessibleDescription(/Names cannot hold "\/" or ":"/);
  await field.fill('Datasets');
  await name.getByRole('button', { name: 'Rename registry' }).click();
  await expect(field).toHaveAccessibleDescription(/A registry shown as "Datasets" already exists: choose another name\./);
  await field.fill(renamed);
  await name.getByRole('button', { name: 'Rename registry' }).click();
  await expect(page).toHaveURL(`/registry/${renamed}/settings`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${renamed} settings`);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Registry' }).click();
  await expect(page.getByRole('article', { name: renamed, exact: true })).toBeVisible();
  await expect(page.getByRole('article', { name: registry, exact: true })).toHaveCount(0);
  await page.goto(`/registry/${registry}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Registry not found' })).toBeVisible();
});

test('visibility: organization → restricted after a confirmation, then no way back', async ({ signedIn: page, api }) => {
  const registry = unique('going-private');
  await createRegistry(api, { name: registry });
  await openSettings(page, registry);
  const visibility = section(page, 'Visibility');
  await expect(visibility.getByRole('radio', { name: /Organization/ })).toBeChecked();

  await visibility.getByRole('radio', { name: /Restricted/ }).click();
  const dialog = page.getByRole('dialog', { name: `Make ${registry} restricted?` });
  await expect(dialog).toContainText('Only its members will see it');
  await expectNoA11yViolations(page);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(visibility.getByRole('radio', { name: /Organization/ })).toBeChecked();

  await visibility.getByRole('radio', { name: /Restricted/ }).click();
  await dialog.getByRole('button', { name: 'Make restricted' }).click();
  await expect(dialog).toBeHidden();
  await expect(visibility.getByRole('radio', { name: /Restricted/ })).toBeChecked();
  await expect(visibility.getByRole('radio', { name: /Organization/ })).toBeDisabled();
  await expect(visibility.getByRole('radio', { name: /Restricted/ })).toBeDisabled();
  await expect(visibility).toContainText('A restricted registry cannot be made visible to the whole organization again.');
  await page.reload();
  await expect(visibility.getByRole('radio', { name: /Organization/ })).toBeDisabled();
});

test('core registries: visibility and delete are disabled with the reason', async ({ signedIn: page }) => {
  await openSettings(page, 'model');
  const visibility = section(page, 'Visibility');
  await expect(visibility.getByRole('radio', { name: /Restricted/ })).toBeDisabled();
  await expect(visibility).toContainText('Core registries stay visible to the whole organization.');
  const remove = section(page, 'Danger zone').getByRole('button', { name: 'Delete registry' });
  await expect(remove).toBeDisabled();
  await expect(remove).toHaveAccessibleDescription('Core registries (Models, Datasets) cannot be deleted.');
  const rename = section(page, 'Name').getByRole('button', { name: 'Rename registry' });
  await expect(rename).toBeDisabled();
  await expect(rename).toHaveAccessibleDescription('Core registries (Models, Datasets) keep their names.');
});

test('accepted types: add one; saved types have no remove control; an empty or bad type is refused at the field', async ({
  signedIn: page,
  api,
}) => {
  const registry = unique('typed');
  await createRegistry(api, { name: registry, types: ['model'] });
  await openSettings(page, registry);
  const types = section(page, 'Accepted types');
  const list = types.getByRole('list', { name: 'Accepted types' });
  await expect(list.getByRole('listitem')).toHaveText(['model']);
  await expect(types).toContainText('Types cannot be removed once accepted');

  const input = types.getByLabel('New type');
  await types.getByRole('button', { name: 'Add type' }).click();
  await expect(input).toHaveAccessibleDescription('Type the name of an artifact type, e.g. "model".');
  await input.fill('bad/type');
  await types.getByRole('button', { name: 'Add type' }).click();
  await expect(input).toHaveAccessibleDescription(/Artifact type name "bad\/type" is not valid/);
  await expect(list.getByRole('listitem')).toHaveText(['model']);

  await input.fill('onnx-model');
  await types.getByRole('button', { name: 'Add type' }).click();
  await expect(list.getByRole('listitem')).toHaveText(['model', 'onnx-model']);
  await expect(input).toHaveValue('');
  await expect(list.getByRole('button')).toHaveCount(0);
  await page.reload();
  await expect(list.getByRole('listitem')).toHaveText(['model', 'onnx-model']);
});

test('an all-types registry says so', async ({ signedIn: page, api }) => {
  const registry = unique('anything');
  await createRegistry(api, { name: registry });
  await openSettings(page, registry);
  await expect(section(page, 'Accepted types')).toContainText('This registry accepts versions of every artifact type.');
  await expect(section(page, 'Accepted types').getByLabel('New type')).toHaveCount(0);
});

test('protected aliases: add and remove; an alias with "/" is refused at the field', async ({ signedIn: page, api }) => {
  const registry = unique('guarded');
  await createRegistry(api, { name: registry });
  await openSettings(page, registry);
  const aliases = section(page, 'Protected aliases');
  const input = aliases.getByLabel('Alias to protect');
  await expect(aliases).toContainText('No protected aliases.');

  await input.fill('prod/eu');
  await aliases.getByRole('button', { name: 'Protect alias' }).click();
  await expect(input).toHaveAccessibleDescription(/Alias "prod\/eu" is not valid: use 1-128 characters without "\/" or ":"/);
  await expect(aliases).toContainText('No protected aliases.');

  await input.fill('production');
  await aliases.getByRole('button', { name: 'Protect alias' }).click();
  await expect(input).toHaveValue('');
  await input.fill('staging');
  await aliases.getByRole('button', { name: 'Protect alias' }).click();
  const list = aliases.getByRole('list', { name: 'Protected aliases' });
  await expect(list.getByRole('listitem').getByRole('code')).toHaveText(['production', 'staging']);

  await list.getByRole('button', { name: 'Stop protecting production' }).click();
  await expect(list.getByRole('listitem').getByRole('code')).toHaveText(['staging']);
  await page.reload();
  await expect(list.getByRole('listitem').getByRole('code')).toHaveText(['staging']);
});

test('delete the registry by typing its name; the home page no longer lists it', async ({ signedIn: page, api }) => {
  const registry = unique('doomed');
  await createRegistry(api, { name: registry });
  await page.goto('/registry');
  await expect(page.getByRole('article', { name: registry, exact: true })).toBeVisible();
  await openSettingsByLink(page, registry);

  await section(page, 'Danger zone').getByRole('button', { name: 'Delete registry' }).click();
  const dialog = page.getByRole('dialog', { name: `Delete ${registry}?` });
  const confirm = dialog.getByRole('button', { name: 'Delete this registry' });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel(`Type ${registry} to confirm`).fill(registry.slice(0, -1));
  await expect(confirm).toBeDisabled();
  await expectNoA11yViolations(page);
  await dialog.getByLabel(`Type ${registry} to confirm`).fill(registry);
  const operations = recordOperations(page);
  await confirm.click();

  await expect(page).toHaveURL(/\/registry$/);
  await expect(page.getByRole('article', { name: 'Models', exact: true })).toBeVisible();
  await expect(page.getByRole('article', { name: registry, exact: true })).toHaveCount(0);
  // The cache took the card out: neither page asked the server again.
  expect(operations).toEqual(['DangerZone_Delete']);
  await page.goto(`/registry/${registry}/settings`);
  await expect(page.getByText('Registry not found')).toBeVisible();
});

/** Reaches the settings inside the app (no page load), so the home page's list stays in the cache. */
async function openSettingsByLink(page: Page, registry: string) {
  await page.evaluate((path) => {
    window.history.pushState({}, '', path);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, `/registry/${registry}/settings`);
  await expect(page.getByRole('heading', { level: 1, name: `${registry} settings` })).toBeVisible();
}

test('revisiting the settings makes no GraphQL request', async ({ signedIn: page, api }) => {
  const registry = unique('revisit');
  await createRegistry(api, { name: registry });
  await openSettings(page, registry);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Registry' }).click();
  await expect(page.getByRole('article', { name: registry, exact: true })).toBeVisible();
  const operations = recordOperations(page);
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: `${registry} settings` })).toBeVisible();
  await expect(section(page, 'Members and roles').getByRole('row', { name: 'User admin' })).toBeVisible();
  expect(operations).toEqual([]);
});
