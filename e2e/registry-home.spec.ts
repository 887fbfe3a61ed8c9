import { data } from '../seed/client.js';
import { createUser, newPassword } from '../seed/people.js';
import { createRegistry } from '../seed/registries.js';
import { recordOperations } from './support/settings';
import { unique } from './support/api';
import { expect, expectNoA11yViolations, signIn, test } from './support/fixtures';

test('create a registry: a bad name shows an error next to the field and creates nothing', async ({ signedIn: page, api }) => {
  const name = unique('vision');
  await page.goto('/registry');
  await expect(page.getByRole('article', { name: 'Models', exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Create registry' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create registry' });
  await expect(dialog).toBeVisible();
  await expectNoA11yViolations(page);

  const nameField = dialog.getByLabel('Name');
  await nameField.fill('bad/name');
  await dialog.getByRole('button', { name: 'Create registry' }).click();
  await expect(nameField).toHaveAttribute('aria-invalid', 'true');
  await expect(nameField).toHaveAccessibleDescription(/Names cannot hold "\/" or ":"/);

  // A name the server refuses (it exists): its message, next to the field.
  await nameField.fill('model');
  await dialog.getByRole('button', { name: 'Create registry' }).click();
  await expect(nameField).toHaveAccessibleDescription(/A registry named "model" already exists/);
  await expectNoA11yViolations(page);
  const registries = await data<{ organization: { orgEntity: { projects: { edges: { node: { name: string } }[] } } } }>(
    api,
    `{ organization(name: "acme") { orgEntity { projects(first: 100) { edges { node { name } } } } } }`,
  );
  expect(registries.organization.orgEntity.projects.edges.map((e) => e.node.name)).not.toContain('wandb-registry-bad/name');

  await nameField.fill(name);
  await dialog.getByLabel('Description (optional)').fill('Vision models for the robots');
  await dialog.getByLabel(/^Restricted/).check();
  await dialog.getByLabel('Only these types').check();
  await dialog.getByRole('textbox', { name: 'Types' }).fill('model, checkpoint');
  await dialog.getByRole('button', { name: 'Create registry' }).click();

  await expect(page).toHaveURL(new RegExp(`/registry/${name}$`));
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByText('Vision models for the robots')).toBeVisible();
  await expect(page.getByText('Restricted', { exact: true })).toBeVisible();
  await expect(page.getByText('Admin', { exact: true })).toBeVisible();

  // Home shows the new card from the cache: no request.
  const requests = recordOperations(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Registry' }).click();
  const card = page.getByRole('article', { name });
  await expect(card).toBeVisible();
  await expect(card.getByLabel('Accepted types').locator('.chip')).toHaveText(['checkpoint', 'model']);
  await expect(card).toContainText('Restricted');
  // Once: other specs create registries meanwhile, so the list's length is not this test's to count.
  await expect(page.getByRole('region', { name: 'Registries' }).getByRole('article', { name })).toHaveCount(1);
  expect(requests).toEqual([]);
});

test('search filters the cards and the URL keeps it', async ({ signedIn: page }) => {
  await page.goto('/registry');
  await page.getByLabel('Search registries').fill('datas');
  await expect(page.getByRole('article', { name: 'Datasets', exact: true })).toBeVisible();
  await expect(page.getByRole('article', { name: 'Models' })).toHaveCount(0);
  await page.reload();
  await expect(page.getByLabel('Search registries')).toHaveValue('datas');
  await expect(page.getByRole('article', { name: 'Models' })).toHaveCount(0);
  await page.getByLabel('Search registries').fill('zzz-nothing');
  await expect(page.getByText('No registry matches')).toBeVisible();
});

test('a non-member cannot find a restricted registry: no card, "not found" at its address', async ({ page, api }) => {
  const secret = unique('secret');
  await createRegistry(api, { name: secret, restricted: true, types: ['model'] });
  const user = await createUser(api, { username: unique('outsider'), password: newPassword() });
  await signIn(page, user);

  await page.goto('/registry');
  await expect(page.getByRole('article', { name: 'Models', exact: true })).toBeVisible();
  await expect(page.getByRole('article', { name: secret })).toHaveCount(0);
  await page.getByLabel('Search registries').fill(secret);
  await expect(page.getByText('No registry matches')).toBeVisible();

  await page.goto(`/registry/${secret}`);
  await expect(page.getByText('Registry not found')).toBeVisible();
  await expect(page.getByText(/permission/i)).toHaveCount(0);
  await page.goto('/registry/no-such-registry');
  await expect(page.getByText('Registry not found')).toBeVisible();
  await expectNoA11yViolations(page);
});

test('a viewer of the organization sees Create registry disabled, with the role it needs', async ({ page, api }) => {
  const viewer = await createUser(api, { username: unique('watcher'), password: newPassword(), orgRole: 'viewer' });
  await signIn(page, viewer);
  await page.goto('/registry');
  const create = page.getByRole('button', { name: 'Create registry' });
  await expect(create).toBeDisabled();
  await expect(create).toHaveAccessibleDescription('Needs the organization member or admin role');
});

test('revisiting pages (home → registry → back → forward) makes no GraphQL request', async ({ signedIn: page, api }) => {
  const name = unique('revisit');
  await createRegistry(api, { name: name, types: ['model'] });
  await page.goto('/registry');
  await page.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('article', { name })).toBeVisible();

  const requests = recordOperations(page);
  await page.goForward();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('article', { name })).toBeVisible();
  await page.goForward();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  expect(requests).toEqual([]);
  await expectNoA11yViolations(page);
});
