import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { data, type SeedClient } from '../../seed/client.js';
import { createTeam } from '../../seed/people.js';
import { registryId } from '../../seed/registries.js';
import { sdkAutomationDocument } from '../../seed/sdk-operations.js';

// A webhook receiver on loopback that checks every request's Standard Webhooks signature, and the
// team, webhook and LINK_MODEL automation that send to it, set up through the API.

export const SIGNING_SECRET = 'whsec_' + Buffer.from('the delivery tests signing key').toString('base64');

export interface Received {
  webhookId: string;
  body: string;
  /** Whether the signature matched the body, id and timestamp under SIGNING_SECRET. */
  signed: boolean;
  /** What the receiver answered (0: held open, never answered). */
  answered: number;
}

/**
 * `mode`: 'ok' answers 200, 'error' answers 500, 'hold' keeps the request open without answering.
 * `close()` stops it (connections refused), `open()` listens again on the same port.
 */
export async function startReceiver() {
  const received: Received[] = [];
  const state: { mode: 'ok' | 'error' | 'hold' } = { mode: 'ok' };
  const held = new Set<http.ServerResponse>();
  const key = Buffer.from(SIGNING_SECRET.slice('whsec_'.length), 'base64');
  const handler: http.RequestListener = (req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const webhookId = String(req.headers['webhook-id'] ?? '');
      const timestamp = String(req.headers['webhook-timestamp'] ?? '');
      const expected = `v1,${createHmac('sha256', key).update(`${webhookId}.${timestamp}.${body}`).digest('base64')}`;
      const entry: Received = { webhookId, body, signed: req.headers['webhook-signature'] === expected, answered: 0 };
      received.push(entry);
      if (state.mode === 'hold') {
        held.add(res);
        return;
      }
      entry.answered = state.mode === 'ok' ? 200 : 500;
      res.writeHead(entry.answered).end(state.mode);
    });
  };
  let server = http.createServer(handler);
  const listen = (port: number) =>
    new Promise<number>((resolve) => server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
  const port = await listen(0);
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    state,
    /** The ids delivered: answered 200. */
    delivered: () => received.filter((r) => r.answered === 200).map((r) => r.webhookId),
    async close() {
      for (const res of held) res.destroy();
      held.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async open() {
      server = http.createServer(handler);
      await listen(port);
    },
  };
}

/** Team `ml` (with the admin), its signing secret, a webhook to `url` and a LINK_MODEL automation on the Models registry. */
export async function setUpLinkAutomation(seed: SeedClient, url: string): Promise<void> {
  await createTeam(seed, { name: 'ml', members: ['admin'] });
  await data(seed, `mutation S($input: InsertSecretInput!) { insertSecret(input: $input) { success } }`, {
    input: { entityName: 'ml', secretName: 'SIGNING', secretValue: SIGNING_SECRET },
  });
  const created = await data<{ result: { integration: { id: string } } }>(seed, sdkAutomationDocument('CreateGenericWebhookIntegration'), {
    input: { entityName: 'ml', name: 'receiver', urlEndpoint: url, secretRef: 'SIGNING' },
  });
  await data(seed, sdkAutomationDocument('CreateAutomation'), {
    input: {
      name: 'on-link',
      description: 'every link into Models',
      enabled: true,
      scopeID: await registryId(seed, 'model'),
      scopeType: 'PROJECT',
      triggeringEventType: 'LINK_MODEL',
      eventFilter: '{}',
      triggeredActionType: 'GENERIC_WEBHOOK',
      triggeredActionConfig: {
        genericWebhookActionInput: {
          integrationID: created.result.integration.id,
          requestPayload: JSON.stringify({ event: '${event_type}', version: '${artifact_version_string}' }),
        },
      },
    },
  });
}
