// The demo sample: two teams with projects, model and dataset versions with small files and metadata,
// a restricted custom registry, collections in Models and Datasets with linked versions and aliases;
// the admin is a member of every team. Loaded through the same GraphQL API the SDK uses.
import { data, type SeedClient } from './client.js';
import { linkVersion } from './collections.js';
import { createTeam, createUserWithKey, entityId, type OrgRole, type TeamRole } from './people.js';
import { createRegistry, grantRegistryRole } from './registries.js';
import { logArtifact, type LoggedArtifact } from './sdk-logging.js';

export interface DemoUser {
  username: string;
  orgRole: string;
  password: string;
}

/** Loads the sample through the API as the org admin `seed` speaks for (and as its users), and returns who can sign in. */
export async function loadDemoSample(seed: SeedClient, options: { org: string; adminUser: string }): Promise<DemoUser[]> {
  const { org } = options;
  const people: { username: string; name: string; orgRole: OrgRole }[] = [
    { username: 'alice', name: 'Alice Martin', orgRole: 'member' },
    { username: 'bob', name: 'Bob Okafor', orgRole: 'member' },
    { username: 'carol', name: 'Carol Chen', orgRole: 'viewer' },
  ];
  const passwords: Record<string, string> = {};
  const keys: Record<string, string> = {};
  for (const person of people) {
    const user = await createUserWithKey(seed, person);
    passwords[person.username] = user.password;
    keys[person.username] = user.key;
  }

  const teams: { name: string; members: Record<string, TeamRole> }[] = [
    { name: 'vision', members: { alice: 'admin', bob: 'member', [options.adminUser]: 'admin' } },
    { name: 'nlp', members: { bob: 'admin', carol: 'member', [options.adminUser]: 'admin' } },
  ];
  for (const team of teams) {
    await createTeam(seed, { name: team.name, members: Object.entries(team.members).map(([username, role]) => ({ username, role })) });
  }

  const log = (
    entity: string,
    project: string,
    name: string,
    type: string,
    user: string,
    version: number,
    extra: Record<string, unknown>,
  ) =>
    logArtifact(seed, {
      entity,
      project,
      name,
      type,
      key: keys[user],
      description: `${name} v${version}`,
      metadata: extra,
      files:
        type === 'model'
          ? { 'model.txt': `weights of ${name}, version ${version}\n`, 'config.json': JSON.stringify({ name, version, ...extra }, null, 2) }
          : {
              'data.csv': `id,label\n${Array.from({ length: 5 + version }, (_, i) => `${i},${i % 3}`).join('\n')}\n`,
              'README.md': `# ${name}\n\nVersion ${version}.\n`,
            },
    });

  const resnet: LoggedArtifact[] = [];
  for (let v = 0; v < 3; v++) {
    resnet.push(
      await log('vision', 'classifier', 'resnet50', 'model', 'alice', v, {
        accuracy: 0.71 + v * 0.04,
        epochs: 10 * (v + 1),
        framework: 'pytorch',
      }),
    );
  }
  const imagenet: LoggedArtifact[] = [];
  for (let v = 0; v < 2; v++)
    imagenet.push(await log('vision', 'classifier', 'imagenet-subset', 'dataset', 'alice', v, { rows: 5 + v, split: 'train' }));
  const bert: LoggedArtifact[] = [];
  for (let v = 0; v < 2; v++)
    bert.push(await log('nlp', 'sentiment', 'bert-sentiment', 'model', 'bob', v, { f1: 0.82 + v * 0.03, framework: 'transformers' }));
  const reviews: LoggedArtifact[] = [];
  for (let v = 0; v < 2; v++) reviews.push(await log('nlp', 'sentiment', 'reviews', 'dataset', 'bob', v, { rows: 5 + v, language: 'en' }));

  // Both teams publish: their members get the member role in Models and Datasets through the team.
  for (const registry of ['model', 'dataset']) {
    for (const team of ['vision', 'nlp']) {
      await grantRegistryRole(seed, { registry, org, teamId: await entityId(seed, team), role: 'member' });
    }
  }

  const link = (artifact: LoggedArtifact | undefined, registry: string, collection: string, aliases: string[], user: string) => {
    if (!artifact) throw new Error(`nothing to link into ${collection}`);
    return linkVersion(seed, { artifactId: artifact.artifactId, registry, collection, aliases, org, key: keys[user] ?? seed.key });
  };
  await link(resnet[0], 'model', 'image-classifier', [], 'alice');
  await link(resnet[1], 'model', 'image-classifier', ['production'], 'admin');
  await link(resnet[2], 'model', 'image-classifier', ['staging'], 'alice');
  await link(bert[0], 'model', 'sentiment-model', [], 'bob');
  await link(bert[1], 'model', 'sentiment-model', ['production'], 'admin');
  await link(imagenet[0], 'dataset', 'imagenet-subset', [], 'alice');
  await link(imagenet[1], 'dataset', 'imagenet-subset', ['production'], 'admin');
  await link(reviews[1], 'dataset', 'product-reviews', ['staging'], 'bob');

  // A restricted custom registry for evaluation sets, with the vision team and Carol as members.
  await createRegistry(seed, {
    name: 'evaluation',
    org,
    description: 'Held-out evaluation sets and the models that passed them.',
    restricted: true,
    types: ['model', 'dataset'],
    protectedAliases: ['production'],
  });
  await grantRegistryRole(seed, { registry: 'evaluation', org, teamId: await entityId(seed, 'vision'), role: 'viewer' });
  await grantRegistryRole(seed, { registry: 'evaluation', org, username: 'carol', role: 'viewer' });
  await link(imagenet[1], 'evaluation', 'vision-holdout', ['production'], 'admin');

  return people.map((p) => ({ username: p.username, orgRole: p.orgRole, password: passwords[p.username] ?? '' }));
}

/** Whether the sample is already there (it is loaded once). */
export async function demoSampleLoaded(seed: SeedClient): Promise<boolean> {
  const found = await data<{ entity: { id: string } | null }>(seed, `query SeedDemoLoaded { entity(name: "vision") { id } }`);
  return found.entity !== null;
}
