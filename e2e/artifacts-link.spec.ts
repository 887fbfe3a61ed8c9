import { linkVersion, linkedVersions } from '../seed/collections.js';
import { createTeam, createUser, newPassword } from '../seed/people.js';
import { createRegistry, grantRegistryRole, protectAliases } from '../seed/registries.js';
import { logVersion } from '../seed/versions.js';
import { unique } from './support/api';
import { expect, expectNoA11yViolations, signIn, test } from './support/fixtures';
import { choose, combobox, listbox } from './support/pickers';

const files = { 'model.txt': 'simulated model file' };

// Several axe runs per test on a shared two-core machine.
test.describe.configure({ timeout: 60_000 });

test("the seed's artifact-browser steps: link a version to a registry with an alias", async ({ signedIn: page, api }) => {
  const team = unique('team');
  const collection = unique('Example-ML-Task');
  await createTeam(api, { name: team, members: ['admin'] });
  const v0 = await logVersion(api, { entity: team, project: 'link-quickstart', name: 'artifact-name', type: 'model', files });
  await logVersion(api, {
    entity: team,
    project: 'link-quickstart',
    name: 'artifact-name',
    type: 'model',
    files: { 'model.txt': 'better model' },
  });
  await linkVersion(api, { artifactId: v0.artifactId, registry: 'model', collection: collection, aliases: ['candidate'] });

  // 1–2. The project's artifact browser, through the Artifacts icon of the project sidebar.
  await page.goto(`/${team}/link-quickstart/artifacts/model/artifact-name/v0`);
  await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Artifacts' }).click();
  await expect(page).toHaveURL(new RegExp(`/${team}/link-quickstart/artifacts$`));
  await expect(page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Artifacts' })).toHaveAttribute(
    'aria-current',
    'page',
  );
  const sidebar = page.getByRole('navigation', { name: 'Artifacts' });
  await expect(sidebar.getByRole('heading', { name: 'model' })).toBeVisible();
  await expectNoA11yViolations(page);
  await sidebar.getByRole('link', { name: /artifact-name/ }).click();
  await expect(page.getByRole('table', { name: 'Versions of artifact-name' })).toBeVisible();
  await expect(sidebar.getByRole('link', { name: /artifact-name/ })).toContainText('2');
  await expectNoA11yViolations(page);

  // 3. The version to link.
  await page.getByRole('link', { name: 'v1', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Version overview' })).toBeVisible();
  await expect(page.getByText(`${team}/link-quickstart/artifact-name:v1`).first()).toBeVisible();
  const linkedTo = page.getByRole('region', { name: 'Linked to' });
  await expect(linkedTo).toContainText('Not linked to any registry you can see.');
  await expectNoA11yViolations(page);

  // 4. Link to registry, in the Version overview.
  await page.getByRole('button', { name: 'Link to registry' }).click();
  const modal = page.getByRole('dialog', { name: 'Link to registry' });
  // 5. Select a registered model.
  const picker = combobox(modal, 'Select a registered model');
  await expect(picker).toBeVisible();
  await expectNoA11yViolations(page);
  await choose(modal, 'Select a registered model', new RegExp(`${collection}.*in Models`), collection.slice(0, 12).toUpperCase());
  // 6. Next step.
  await modal.getByRole('button', { name: 'Next step' }).click();
  // 7. Aliases: "candidate" is on v0 of the collection; moving it is announced.
  const aliases = combobox(modal, 'Aliases');
  // The dropdown offers the collection's aliases; typing takes new ones too.
  await aliases.click();
  await expect(listbox(modal, 'Aliases').getByRole('option', { name: 'candidate on v0' })).toBeVisible();
  await aliases.fill('candidate');
  await expect(modal.getByRole('note')).toHaveText('"candidate" will move from v0 to this version.');
  await expectNoA11yViolations(page);

  const requests: string[] = [];
  page.on('request', (r) => {
    // Queries go out as GET (operationName in the URL), mutations as POST.
    if (r.url().includes('/graphql')) requests.push(`${r.url()} ${r.postData() ?? ''}`);
  });
  // 8. Link to registry.
  await modal.getByRole('button', { name: 'Link to registry' }).click();
  await expect(modal.getByRole('status')).toContainText(`Linked as v1 in Models / ${collection}.`);
  await expect(modal.getByRole('link', { name: `View ${collection}:v1 in Models` })).toHaveAttribute(
    'href',
    `/registry/model/${collection}/v1`,
  );
  await expectNoA11yViolations(page);
  await modal.getByRole('button', { name: 'Close' }).first().click();

  // "Linked to" shows it from the mutation's answer: the page query was not sent again.
  await expect(linkedTo.getByRole('link', { name: `Models / ${collection}:v1` })).toHaveAttribute(
    'href',
    `/registry/model/${collection}/v1`,
  );
  await expect(linkedTo).toContainText('candidate');
  expect(requests.filter((request) => request.includes('operationName=ArtifactBrowser'))).toEqual([]);
  expect(requests.some((body) => body.includes('mutation LinkToRegistryDialog_Link'))).toBe(true);

  // Then the registry's collection page shows the new version with that alias, and v0 without it.
  await linkedTo.getByRole('link', { name: `Models / ${collection}:v1` }).click();
  await expect(page.getByRole('tab', { name: 'Version', exact: true })).toBeVisible();
  await page.goto(`/registry/model/${collection}`);
  const versions = page.getByRole('table', { name: `Versions of ${collection}` });
  await expect(versions.getByRole('list', { name: 'Aliases of v1' })).toContainText('candidate');
  await expect(versions.getByRole('list', { name: 'Aliases of v0' })).toHaveCount(0);
  expect(await linkedVersions(api, { registry: 'model', collection: collection })).toEqual([
    { version: 'v1', aliases: ['candidate', 'latest'] },
    { version: 'v0', aliases: [] },
  ]);
});

test('linking a version already in the collection shows its existing vN, no duplicate', async ({ signedIn: page, api }) => {
  const team = unique('team');
  const collection = unique('dupes');
  await createTeam(api, { name: team, members: ['admin'] });
  const v0 = await logVersion(api, { entity: team, project: 'p', name: 'net', type: 'model', files });
  expect(await linkVersion(api, { artifactId: v0.artifactId, registry: 'model', collection: collection })).toBe(0);

  await page.goto(`/${team}/p/artifacts/model/net/v0`);
  const linkedTo = page.getByRole('region', { name: 'Linked to' });
  await expect(linkedTo.getByRole('link')).toHaveCount(1);
  await page.getByRole('button', { name: 'Link to registry' }).click();
  const modal = page.getByRole('dialog', { name: 'Link to registry' });
  await choose(modal, 'Select a registered model', new RegExp(`${collection}.*already linked as v0`), collection);
  await modal.getByRole('button', { name: 'Next step' }).click();
  await expect(modal).toContainText('This version is already linked there as v0.');
  await modal.getByRole('button', { name: 'Link to registry' }).click();
  await expect(modal.getByRole('status')).toContainText(`Already linked as v0 in Models / ${collection}.`);
  await modal.getByRole('button', { name: 'Close' }).first().click();
  await expect(linkedTo.getByRole('link')).toHaveCount(1);
  expect((await linkedVersions(api, { registry: 'model', collection: collection })).map((v) => v.version)).toEqual(['v0']);
});

test('a new collection, and protected aliases refused for a member', async ({ page, api }) => {
  const team = unique('team');
  const registry = unique('evals');
  const user = await createUser(api, { username: unique('mia'), password: newPassword() });
  await createTeam(api, { name: team, members: [user.username] });
  await createRegistry(api, { name: registry, types: ['model'] });
  await grantRegistryRole(api, { registry: registry, username: user.username, role: 'member' });
  await protectAliases(api, { registry: registry, aliases: ['gate'] });
  await logVersion(api, { entity: team, project: 'p', name: 'net', type: 'model', files });

  await signIn(page, user);
  await page.goto(`/${team}/p/artifacts/model/net/v0`);
  await page.getByRole('button', { name: 'Link to registry' }).click();
  const modal = page.getByRole('dialog', { name: 'Link to registry' });
  // Only registries the member may link into: not Models (viewer there by default).
  await combobox(modal, 'Select a registered model').click();
  await expect(
    listbox(modal, 'Select a registered model').getByRole('option', { name: new RegExp(`New collection in ${registry}`, 'i') }),
  ).toBeVisible();
  await expect(listbox(modal, 'Select a registered model').getByRole('option', { name: /New collection in Models/ })).toHaveCount(0);
  await choose(modal, 'Select a registered model', new RegExp(`New collection in ${registry}`, 'i'));
  await modal.getByRole('textbox', { name: 'New collection name' }).fill('candidates');
  await modal.getByRole('button', { name: 'Next step' }).click();
  // A new collection has no aliases to offer: the field is a text box.
  await modal.getByRole('textbox', { name: 'Aliases' }).fill('gate');
  await expect(modal.getByText('"gate" is a protected alias: only registry admins may add it.')).toBeVisible();
  await expect(modal.getByRole('button', { name: 'Link to registry' })).toBeDisabled();
  await modal.getByRole('textbox', { name: 'Aliases' }).fill('staging');
  await modal.getByRole('button', { name: 'Link to registry' }).click();
  await expect(modal.getByRole('status')).toContainText(/Linked as v0 in .* \/ candidates\./);
  await modal.getByRole('button', { name: 'Close' }).first().click();
  await expect(page.getByRole('region', { name: 'Linked to' }).getByRole('link', { name: /candidates:v0/ })).toHaveAttribute(
    'href',
    `/registry/${registry}/candidates/v0`,
  );
});

test("no registry accepts the version's type: the modal says so and why", async ({ page, api }) => {
  const team = unique('team');
  const user = await createUser(api, { username: unique('noa'), password: newPassword() });
  await createTeam(api, { name: team, members: [user.username] });
  await grantRegistryRole(api, { registry: 'model', username: user.username, role: 'member' });
  await grantRegistryRole(api, { registry: 'dataset', username: user.username, role: 'member' });
  await logVersion(api, { entity: team, project: 'p', name: 'scripts', type: 'code', files });

  await signIn(page, user);
  await page.goto(`/${team}/p/artifacts/code/scripts/v0`);
  await page.getByRole('button', { name: 'Link to registry' }).click();
  const modal = page.getByRole('dialog', { name: 'Link to registry' });
  await expect(modal.getByRole('status')).toContainText(
    "No registry you can link into accepts type 'code'. Models accepts model; Datasets accepts dataset.",
  );
  await expect(modal.getByRole('button', { name: 'Next step' })).toHaveCount(0);
  await expectNoA11yViolations(page);
});

test('a viewer in every registry sees Link to registry disabled, with the reason', async ({ page, api }) => {
  const team = unique('team');
  const user = await createUser(api, { username: unique('vic'), password: newPassword() });
  await createTeam(api, { name: team, members: [user.username] });
  await logVersion(api, { entity: team, project: 'p', name: 'net', type: 'model', files });

  await signIn(page, user);
  await page.goto(`/${team}/p/artifacts/model/net/v0`);
  const button = page.getByRole('button', { name: 'Link to registry' });
  await expect(button).toBeDisabled();
  await expect(button).toHaveAccessibleDescription(/Needs the member role in a registry/);
  await button.hover({ force: true });
  await expect(page.getByRole('tooltip')).toContainText('Needs the member role in a registry');
  await expectNoA11yViolations(page);
});

test("a project the viewer cannot see is not found; projects lists the viewer's teams", async ({ page, api }) => {
  const team = unique('team');
  const other = unique('other');
  const user = await createUser(api, { username: unique('pat'), password: newPassword() });
  await createTeam(api, { name: team, members: [user.username] });
  await createTeam(api, { name: other, members: ['admin'] });
  await logVersion(api, { entity: team, project: 'mine', name: 'net', type: 'model', files });
  await logVersion(api, { entity: other, project: 'secret', name: 'net', type: 'model', files });

  await signIn(page, user);
  await page.goto('/projects');
  const section = page.getByRole('region', { name: team });
  await expect(section.getByRole('link', { name: 'mine' })).toHaveAttribute('href', `/${team}/mine/artifacts`);
  await expect(page.getByRole('region', { name: other })).toHaveCount(0);
  await expectNoA11yViolations(page);
  await section.getByRole('link', { name: 'mine' }).click();
  await expect(page.getByRole('navigation', { name: 'Artifacts' }).getByRole('link', { name: /net/ })).toBeVisible();

  await page.goto(`/${other}/secret/artifacts/model/net/v0`);
  await expect(page.getByText('Project not found')).toBeVisible();
  await expect(page.getByText('simulated model file')).toHaveCount(0);
});
