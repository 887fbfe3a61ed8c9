import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDeliveryPass } from '../../server/modules/automations/delivery.js';
import { createTestApp, ORG, type GraphQLResult, type TestApp } from '../support/app.js';
import { createUser, type TestUser } from '../support/users.js';
import { createTeam } from '../../seed/people.js';
import { createRegistry, grantRegistryRole, registryId } from '../../seed/registries.js';
import { linkVersion } from '../../seed/collections.js';
import { createSourceVersion, type SourceVersion } from '../../seed/versions.js';

// What the web app adds to automations: a webhook changed, tested and deleted by its team's admins; an
// automation's deliveries and their redelivery for the registry's admins. Whoever may not see a thing
// is answered as if it did not exist.

const SIGNING_SECRET = 'whsec_' + Buffer.from('the web team signing key').toString('base64');

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

function startReceiver() {
  const received: Received[] = [];
  const state = { status: 200 };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(state.status).end(state.status === 200 ? 'thanks' : 'down');
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

type Json = Record<string, unknown>;

let t: TestApp;
let alice: TestUser;
let bob: TestUser;
let vera: TestUser;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let webhookId: string;
let version: SourceVersion;

function ok(res: GraphQLResult): Json {
  expect(res.errors).toBeUndefined();
  return res.data as Json;
}
const code = (res: GraphQLResult) => res.errors?.[0]?.extensions?.code;
const pass = () => runDeliveryPass(t.db, { settings: t.app.settings, giveUpMs: 3600_000, timeoutMs: 5000 });

const UPDATE = `mutation U($input: UpdateGenericWebhookIntegrationInput!) {
  updateGenericWebhookIntegration(input: $input) { integration { id name urlEndpoint secretRef accessTokenRef } } }`;
const DELETE = `mutation D($id: ID!) { deleteIntegration(input: { id: $id }) { success } }`;
const TEST = `mutation T($id: ID!, $payload: String) {
  testGenericWebhookIntegration(input: { id: $id, requestPayload: $payload }) { ok statusCode durationMs responseExcerpt error } }`;
const REDELIVER = `mutation R($id: ID!) { redeliverDelivery(input: { id: $id }) { delivery { id webhookId status attempts } } }`;
const DELIVERIES = `query Q($e: String!, $p: String!) { project(entityName: $e, name: $p) { triggers { id name
  deliveries(first: 10) { edges { node { id webhookId createdAt eventType alias artifactVersionString status attempts
    statusCode durationMs responseExcerpt error lastAttemptAt } } pageInfo { hasNextPage } } } } }`;

async function createAutomation(registry: string, name: string, key?: string): Promise<string> {
  const res = await t.gql(
    `mutation C($input: CreateFilterTriggerInput!) { createFilterTrigger(input: $input) { trigger { id } } }`,
    {
      input: {
        name,
        enabled: true,
        scopeID: await registryId(t, registry),
        scopeType: 'PROJECT',
        triggeringEventType: 'ADD_ARTIFACT_ALIAS',
        eventFilter: JSON.stringify({ alias: 'production' }),
        triggeredActionType: 'GENERIC_WEBHOOK',
        triggeredActionConfig: { genericWebhookActionInput: { integrationID: webhookId } },
      },
    },
    { key },
  );
  return ((ok(res).createFilterTrigger as Json).trigger as { id: string }).id;
}

interface DeliveryNode {
  id: string;
  webhookId: string;
  status: string;
  attempts: number;
  statusCode: number | null;
  [key: string]: unknown;
}

async function triggersOf(registry: string, key?: string) {
  const data = ok(await t.gql(DELIVERIES, { e: ORG, p: `wandb-registry-${registry}` }, { key }));
  return (data.project as { triggers: { id: string; name: string; deliveries: { edges: { node: DeliveryNode }[] } | null }[] } | null)
    ?.triggers;
}

beforeAll(async () => {
  t = await createTestApp({ allowPrivateNetworks: true });
  receiver = await startReceiver();
  alice = await createUser(t, { username: 'alice', orgRole: 'member' });
  bob = await createUser(t, { username: 'bob', orgRole: 'member' });
  vera = await createUser(t, { username: 'vera', orgRole: 'member' });
  await createTeam(t, { name: 'web', members: [{ username: 'alice', role: 'admin' }, 'bob'] });
  await grantRegistryRole(t, { registry: 'model', username: 'alice', role: 'admin' });
  await grantRegistryRole(t, { registry: 'model', username: 'bob', role: 'member' });
  await createRegistry(t, { name: 'hidden-models', restricted: true });
  version = await createSourceVersion(t, { entity: 'web', project: 'train', name: 'net', type: 'model' });
  for (const [name, value] of [
    ['SIGNING', SIGNING_SECRET],
    ['OTHER', 'another value'],
  ])
    ok(
      await t.gql(
        `mutation S($input: InsertSecretInput!) { insertSecret(input: $input) { success } }`,
        { input: { entityName: 'web', secretName: name, secretValue: value } },
        { key: alice.key },
      ),
    );
  const created = ok(
    await t.gql(
      `mutation W($input: CreateGenericWebhookIntegrationInput!) { createGenericWebhookIntegration(input: $input) { integration { id } } }`,
      { input: { entityName: 'web', name: 'ci', urlEndpoint: 'https://hooks.example.com/first', secretRef: 'SIGNING' } },
      { key: alice.key },
    ),
  );
  webhookId = ((created.createGenericWebhookIntegration as Json).integration as { id: string }).id;
}, 60_000);
afterAll(async () => {
  await receiver?.close();
  await t?.close();
});

describe('webhooks in team settings', () => {
  it('tells the viewer whether they administer the team', async () => {
    const ask = async (key: string) =>
      (ok(await t.gql(`{ entity(name: "web") { viewerIsAdmin secrets { name } } }`, {}, { key })).entity as Json) ?? null;
    expect(await ask(alice.key)).toEqual({ viewerIsAdmin: true, secrets: [{ name: 'OTHER' }, { name: 'SIGNING' }] });
    expect(await ask(bob.key)).toEqual({ viewerIsAdmin: false, secrets: [] });
  });

  it('team admins change a webhook; members may not; outsiders and unknown ids are not found alike', async () => {
    const changed = ok(
      await t.gql(
        UPDATE,
        { input: { id: webhookId, name: 'receiver', urlEndpoint: receiver.url, accessTokenRef: 'OTHER' } },
        { key: alice.key },
      ),
    );
    expect((changed.updateGenericWebhookIntegration as Json).integration).toEqual({
      id: webhookId,
      name: 'receiver',
      urlEndpoint: receiver.url,
      secretRef: 'SIGNING',
      accessTokenRef: 'OTHER',
    });
    const removed = ok(await t.gql(UPDATE, { input: { id: webhookId, accessTokenRef: '' } }, { key: alice.key }));
    expect(((removed.updateGenericWebhookIntegration as Json).integration as Json).accessTokenRef).toBeNull();

    expect(code(await t.gql(UPDATE, { input: { id: webhookId, name: 'x' } }, { key: bob.key }))).toBe('FORBIDDEN');
    const hidden = await t.gql(UPDATE, { input: { id: webhookId, name: 'x' } }, { key: vera.key });
    const missing = await t.gql(
      UPDATE,
      { input: { id: Buffer.from('Integration:9999').toString('base64'), name: 'x' } },
      { key: vera.key },
    );
    expect([code(hidden), code(missing)]).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    expect(hidden.errors?.[0]?.message.replace(/"[^"]+"/, 'ID')).toBe(missing.errors?.[0]?.message.replace(/"[^"]+"/, 'ID'));
  });

  it('refuses a bad address, an unknown secret and a taken name, changing nothing', async () => {
    const bad = await t.gql(UPDATE, { input: { id: webhookId, urlEndpoint: 'http://169.254.169.254/' } }, { key: alice.key });
    expect(code(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.message).toMatch(/link-local or cloud metadata/);
    const unknown = await t.gql(UPDATE, { input: { id: webhookId, secretRef: 'NOPE' } }, { key: alice.key });
    expect(unknown.errors?.[0]?.message).toMatch(/no secret named "NOPE"/);
    ok(
      await t.gql(
        `mutation W($input: CreateGenericWebhookIntegrationInput!) { createGenericWebhookIntegration(input: $input) { integration { id } } }`,
        { input: { entityName: 'web', name: 'second', urlEndpoint: 'https://hooks.example.com/second' } },
        { key: alice.key },
      ),
    );
    expect(code(await t.gql(UPDATE, { input: { id: webhookId, name: 'second' } }, { key: alice.key }))).toBe('CONFLICT');
    const row = await t.db.selectFrom('integrations').selectAll().where('name', '=', 'receiver').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ url: receiver.url, secret_name: 'SIGNING' });
  });

  it('Test sends a signed sample now and says what came back; the address policy applies', async () => {
    receiver.received.length = 0;
    const res = ok(await t.gql(TEST, { id: webhookId }, { key: alice.key }));
    expect(res.testGenericWebhookIntegration).toMatchObject({ ok: true, statusCode: 200, responseExcerpt: 'thanks', error: null });
    expect(receiver.received).toHaveLength(1);
    const request = receiver.received[0]!;
    const key = Buffer.from(SIGNING_SECRET.slice('whsec_'.length), 'base64');
    const signed = `${String(request.headers['webhook-id'])}.${String(request.headers['webhook-timestamp'])}.${request.body}`;
    expect(request.headers['webhook-signature']).toBe(`v1,${createHmac('sha256', key).update(signed).digest('base64')}`);
    expect(JSON.parse(request.body)).toMatchObject({ event_type: 'ADD_ARTIFACT_ALIAS', event_author: 'alice', entity_name: 'web' });

    const custom = ok(await t.gql(TEST, { id: webhookId, payload: '{"v": "${artifact_version_string}"}' }, { key: alice.key }));
    expect((custom.testGenericWebhookIntegration as Json).ok).toBe(true);
    expect(JSON.parse(receiver.received[1]!.body)).toEqual({ v: 'web/wandb-registry-model/example-model:v0' });
    expect(code(await t.gql(TEST, { id: webhookId, payload: '{not json' }, { key: alice.key }))).toBe('BAD_USER_INPUT');

    receiver.state.status = 500;
    const down = ok(await t.gql(TEST, { id: webhookId }, { key: alice.key }));
    expect(down.testGenericWebhookIntegration).toMatchObject({ ok: false, statusCode: 500, responseExcerpt: 'down' });
    receiver.state.status = 200;

    t.app.settings.allowPrivateNetworks = false;
    try {
      const refused = ok(await t.gql(TEST, { id: webhookId }, { key: alice.key }));
      expect(refused.testGenericWebhookIntegration).toMatchObject({ ok: false, statusCode: null });
      expect((refused.testGenericWebhookIntegration as Json).error).toMatch(/refused by policy: .*loopback/);
    } finally {
      t.app.settings.allowPrivateNetworks = true;
    }
    expect(receiver.received).toHaveLength(3);

    expect(code(await t.gql(TEST, { id: webhookId }, { key: bob.key }))).toBe('FORBIDDEN');
    expect(code(await t.gql(TEST, { id: webhookId }, { key: vera.key }))).toBe('NOT_FOUND');
    expect(receiver.received).toHaveLength(3);
  });
});

describe('deliveries and redelivery', () => {
  let hiddenDelivery: string;

  beforeAll(async () => {
    await createAutomation('model', 'prod');
    await createAutomation('hidden-models', 'hidden-prod');
    receiver.received.length = 0;
    await linkVersion(t, { artifactId: version.id, registry: 'model', collection: 'net', aliases: ['production'] });
    await linkVersion(t, { artifactId: version.id, registry: 'hidden-models', collection: 'net', aliases: ['production'] });
    expect(await pass()).toBe(2);
    const hidden = await triggersOf('hidden-models');
    hiddenDelivery = hidden![0]!.deliveries!.edges[0]!.node.id;
  });

  it('registry admins see each delivery with its latest attempt; members and outsiders see none', async () => {
    const triggers = await triggersOf('model', alice.key);
    const prod = triggers!.find((tr) => tr.name === 'prod')!;
    expect(prod.deliveries!.edges).toHaveLength(1);
    const node = prod.deliveries!.edges[0]!.node;
    expect(node).toMatchObject({
      eventType: 'ADD_ARTIFACT_ALIAS',
      alias: 'production',
      artifactVersionString: `${ORG}/wandb-registry-model/net:v0`,
      status: 'DELIVERED',
      attempts: 1,
      statusCode: 200,
      responseExcerpt: 'thanks',
      error: null,
    });
    expect(node.durationMs).toEqual(expect.any(Number));
    expect(node.webhookId).toBe(receiver.received.find((r) => r.body.includes('/wandb-registry-model/'))?.headers['webhook-id']);
    expect((await triggersOf('model', bob.key))!.map((tr) => tr.deliveries)).toEqual([null]);
    expect((await triggersOf('model', vera.key))!.map((tr) => tr.deliveries)).toEqual([null]);
    expect(await triggersOf('hidden-models', vera.key)).toBeUndefined();
  });

  it('Redeliver queues the same delivery again with the same webhook-id; only while it is not pending', async () => {
    const before = (await triggersOf('model', alice.key))![0]!.deliveries!.edges[0]!.node;
    receiver.received.length = 0;
    const res = ok(await t.gql(REDELIVER, { id: before.id }, { key: alice.key }));
    expect((res.redeliverDelivery as Json).delivery).toEqual({
      id: before.id,
      webhookId: before.webhookId,
      status: 'PENDING',
      attempts: 1,
    });
    const again = await t.gql(REDELIVER, { id: before.id }, { key: alice.key });
    expect(code(again)).toBe('CONFLICT');
    expect(await pass()).toBe(1);
    expect(receiver.received.map((r) => r.headers['webhook-id'])).toEqual([before.webhookId]);
    const after = (await triggersOf('model', alice.key))![0]!.deliveries!.edges;
    expect(after).toHaveLength(1);
    expect(after[0]!.node).toMatchObject({ id: before.id, status: 'DELIVERED', attempts: 2, statusCode: 200 });
  });

  it('members may not redeliver; an invisible registry’s delivery answers as a missing one', async () => {
    const id = (await triggersOf('model', alice.key))![0]!.deliveries!.edges[0]!.node.id;
    expect(code(await t.gql(REDELIVER, { id }, { key: bob.key }))).toBe('FORBIDDEN');
    const hidden = await t.gql(REDELIVER, { id: hiddenDelivery }, { key: vera.key });
    const missing = await t.gql(REDELIVER, { id: Buffer.from('Delivery:99999').toString('base64') }, { key: vera.key });
    expect([code(hidden), code(missing)]).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    expect(hidden.errors?.[0]?.message.replace(/"[^"]+"/, 'ID')).toBe(missing.errors?.[0]?.message.replace(/"[^"]+"/, 'ID'));
    expect(code(await t.gql(REDELIVER, { id: 'bm90IGFuIGlk' }, { key: alice.key }))).toBe('BAD_USER_INPUT');
  });

  it('the payload editor’s preview is filled from the newest matching event, secrets left as written; for admins only', async () => {
    const PREVIEW = `query P($p: String!, $type: EventTriggeringConditionType!, $payload: String) {
      project(entityName: "${ORG}", name: $p) { automationPayloadPreview(eventType: $type, requestPayload: $payload) { body problem eventAt eventSubject } } }`;
    const preview = async (variables: Json, key?: string) =>
      (ok(await t.gql(PREVIEW, { p: 'wandb-registry-model', ...variables }, { key })).project as { automationPayloadPreview: Json | null })
        .automationPayloadPreview;
    const payload = '{"v": "${artifact_version_string}", "by": "${event_author}", "key": "${SIGNING}"}';
    const filled = await preview({ type: 'ADD_ARTIFACT_ALIAS', payload }, alice.key);
    expect(filled).toMatchObject({ problem: null, eventSubject: `${ORG}/wandb-registry-model/net:v0`, eventAt: expect.any(String) });
    expect(JSON.parse(filled!.body as string)).toEqual({ v: `${ORG}/wandb-registry-model/net:v0`, by: 'admin', key: '${SIGNING}' });
    const none = await preview({ type: 'REMOVE_COLLECTION_TAG', payload }, alice.key);
    expect(none).toMatchObject({ eventAt: null, eventSubject: null, problem: null });
    expect(JSON.parse(none!.body as string)).toMatchObject({ v: '${artifact_version_string}' });
    expect((await preview({ type: 'ADD_ARTIFACT_ALIAS', payload: '{"v": ${event_type}' }, alice.key))!.problem).toMatch(/^Not JSON/);
    expect(await preview({ type: 'ADD_ARTIFACT_ALIAS' }, bob.key)).toBeNull();
    const hidden = ok(await t.gql(PREVIEW, { p: 'wandb-registry-hidden-models', type: 'ADD_ARTIFACT_ALIAS' }, { key: vera.key }));
    expect(hidden.project).toBeNull();
  });

  it('a webhook in use is not deleted; once free, its team admins delete it', async () => {
    const used = await t.gql(DELETE, { id: webhookId }, { key: alice.key });
    expect(code(used)).toBe('CONFLICT');
    expect(used.errors?.[0]?.message).toMatch(/used by 2 automations/);
    expect(code(await t.gql(DELETE, { id: webhookId }, { key: bob.key }))).toBe('FORBIDDEN');
    expect(code(await t.gql(DELETE, { id: webhookId }, { key: vera.key }))).toBe('NOT_FOUND');
    for (const registry of ['model', 'hidden-models'])
      for (const trigger of (await triggersOf(registry))!)
        ok(await t.gql(`mutation X($id: ID!) { deleteTrigger(input: { triggerID: $id }) { success } }`, { id: trigger.id }));
    expect(ok(await t.gql(DELETE, { id: webhookId }, { key: alice.key }))).toEqual({ deleteIntegration: { success: true } });
    const listed = ok(
      await t.gql(
        `{ entity(name: "web") { integrations { edges { node { ... on GenericWebhookIntegration { name } } } } } }`,
        {},
        { key: alice.key },
      ),
    );
    expect(listed.entity).toEqual({ integrations: { edges: [{ node: { name: 'second' } }] } });
  });
});
