import type { Page } from '@playwright/test';
import type { SeedClient } from '../seed/client.js';
import { createCollection, linkVersion } from '../seed/collections.js';
import { createTeam, createUser, newPassword } from '../seed/people.js';
import { createRegistry, grantRegistryRole, protectAliases } from '../seed/registries.js';
import { logVersion } from '../seed/versions.js';
import { recordOperations } from './support/settings';
import { choose, combobox, listbox } from './support/pickers';
import { unique } from './support/api';
import { expect, expectNoA11yViolations, signIn, test } from './support/fixtures';

/** A team the admin belongs to, with a project holding `count` versions of a `model` artifact. */
async function seedSource(api: SeedClient, count: number) {
  const team = unique('team');
  await createTeam(api, { name: team, members: ['admin'] });
  const versions = [];
  for (let i = 0; i < count; i++) {
    versions.push(
      await logVersion(api, {
        entity: team,
        project: 'training',
        name: 'resnet',
        type: 'model',
        files: { 'weights.txt': `weights ${i} ${team}` },
      }),
    );
  }
  // Another type in the same project: the sheet must not offer it for a model collection.
  await logVersion(api, {
    entity: team,
    project: 'training',
    name: 'imagenet-subset',
    type: 'dataset',
    files: { 'data.txt': `data ${team}` },
  });
  return { team, versions };
}

// Cells of a row, after its name (a row header): type, tags, latest, versions, updated, actions.
async function openSheet(page: Page, collection: string) {
  await page.getByRole('button', { name: `More actions for ${collection}` }).click();
  await page.getByRole('menuitem', { name: 'Link new version' }).click();
  const sheet = page.getByRole('dialog', { name: 'Link new version' });
  await expect(sheet).toBeVisible();
  return sheet;
}

async function pick(page: Page, team: string, version: string) {
  const sheet = page.getByRole('dialog', { name: 'Link new version' });
  await choose(sheet, 'Team', team, team);
  await choose(sheet, 'Project', 'training');
  await combobox(sheet, 'Artifact').click();
  const artifacts = listbox(sheet, 'Artifact');
  await expect(artifacts.getByRole('option', { name: 'resnet' })).toHaveCount(1);
  await expect(artifacts.getByRole('option', { name: 'imagenet-subset' })).toHaveCount(0);
  await choose(sheet, 'Artifact', 'resnet');
  await choose(sheet, 'Version', new RegExp(`^${version}\\b`), version);
}

test('create a collection from the registry page', async ({ signedIn: page, api }) => {
  const registry = unique('nlp');
  await createRegistry(api, { name: registry, types: ['model', 'dataset'] });
  await page.goto(`/registry/${registry}`);
  await expect(page.getByText('No collections yet')).toBeVisible();
  await expectNoA11yViolations(page);

  await page.getByRole('button', { name: 'Create collection' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create collection' });
  await expectNoA11yViolations(page);
  await dialog.getByLabel('Name').fill('has:colon');
  await dialog.getByRole('button', { name: 'Create collection' }).click();
  await expect(dialog.getByLabel('Name')).toHaveAccessibleDescription(/Names cannot hold/);

  await dialog.getByLabel('Name').fill('sentiment');
  await dialog.getByLabel('Type').selectOption('model');
  await dialog.getByLabel('Description (optional)').fill('# Sentiment\nA classifier.');
  await dialog.getByLabel('Tags (optional)').fill('text, baseline');
  await dialog.getByRole('button', { name: 'Create collection' }).click();
  await expect(dialog).toHaveCount(0);

  const row = page.getByRole('row', { name: /sentiment/ });
  await expect(row.getByRole('link', { name: 'sentiment', exact: true })).toHaveAttribute('href', `/registry/${registry}/sentiment`);
  await expect(row).toContainText('model');
  await expect(row).toContainText('text');
  await expect(row).toContainText('baseline');
  await expect(row.getByRole('cell').nth(2)).toHaveText('none');
  await expect(row.getByRole('cell').nth(3)).toHaveText('0');

  // A second collection of the same name: the server's message, next to the name.
  await page.getByRole('button', { name: 'Create collection' }).click();
  await dialog.getByLabel('Name').fill('sentiment');
  await dialog.getByRole('button', { name: 'Create collection' }).click();
  await expect(dialog.getByLabel('Name')).toHaveAccessibleDescription(/A collection named "sentiment" already exists/);
});

test('link versions through the ⋯ menu: v0, then v1, and the row and home card change without reload', async ({
  signedIn: page,
  api,
  registry: created,
}) => {
  const { team } = await seedSource(api, 2);
  const registry = created.name;
  await createCollection(api, { registry: registry, name: 'grasping', tags: ['arm'] });

  await page.goto('/registry');
  const card = page.getByRole('article', { name: registry });
  await expect(card).toContainText('1 collection · 0 versions');
  await card.getByRole('link', { name: registry }).click();
  const row = page.getByRole('row', { name: /grasping/ });
  await expect(row.getByRole('cell').nth(2)).toHaveText('none');

  // The menu is reachable by keyboard.
  await page.getByRole('button', { name: 'More actions for grasping' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menuitem', { name: 'Link new version' })).toBeFocused();
  await expectNoA11yViolations(page);
  await page.keyboard.press('Escape');

  const sheet = await openSheet(page, 'grasping');
  await expectNoA11yViolations(page);
  const requests = recordOperations(page);
  await pick(page, team, 'v0');
  await expect(sheet.getByRole('button', { name: 'Link' })).toBeEnabled();
  await sheet.getByRole('button', { name: 'Link' }).click();
  await expect(sheet.getByRole('status')).toHaveText(/Linked as v0\./);

  await pick(page, team, 'v1');
  await sheet.getByRole('button', { name: 'Link' }).click();
  await expect(sheet.getByRole('status')).toHaveText(/Linked as v1\./);
  await expectNoA11yViolations(page);

  // The same source version again: the existing linked version.
  await pick(page, team, 'v1');
  await sheet.getByRole('button', { name: 'Link' }).click();
  await expect(sheet.getByRole('status')).toHaveText(/Already linked as v1\./);
  await sheet.getByRole('button', { name: 'Done' }).click();

  await expect(row.getByRole('cell').nth(2)).toHaveText('v1');
  await expect(row.getByRole('cell').nth(3)).toHaveText('2');
  await page.getByRole('link', { name: 'Registry', exact: true }).first().click();
  await expect(page.getByRole('article', { name: registry })).toContainText('1 collection · 2 versions');
  // Only the sheet's own lists and the links went out: no page was fetched again.
  expect(requests.filter((name) => name === 'RegistryPage' || name === 'RegistryHome')).toEqual([]);
  expect(requests.filter((name) => name === 'LinkVersionSheet_Link')).toHaveLength(3);
});

test('moving an alias: the sheet warns, the link moves it, the history shows it', async ({ signedIn: page, api, registry: created }) => {
  const { team, versions } = await seedSource(api, 2);
  const registry = created.name;
  await createCollection(api, { registry: registry, name: 'landing' });
  await linkVersion(api, { artifactId: versions[0]?.artifactId ?? '', registry: registry, collection: 'landing', aliases: ['candidate'] });

  await page.goto(`/registry/${registry}`);
  const sheet = await openSheet(page, 'landing');
  await pick(page, team, 'v1');
  await combobox(sheet, 'Aliases (optional)').fill('candidate');
  await expect(sheet.getByRole('note')).toHaveText('"candidate" will move from v0 to this version.');
  await sheet.getByRole('button', { name: 'Link' }).click();
  await expect(sheet.getByRole('status')).toHaveText(/Linked as v1\./);
  await sheet.getByRole('button', { name: 'Done' }).click();

  await page.getByRole('button', { name: 'More actions for landing' }).click();
  await page.getByRole('menuitem', { name: 'Action history' }).click();
  const history = page.getByRole('dialog', { name: 'Action history of landing' });
  await expect(history.getByRole('listitem').first()).toBeVisible();
  await expect(history).toContainText('admin moved alias “candidate” from v0 to v1');
  await expect(history).toContainText('admin linked v1');
  await expectNoA11yViolations(page);
  await history.getByRole('button', { name: 'Close' }).first().click();

  // Typed again in a fresh sheet, the alias is now on v1: choosing v1 itself gives no warning.
  const again = await openSheet(page, 'landing');
  await pick(page, team, 'v0');
  await combobox(again, 'Aliases (optional)').fill('candidate');
  await expect(again.getByRole('note')).toHaveText('"candidate" will move from v1 to this version.');
});

test('filters, sort and pages live in the URL: a reload shows the same page', async ({ signedIn: page, api }) => {
  const registry = unique('many');
  await createRegistry(api, { name: registry, types: ['model', 'dataset'] });
  for (let i = 0; i < 23; i++) {
    await createCollection(api, {
      registry: registry,
      name: `c${String(i).padStart(2, '0')}`,
      type: i % 2 ? 'dataset' : 'model',
      tags: i % 3 === 0 ? ['gold'] : [],
    });
  }
  await page.goto(`/registry/${registry}`);
  await page.getByLabel('Sort by').selectOption({ label: 'Name' });
  await expect(page).toHaveURL(/sort=%2Bname/);
  const rows = page.getByRole('table').getByRole('rowheader');
  await expect(rows.first()).toHaveText('c00');
  await expect(page.getByText('1–20 of 23')).toBeVisible();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(rows.first()).toHaveText('c20');
  await page.reload();
  await expect(rows.first()).toHaveText('c20');
  await expect(rows).toHaveCount(3);
  await page.getByRole('button', { name: 'Previous' }).click();
  await expect(rows.first()).toHaveText('c00');

  await page.getByLabel('Type').selectOption('dataset');
  await page.getByLabel('Tag').fill('gold');
  await page.getByLabel('Tag').press('Enter');
  await expect(rows).toHaveText(['c03', 'c09', 'c15', 'c21']);
  await page.getByLabel('Search by name').fill('C1');
  await expect(rows).toHaveText(['c15']);
  await page.reload();
  await expect(rows).toHaveText(['c15']);
  await expect(page.getByLabel('Search by name')).toHaveValue('C1');
});

test('delete a collection after confirming', async ({ signedIn: page, api }) => {
  const registry = unique('trash');
  await createRegistry(api, { name: registry, types: ['model'] });
  await createCollection(api, { registry: registry, name: 'keep-me' });
  await createCollection(api, { registry: registry, name: 'old-model' });
  await page.goto(`/registry/${registry}`);
  await page.getByRole('button', { name: 'More actions for old-model' }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete old-model?' });
  await expectNoA11yViolations(page);
  await dialog.getByRole('button', { name: 'Delete collection' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('row', { name: /old-model/ })).toHaveCount(0);
  await expect(page.getByRole('row', { name: /keep-me/ })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('row', { name: /old-model/ })).toHaveCount(0);
});

test('axe finds nothing in dark mode: home, registry, dialogs, the ⋯ menu and the sheet', async ({ signedIn: page, api }) => {
  const registry = unique('dark');
  await createRegistry(api, { name: registry, types: ['model'] });
  await createCollection(api, { registry: registry, name: 'night-vision', tags: ['ir'] });
  await page.emulateMedia({ colorScheme: 'dark' });

  await page.goto('/registry');
  await expect(page.getByRole('article', { name: registry })).toBeVisible();
  await expectNoA11yViolations(page);
  await page.getByRole('button', { name: 'Create registry' }).click();
  await page.getByRole('dialog', { name: 'Create registry' }).getByRole('button', { name: 'Create registry' }).click();
  await expect(page.getByRole('dialog').getByRole('alert')).toBeVisible();
  await expectNoA11yViolations(page);
  await page.keyboard.press('Escape');

  await page.getByRole('link', { name: registry }).click();
  await expect(page.getByRole('row', { name: /night-vision/ })).toBeVisible();
  await expectNoA11yViolations(page);
  await page.getByRole('button', { name: 'Create collection' }).click();
  await expectNoA11yViolations(page);
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'More actions for night-vision' }).click();
  await expect(page.getByRole('menu')).toBeVisible();
  await expectNoA11yViolations(page);
  await page.getByRole('menuitem', { name: 'Link new version' }).click();
  await expect(page.getByRole('dialog', { name: 'Link new version' })).toBeVisible();
  await expectNoA11yViolations(page);
});

test('a registry member: a protected alias is blocked in the sheet, and deleting its collection is refused with the reason', async ({
  page,
  api,
  registry: created,
}) => {
  const member = await createUser(api, { username: unique('mlops'), password: newPassword() });
  const team = unique('team');
  await createTeam(api, { name: team, members: ['admin', member.username] });
  const versions = [];
  for (let i = 0; i < 2; i++)
    versions.push(
      await logVersion(api, { entity: team, project: 'training', name: 'resnet', type: 'model', files: { 'w.txt': `w ${i} ${team}` } }),
    );
  const registry = created.name;
  await protectAliases(api, { registry: registry, aliases: ['production'] });
  await createCollection(api, { registry: registry, name: 'ranker' });
  await linkVersion(api, { artifactId: versions[0]?.artifactId ?? '', registry: registry, collection: 'ranker', aliases: ['production'] });
  await grantRegistryRole(api, { registry: registry, username: member.username, role: 'member' });

  await signIn(page, member);
  await page.goto(`/registry/${registry}`);
  await expect(page.getByText('Member', { exact: true })).toBeVisible();
  const sheet = await openSheet(page, 'ranker');
  await pick(page, team, 'v1');
  await combobox(sheet, 'Aliases (optional)').fill('production');
  await expect(sheet.getByText('"production" is a protected alias: only registry admins may add it.')).toBeVisible();
  await expect(sheet.getByRole('button', { name: 'Link' })).toBeDisabled();
  await combobox(sheet, 'Aliases (optional)').fill('');
  await sheet.getByRole('button', { name: 'Link' }).click();
  await expect(sheet.getByRole('status')).toHaveText(/Linked as v1\./);
  await sheet.getByRole('button', { name: 'Done' }).click();

  await page.getByRole('button', { name: 'More actions for ranker' }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete ranker?' });
  await dialog.getByRole('button', { name: 'Delete collection' }).click();
  await expect(dialog.getByRole('alert')).toHaveText(
    'Collection "ranker" holds the protected alias "production": only a registry admin may delete it.',
  );
  await dialog.getByRole('button', { name: 'Keep it' }).click();
  await expect(page.getByRole('row', { name: /ranker/ })).toBeVisible();
});

test('a viewer of a registry sees what they may not do, with the role it needs', async ({ page, api, registry: created }) => {
  const reader = await createUser(api, { username: unique('reader'), password: newPassword() });
  const registry = created.name;
  await createCollection(api, { registry: registry, name: 'classifier' });
  await signIn(page, reader);
  await page.goto(`/registry/${registry}`);
  await expect(page.getByText('Viewer', { exact: true })).toBeVisible();
  const create = page.getByRole('button', { name: 'Create collection' });
  await expect(create).toBeDisabled();
  await expect(create).toHaveAccessibleDescription('Needs the member role in this registry');
  await page.getByRole('button', { name: 'More actions for classifier' }).click();
  await expect(page.getByRole('menuitem', { name: /Link new version/ })).toHaveAttribute('aria-disabled', 'true');
  await expect(page.getByRole('menuitem', { name: /Link new version/ })).toContainText('Needs the member role in this registry');
  await expect(page.getByRole('menuitem', { name: /Delete/ })).toHaveAttribute('aria-disabled', 'true');
  await expect(page.getByRole('menuitem', { name: 'Action history' })).toBeEnabled();
});
