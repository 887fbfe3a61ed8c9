import type { Page } from '@playwright/test';
import { addCollectionTags } from '../seed/collections.js';
import { unique } from './support/api';
import { expect, expectNoA11yViolations, test } from './support/fixtures';
import { captureScreens } from './support/screens';

// The home page's search finds collections, tags, aliases and versions, grouped, each a link to its page.

const PREFIX = unique('find');
const ALIAS = `${PREFIX}-champion`;
const TAG = `${PREFIX}-tag`;

test.use({ seed: { prefix: PREFIX, versions: 2, aliases: [[ALIAS], []] } });

const results = (page: Page) => page.getByRole('region', { name: 'Collections and versions' });
const group = (page: Page, name: string) => results(page).getByRole('group', { name, exact: true });

async function searchFor(page: Page, text: string): Promise<void> {
  await page.getByLabel('Search registries').fill(text);
  await expect(results(page)).toBeVisible();
}

test('search finds a collection, its tag, its alias and its versions, and each result opens its page', async ({
  signedIn: page,
  api,
  collection: seed,
}) => {
  await addCollectionTags(api, { registry: seed.registry, collection: seed.collection, tags: [TAG] });
  await page.goto('/registry');

  // A collection by part of its name.
  await searchFor(page, seed.collection.slice(PREFIX.length + 1));
  await expect(group(page, 'Collections').getByRole('link', { name: seed.collection })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
  await expect(results(page).getByRole('heading', { level: 2, name: 'Collections and versions' })).toBeVisible();
  await expectNoA11yViolations(page);
  await group(page, 'Collections').getByRole('link', { name: seed.collection }).click();
  await expect(page).toHaveURL(new RegExp(`${seed.path}$`));
  await expect(page.getByRole('heading', { level: 1, name: seed.collection })).toBeVisible();

  // Back home with the search kept in the URL: a tag, in other letter case.
  await page.goto(`/registry?q=${encodeURIComponent(TAG.toUpperCase())}`);
  await expect(group(page, 'Tags')).toContainText(TAG);
  await expect(group(page, 'Tags').getByRole('link', { name: seed.collection })).toHaveAttribute('href', seed.path);

  // An alias: the version holding it.
  await page.getByLabel('Search registries').fill(ALIAS);
  const aliasHit = group(page, 'Aliases').getByRole('link', { name: `${seed.collection}:v0` });
  await expect(aliasHit).toBeVisible();
  await expectNoA11yViolations(page);
  await aliasHit.click();
  await expect(page).toHaveURL(new RegExp(`${seed.path}/v0$`));

  // A version by its name within the collection.
  await page.goto('/registry');
  await searchFor(page, `${seed.collection} v1`);
  const versionHit = group(page, 'Versions').getByRole('link', { name: `${seed.collection}:v1` });
  await expect(versionHit).toBeVisible();
  await versionHit.click();
  await expect(page).toHaveURL(new RegExp(`${seed.path}/v1$`));
});

test('a search nothing matches says so', async ({ signedIn: page }) => {
  await page.goto('/registry');
  const text = `${PREFIX}-nothing`;
  await searchFor(page, text);
  await expect(results(page)).toContainText(`No collection, tag, alias or version matches “${text}”.`);
  await expect(page.getByText('No registry matches')).toBeVisible();
  await expectNoA11yViolations(page);
  // Clearing the box hides the results at once.
  await page.getByLabel('Search registries').fill('');
  await expect(results(page)).toHaveCount(0);
});

test('screenshots: the home page searching', async ({ browser, api, collection: seed }) => {
  test.setTimeout(120_000);
  await addCollectionTags(api, { registry: seed.registry, collection: seed.collection, tags: [TAG] });
  await captureScreens(browser, [
    {
      name: 'home-search',
      path: `/registry?q=${encodeURIComponent(PREFIX)}`,
      ready: (p) => p.getByRole('heading', { level: 3, name: 'Aliases' }),
    },
    {
      name: 'home-search-version',
      path: `/registry?q=${encodeURIComponent(`${seed.collection} v1`)}`,
      ready: (p) => p.getByRole('heading', { level: 3, name: 'Versions' }),
    },
  ]);
});
