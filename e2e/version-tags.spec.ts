import { data } from '../seed/client.js';
import { createUser, newPassword } from '../seed/people.js';
import { grantRegistryRole, registryId } from '../seed/registries.js';
import { addVersionTags } from '../seed/versions.js';
import { unique } from './support/api';
import { expect, expectNoA11yViolations, signIn, test } from './support/fixtures';
import { captureScreens } from './support/screens';

// A linked version's tags, edited on its page by registry members: they belong to the version, so the
// collection's versions table and its tag filter follow without a reload.

test.describe('tags of a linked version', () => {
  test('a member adds a tag, the collection finds the version by it, it stays after a reload, and goes when removed', async ({
    page,
    api,
    registry,
    collection: seed,
    linkedVersion,
  }) => {
    test.setTimeout(90_000);
    // A registry member outside the team that logged the version: the registry alone lets them tag it.
    const member = await createUser(api, { username: unique('tagger'), password: newPassword() });
    await grantRegistryRole(api, { registry: registry.name, username: member.username, role: 'member' });
    await signIn(page, member);
    const tag = unique('approved');

    // The collection filtered by the tag first: no version has it yet, and that answer is cached (Clear filters
    // replaces the address, so the same filter is typed again below).
    await page.goto(`${seed.path}?tag=${tag}`);
    await expect(page.getByText('No version matches these filters')).toBeVisible();
    // Its history too, seen before the change.
    await page.getByRole('tab', { name: 'Action history' }).click();
    await expect(page.getByRole('list', { name: 'Action history' })).toContainText('linked');
    await page.getByRole('tab', { name: 'Versions' }).click();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByRole('link', { name: linkedVersion.version, exact: true }).click();

    const overview = page.getByRole('tabpanel', { name: 'Version' });
    const field = overview.getByRole('textbox', { name: 'Add tag' });
    const add = overview.getByRole('button', { name: 'Add', exact: true });
    await expect(field).toBeVisible();

    // The naming rule is checked at the field, before anything is sent.
    await field.fill('no/slashes');
    await expect(overview.getByText('Tag "no/slashes" is not valid')).toBeVisible();
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(add).toBeDisabled();

    await field.fill(tag);
    await expect(add).toBeEnabled();
    await add.click();
    const tags = overview.getByRole('list', { name: 'Tags' });
    await expect(tags.getByRole('listitem')).toContainText([tag]);
    await expect(tags.getByRole('listitem')).toHaveCount(1);
    await expect(field).toHaveValue('');
    await field.fill(tag);
    await expect(overview.getByText(`"${tag}" is already a tag of this version.`)).toBeVisible();
    await field.fill('');
    await expectNoA11yViolations(page);

    // Back in the collection (no reload): the versions table shows the tag, and the filter now finds the version.
    await page.goBack();
    await expect(page.getByRole('list', { name: `Tags of ${linkedVersion.version}` }).getByRole('listitem')).toHaveText([tag]);
    const filter = page.getByRole('search', { name: 'Filter versions' }).getByRole('textbox', { name: 'Tag' });
    await filter.fill(tag);
    await filter.press('Enter');
    await expect(page).toHaveURL(new RegExp(`[?&]tag=${tag}`));
    await expect(page.getByRole('link', { name: linkedVersion.version, exact: true })).toBeVisible();
    await page.getByRole('tab', { name: 'Action history' }).click();
    await expect(page.getByRole('list', { name: 'Action history' })).toContainText(`added tag “${tag}” to ${linkedVersion.version}`);

    await page.goto(linkedVersion.path);
    await expect(tags.getByRole('listitem')).toContainText([tag]);
    await expect(tags.getByRole('listitem')).toHaveCount(1);
    await overview.getByRole('button', { name: `Remove tag ${tag}` }).click();
    await expect(overview.getByRole('list', { name: 'Tags' })).toHaveCount(0);
    await page.reload();
    await expect(field).toBeVisible();
    await expect(overview.getByRole('list', { name: 'Tags' })).toHaveCount(0);

    // A refusal is shown in the server's words: here the member lost the role since the page loaded.
    await data(api, `mutation E2EDemote($input: UpdateProjectMemberInput!) { updateProjectMember(input: $input) { success } }`, {
      input: { projectId: await registryId(api, registry.name), userId: member.id, userProjectRole: 'viewer' },
    });
    await field.fill('late');
    await add.click();
    await expect(overview.getByRole('alert')).toHaveText(
      `To change this version's tags you need the member role in registry "${registry.name}"; yours is viewer.`,
    );
    await expect(overview.getByRole('list', { name: 'Tags' })).toHaveCount(0);
  });

  test('a viewer sees the tags but no editor, and why', async ({ page, api, linkedVersion }) => {
    await addVersionTags(api, { artifactId: linkedVersion.artifactId, tags: ['reviewed'] });
    const viewer = await createUser(api, { username: unique('tagviewer'), password: newPassword() });
    await signIn(page, viewer);
    await page.goto(linkedVersion.path);
    const overview = page.getByRole('tabpanel', { name: 'Version' });
    await expect(overview.getByRole('list', { name: 'Tags' }).getByRole('listitem')).toHaveText(['reviewed']);
    await expect(overview.getByRole('note')).toHaveText('Only registry members can add or remove tags; your role is Viewer.');
    await expect(overview.getByRole('textbox', { name: 'Add tag' })).toHaveCount(0);
    await expect(overview.getByRole('button', { name: /Remove tag/ })).toHaveCount(0);
    await expectNoA11yViolations(page);
  });

  test('screens: the editor with tags and a name refused at the field, light and dark, wide and narrow', async ({
    browser,
    api,
    linkedVersion,
  }) => {
    test.setTimeout(90_000);
    await addVersionTags(api, { artifactId: linkedVersion.artifactId, tags: ['approved', 'vision transformer', 'eval-2026'] });
    await captureScreens(browser, [
      {
        name: 'version-tags',
        path: linkedVersion.path,
        ready: (page) => page.getByRole('textbox', { name: 'Add tag' }),
        open: async (page) => {
          await page.getByRole('textbox', { name: 'Add tag' }).fill('bad:tag');
          await expect(page.getByText('Tag "bad:tag" is not valid')).toBeVisible();
        },
      },
    ]);
  });
});
