import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { data, type SeedClient } from '../seed/client.js';
import { linkVersion } from '../seed/collections.js';
import { createTeam } from '../seed/people.js';
import { logVersion } from '../seed/versions.js';
import { unique } from './support/api';
import { E2E_ORIGIN } from './support/constants';
import { expect, signIn, test } from './support/fixtures';

test.describe.configure({ timeout: 120_000 });

const VIEWER = JSON.stringify({ query: '{ viewer { username } }' });
const GENERATE_KEY = JSON.stringify({ query: 'mutation { generateApiKey(input: { description: "stolen" }) { key } }' });

/**
 * The attacker's page, on another port of the same host (another origin, the same site, so the
 * SameSite=Lax cookie goes along): it tries to read `viewer` and generate an API key with the
 * signed-in user's cookie, and to frame the app.
 */
function attackerPage(): string {
  return `<!doctype html><html><body>
<iframe id="framed" src="${E2E_ORIGIN}/registry" width="600" height="400"></iframe>
<script>
const target = ${JSON.stringify(`${E2E_ORIGIN}/graphql`)};
async function attempt(body, init) {
  try {
    const response = await fetch(target, { method: 'POST', credentials: 'include', body, ...init });
    return 'read: ' + (await response.text());
  } catch (error) {
    return 'blocked: ' + error.message;
  }
}
window.results = (async () => ({
  viewer: await attempt(${JSON.stringify(VIEWER)}, { headers: { 'content-type': 'application/json', 'x-registry-csrf': '1' } }),
  generateApiKey: await attempt(${JSON.stringify(GENERATE_KEY)}, { headers: { 'content-type': 'application/json', 'x-registry-csrf': '1' } }),
  // A "simple" request needs no preflight: the browser sends it, cookie included, and only hides the answer.
  blindGenerateApiKey: await attempt(${JSON.stringify(GENERATE_KEY)}, { mode: 'no-cors', headers: { 'content-type': 'text/plain' } }),
}))();
</script></body></html>`;
}

async function listen(html: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

async function apiKeyCount(api: SeedClient): Promise<number> {
  const found = await data<{ viewer: { apiKeys: { edges: unknown[] } } }>(api, '{ viewer { apiKeys { edges { node { id } } } } }');
  return found.viewer.apiKeys.edges.length;
}

test('a page of another origin can neither read nor change anything with the cookie, nor frame the app', async ({
  signedIn: page,
  api,
}) => {
  const keysBefore = await apiKeyCount(api);
  const attacker = await listen(attackerPage());
  try {
    await page.goto(attacker.url);
    const results = (await page.evaluate('window.results')) as Record<string, string>;
    // The preflight is refused, so the browser never sends the request.
    expect(results.viewer).toMatch(/^blocked: /);
    expect(results.generateApiKey).toMatch(/^blocked: /);
    // The simple request reaches the server (its answer stays opaque), which refuses it.
    expect(results.blindGenerateApiKey).toBe('read: ');
    expect(await apiKeyCount(api)).toBe(keysBefore);

    // The frame shows the browser's error page (frame-ancestors 'none'), never the app.
    const framed = () => page.frames().filter((frame) => frame !== page.mainFrame());
    await expect.poll(() => framed().map((frame) => frame.url())).toEqual(['chrome-error://chromewebdata/']);
    await expect(framed()[0]?.locator('#root') ?? page.locator('#none')).toHaveCount(0);
  } finally {
    await attacker.close();
  }
});

/** Collects the page's CSP violations: the DOM event and the console's "Refused to …" reports. */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('reportViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportViolation: (text: string) => void }).reportViolation(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/.test(message.text())) violations.push(message.text());
  });
  return violations;
}

test('the app works under its CSP: no violation on the main pages and dialogs', async ({ page, api }) => {
  const team = unique('csp');
  await createTeam(api, { name: team, members: ['admin'] });
  const logged = await logVersion(api, { entity: team, project: 'proj', name: 'net', type: 'model', files: { 'w.bin': 'weights' } });
  const collection = unique('csp-net');
  await linkVersion(api, { artifactId: logged.artifactId, registry: 'model', collection: collection, aliases: ['production'] });
  const violations = await watchViolations(page);
  await signIn(page);

  const response = await page.goto('/registry');
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  await expect(page.getByRole('article', { name: 'Models', exact: true })).toBeVisible();
  await page.screenshot({ path: 'e2e/screenshots/csp-home.png' });
  // Radix dialogs lock scrolling with a <style> element of their own.
  await page.getByRole('button', { name: 'Create registry' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.screenshot({ path: 'e2e/screenshots/csp-dialog.png' });
  await page.keyboard.press('Escape');

  await page.goto('/registry/model');
  await expect(page.getByRole('link', { name: collection, exact: true })).toBeVisible();
  await page.screenshot({ path: 'e2e/screenshots/csp-registry.png' });

  await page.goto(`/registry/model/${collection}`);
  await expect(page.getByRole('heading', { name: collection })).toBeVisible();
  await page.screenshot({ path: 'e2e/screenshots/csp-collection.png' });

  await page.goto('/registry/model/settings');
  await expect(page.getByRole('heading', { name: /settings/i }).first()).toBeVisible();
  await page.screenshot({ path: 'e2e/screenshots/csp-settings.png' });

  await page.goto('/settings/api-keys');
  await expect(page.getByRole('heading', { name: 'API keys' })).toBeVisible();

  await page.goto(`/${team}/proj/artifacts/model/net/v0`);
  await expect(page.getByRole('button', { name: 'Link to registry' })).toBeVisible();
  await page.screenshot({ path: 'e2e/screenshots/csp-artifacts.png' });
  await page.getByRole('button', { name: 'Link to registry' }).click();
  await expect(page.getByRole('dialog', { name: 'Link to registry' })).toBeVisible();
  await page.screenshot({ path: 'e2e/screenshots/csp-link-dialog.png' });

  expect(violations).toEqual([]);
});

test('GraphiQL works signed in under its own CSP', async ({ signedIn: page }) => {
  const violations = await watchViolations(page);
  const response = await page.goto(`/graphql?query=${encodeURIComponent('{ viewer { username } }')}`);
  expect(response?.headers()['content-security-policy']).toMatch(/script-src 'sha256-/);
  await page.getByRole('button', { name: /Execute query/ }).click();
  // The answer names the signed-in user: the cookie and the CSRF header went with the request.
  await expect(page.locator('.result-window')).toContainText('"username": "admin"');
  // The schema loaded too (its request needs the CSRF header as well): the docs explorer lists Query.
  await page.getByRole('button', { name: /Show Documentation Explorer/ }).click();
  await expect(page.getByText('Query', { exact: true }).first()).toBeVisible();
  await page.screenshot({ path: 'e2e/screenshots/csp-graphiql.png' });
  expect(violations).toEqual([]);
});
