// Webhook automations in the benchmark, on their own embedded database (BENCH_ONLY=automations runs
// only this part): what one matching automation adds to a link (SQL statements and median time, with
// and without it, alternating link by link), and the time from a link's commit to the receiver's 200 on
// loopback with the delivery worker running as the server runs it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../server/app.js';
import { migrateToLatest, openDatabase } from '../server/db/database.js';
import { startDeliveryWorker } from '../server/modules/automations/worker.js';
import { bootstrap } from '../server/modules/organization/bootstrap.js';
import { data, inProcessClient } from '../seed/client.js';
import { registryId } from '../seed/registries.js';
import { sdkAutomationDocument, sdkDocument } from '../seed/sdk-operations.js';
import { loadBenchData, unlinkedBenchVersions } from './bench-data.js';

const KEY = 'h'.repeat(40);
const ORG = 'bench';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
const median = (values: number[]) =>
  +percentile(
    [...values].sort((a, b) => a - b),
    50,
  ).toFixed(3);

export async function measureAutomations(options: { links?: number; deliveries?: number } = {}) {
  const links = options.links ?? 300;
  const deliveries = options.deliveries ?? 100;

  let statements = 0;
  // When the link under way committed (the last COMMIT seen while it ran).
  let linking = false;
  let committedAt = 0;
  const db = await openDatabase({ kind: 'pglite', dataDir: undefined }, (sql) => {
    statements++;
    if (linking && /^\s*commit\b/i.test(sql)) committedAt = performance.now();
  });
  await migrateToLatest(db);
  await bootstrap(db, { orgName: ORG, adminUser: 'admin', adminPassword: 'bench-password', adminApiKey: KEY });
  const admin = await db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow();
  await loadBenchData(db, { collections: 10, versionsPer: 10, userId: admin.id });
  const app = createApp(db, {
    maxBodyBytes: 1024 * 1024,
    webDir: '/nonexistent',
    secretsKey: 'ab'.repeat(32),
    allowPrivateNetworks: true,
  });
  const seed = inProcessClient(app, { key: KEY, origin: 'http://bench' });

  // The receiver: answers 200 at once, noting when.
  const answered = new Map<string, number>();
  let waiting: (() => void) | undefined;
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200).end('ok', () => undefined);
      answered.set(String(req.headers['webhook-id']), performance.now());
      waiting?.();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  const unlinked = await unlinkedBenchVersions(db);
  let next = 0;
  const linkDocument = sdkDocument('LinkArtifact');
  const link = async (collection: string) => {
    const input = {
      artifactID: Buffer.from(`Artifact:${unlinked[next++]}`).toString('base64'),
      artifactPortfolioName: collection,
      entityName: ORG,
      projectName: 'wandb-registry-model',
      aliases: [],
    };
    const response = await app.fetch(
      new Request('http://bench/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
        body: JSON.stringify({ query: linkDocument, variables: { input } }),
      }),
    );
    const text = await response.text();
    if (response.status !== 200 || text.includes('"errors"')) throw new Error(text.slice(0, 500));
  };
  await data(seed, `mutation S($input: InsertSecretInput!) { insertSecret(input: $input) { success } }`, {
    input: { entityName: 'bench-team', secretName: 'SIGNING', secretValue: 'whsec_' + Buffer.from('bench signing key').toString('base64') },
  });
  const integration = await data<{ result: { integration: { id: string } } }>(
    seed,
    sdkAutomationDocument('CreateGenericWebhookIntegration'),
    {
      input: { entityName: 'bench-team', name: 'receiver', urlEndpoint: url, secretRef: 'SIGNING' },
    },
  );
  const created = await data<{ result: { trigger: { id: string } } }>(seed, sdkAutomationDocument('CreateAutomation'), {
    input: {
      name: 'on-link',
      description: 'every link into Models',
      enabled: false,
      scopeID: await registryId(seed, 'model', ORG),
      scopeType: 'PROJECT',
      triggeringEventType: 'LINK_MODEL',
      eventFilter: '{}',
      triggeredActionType: 'GENERIC_WEBHOOK',
      triggeredActionConfig: { genericWebhookActionInput: { integrationID: integration.result.integration.id } },
    },
  });
  const automationId = Number(Buffer.from(created.result.trigger.id, 'base64').toString().split(':')[1]);
  const enable = (enabled: boolean) => db.updateTable('automations').set({ enabled }).where('id', '=', automationId).execute();

  // Links without and with the automation, one of each in turn, so a slow moment of the machine weighs
  // on both alike. The worker is not running: this is the link's own cost (the trigger queueing the
  // event and its NOTIFY). Only the link's own statements and time count, not the switch between.
  const without = { times: [] as number[], statements: 0 };
  const withOne = { times: [] as number[], statements: 0 };
  const warmup = 20;
  for (let i = 0; i < 2 * (warmup + links); i++) {
    const hooked = i % 2 === 1;
    await enable(hooked);
    statements = 0;
    const started = performance.now();
    await link(hooked ? 'hooked' : 'plain');
    const elapsed = performance.now() - started;
    if (i < 2 * warmup) continue;
    const into = hooked ? withOne : without;
    into.times.push(elapsed);
    into.statements += statements;
  }

  // Commit to the receiver's 200: the worker as the server starts it (woken by NOTIFY, polling each second).
  const worker = startDeliveryWorker(db, { settings: app.settings, giveUpMs: 3600_000, pollMs: 1000 });
  // First the links measured above (and their warm-up), queued while the worker was not running.
  const backlog = links + warmup;
  while (answered.size < backlog) await new Promise<void>((resolve) => (waiting = resolve));
  const latencies: number[] = [];
  for (let i = 0; i < deliveries; i++) {
    const before = answered.size;
    const arrived = new Promise<void>((resolve) => {
      waiting = () => {
        if (answered.size > before) resolve();
      };
    });
    linking = true;
    await link('hooked');
    linking = false;
    const commit = committedAt;
    await arrived;
    latencies.push([...answered.values()].at(-1)! - commit);
    // Let the pass finish recording the attempt before the next link.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await worker.stop();
  receiver.close();
  await db.destroy();

  const withoutMedian = median(without.times);
  const withMedian = median(withOne.times);
  return {
    linksMeasured: links,
    linkWithoutAutomation: { medianMs: withoutMedian, sqlStatementsPerLink: +(without.statements / links).toFixed(2) },
    linkWithOneMatchingAutomation: { medianMs: withMedian, sqlStatementsPerLink: +(withOne.statements / links).toFixed(2) },
    extra: {
      sqlStatements: +((withOne.statements - without.statements) / links).toFixed(2),
      timePercent: +((100 * (withMedian - withoutMedian)) / withoutMedian).toFixed(1),
      goal: '≤ 1 statement, ≤ 10 %',
    },
    commitToReceiver200: {
      deliveries,
      medianMs: median(latencies),
      p95Ms: +percentile(
        [...latencies].sort((a, b) => a - b),
        95,
      ).toFixed(3),
      goalMs: 250,
    },
  };
}
