// The demo sample: two teams with projects, model and dataset versions with small files and metadata,
// a restricted custom registry, collections in Models and Datasets with linked versions and aliases;
// the admin is a member of every team. Loaded through the same GraphQL API the SDK uses.
import { randomBytes } from 'node:crypto';
import type { App } from '../server/app.js';
import type { DB } from '../server/db/database.js';
import { newApiKey } from '../server/modules/auth/crypto.js';
import { deleteApiKey, findUserByUsername, insertApiKey } from '../server/modules/auth/repository.js';
import { findEntityByName } from '../server/modules/organization/repository.js';
import { logArtifact, type GraphQLResult, type LoggedArtifact, type SdkClient } from './lib/sdk-logging.js';
import { sdkDocument } from './lib/sdk-operations.js';

export interface DemoTarget {
  app: App;
  db: DB;
  dataDir: string;
  org: string;
  adminUser: string;
  /** The origin upload URLs are resolved against. */
  origin: string;
}

export interface DemoUser {
  username: string;
  orgRole: string;
  password: string;
}

/** Loads the sample through the GraphQL API (as its users), and returns who can sign in. */
export async function loadDemoSample(target: DemoTarget): Promise<DemoUser[]> {
  const { app, db, org } = target;
  const config = { adminUser: target.adminUser };
  const admin = await findUserByUsername(db, config.adminUser);
  if (!admin) throw new Error(`admin "${config.adminUser}" not found`);
  // A key of the admin's for loading only; revoked when done.
  const adminKey = newApiKey();
  const keyRow = await insertApiKey(db, admin.id, adminKey, 'demo loader');

  const client: SdkClient = {
    request: (pathname, init) => app.fetch(new Request(`${target.origin}${pathname}`, init)),
    async gql(query, variables, options = {}) {
      const key = options.key ?? adminKey;
      const response = await client.request('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as Omit<GraphQLResult, 'status'>) };
    },
  };
  const must = async (what: string, result: Promise<GraphQLResult>) => {
    const res = await result;
    if (res.errors?.length) throw new Error(`${what}: ${res.errors.map((e) => e.message).join('; ')}`);
    return res.data ?? {};
  };

  const people = [
    { username: 'alice', name: 'Alice Martin', orgRole: 'member' },
    { username: 'bob', name: 'Bob Okafor', orgRole: 'member' },
    { username: 'carol', name: 'Carol Chen', orgRole: 'viewer' },
  ];
  const passwords: Record<string, string> = {};
  const keys: Record<string, string> = {};
  for (const person of people) {
    passwords[person.username] = randomBytes(9).toString('base64url');
    await must(
      `createUser ${person.username}`,
      client.gql(`mutation($input: CreateUserInput!) { createUser(input: $input) { user { id } } }`, {
        input: { ...person, email: `${person.username}@example.com`, password: passwords[person.username] },
      }),
    );
    const user = await findUserByUsername(db, person.username);
    if (!user) throw new Error(`user ${person.username} was not created`);
    keys[person.username] = newApiKey();
    await insertApiKey(db, user.id, keys[person.username] ?? '', 'demo');
  }

  const teams = [
    { name: 'vision', members: { alice: 'admin', bob: 'member', [config.adminUser]: 'admin' } },
    { name: 'nlp', members: { bob: 'admin', carol: 'member', [config.adminUser]: 'admin' } },
  ];
  for (const team of teams) {
    await must(
      `createTeam ${team.name}`,
      client.gql(`mutation($input: CreateTeamInput!) { createTeam(input: $input) { entity { id } } }`, { input: { name: team.name } }),
    );
    for (const [username, role] of Object.entries(team.members)) {
      await must(
        `addTeamMember ${team.name}/${username}`,
        client.gql(`mutation($input: AddTeamMemberInput!) { addTeamMember(input: $input) { __typename } }`, {
          input: { teamName: team.name, username, role },
        }),
      );
    }
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
    logArtifact(client, {
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
  const entityId = (name: string) => findEntityByName(db, name).then((e) => Buffer.from(`Entity:${e?.id}`).toString('base64'));
  for (const registry of ['model', 'dataset']) {
    const fetched = await must(
      'fetch registry',
      client.gql(sdkDocument('FetchRegistry'), { name: `wandb-registry-${registry}`, entity: org }),
    );
    const projectId = (fetched.entity as { project: { id: string } }).project.id;
    for (const team of ['vision', 'nlp']) {
      const teamId = await entityId(team);
      await must('add team', client.gql(sdkDocument('CreateRegistryMembers'), { input: { projectId, teamIds: [teamId] } }));
      await must(
        'team role',
        client.gql(sdkDocument('UpdateTeamRegistryRole'), { input: { projectId, teamId, teamProjectRole: 'member' } }),
      );
    }
  }

  const link = (artifact: LoggedArtifact | undefined, registry: string, collection: string, aliases: string[], user: string) =>
    must(
      `link ${collection}`,
      client.gql(
        sdkDocument('LinkArtifact'),
        {
          input: {
            artifactID: artifact?.artifactId,
            artifactPortfolioName: collection,
            entityName: org,
            projectName: `wandb-registry-${registry}`,
            aliases: aliases.map((alias) => ({ alias, artifactCollectionName: collection })),
          },
        },
        { key: keys[user] ?? adminKey },
      ),
    );
  await link(resnet[0], 'model', 'image-classifier', [], 'alice');
  await link(resnet[1], 'model', 'image-classifier', ['production'], 'admin');
  await link(resnet[2], 'model', 'image-classifier', ['staging'], 'alice');
  await link(bert[0], 'model', 'sentiment-model', [], 'bob');
  await link(bert[1], 'model', 'sentiment-model', ['production'], 'admin');
  await link(imagenet[0], 'dataset', 'imagenet-subset', [], 'alice');
  await link(imagenet[1], 'dataset', 'imagenet-subset', ['production'], 'admin');
  await link(reviews[1], 'dataset', 'product-reviews', ['staging'], 'bob');

  // A restricted custom registry for evaluation sets, with the vision team and Carol as members.
  const created = await must(
    'create registry evaluation',
    client.gql(sdkDocument('UpsertRegistry'), {
      input: {
        name: 'wandb-registry-evaluation',
        entityName: org,
        description: 'Held-out evaluation sets and the models that passed them.',
        access: 'RESTRICTED',
        allowAllArtifactTypesInRegistry: false,
        artifactTypes: [{ name: 'model' }, { name: 'dataset' }],
      },
    }),
  );
  const registryId = (created.upsertModel as { project: { id: string } }).project.id;
  const carol = await findUserByUsername(db, 'carol');
  await must(
    'registry members',
    client.gql(sdkDocument('CreateRegistryMembers'), {
      input: {
        projectId: registryId,
        teamIds: [await entityId('vision')],
        userIds: [Buffer.from(`User:${carol?.id}`).toString('base64')],
      },
    }),
  );
  await must(
    'protected aliases',
    client.gql(`mutation($input: RegistryProtectedAliasesInput!) { addRegistryProtectedAliases(input: $input) { __typename } }`, {
      input: { projectId: registryId, aliases: ['production'] },
    }),
  );
  await link(imagenet[1], 'evaluation', 'vision-holdout', ['production'], 'admin');

  await deleteApiKey(db, admin.id, keyRow.id);
  return people.map((p) => ({ username: p.username, orgRole: p.orgRole, password: passwords[p.username] ?? '' }));
}

/** Whether the sample is already there (it is loaded once). */
export async function demoSampleLoaded(db: DB): Promise<boolean> {
  return (await findEntityByName(db, 'vision')) !== undefined;
}
