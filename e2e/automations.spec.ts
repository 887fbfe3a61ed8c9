import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { addAliases } from '../seed/collections.js';
import { createTeam, createUser, newPassword } from '../seed/people.js';
import { createRegistry, grantRegistryRole } from '../seed/registries.js';
import { unique } from './support/api';
import { E2E_ADMIN } from './support/constants';
import { expect, expectNoA11yViolations, signIn, test } from './support/fixtures';
import { captureScreens } from './support/screens';

// Webhooks end to end: a secret and a webhook made in team settings, an automation on alias
// `production` made on the registry's Automations page, the alias moved, and the delivery seen with its
// status while a receiver on loopback checks the signature.

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

function startReceiver() {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('received');
    });
  });
  return new Promise<{ url: string; received: Received[]; close: () => Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}/hook`, received, close: () => new Promise((done) => server.close(() => done())) });
    }),
  );
}

const SIGNING_SECRET = 'a signing key typed in the browser';

const signatureOf = (request: Received) =>
  `v1,${createHmac('sha256', SIGNING_SECRET)
    .update(`${String(request.headers['webhook-id'])}.${String(request.headers['webhook-timestamp'])}.${request.body}`)
    .digest('base64')}`;

test.use({ seed: { prefix: 'auto', versions: 2 } });

test('a webhook made in team settings gets a signed POST when production moves, and the delivery shows its status', async ({
  signedIn: page,
  api,
  collection,
  browser,
}) => {
  // Three screens in light and dark at two widths come on top of the flow itself.
  test.setTimeout(240_000);
  const receiver = await startReceiver();
  try {
    const team = unique('hooks');
    await createTeam(api, { name: team, members: [{ username: E2E_ADMIN.username, role: 'admin' }] });

    // Team settings: a secret, then a webhook signed with it, tested.
    await page.goto('/registry');
    await page.getByRole('button', { name: /User menu/ }).click();
    await page.getByRole('menuitem', { name: 'Teams and webhooks' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Teams');
    await expect(page.getByRole('listitem').filter({ hasText: team })).toContainText('Team admin');
    await expectNoA11yViolations(page);
    await page.getByRole('link', { name: team }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${team}: webhooks and secrets`);
    await page.getByRole('textbox', { name: 'Name' }).last().fill('SIGNING');
    await page.getByLabel('Value').fill(SIGNING_SECRET);
    await page.getByRole('button', { name: 'Save secret' }).click();
    const secrets = page.getByRole('table', { name: `Secrets of ${team}` });
    await expect(secrets.getByRole('row', { name: /SIGNING/ })).toBeVisible();
    await expect(page.getByLabel('Value')).toHaveValue('');
    await expect(page.getByText(SIGNING_SECRET)).toHaveCount(0);

    await page.getByRole('textbox', { name: 'Name' }).first().fill('receiver');
    await page.getByRole('textbox', { name: 'URL' }).fill(receiver.url);
    await page.getByLabel('Signing secret').selectOption('SIGNING');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const webhooks = page.getByRole('table', { name: `Webhooks of ${team}` });
    await expect(webhooks.getByRole('row', { name: /receiver/ })).toContainText(receiver.url);
    await page.getByRole('button', { name: 'Test webhook receiver' }).click();
    await expect(webhooks.getByRole('status')).toContainText(/HTTP 200 in \d+ ms: received/);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.headers['webhook-signature']).toBe(signatureOf(receiver.received[0]!));
    await expectNoA11yViolations(page);

    // The registry's Automations page: on alias `production` in the collection, to the webhook.
    await page.goto(`/registry/${collection.registry}`);
    await page.getByRole('link', { name: 'Automations', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(/ automations$/);
    await expect(page.getByText('No automations yet')).toBeVisible();
    await expectNoA11yViolations(page);
    await page.getByRole('button', { name: 'New automation' }).click();
    const dialog = page.getByRole('dialog', { name: 'New automation' });
    await dialog.getByLabel('Name', { exact: true }).fill('deploy production');
    await dialog.getByLabel('Event', { exact: true }).selectOption({ label: 'An alias is added to a version' });
    await dialog.getByRole('radio', { name: 'One collection' }).check();
    await dialog.getByRole('combobox', { name: 'Collection' }).fill(collection.collection.slice(0, 8));
    await dialog.getByRole('option', { name: collection.collection }).click();
    await dialog.getByLabel('Only when the alias is').fill('production');
    await dialog.getByLabel('Webhook', { exact: true }).selectOption({ label: `${team} / receiver` });
    await expect(dialog.getByRole('button', { name: 'Insert artifact_version_string' })).toBeVisible();
    // The preview is filled from the collection's newest alias event (latest moving to v1).
    const preview = dialog.getByRole('region', { name: 'Preview' });
    await expect(preview).toContainText(
      `Filled from the newest such event here: acme/wandb-registry-${collection.registry}/${collection.collection}:v1`,
    );
    await expect(preview.locator('pre')).toContainText(`"artifact_collection_name": "${collection.collection}"`);
    await expectNoA11yViolations(page);
    await dialog.getByRole('button', { name: 'Create automation' }).click();
    await expect(dialog).toBeHidden();
    const automation = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'deploy production' }) });
    await expect(automation).toContainText('An alias is added to a version');
    await expect(automation).toContainText(`Collection ${collection.collection}`);
    await expect(automation).toContainText('alias = production');
    await expect(automation).toContainText('receiver');
    await expect(automation).toContainText('Enabled');

    // production moves onto v1: the worker delivers, and the page shows it.
    await addAliases(api, {
      artifactId: collection.artifactIds[1]!,
      registry: collection.registry,
      collection: collection.collection,
      aliases: ['production'],
    });
    await automation.getByRole('button', { name: 'Deliveries' }).click();
    const delivery = automation.getByRole('row').filter({ hasText: 'alias production' });
    await expect(delivery).toContainText('Delivered', { timeout: 15_000 });
    await expect(delivery.getByRole('cell').nth(3)).toHaveText('200');
    await expect(delivery).toContainText('received');
    await expect(delivery).toContainText(`${collection.collection}:v1`);
    const posted = receiver.received.at(-1)!;
    expect(receiver.received).toHaveLength(2);
    expect(posted.headers['webhook-signature']).toBe(signatureOf(posted));
    expect(JSON.parse(posted.body)).toMatchObject({
      event_type: 'ADD_ARTIFACT_ALIAS',
      event_author: E2E_ADMIN.username,
      artifact_collection_name: collection.collection,
    });
    await expectNoA11yViolations(page);

    // Redeliver: the same webhook-id again.
    await delivery.getByRole('button', { name: /^Redeliver/ }).click();
    await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBe(3);
    expect(receiver.received[2]!.headers['webhook-id']).toBe(posted.headers['webhook-id']);
    await expect(delivery.getByRole('cell').nth(5)).toHaveText('2', { timeout: 15_000 });

    // Disable, then the page says so.
    await automation.getByRole('button', { name: 'Disable automation deploy production' }).click();
    await expect(automation).toContainText('Disabled');

    // The collection's page leads to its automations (its own and the registry's).
    await page.goto(collection.path);
    await page.getByRole('link', { name: 'Automations', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${collection.collection} automations`);
    await expect(page.getByRole('heading', { name: 'deploy production' })).toBeVisible();
    await page.getByRole('button', { name: 'New automation' }).click();
    await expect(page.getByRole('radio', { name: 'One collection' })).toBeChecked();
    await expect(page.getByRole('combobox', { name: 'Collection' })).toHaveValue(collection.collection);
    await page.keyboard.press('Escape');

    await captureScreens(browser, [
      {
        name: 'team-settings',
        path: `/settings/teams/${team}`,
        ready: (p) => p.getByRole('heading', { name: 'Webhooks', exact: true }),
      },
      {
        name: 'registry-automations',
        path: `/registry/${collection.registry}/automations`,
        ready: (p) => p.getByRole('heading', { name: 'deploy production' }),
        open: async (p) => {
          await p.getByRole('button', { name: 'Deliveries' }).click();
          await expect(p.getByRole('cell', { name: '200' })).toBeVisible();
        },
      },
      {
        name: 'registry-automations-new',
        path: `/registry/${collection.registry}/automations`,
        ready: (p) => p.getByRole('heading', { name: 'deploy production' }),
        open: async (p) => {
          await p.getByRole('button', { name: 'New automation' }).click();
          await expect(p.getByRole('region', { name: 'Preview' }).locator('pre')).toBeVisible();
        },
      },
    ]);
  } finally {
    await receiver.close();
  }
});

test('members see automations and webhooks without the means to change them; a restricted registry is not found', async ({
  page,
  api,
  registry,
}) => {
  const member = await createUser(api, { username: unique('mem'), orgRole: 'member', password: newPassword() });
  const team = unique('crew');
  await createTeam(api, { name: team, members: [member.username] });
  await grantRegistryRole(api, { registry: registry.name, username: member.username, role: 'member' });
  const hidden = await createRegistry(api, { name: unique('hidden'), types: ['model'], restricted: true });
  await signIn(page, member);

  await page.goto(`/settings/teams/${team}`);
  await expect(page.getByRole('heading', { name: 'Webhooks', exact: true })).toBeVisible();
  await expect(page.getByText('Only the team’s admins change them.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create webhook' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Secrets', exact: true })).toHaveCount(0);

  await page.goto(`/registry/${registry.name}/automations`);
  await expect(page.getByText('No automations yet')).toBeVisible();
  await expect(page.getByText('Registry admins create and change them.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'New automation' })).toHaveCount(0);

  await page.goto(`/registry/${hidden.name}/automations`);
  await expect(page.getByRole('heading', { name: 'Registry not found' })).toBeVisible();
  await page.goto(`/settings/teams/${unique('nobody')}`);
  await expect(page.getByRole('heading', { name: 'Team not found' })).toBeVisible();
});
