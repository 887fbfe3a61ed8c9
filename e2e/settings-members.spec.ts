import { createTeam, createUser, newPassword } from '../seed/people.js';
import { createRegistry } from '../seed/registries.js';
import { expect, signIn, test } from './support/fixtures';
import { unique } from './support/api';
import { openSettings, recordOperations, section } from './support/settings';

test('a team as member: changing its role changes the effective role of its users', async ({ signedIn: page, browser, api }) => {
  const registry = unique('team-models');
  const team = unique('vision');
  const user = await createUser(api, { username: unique('tess'), password: newPassword() });
  await createTeam(api, { name: team, members: [user.username] });
  await createRegistry(api, { name: registry, restricted: true });

  await openSettings(page, registry);
  const members = section(page, 'Members and roles');
  const add = members.getByRole('form', { name: 'Add member' });
  // The user first, with the lowest role, so the team's role is what raises them.
  await add.getByLabel('Username').fill(user.username);
  await add.getByLabel('Role').selectOption('restricted_viewer');
  await add.getByRole('button', { name: 'Add member' }).click();
  const userRow = members.getByRole('row', { name: `User ${user.username}` });
  await expect(userRow.getByRole('cell').nth(2)).toHaveText('restricted viewer (own role)');

  await add.getByLabel('Kind').selectOption('team');
  await add.getByLabel('Team name').fill(team);
  await add.getByLabel('Role').selectOption('viewer');
  await add.getByRole('button', { name: 'Add member' }).click();
  const teamRow = members.getByRole('row', { name: `Team ${team}` });
  await expect(teamRow).toContainText('Team');
  await expect(teamRow.getByRole('combobox', { name: `Role of ${team}` })).toHaveValue('viewer');
  await expect(userRow.getByRole('cell').nth(2)).toHaveText(`viewer (from team ${team})`);

  // The team's user, signed in elsewhere, reads the settings with the team's role: read-only.
  const other = await browser.newPage();
  await signIn(other, user);
  await openSettings(other, registry);
  await expect(other.getByText(`Your role: viewer (from team ${team})`)).toBeVisible();
  await expect(other.getByRole('button', { name: 'Add member' })).toBeDisabled();

  const operations = recordOperations(page);
  await teamRow.getByRole('combobox', { name: `Role of ${team}` }).selectOption('admin');
  await expect(userRow.getByRole('cell').nth(2)).toHaveText(`admin (from team ${team})`);
  // The mutation's answer updates the page: no refetch.
  expect(operations).toEqual(['MembersSection_UpdateTeam']);

  await other.reload();
  await expect(other.getByText(`Your role: admin (from team ${team})`)).toBeVisible();
  await expect(other.getByRole('button', { name: 'Add member' })).toBeEnabled();
  await other.close();
});

test('add a user, change their role, remove them', async ({ signedIn: page, api }) => {
  const registry = unique('people');
  const user = await createUser(api, { username: unique('ursula'), password: newPassword() });
  await createRegistry(api, { name: registry });

  await openSettings(page, registry);
  const members = section(page, 'Members and roles');
  const add = members.getByRole('form', { name: 'Add member' });
  await add.getByLabel('Username').fill(user.username);
  await add.getByRole('button', { name: 'Add member' }).click();
  const row = members.getByRole('row', { name: `User ${user.username}` });
  const role = row.getByRole('combobox', { name: `Role of ${user.username}` });
  await expect(role).toHaveValue('viewer');
  await expect(add.getByLabel('Username')).toHaveValue('');

  await role.selectOption('member');
  await expect(row.getByRole('cell').nth(2)).toHaveText('member (own role)');
  await page.reload();
  await expect(role).toHaveValue('member');

  await row.getByRole('button', { name: `Remove ${user.username}` }).click();
  const dialog = page.getByRole('dialog', { name: `Remove ${user.username}?` });
  await expect(dialog).toContainText('Roles from their teams stay');
  await dialog.getByRole('button', { name: 'Remove user' }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toHaveCount(0);
  await page.reload();
  await expect(members.getByRole('row', { name: /^User / })).toHaveCount(1); // the admin who created it
});

test('a name that is no user or team, or already a member, gets an error at the field and adds nothing', async ({
  signedIn: page,
  api,
}) => {
  const registry = unique('careful');
  const team = unique('nlp');
  await createTeam(api, { name: team });
  await createRegistry(api, { name: registry });

  await openSettings(page, registry);
  const members = section(page, 'Members and roles');
  const add = members.getByRole('form', { name: 'Add member' });
  const rows = members.getByRole('row', { name: /^(User|Team) / });
  await expect(rows).toHaveCount(1);

  await add.getByRole('button', { name: 'Add member' }).click();
  await expect(add.getByLabel('Username')).toHaveAccessibleDescription('Type the username to add.');

  await add.getByLabel('Username').fill('nobody-by-this-name');
  await add.getByRole('button', { name: 'Add member' }).click();
  await expect(add.getByLabel('Username')).toHaveAccessibleDescription('No user named "nobody-by-this-name" in this organization.');
  await expect(add.getByLabel('Username')).toHaveAttribute('aria-invalid', 'true');

  // A team's name is not a username.
  await add.getByLabel('Username').fill(team);
  await add.getByRole('button', { name: 'Add member' }).click();
  await expect(add.getByLabel('Username')).toHaveAccessibleDescription(`No user named "${team}" in this organization.`);

  await add.getByLabel('Username').fill('admin');
  await add.getByRole('button', { name: 'Add member' }).click();
  await expect(add.getByLabel('Username')).toHaveAccessibleDescription('admin is a member already: change the role in the table above.');
  await expect(rows).toHaveCount(1);
  await page.reload();
  await expect(rows).toHaveCount(1);
});

test("org admins get suggestions from the organization's users while typing", async ({ signedIn: page, api }) => {
  const registry = unique('suggest');
  const user = await createUser(api, { username: unique('quentin'), password: newPassword() });
  await createRegistry(api, { name: registry });
  await openSettings(page, registry);
  const name = section(page, 'Members and roles').getByLabel('Username');
  await name.fill(user.username.slice(0, 10));
  await expect(page.locator(`datalist option[value="${user.username}"]`)).toHaveCount(1);
});
