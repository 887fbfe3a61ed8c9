import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fanOutEvents, runDeliveryPass } from '../../server/modules/automations/delivery.js';
import { claimDueDeliveries } from '../../server/modules/automations/repository.js';
import { checkedLookup } from '../../server/modules/automations/address-policy.js';
import { startDeliveryWorker } from '../../server/modules/automations/worker.js';
import { createTestApp, ORG, type GraphQLResult, type TestApp } from '../support/app.js';
import { onPostgres } from '../support/db.js';
import { createUser, type TestUser } from '../support/users.js';
import { createTeam } from '../../seed/people.js';
import { createRegistry, grantRegistryRole, registryId } from '../../seed/registries.js';
import { addCollectionTags, collectionId, linkVersion } from '../../seed/collections.js';
import { addVersionTags, createSourceVersion, type SourceVersion } from '../../seed/versions.js';
import { sdkAutomationDocument, sdkDocument } from '../../seed/sdk-operations.js';

// Automations fire from the event rows: each event type reaches exactly the automations whose scope
// and filter match; webhooks arrive signed (Standard Webhooks), with the bearer token, at least once.

const SIGNING_SECRET = 'whsec_' + Buffer.from('a signing key of the ml team').toString('base64');
const TOKEN = 'token-of-the-ml-team';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on loopback; `status` says what it answers. */
function startReceiver() {
  const received: Received[] = [];
  const state = { status: 200 };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(state.status).end(state.status === 200 ? 'ok' : 'down');
    });
  });
  return new Promise<{ url: string; received: Received[]; state: typeof state; close: () => Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/hook`,
        received,
        state,
        close: () => new Promise((done) => server.close(() => done())),
      });
    }),
  );
}

let t: TestApp;
let alice: TestUser;
let bob: TestUser;
let vera: TestUser;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let webhookId: string;
const versions: SourceVersion[] = [];

type Json = Record<string, unknown>;

function ok(res: GraphQLResult): Json {
  expect(res.errors).toBeUndefined();
  return res.data as Json;
}

const code = (res: GraphQLResult) => res.errors?.[0]?.extensions?.code;

const pass = (now?: Date) => runDeliveryPass(t.db, { settings: t.app.settings, giveUpMs: 3600_000, timeoutMs: 5000, now });

const PAYLOAD = JSON.stringify({
  event: '${event_type}',
  author: '${event_author}',
  version: '${artifact_version_string}',
  artifact: '${artifact_version}',
  collection: '${artifact_collection_name}',
  project: '${project_name}',
  entity: '${entity_name}',
  token: '${ACCESS_TOKEN}',
});

function automationInput(options: {
  name: string;
  scopeID: string;
  scopeType?: 'PROJECT' | 'ARTIFACT_COLLECTION';
  event: string;
  filter?: unknown;
  noOp?: boolean;
}) {
  return {
    input: {
      name: options.name,
      description: `${options.event} test`,
      enabled: true,
      scopeID: options.scopeID,
      scopeType: options.scopeType ?? 'PROJECT',
      triggeringEventType: options.event,
      eventFilter: JSON.stringify(options.filter ?? {}),
      triggeredActionType: options.noOp ? 'NO_OP' : 'GENERIC_WEBHOOK',
      triggeredActionConfig: options.noOp
        ? { noOpActionInput: { noOp: true } }
        : { genericWebhookActionInput: { integrationID: webhookId, requestPayload: PAYLOAD } },
    },
  };
}

async function createAutomation(input: ReturnType<typeof automationInput>, key?: string): Promise<string> {
  const data = ok(await t.gql(sdkAutomationDocument('CreateAutomation'), input, { key }));
  return (data.result as { trigger: { id: string } }).trigger.id;
}

/** The deliveries made since the last call: automation name and event action, in order. */
let seen = 0;
async function newDeliveries() {
  await fanOutEvents(t.db);
  const rows = await t.db
    .selectFrom('automation_deliveries')
    .innerJoin('automations', 'automations.id', 'automation_deliveries.automation_id')
    .innerJoin('events', 'events.id', 'automation_deliveries.event_id')
    .select(['automation_deliveries.id', 'automations.name', 'events.action'])
    .where('automation_deliveries.id', '>', seen)
    .orderBy('automation_deliveries.id')
    .execute();
  if (rows.length > 0) seen = Number(rows.at(-1)!.id);
  return rows.map((r) => `${r.name} ← ${r.action}`);
}

async function projectGid(entity: string, project: string): Promise<string> {
  const data = ok(await t.gql(`query P($e: String!, $p: String!) { project(entityName: $e, name: $p) { id } }`, { e: entity, p: project }));
  return (data.project as { id: string }).id;
}

beforeAll(async () => {
  t = await createTestApp({ allowPrivateNetworks: true });
  receiver = await startReceiver();
  alice = await createUser(t, { username: 'alice', orgRole: 'member' });
  bob = await createUser(t, { username: 'bob', orgRole: 'member' });
  vera = await createUser(t, { username: 'vera', orgRole: 'member' });
  await createTeam(t, { name: 'ml', members: [{ username: 'alice', role: 'admin' }, 'bob'] });
  await grantRegistryRole(t, { registry: 'model', username: 'alice', role: 'admin' });
  await grantRegistryRole(t, { registry: 'model', username: 'bob', role: 'member' });
  await createRegistry(t, { name: 'secret-models', restricted: true });
  for (let i = 0; i < 3; i++)
    versions.push(await createSourceVersion(t, { entity: 'ml', project: 'train', name: 'resnet', type: 'model' }));
}, 60_000);
afterAll(async () => {
  await receiver?.close();
  await t?.close();
});

describe('team secrets and webhooks', () => {
  const insertSecret = (name: string, value: string, key?: string) =>
    t.gql(
      `mutation S($input: InsertSecretInput!) { insertSecret(input: $input) { success } }`,
      { input: { entityName: 'ml', secretName: name, secretValue: value } },
      { key },
    );

  it('team admins save secrets, sealed at rest and never shown again; members may not', async () => {
    ok(await insertSecret('SIGNING', SIGNING_SECRET, alice.key));
    ok(await insertSecret('TOKEN', TOKEN, alice.key));
    expect(code(await insertSecret('OTHER', 'x', bob.key))).toBe('FORBIDDEN');
    expect(code(await insertSecret('OTHER', 'x', vera.key))).toBe('NOT_FOUND');
    const rows = await t.db.selectFrom('team_secrets').select(['name', 'sealed']).orderBy('name').execute();
    expect(rows.map((r) => r.name)).toEqual(['SIGNING', 'TOKEN']);
    for (const row of rows) expect(row.sealed).not.toContain('token-of');
    const listed = ok(await t.gql(`{ entity(name: "ml") { secrets { name } } }`, {}, { key: alice.key }));
    expect(listed.entity).toEqual({ secrets: [{ name: 'SIGNING' }, { name: 'TOKEN' }] });
  });

  it('CreateGenericWebhookIntegration makes a team webhook; IntegrationsByEntity lists it', async () => {
    const created = ok(
      await t.gql(
        sdkAutomationDocument('CreateGenericWebhookIntegration'),
        { input: { entityName: 'ml', name: 'ci', urlEndpoint: receiver.url, secretRef: 'SIGNING', accessTokenRef: '${TOKEN}' } },
        { key: alice.key },
      ),
    );
    const integration = (created.result as { integration: { id: string; name: string; urlEndpoint: string } }).integration;
    expect(integration).toMatchObject({ __typename: 'GenericWebhookIntegration', name: 'ci', urlEndpoint: receiver.url });
    webhookId = integration.id;
    const listed = ok(await t.gql(sdkAutomationDocument('IntegrationsByEntity'), { entity: 'ml', perPage: 10 }, { key: bob.key }));
    expect(listed.entity).toMatchObject({
      integrations: { edges: [{ node: { id: webhookId, name: 'ci' } }], pageInfo: { hasNextPage: false } },
    });
  });

  it('refuses addresses by policy, unknown secrets and members, with clear errors', async () => {
    const create = (urlEndpoint: string, extra: Json = {}, key = alice.key) =>
      t.gql(
        sdkAutomationDocument('CreateGenericWebhookIntegration'),
        { input: { entityName: 'ml', name: 'bad', urlEndpoint, ...extra } },
        { key },
      );
    const cases: [string, RegExp][] = [
      ['http://169.254.169.254/latest/meta-data', /link-local or cloud metadata/],
      ['http://[fd00:ec2::254]/', /link-local or cloud metadata/],
      ['http://metadata.google.internal/computeMetadata/v1/', /cloud metadata service/],
      ['ftp://files.example.com/', /starts with https:\/\/ or http:\/\//],
      ['not a url', /is not a URL/],
      ['https://user:pw@hooks.example.com/', /no user name or password/],
    ];
    for (const [url, message] of cases) {
      const res = await create(url);
      expect(code(res), url).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.message).toMatch(message);
    }
    const missing = await create('https://hooks.example.com/', { secretRef: 'NOPE' });
    expect(missing.errors?.[0]?.message).toMatch(/no secret named "NOPE"/);
    expect(code(await create('https://hooks.example.com/', {}, bob.key))).toBe('FORBIDDEN');
  });

  it('private and loopback addresses are refused unless the server allows them', async () => {
    const strict = await createTestApp({ allowPrivateNetworks: false });
    try {
      for (const url of ['http://127.0.0.1:8080/', 'http://10.1.2.3/', 'http://[::1]/', 'http://localhost/', 'http://192.168.1.1/']) {
        const res = await strict.gql(sdkAutomationDocument('CreateGenericWebhookIntegration'), {
          input: { entityName: 'admin', name: 'local', urlEndpoint: url },
        });
        expect(res.errors?.[0]?.message, url).toMatch(/WEBHOOK_ALLOW_PRIVATE_NETWORKS=true/);
      }
    } finally {
      await strict.close();
    }
  });
});

describe('automations', () => {
  let modelId: string;
  let resnetId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    await linkVersion(t, { artifactId: versions[0]!.id, registry: 'model', collection: 'resnet' });
    await linkVersion(t, { artifactId: versions[0]!.id, registry: 'model', collection: 'other' });
    modelId = await registryId(t, 'model');
    resnetId = await collectionId(t, { registry: 'model', collection: 'resnet' });
    const otherId = await collectionId(t, { registry: 'model', collection: 'other' });
    const datasetId = await registryId(t, 'dataset');
    const trainId = await projectGid('ml', 'train');
    const make = async (name: string, input: Omit<Parameters<typeof automationInput>[0], 'name'>) =>
      (ids[name] = await createAutomation(automationInput({ ...input, name }), alice.key));
    await make('link-model', { scopeID: modelId, event: 'LINK_MODEL' });
    await make('prod-on-resnet', {
      scopeID: resnetId,
      scopeType: 'ARTIFACT_COLLECTION',
      event: 'ADD_ARTIFACT_ALIAS',
      filter: { filter: { $or: [{ $and: [{ alias: { $eq: 'prod' } }] }] } },
    });
    await make('staging-on-other', {
      scopeID: otherId,
      scopeType: 'ARTIFACT_COLLECTION',
      event: 'ADD_ARTIFACT_ALIAS',
      filter: { alias: { $regex: '^stag' } },
    });
    await make('unlink', { scopeID: modelId, event: 'UNLINK_ARTIFACT', noOp: true });
    await make('collection-tag', { scopeID: modelId, event: 'ADD_COLLECTION_TAG', filter: { tag: 'golden' } });
    await make('version-tag', { scopeID: resnetId, scopeType: 'ARTIFACT_COLLECTION', event: 'ADD_ARTIFACT_TAG' });
    await make('created-in-train', { scopeID: trainId, event: 'CREATE_ARTIFACT' });
    ids['dataset-link'] = await createAutomation(automationInput({ name: 'dataset-link', scopeID: datasetId, event: 'LINK_MODEL' }));
    await newDeliveries();
    await pass();
    await newDeliveries();
    receiver.received.length = 0;
  });

  it('only registry admins create automations; an invisible registry answers as a missing one', async () => {
    const input = automationInput({ name: 'x', scopeID: modelId, event: 'LINK_MODEL' });
    const forbidden = await t.gql(sdkAutomationDocument('CreateAutomation'), input, { key: bob.key });
    expect(code(forbidden)).toBe('FORBIDDEN');
    expect(forbidden.errors?.[0]?.message).toMatch(/admin role in registry "model"/);
    const hidden = automationInput({ name: 'x', scopeID: await registryId(t, 'secret-models'), event: 'LINK_MODEL' });
    const missing = automationInput({ name: 'x', scopeID: Buffer.from('Project:99999').toString('base64'), event: 'LINK_MODEL' });
    const a = await t.gql(sdkAutomationDocument('CreateAutomation'), hidden, { key: vera.key });
    const b = await t.gql(sdkAutomationDocument('CreateAutomation'), missing, { key: vera.key });
    expect([code(a), code(b)]).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    expect(a.errors?.[0]?.message.replace(/"[^"]+"/, 'ID')).toBe(b.errors?.[0]?.message.replace(/"[^"]+"/, 'ID'));
  });

  it('refuses unsupported events and actions and bad filters clearly', async () => {
    const base = automationInput({ name: 'x', scopeID: modelId, event: 'LINK_MODEL' });
    const run = (change: Json) => t.gql(sdkAutomationDocument('CreateAutomation'), { input: { ...base.input, ...change } });
    expect((await run({ triggeringEventType: 'RUN_METRIC' })).errors?.[0]?.message).toMatch(/RUN_METRIC is not supported/);
    expect((await run({ triggeredActionType: 'QUEUE_JOB' })).errors?.[0]?.message).toMatch(/QUEUE_JOB is not supported/);
    expect((await run({ eventFilter: '{"colour": "red"}' })).errors?.[0]?.message).toMatch(/unknown field "colour"/);
    expect((await run({ eventFilter: '{"alias": {"$regex": "("}}' })).errors?.[0]?.message).toMatch(/not a regular expression/);
    expect(code(await run({ scopeType: 'ENTITY' }))).toBe('BAD_USER_INPUT');
  });

  it('a link fires the registry’s LINK_MODEL and the collection’s alias automation whose filter matches, signed', async () => {
    await linkVersion(t, {
      artifactId: versions[1]!.id,
      registry: 'model',
      collection: 'resnet',
      aliases: ['prod', 'staging'],
      key: alice.key,
    });
    expect(await newDeliveries()).toEqual(['link-model ← version.linked', 'prod-on-resnet ← alias.added']);
    expect(await pass()).toBe(2);
    expect(receiver.received).toHaveLength(2);
    for (const request of receiver.received) {
      expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
      const id = request.headers['webhook-id'] as string;
      const timestamp = request.headers['webhook-timestamp'] as string;
      const key = Buffer.from(SIGNING_SECRET.slice('whsec_'.length), 'base64');
      const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${request.body}`).digest('base64');
      expect(request.headers['webhook-signature']).toBe(`v1,${expected}`);
    }
    const body = JSON.parse(receiver.received[0]!.body) as Json;
    expect(body).toMatchObject({
      event: 'LINK_MODEL',
      author: 'alice',
      version: `${ORG}/wandb-registry-model/resnet:v1`,
      collection: 'resnet',
      project: 'wandb-registry-model',
      entity: ORG,
      token: TOKEN,
    });
    expect(JSON.parse(body.artifact as string)).toMatchObject({ versionIndex: 1, artifactId: versions[1]!.artifactId });
    const delivered = await t.db
      .selectFrom('automation_deliveries')
      .select(['status', 'attempts'])
      .where('status', '!=', 'delivered')
      .execute();
    expect(delivered).toEqual([]);
    receiver.received.length = 0;
  });

  it('unlink, tags and a version created in a team project fire their automations only', async () => {
    ok(
      await t.gql(sdkDocument('UnlinkArtifact'), {
        input: { artifactID: versions[0]!.id, artifactPortfolioID: resnetId },
      }),
    );
    expect(await newDeliveries()).toEqual(['unlink ← version.unlinked']);
    await addCollectionTags(t, { registry: 'model', collection: 'resnet', tags: ['golden', 'silver'] });
    expect(await newDeliveries()).toEqual(['collection-tag ← collection.tag_added']);
    await addVersionTags(t, { artifactId: versions[1]!.id, tags: ['reviewed'] });
    expect(await newDeliveries()).toEqual(['version-tag ← version.tag_added']);
    await createSourceVersion(t, { entity: 'ml', project: 'train', name: 'resnet', type: 'model' });
    expect(await newDeliveries()).toEqual(['created-in-train ← version.created']);
    await linkVersion(t, { artifactId: versions[2]!.id, registry: 'model', collection: 'other', aliases: ['staging'] });
    expect(await newDeliveries()).toEqual(['link-model ← version.linked', 'staging-on-other ← alias.added']);
    await pass();
    const noOp = await t.db
      .selectFrom('automation_deliveries')
      .select('status')
      .where('automation_id', '=', Number(Buffer.from(ids.unlink!, 'base64').toString().split(':')[1]))
      .executeTakeFirstOrThrow();
    expect(noOp.status).toBe('delivered');
    receiver.received.length = 0;
  });

  it('the SDK’s listings show the automations', async () => {
    const entity = ok(await t.gql(sdkAutomationDocument('GetEntityAutomations'), { entity: ORG, perPage: 50 }, { key: alice.key }));
    const names = (entity.scope as { triggers: { edges: { node: { name: string } }[] } }).triggers.edges.map((e) => e.node.name);
    expect(names).toEqual(expect.arrayContaining(['link-model', 'prod-on-resnet', 'dataset-link']));
    const first = (entity.scope as { triggers: { edges: { node: Json }[] } }).triggers.edges[0]!.node;
    expect(first).toMatchObject({
      __typename: 'Trigger',
      scope: { __typename: 'Project', id: modelId },
      event: { __typename: 'FilterEventTriggeringCondition', eventType: 'LINK_MODEL' },
      action: { __typename: 'GenericWebhookTriggeredAction', integration: { id: webhookId, urlEndpoint: receiver.url } },
    });
    const org = ok(
      await t.gql(sdkAutomationDocument('GetOrgAutomations'), { org: ORG, perPage: 2, filters: '{"name": "unlink"}' }, { key: alice.key }),
    );
    expect(org.scope).toMatchObject({
      triggers: { edges: [{ node: { name: 'unlink', action: { __typename: 'NoOpTriggeredAction', noOp: true } } }] },
    });
    const paged = ok(await t.gql(sdkAutomationDocument('GetOrgAutomations'), { org: ORG, perPage: 2 }, { key: alice.key }));
    expect(paged.scope).toMatchObject({ triggers: { pageInfo: { hasNextPage: true } } });
    const legacy = ok(await t.gql(sdkAutomationDocument('GetEntityAutomationsLegacy'), { entity: ORG, perPage: 10 }, { key: alice.key }));
    const model = (legacy.scope as { projects: { edges: { node: { triggers: { name: string }[] } }[] } }).projects.edges.flatMap(
      (e) => e.node.triggers,
    );
    expect(model.map((tr) => tr.name)).toContain('collection-tag');
    const viewer = ok(await t.gql(sdkAutomationDocument('GetAutomationsLegacy'), { perPage: 10 }, { key: alice.key }));
    expect(viewer.scope).toMatchObject({ projects: { edges: [] } });
    const hidden = ok(await t.gql(sdkAutomationDocument('GetOrgAutomations'), { org: ORG, perPage: 50 }, { key: vera.key }));
    expect((hidden.scope as { triggers: { edges: { node: { name: string } }[] } }).triggers.edges.map((e) => e.node.name)).not.toContain(
      'created-in-train',
    );
  });

  it('UpdateAutomation disables an automation and DeleteAutomation removes it', async () => {
    const updated = ok(
      await t.gql(
        sdkAutomationDocument('UpdateAutomation'),
        { input: { id: ids['link-model'], enabled: false, description: 'off' } },
        { key: alice.key },
      ),
    );
    expect(updated.result).toMatchObject({ trigger: { enabled: false, description: 'off', name: 'link-model' } });
    expect(
      code(await t.gql(sdkAutomationDocument('UpdateAutomation'), { input: { id: ids['link-model'], enabled: true } }, { key: bob.key })),
    ).toBe('FORBIDDEN');
    expect(code(await t.gql(sdkAutomationDocument('DeleteAutomation'), { id: ids['prod-on-resnet'] }, { key: vera.key }))).toBe(
      'FORBIDDEN',
    );
    const v = await createSourceVersion(t, { entity: 'ml', project: 'train', name: 'resnet', type: 'model' });
    await newDeliveries();
    await linkVersion(t, { artifactId: v.id, registry: 'model', collection: 'resnet', aliases: ['prod'] });
    expect(await newDeliveries()).toEqual(['prod-on-resnet ← alias.moved']);
    expect(ok(await t.gql(sdkAutomationDocument('DeleteAutomation'), { id: ids['prod-on-resnet'] }, { key: alice.key })).result).toEqual({
      success: true,
    });
    const again = await t.gql(sdkAutomationDocument('DeleteAutomation'), { id: ids['prod-on-resnet'] }, { key: alice.key });
    expect(code(again)).toBe('NOT_FOUND');
    await pass();
    receiver.received.length = 0;
    ok(await t.gql(sdkAutomationDocument('UpdateAutomation'), { input: { id: ids['link-model'], enabled: true } }, { key: alice.key }));
  });
});

describe('delivery', () => {
  it('a receiver that answers 503 gets the delivery again once it is back, with the same webhook-id', async () => {
    receiver.state.status = 503;
    const v = await createSourceVersion(t, { entity: 'ml', project: 'scratch', name: 'resnet', type: 'model' });
    await newDeliveries();
    await linkVersion(t, { artifactId: v.id, registry: 'model', collection: 'resnet' });
    expect(await newDeliveries()).toEqual(['link-model ← version.linked']);
    await pass();
    expect(receiver.received).toHaveLength(1);
    const pending = await t.db.selectFrom('automation_deliveries').selectAll().where('status', '=', 'pending').executeTakeFirstOrThrow();
    expect(pending).toMatchObject({ attempts: 1, last_error: 'HTTP 503' });
    // Not due yet: nothing is sent.
    await pass();
    expect(receiver.received).toHaveLength(1);
    receiver.state.status = 200;
    await pass(new Date(Date.now() + 60_000));
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1]!.headers['webhook-id']).toBe(receiver.received[0]!.headers['webhook-id']);
    const attempts = await t.db
      .selectFrom('automation_delivery_attempts')
      .select(['status_code', 'response_excerpt'])
      .where('delivery_id', '=', pending.id)
      .orderBy('id')
      .execute();
    expect(attempts).toEqual([
      { status_code: 503, response_excerpt: 'down' },
      { status_code: 200, response_excerpt: 'ok' },
    ]);
    receiver.received.length = 0;
  });

  it('a delivery claimed by a worker that stopped goes again once its lease lapses', async () => {
    const v = await createSourceVersion(t, { entity: 'ml', project: 'scratch', name: 'resnet', type: 'model' });
    await linkVersion(t, { artifactId: v.id, registry: 'model', collection: 'resnet' });
    await fanOutEvents(t.db);
    const leaseUntil = new Date(Date.now() + 120_000);
    const claimed = await claimDueDeliveries(t.db, new Date(), leaseUntil, 10);
    expect(claimed).toHaveLength(1);
    await pass();
    expect(receiver.received).toHaveLength(0);
    await pass(new Date(leaseUntil.getTime() + 1));
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.headers['webhook-id']).toBe(claimed[0]!.webhook_id);
    receiver.received.length = 0;
    await newDeliveries();
  });

  it('50 links make 50 deliveries, each delivered once', async () => {
    const sources: SourceVersion[] = [];
    for (let i = 0; i < 50; i++) sources.push(await createSourceVersion(t, { entity: 'ml', project: 'bulk', name: 'net', type: 'model' }));
    await newDeliveries();
    for (const source of sources) await linkVersion(t, { artifactId: source.id, registry: 'model', collection: 'bulk' });
    await Promise.all([pass(), pass()]);
    await pass();
    const made = await newDeliveries();
    expect(made).toHaveLength(50);
    expect(receiver.received).toHaveLength(50);
    expect(new Set(receiver.received.map((r) => r.headers['webhook-id'])).size).toBe(50);
    expect(new Set(receiver.received.map((r) => (JSON.parse(r.body) as Json).version)).size).toBe(50);
    receiver.received.length = 0;
  }, 120_000);
});

describe('the worker and the address policy at delivery time', () => {
  it('the worker delivers on its own and stops without leaving a timer', async () => {
    const v = await createSourceVersion(t, { entity: 'ml', project: 'scratch', name: 'resnet', type: 'model' });
    await linkVersion(t, { artifactId: v.id, registry: 'model', collection: 'resnet' });
    const worker = startDeliveryWorker(t.db, { settings: t.app.settings, giveUpMs: 3600_000, pollMs: 20 });
    try {
      await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(1);
    } finally {
      await worker.stop();
    }
    await newDeliveries();
    receiver.received.length = 0;
  });

  it('a link wakes the worker at once (NOTIFY on commit), long before its next poll', async () => {
    const worker = startDeliveryWorker(t.db, { settings: t.app.settings, giveUpMs: 3600_000, pollMs: 600_000 });
    try {
      // The worker's first look is its poll, ten minutes away: only the notification can start a pass.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const v = await createSourceVersion(t, { entity: 'ml', project: 'scratch', name: 'resnet', type: 'model' });
      const linked = Date.now();
      await linkVersion(t, { artifactId: v.id, registry: 'model', collection: 'resnet' });
      await expect.poll(() => receiver.received.length, { timeout: 5000, interval: 5 }).toBe(1);
      expect(Date.now() - linked).toBeLessThan(2000);
      const queued = await t.db.selectFrom('automation_event_queue').select('event_id').execute();
      expect(queued).toEqual([]);
    } finally {
      await worker.stop();
    }
    await newDeliveries();
    receiver.received.length = 0;
  });

  it.skipIf(!onPostgres)('the listening connection, cut by the database, reconnects and wakes the worker again', async () => {
    const worker = startDeliveryWorker(t.db, { settings: t.app.settings, giveUpMs: 3600_000, pollMs: 600_000 });
    try {
      const listener = () =>
        sql<{ pid: number }>`select pid from pg_stat_activity
          where datname = current_database() and query ilike 'listen%' and pid <> pg_backend_pid()`.execute(t.db);
      await expect.poll(async () => (await listener()).rows.length, { timeout: 5000 }).toBe(1);
      const [cut] = (await listener()).rows;
      await sql`select pg_terminate_backend(${cut!.pid})`.execute(t.db);
      await expect.poll(async () => (await listener()).rows.filter((row) => row.pid !== cut!.pid).length, { timeout: 5000 }).toBe(1);
      const v = await createSourceVersion(t, { entity: 'ml', project: 'scratch', name: 'resnet', type: 'model' });
      const linked = Date.now();
      await linkVersion(t, { artifactId: v.id, registry: 'model', collection: 'resnet' });
      await expect.poll(() => receiver.received.length, { timeout: 5000, interval: 5 }).toBe(1);
      expect(Date.now() - linked).toBeLessThan(2000);
    } finally {
      await worker.stop();
    }
    await newDeliveries();
    receiver.received.length = 0;
  });

  it('a delivery to an address the policy now refuses fails at once, without a request', async () => {
    const v = await createSourceVersion(t, { entity: 'ml', project: 'scratch', name: 'resnet', type: 'model' });
    await linkVersion(t, { artifactId: v.id, registry: 'model', collection: 'resnet' });
    await runDeliveryPass(t.db, { settings: { ...t.app.settings, allowPrivateNetworks: false }, giveUpMs: 3600_000 });
    expect(receiver.received).toHaveLength(0);
    const failed = await t.db.selectFrom('automation_deliveries').select(['status', 'last_error']).where('status', '=', 'failed').execute();
    expect(failed).toEqual([
      { status: 'failed', last_error: expect.stringMatching(/refused by policy: 127\.0\.0\.1 is a private or loopback/) },
    ]);
    await newDeliveries();
  });

  it('names are checked after resolution: localhost resolves to loopback and is refused', async () => {
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      checkedLookup(false)('localhost', {}, (err) => resolve(err)),
    );
    expect(error?.code).toBe('EPOLICY');
    const allowed = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      checkedLookup(true)('localhost', {}, (err) => resolve(err)),
    );
    expect(allowed).toBeNull();
  });

  it('a payload naming a secret the team does not have, or not JSON, is refused', async () => {
    const base = automationInput({ name: 'x', scopeID: await registryId(t, 'model'), event: 'LINK_MODEL' });
    const withPayload = (requestPayload: string) => ({
      input: { ...base.input, triggeredActionConfig: { genericWebhookActionInput: { integrationID: webhookId, requestPayload } } },
    });
    const unknown = await t.gql(sdkAutomationDocument('CreateAutomation'), withPayload('{"k": "${NOT_A_SECRET}"}'), { key: alice.key });
    expect(unknown.errors?.[0]?.message).toMatch(/no secret named "NOT_A_SECRET"/);
    const notJson = await t.gql(sdkAutomationDocument('CreateAutomation'), withPayload('{"k": ${event_type}}'), { key: alice.key });
    expect(notJson.errors?.[0]?.message).toMatch(/is JSON once its variables are filled in/);
  });
});
