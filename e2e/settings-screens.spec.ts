import { test } from './support/fixtures';
import { captureScreens } from './support/screens';
import { apiAt, section } from './support/settings';

test('screenshots: a registry settings page with users and teams', async ({ browser, baseURL }) => {
  const api = apiAt(baseURL);
  const registry = 'vision-models';
  await api.createRegistry(registry, {
    types: ['model', 'onnx-model'],
    description: 'Production models of the vision team: detection, segmentation and OCR.',
  });
  const users = ['maria.garcia', 'li.wei', 'sam-okafor', 'jordan'];
  for (const username of users) await api.createUser(username);
  await api.createTeam('vision', ['maria.garcia', 'li.wei']);
  await api.createTeam('ml-platform', ['sam-okafor']);

  const ids = await api.data<{ project: { id: string } }>(`{ project(entityName: "acme", name: "wandb-registry-${registry}") { id } }`);
  const idOf = async (name: string) =>
    (
      await api.data<{ entity: { id: string; user: { id: string } | null } }>(
        `query ($n: String!) { entity(name: $n) { id user { id } } }`,
        { n: name },
      )
    ).entity;
  const grant = async (role: string, userNames: string[], teamNames: string[]) => {
    const userIds = await Promise.all(userNames.map(async (n) => (await idOf(n)).user?.id));
    const teamIds = await Promise.all(teamNames.map(async (n) => (await idOf(n)).id));
    await api.data(`mutation ($input: CreateProjectMembersInput!) { createProjectMembers(input: $input) { success } }`, {
      input: { projectId: ids.project.id, userIds, teamIds, role },
    });
  };
  await grant('viewer', ['maria.garcia', 'jordan'], []);
  await grant('member', ['li.wei'], ['vision']);
  await grant('admin', [], ['ml-platform']);
  await grant('restricted_viewer', ['sam-okafor'], []);
  await api.data(`mutation ($input: RegistryProtectedAliasesInput!) { addRegistryProtectedAliases(input: $input) { project { id } } }`, {
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
