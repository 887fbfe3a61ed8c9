import { data } from '../seed/client.js';
import { createTeam, createUser, newPassword } from '../seed/people.js';
import { createRegistry } from '../seed/registries.js';

import { test } from './support/fixtures';
import { captureScreens } from './support/screens';
import { section } from './support/settings';

test('screenshots: a registry settings page with users and teams', async ({ browser, api }) => {
  // Two screens in two schemes at two widths, each signed in afresh.
  test.setTimeout(120_000);
  const registry = 'vision-models';
  await createRegistry(api, {
    name: registry,
    types: ['model', 'onnx-model'],
    description: 'Production models of the vision team: detection, segmentation and OCR.',
  });
  const users = ['maria.garcia', 'li.wei', 'sam-okafor', 'jordan'];
  for (const username of users) await createUser(api, { username: username, password: newPassword() });
  await createTeam(api, { name: 'vision', members: ['maria.garcia', 'li.wei'] });
  await createTeam(api, { name: 'ml-platform', members: ['sam-okafor'] });

  const ids = await data<{ project: { id: string } }>(api, `{ project(entityName: "acme", name: "wandb-registry-${registry}") { id } }`);
  const idOf = async (name: string) =>
    (
      await data<{ entity: { id: string; user: { id: string } | null } }>(
        api,
        `query ($n: String!) { entity(name: $n) { id user { id } } }`,
        { n: name },
      )
    ).entity;
  const grant = async (role: string, userNames: string[], teamNames: string[]) => {
    const userIds = await Promise.all(userNames.map(async (n) => (await idOf(n)).user?.id));
    const teamIds = await Promise.all(teamNames.map(async (n) => (await idOf(n)).id));
    await data(api, `mutation ($input: CreateProjectMembersInput!) { createProjectMembers(input: $input) { success } }`, {
      input: { projectId: ids.project.id, userIds, teamIds, role },
    });
  };
  await grant('viewer', ['maria.garcia', 'jordan'], []);
  await grant('member', ['li.wei'], ['vision']);
  await grant('admin', [], ['ml-platform']);
  await grant('restricted_viewer', ['sam-okafor'], []);
  await data(api, `mutation ($input: RegistryProtectedAliasesInput!) { addRegistryProtectedAliases(input: $input) { project { id } } }`, {
    input: { projectId: ids.project.id, aliases: ['production', 'staging'] },
  });

  await captureScreens(browser, [
    {
      name: 'registry-settings',
      path: `/registry/${registry}/settings`,
      ready: (p) => section(p, 'Members and roles').getByRole('row', { name: 'Team ml-platform' }),
    },
    { name: 'registry-settings-core', path: '/registry/model/settings', ready: (p) => section(p, 'Danger zone') },
  ]);
});
