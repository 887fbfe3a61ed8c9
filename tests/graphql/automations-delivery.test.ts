import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDeliveryWorker, type DeliveryWorker } from '../../server/modules/automations/worker.js';
import { linkVersion } from '../../seed/collections.js';
import { createSourceVersion, type SourceVersion } from '../../seed/versions.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { setUpLinkAutomation, startReceiver } from '../support/webhooks.js';

// The worker as the server runs it (woken by each commit's notification, polling besides) against a
// real receiver on loopback: every link delivered exactly once and signed, and a receiver that is
// down for a while gets everything once it is back, each attempt recorded.

let t: TestApp;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let worker: DeliveryWorker;

beforeAll(async () => {
  t = await createTestApp({ allowPrivateNetworks: true });
  receiver = await startReceiver();
  await setUpLinkAutomation(t, receiver.url);
  worker = startDeliveryWorker(t.db, {
    settings: t.app.settings,
    giveUpMs: 3600_000,
    pollMs: 200,
    timeoutMs: 2000,
    backoffMs: 100,
    // Retries here come from backoff, not from lapsed leases: a lease must outlast a busy machine's
    // slowest pass, or a delivery still under way is taken again and arrives twice.
    leaseMarginMs: 10_000,
  });
}, 60_000);
afterAll(async () => {
  await worker?.stop();
  await receiver?.close();
  await t?.close();
});

async function sources(project: string, count: number): Promise<SourceVersion[]> {
  const made: SourceVersion[] = [];
  for (let i = 0; i < count; i++) made.push(await createSourceVersion(t, { entity: 'ml', project, name: 'net', type: 'model' }));
  return made;
}

async function deliveryRows() {
  return t.db.selectFrom('automation_deliveries').select(['id', 'webhook_id', 'status', 'attempts']).orderBy('id').execute();
}

describe('webhook delivery by the running worker', () => {
  it('200 links make 200 deliveries, each received exactly once and correctly signed', async () => {
    const linked = await sources('bulk', 200);
    // Ten at a time, as several clients would: passes run while links commit.
    for (let i = 0; i < linked.length; i += 10)
      await Promise.all(linked.slice(i, i + 10).map((s) => linkVersion(t, { artifactId: s.id, registry: 'model', collection: 'bulk' })));
    await expect.poll(() => receiver.delivered().length, { timeout: 20_000, interval: 50 }).toBe(200);
    // A moment more: nothing arrives twice.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(receiver.received).toHaveLength(200);
    expect(receiver.received.every((r) => r.signed)).toBe(true);
    expect(new Set(receiver.received.map((r) => r.webhookId)).size).toBe(200);
    expect(new Set(receiver.received.map((r) => (JSON.parse(r.body) as { version: string }).version)).size).toBe(200);
    const rows = await deliveryRows();
    expect(rows).toHaveLength(200);
    expect(rows.every((r) => r.status === 'delivered' && r.attempts === 1)).toBe(true);
    receiver.received.length = 0;
  }, 60_000);

  it('a receiver refusing connections, then answering 500, gets every delivery once it is back; each attempt is recorded', async () => {
    const linked = await sources('outage', 5);
    await receiver.close();
    for (const s of linked) await linkVersion(t, { artifactId: s.id, registry: 'model', collection: 'outage' });
    const attempts = () =>
      t.db
        .selectFrom('automation_delivery_attempts')
        .innerJoin('automation_deliveries', 'automation_deliveries.id', 'automation_delivery_attempts.delivery_id')
        .select(['automation_deliveries.webhook_id', 'status_code', 'error'])
        .where('automation_deliveries.id', '>', 200)
        .orderBy('automation_delivery_attempts.id')
        .execute();
    // Refused: each delivery tried at least twice (backoff from 100 ms), none delivered.
    await expect
      .poll(async () => new Set((await attempts()).filter((a) => a.error?.includes('ECONNREFUSED')).map((a) => a.webhook_id)).size, {
        timeout: 10_000,
      })
      .toBe(5);
    receiver.state.mode = 'error';
    await receiver.open();
    await expect.poll(() => new Set(receiver.received.map((r) => r.webhookId)).size, { timeout: 10_000 }).toBe(5);
    expect(receiver.delivered()).toEqual([]);
    receiver.state.mode = 'ok';
    await expect.poll(() => new Set(receiver.delivered()).size, { timeout: 15_000 }).toBe(5);
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Each delivered once, always with its own webhook-id, signed every time.
    expect(receiver.delivered()).toHaveLength(5);
    expect(receiver.received.every((r) => r.signed)).toBe(true);
    const recorded = await attempts();
    const ids = [...new Set(recorded.map((a) => a.webhook_id))];
    expect(ids).toHaveLength(5);
    for (const id of ids) {
      const mine = recorded.filter((a) => a.webhook_id === id);
      // Refused (or, on a kept-alive connection the receiver cut, hung up): no answer.
      expect(mine[0]).toMatchObject({ status_code: null, error: expect.stringMatching(/ECONNREFUSED|socket hang up/) });
      expect(mine.some((a) => a.status_code === 500)).toBe(true);
      expect(mine.at(-1)?.status_code).toBe(200);
      expect(mine.filter((a) => a.status_code === 200)).toHaveLength(1);
    }
    const rows = (await deliveryRows()).filter((r) => ids.includes(r.webhook_id));
    expect(rows.every((r) => r.status === 'delivered' && r.attempts >= 3)).toBe(true);
  }, 60_000);

  it('a receiver holding a request open holds up no other delivery; past the time limit that one goes again, same webhook-id', async () => {
    const [slow, quick] = await sources('slow', 2);
    receiver.received.length = 0;
    receiver.state.mode = 'hold';
    await linkVersion(t, { artifactId: slow!.id, registry: 'model', collection: 'slow' });
    await expect.poll(() => receiver.received.length, { timeout: 5000, interval: 5 }).toBe(1);
    receiver.state.mode = 'ok';
    const linked = Date.now();
    await linkVersion(t, { artifactId: quick!.id, registry: 'model', collection: 'slow' });
    await expect.poll(() => receiver.delivered().length, { timeout: 5000, interval: 5 }).toBe(1);
    // Well before the held request's 2 s time limit.
    expect(Date.now() - linked).toBeLessThan(1000);
    const held = receiver.received[0]!;
    await expect.poll(() => receiver.delivered().length, { timeout: 10_000 }).toBe(2);
    expect(receiver.delivered()[1]).toBe(held.webhookId);
    const attempts = await t.db
      .selectFrom('automation_delivery_attempts')
      .innerJoin('automation_deliveries', 'automation_deliveries.id', 'automation_delivery_attempts.delivery_id')
      .select(['status_code', 'error'])
      .where('automation_deliveries.webhook_id', '=', held.webhookId)
      .orderBy('automation_delivery_attempts.id')
      .execute();
    expect(attempts).toEqual([
      { status_code: null, error: 'no answer within 2000 ms' },
      { status_code: 200, error: null },
    ]);
  }, 30_000);
});
