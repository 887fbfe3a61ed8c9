import { data } from '../seed/client.js';
import { createUser, newPassword } from '../seed/people.js';
import { createRegistry } from '../seed/registries.js';
import { expect, expectNoA11yViolations, signIn, test } from './support/fixtures';
import { unique, seedClient } from './support/api';
import { openSettings, section } from './support/settings';

const ADMIN_NEEDED = 'Needs the admin role in this registry';

/** Gives `username` a role in `registry` through the SDK's own mutation. */
async function addMember(api: ReturnType<typeof seedClient>, registry: string, username: string, role: string) {
  const found = await data<{ project: { id: string }; entity: { user: { id: string } } }>(
    api,
    `query ($p: String!, $u: String!) { project(entityName: "acme", name: $p) { id } entity(name: $u) { user { id } } }`,
    { p: `wandb-registry-${registry}`, u: username },
  );
  await data(api, `mutation ($input: CreateProjectMembersInput!) { createProjectMembers(input: $input) { success } }`, {
    input: { projectId: found.project.id, userIds: [found.entity.user.id], role },
  });
}

test('a registry member who is not admin reads the settings; every change is disabled and names the admin role', async ({ page, api }) => {
  const registry = unique('read-only');
  const member = await createUser(api, { username: unique('mia'), password: newPassword() });
  await createRegistry(api, { name: registry, restricted: true, types: ['model'], description: 'Only for reading' });
  await addMember(api, registry, member.username, 'member');
  await signIn(page, member);

  await openSettings(page, registry);
  await expect(page.getByText('Your role: member (own role)')).toBeVisible();
  await expect(page.getByRole('note')).toHaveText('You can read these settings. Changing them needs the admin role in this registry.');
  await expect(section(page, 'Description').getByLabel('Description')).toHaveValue('Only for reading');
  await expect(section(page, 'Description').getByLabel('Description')).not.toBeEditable();

  const gated = [
    section(page, 'Description').getByRole('button', { name: 'Save description' }),
    section(page, 'Accepted types').getByRole('button', { name: 'Add type' }),
    section(page, 'Members and roles').getByRole('button', { name: 'Add member' }),
    section(page, 'Members and roles').getByRole('button', { name: `Remove ${member.username}` }),
    section(page, 'Members and roles').getByRole('combobox', { name: `Role of ${member.username}` }),
    section(page, 'Protected aliases').getByRole('button', { name: 'Protect alias' }),
    section(page, 'Danger zone').getByRole('button', { name: 'Delete registry' }),
  ];
  for (const control of gated) {
    await expect(control).toBeDisabled();
    await expect(control).toHaveAccessibleDescription(ADMIN_NEEDED);
  }
  await expect(section(page, 'Visibility').getByRole('radio', { name: /Organization/ })).toBeDisabled();

  // The tooltip shows on hover and on keyboard focus.
  // The tooltip shows on keyboard focus and on hover (a disabled button takes no events: its wrapper does).
  await section(page, 'Accepted types').getByLabel('New type').focus();
  await page.keyboard.press('Tab');
  await expect(section(page, 'Accepted types').getByRole('button', { name: 'Add type' }).locator('..')).toBeFocused();
  await expect(page.getByRole('tooltip')).toHaveText(ADMIN_NEEDED);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('tooltip')).toHaveCount(0);
  await section(page, 'Danger zone').getByRole('button', { name: 'Delete registry' }).locator('..').hover();
  await expect(page.getByRole('tooltip')).toHaveText(ADMIN_NEEDED);
  await expectNoA11yViolations(page);
});

test("an organization user reads an organization registry's settings with the default viewer role", async ({ page, api }) => {
  const registry = unique('open');
  const user = await createUser(api, { username: unique('olga'), password: newPassword() });
  await createRegistry(api, { name: registry });
  await signIn(page, user);
  await openSettings(page, registry);
  await expect(page.getByText('Your role: viewer (organization default)')).toBeVisible();
  await expect(section(page, 'Danger zone').getByRole('button', { name: 'Delete registry' })).toBeDisabled();
});

test('a restricted registry the viewer is not in, and an unknown one, are "not found"', async ({ page, api }) => {
  const registry = unique('secret');
  const outsider = await createUser(api, { username: unique('otto'), password: newPassword() });
  await createRegistry(api, { name: registry, restricted: true });
  await signIn(page, outsider);
  for (const name of [registry, unique('no-such-registry')]) {
    await page.goto(`/registry/${name}/settings`);
    // The only heading is the answer; nothing of the registry (its name, its settings) shows.
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(['Registry not found']);
    await expect(page.getByRole('heading', { name: 'Danger zone' })).toHaveCount(0);
  }
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe finds nothing on the settings page and its dialogs (${colorScheme})`, async ({ signedIn: page, baseURL }) => {
    test.setTimeout(90_000);
    const api = seedClient(baseURL);
    const registry = unique('checked');
    const user = await createUser(api, { username: unique('ana'), password: newPassword() });
    await createRegistry(api, { name: registry, types: ['model', 'dataset'] });
    await addMember(api, registry, user.username, 'member');
    await page.emulateMedia({ colorScheme });
    await openSettings(page, registry);
    await expect(section(page, 'Members and roles').getByRole('row', { name: `User ${user.username}` })).toBeVisible();
    await expectNoA11yViolations(page);

    await section(page, 'Visibility')
      .getByRole('radio', { name: /Restricted/ })
      .click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await expectNoA11yViolations(page);
    await page.keyboard.press('Escape');

    await section(page, 'Members and roles')
      .getByRole('button', { name: `Remove ${user.username}` })
      .click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await expectNoA11yViolations(page);
    await page.keyboard.press('Escape');

    await section(page, 'Danger zone').getByRole('button', { name: 'Delete registry' }).click();
    await expect(page.getByRole('dialog')).toBeVisible();
    await expectNoA11yViolations(page);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog')).toHaveCount(0);

    // Errors shown at the fields are checked too.
    await section(page, 'Protected aliases').getByLabel('Alias to protect').fill('a:b');
    await section(page, 'Protected aliases').getByRole('button', { name: 'Protect alias' }).click();
    await expect(section(page, 'Protected aliases').getByLabel('Alias to protect')).toHaveAttribute('aria-invalid', 'true');
    await expectNoA11yViolations(page);
  });
}
