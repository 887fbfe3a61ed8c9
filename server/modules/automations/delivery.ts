import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { DB } from '../../db/database.js';
import type { Integration } from '../../db/tables.js';
import type { ServerSettings } from '../../graphql/builder.js';
import { log } from '../../observability/log.js';
import { checkedLookup, urlRefusal } from './address-policy.js';
import { openSecret, webhookSignature } from './crypto.js';
import { eventMatches, eventTypeOf, parseEventFilter, type EventRecord } from './event-filter.js';
import { DEFAULT_PAYLOAD, PAYLOAD_VARIABLES, fillTemplate } from './payload.js';
import {
  claimDueDeliveries,
  claimQueuedEvents,
  dequeueEvents,
  enabledAutomationsOfProjects,
  finishAttempt,
  insertDeliveries,
  integrationById,
  secretsByName,
  type AttemptRecord,
  type ClaimedDelivery,
  type DeliveryOutcome,
  type NewDelivery,
  type QueuedEvent,
} from './repository.js';

// At least once, never lost: the event rows are queued by a trigger in the change's own transaction;
// a pass turns queued events into deliveries (one per matching automation, in one transaction with
// taking them off the queue), then claims due deliveries under a lease and sends them. A delivery is
// retried with backoff until it succeeds or is given up; a worker that stops mid-delivery leaves the
// lease to lapse, and the delivery goes again with the same webhook-id.

export interface DeliveryOptions {
  settings: ServerSettings;
  /** How long a delivery is retried before it is given up. */
  giveUpMs: number;
  /** One request's time limit. */
  timeoutMs?: number;
  /** The first retry's delay, doubled on each retry after it (at most 1 h), ±20 %. */
  backoffMs?: number;
  /** How long past the request's time limit a claim is held before another worker may take it. */
  leaseMarginMs?: number;
  /** The pass's clock (tests move it forward to reach retries). */
  now?: Date;
  batch?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const LEASE_MARGIN_MS = 30_000;
const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 3600_000;
const EXCERPT_CHARS = 1000;

/** The values a filter asks of an event and a payload is filled with. */
export function eventRecord(event: QueuedEvent): EventRecord {
  const after = (event.after ?? {}) as Record<string, unknown>;
  const before = (event.before ?? {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const collection = event.collection_name ?? undefined;
  const version = event.version_index ?? undefined;
  const versionString =
    collection !== undefined && version !== undefined ? `${event.entity_name}/${event.project_name}/${collection}:v${version}` : undefined;
  return {
    event_type: eventTypeOf(event.action),
    event_author: event.author ?? undefined,
    alias: text(after.alias) ?? text(before.alias),
    tag: text(after.tag) ?? text(before.tag),
    artifact_collection_name: collection,
    collection_name: collection,
    project_name: event.project_name,
    entity_name: event.entity_name,
    version_index: version,
    artifact_version_string: versionString,
    artifact_version: JSON.stringify({
      versionIndex: version ?? null,
      artifactId: after.artifactId ?? before.artifactId ?? null,
      collection: collection ?? null,
      project: event.project_name,
      entity: event.entity_name,
      string: versionString ?? null,
    }),
  };
}

/** Turns queued events into deliveries for the automations they match; returns how many events it took. */
export async function fanOutEvents(db: DB, batch = 100): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const events = await claimQueuedEvents(trx, batch);
    if (events.length === 0) return 0;
    const automations = await enabledAutomationsOfProjects(trx, [...new Set(events.map((e) => e.project_id))]);
    const filters = new Map(automations.map((a) => [a.id, safeFilter(a.id, a.event_filter)]));
    const deliveries: NewDelivery[] = [];
    for (const event of events) {
      const type = eventTypeOf(event.action);
      if (!type) continue;
      const record = eventRecord(event);
      for (const automation of automations) {
        if (automation.event_type !== type || automation.project_id !== event.project_id) continue;
        if (automation.collection_id !== null && automation.collection_id !== event.collection_id) continue;
        const filter = filters.get(automation.id);
        if (filter === null || !eventMatches(filter, record)) continue;
        deliveries.push({
          automation_id: automation.id,
          event_id: event.id,
          webhook_id: `msg_${event.id}_${automation.id}`,
          context: JSON.stringify(record),
        });
      }
    }
    await insertDeliveries(trx, deliveries);
    await dequeueEvents(
      trx,
      events.map((e) => e.id),
    );
    return events.length;
  });
}

/** A stored filter parsed again; null (matches nothing) if it no longer parses, so one bad row stops nothing else. */
function safeFilter(id: number, json: string) {
  try {
    return parseEventFilter(json);
  } catch (error) {
    log.warn({ automation: id, err: error }, 'automation filter no longer parses; its events are skipped');
    return null;
  }
}

function backoff(attempts: number, first = BACKOFF_BASE_MS): number {
  const base = Math.min(BACKOFF_MAX_MS, first * 2 ** Math.max(0, attempts - 1));
  // ±20% jitter, so receivers that came back are not hit by every retry at once.
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

interface Response {
  status: number;
  excerpt: string;
}

function post(url: URL, headers: Record<string, string>, body: string, allowPrivate: boolean, timeoutMs: number): Promise<Response> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolveAnswer, rejectAnswer) => {
    const deadline: { timer?: NodeJS.Timeout } = {};
    const resolve = (answer: Response) => {
      clearTimeout(deadline.timer);
      resolveAnswer(answer);
    };
    const reject = (error: unknown) => {
      clearTimeout(deadline.timer);
      rejectAnswer(error);
    };
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: checkedLookup(allowPrivate),
        timeout: timeoutMs,
      },
      (response) => {
        let excerpt = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (excerpt.length < EXCERPT_CHARS) excerpt += chunk.slice(0, EXCERPT_CHARS - excerpt.length);
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, excerpt }));
        response.on('error', reject);
        // Cut before its end (the deadline, the receiver): not an answer (a no-op once resolved).
        response.on('close', () => reject(new Error('the connection closed before the answer ended')));
      },
    );
    // The socket's idle timeout, and a deadline for the whole exchange (a receiver that drips its answer).
    const timedOut = () => request.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
    deadline.timer = setTimeout(timedOut, timeoutMs);
    request.on('timeout', timedOut);
    request.on('error', reject);
    request.end(body);
  });
}

/** The body and headers of a webhook delivery, with the team's secrets read now. */
async function buildRequest(db: DB, delivery: ClaimedDelivery, settings: ServerSettings, timestamp: number) {
  const integration = delivery.integration_id === null ? undefined : await integrationById(db, delivery.integration_id);
  if (!integration) return undefined;
  return signedRequest(db, settings, integration, {
    template: delivery.request_payload,
    context: delivery.context as Record<string, unknown>,
    webhookId: delivery.webhook_id,
    timestamp,
  });
}

/** A webhook's request: the template filled from the context and the team's secrets, signed when the webhook has a signing secret. */
async function signedRequest(
  db: DB,
  settings: ServerSettings,
  integration: Integration,
  message: { template: string | null; context: Record<string, unknown>; webhookId: string; timestamp: number },
) {
  const template = message.template ?? DEFAULT_PAYLOAD;
  const wanted = new Set<string>();
  fillTemplate(template, (name) => {
    if (!PAYLOAD_VARIABLES.includes(name) && name !== 'ACCESS_TOKEN') wanted.add(name);
    return undefined;
  });
  if (integration.secret_name) wanted.add(integration.secret_name);
  if (integration.access_token_name) wanted.add(integration.access_token_name);
  const secrets = new Map(
    (await secretsByName(db, integration.entity_id, [...wanted])).map((s) => [s.name, openSecret(settings.secretsKey(), s.sealed)]),
  );
  const token = integration.access_token_name ? secrets.get(integration.access_token_name) : undefined;
  const body = fillTemplate(template, (name) => {
    if (name === 'ACCESS_TOKEN') return token;
    const value = PAYLOAD_VARIABLES.includes(name) ? message.context[name] : secrets.get(name);
    return value === undefined || value === null ? undefined : String(value);
  });
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'registry-webhooks/1' };
  if (token) headers.authorization = `Bearer ${token}`;
  const signingSecret = integration.secret_name ? secrets.get(integration.secret_name) : undefined;
  if (signingSecret) {
    headers['webhook-id'] = message.webhookId;
    headers['webhook-timestamp'] = String(message.timestamp);
    headers['webhook-signature'] = webhookSignature(signingSecret, message.webhookId, message.timestamp, body);
  }
  return { url: new URL(integration.url), headers, body };
}

export interface TestOutcome {
  statusCode: number | null;
  durationMs: number;
  responseExcerpt: string | null;
  error: string | null;
}

/**
 * Sends a webhook a sample event now, signed as a delivery would be and under the same address
 * policy, and says what came back. Nothing is recorded: a test is not a delivery.
 */
export async function sendTestMessage(
  db: DB,
  settings: ServerSettings,
  integration: Integration,
  sample: { template: string | null; context: Record<string, unknown> },
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<TestOutcome> {
  const started = Date.now();
  const outcome = (fields: Partial<TestOutcome>): TestOutcome => ({
    statusCode: null,
    responseExcerpt: null,
    error: null,
    ...fields,
    durationMs: Date.now() - started,
  });
  const request = await signedRequest(db, settings, integration, {
    ...sample,
    webhookId: `msg_test_${randomUUID()}`,
    timestamp: Math.floor(started / 1000),
  });
  const refusal = urlRefusal(request.url, settings.allowPrivateNetworks);
  if (refusal) return outcome({ error: `refused by policy: ${refusal}` });
  try {
    const response = await post(request.url, request.headers, request.body, settings.allowPrivateNetworks, timeoutMs);
    return outcome({ statusCode: response.status, responseExcerpt: response.excerpt });
  } catch (caught) {
    return outcome({ error: caught instanceof Error ? caught.message : String(caught) });
  }
}

/** Sends one claimed delivery and records the attempt and what follows. */
async function deliver(db: DB, delivery: ClaimedDelivery, options: DeliveryOptions, now: Date): Promise<void> {
  const started = new Date();
  const attempt = (fields: Partial<AttemptRecord>): AttemptRecord => ({
    started_at: started,
    duration_ms: Date.now() - started.getTime(),
    status_code: null,
    error: null,
    response_excerpt: null,
    ...fields,
  });
  const giveUp = now.getTime() - delivery.created_at.getTime() >= options.giveUpMs;
  const retry = (error: string): DeliveryOutcome =>
    giveUp
      ? { status: 'failed', error: `${error}; given up` }
      : { status: 'pending', error, nextAttemptAt: new Date(now.getTime() + backoff(delivery.attempts, options.backoffMs)) };

  if (delivery.action_type === 'NO_OP') return finishAttempt(db, delivery.id, attempt({}), { status: 'delivered', error: null });
  const request = await buildRequest(db, delivery, options.settings, Math.floor(now.getTime() / 1000));
  if (!request)
    return finishAttempt(db, delivery.id, attempt({ error: 'the webhook was removed' }), {
      status: 'failed',
      error: 'the webhook was removed',
    });
  const refusal = urlRefusal(request.url, options.settings.allowPrivateNetworks);
  if (refusal)
    return finishAttempt(db, delivery.id, attempt({ error: refusal }), { status: 'failed', error: `refused by policy: ${refusal}` });
  try {
    const response = await post(
      request.url,
      request.headers,
      request.body,
      options.settings.allowPrivateNetworks,
      options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    );
    const record = attempt({ status_code: response.status, response_excerpt: response.excerpt });
    if (response.status >= 200 && response.status < 300)
      return finishAttempt(db, delivery.id, record, { status: 'delivered', error: null });
    const error = `HTTP ${response.status}`;
    const transient = response.status >= 500 || response.status === 429 || response.status === 408;
    return finishAttempt(db, delivery.id, record, transient ? retry(error) : { status: 'failed', error });
  } catch (caught) {
    const error = caught instanceof Error ? caught.message : String(caught);
    const policy = (caught as NodeJS.ErrnoException).code === 'EPOLICY';
    return finishAttempt(db, delivery.id, attempt({ error }), policy ? { status: 'failed', error } : retry(error));
  }
}

/** One pass: queued events into deliveries, then every due delivery sent once. Returns how many were sent. */
export async function runDeliveryPass(db: DB, options: DeliveryOptions): Promise<number> {
  const batch = options.batch ?? 100;
  while ((await fanOutEvents(db, batch)) === batch);
  let sent = 0;
  for (;;) {
    // Each claim's lease counts from that claim: a later batch must not inherit a lease half spent.
    const now = options.now ?? new Date();
    const lease = new Date(now.getTime() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS) + (options.leaseMarginMs ?? LEASE_MARGIN_MS));
    const claimed = await claimDueDeliveries(db, now, lease, batch);
    await Promise.all(claimed.map((delivery) => deliver(db, delivery, options, now)));
    sent += claimed.length;
    if (claimed.length < batch) return sent;
  }
}
