import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';
import type { SeedClient } from '../../seed/client.js';
import { createRegistry, type SeededRegistry } from '../../seed/registries.js';
import { seedClient, unique } from './api';
import { seedCollection, type CollectionOptions, type SeededCollection } from './collection-seed';
import { E2E_ADMIN, E2E_ORIGIN } from './constants';

/** The admin's session cookie per server origin, signed in once per worker: each sign-in costs a deliberately slow password hash. */
const adminSessions = new Map<string, { name: string; value: string; url: string }>();

/**
 * Signs the page in through the same route the login form uses (a session cookie), with the Origin the
 * form's page sends (the server of the test's project). The admin's session is shared by the worker's
 * tests unless `fresh` asks for one of its own (a test that signs out ends it).
 */
export async function signIn(page: Page, user = E2E_ADMIN, options: { fresh?: boolean } = {}): Promise<void> {
  const origin = new URL(base.info().project.use.baseURL ?? E2E_ORIGIN).origin;
  const shared = user === E2E_ADMIN && !options.fresh;
  const session = adminSessions.get(origin);
  if (shared && session) {
    await page.context().addCookies([session]);
    return;
  }
  const response = await page.request.post('/api/auth/login', {
    data: user,
    headers: { 'x-registry-csrf': '1', origin },
  });
  expect(response.status(), await response.text()).toBe(200);
  if (shared) {
    const cookie = (await page.context().cookies(origin)).find((c) => c.name === 'registry_session');
    if (cookie) adminSessions.set(origin, { name: cookie.name, value: cookie.value, url: origin });
  }
}

/** Fails with the list of violations when axe finds any (WCAG 2 A/AA, 2.2 AA). */
export async function expectNoA11yViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag22aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

export interface LinkedVersion {
  /** The source version's Artifact id. */
  artifactId: string;
  /** `vN` in the collection. */
  version: string;
  /** Its page. */
  path: string;
}

interface Fixtures {
  /** The page, signed in as the admin. */
  signedIn: Page;
  /** Seeds the server over HTTP as the admin. */
  api: SeedClient;
  /** What `registry` and `collection` seed: `test.use({ seed: { versions: 3, … } })`. */
  seed: CollectionOptions;
  /** A fresh registry accepting models (restricted and with protected aliases when `seed` says so). */
  registry: SeededRegistry & { path: string };
  /** A fresh collection in `registry` with `seed.versions` linked versions (one by default). */
  collection: SeededCollection;
  /** The newest linked version of `collection`. */
  linkedVersion: LinkedVersion;
}

export const test = base.extend<Fixtures>({
  signedIn: async ({ page }, use) => {
    await signIn(page);
    await use(page);
  },
  api: async ({ baseURL }, use) => {
    await use(seedClient(baseURL));
  },
  seed: [{}, { option: true }],
  registry: async ({ api, seed }, use) => {
    const name = unique(`${seed.prefix ?? 'c'}-reg`);
    const registry = await createRegistry(api, {
      name,
      types: ['model'],
      restricted: seed.restricted,
      protectedAliases: seed.protectedAliases,
    });
    await use({ ...registry, path: `/registry/${name}` });
  },
  collection: async ({ api, seed, registry }, use) => {
    await use(await seedCollection(api, { ...seed, registry: registry.name }));
  },
  linkedVersion: async ({ collection }, use) => {
    const index = collection.artifactIds.length - 1;
    await use({ artifactId: collection.artifactIds[index] ?? '', version: `v${index}`, path: `${collection.path}/v${index}` });
  },
});

export { expect };
