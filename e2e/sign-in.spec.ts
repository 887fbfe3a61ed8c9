import { E2E_ADMIN, E2E_API_KEY } from './support/constants';
import { expect, expectNoA11yViolations, signIn, test } from './support/fixtures';

const viewerQuery = { query: '{ viewer { username } }' };

test('a fresh registry: sign in and see the Models and Datasets cards', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login\?next=%2F$/);
  await expect(page.getByRole('heading', { name: 'Sign in to Registry' })).toBeVisible();
  await expectNoA11yViolations(page);

  await page.getByLabel('Username').fill(E2E_ADMIN.username);
  await page.getByLabel('Password').fill(E2E_ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(page).toHaveURL(/\/registry$/);
  await expect(page.getByRole('link', { name: 'Registry home' })).toContainText('acme');
  const registries = page.getByRole('region', { name: 'Registries' });
  const models = registries.getByRole('article', { name: 'Models', exact: true });
  const datasets = registries.getByRole('article', { name: 'Datasets', exact: true });
  await expect(models).toBeVisible();
  await expect(datasets).toBeVisible();
  await expect(models.getByLabel('Accepted types')).toHaveText('model');
  await expect(datasets.getByLabel('Accepted types')).toHaveText('dataset');
  await expect(models).toContainText('wandb-registry-model');
  await expect(models).toContainText('Organization');
  // The core registries come first (oldest first); specs that ran before may have added others.
  await expect(registries.getByRole('article').nth(0)).toHaveAccessibleName(/^(Models|Datasets)$/);
  await expect(registries.getByRole('article').nth(1)).toHaveAccessibleName(/^(Models|Datasets)$/);
  await expectNoA11yViolations(page);
});

test('a wrong password gets a clear error and no session', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Username').fill(E2E_ADMIN.username);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong username or password.');
  await expect(page).toHaveURL(/\/login$/);
  const cookies = await page.context().cookies();
  expect(cookies.filter((c) => c.name === 'registry_session')).toEqual([]);
  const viewer = await page.request.post('/graphql', { data: viewerQuery });
  expect(await viewer.json()).toEqual({ data: { viewer: null } });
});

test('an invalid API key gets a clear error; a valid one signs the script in', async ({ request }) => {
  for (const authorization of ['Bearer not-a-key', `Basic ${Buffer.from('api:not-a-key').toString('base64')}`]) {
    const response = await request.post('/graphql', { data: viewerQuery, headers: { authorization } });
    expect(response.status()).toBe(401);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]?.message).toMatch(/^Invalid API key\./);
    expect(body.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
  }
  const ok = await request.post('/graphql', {
    data: viewerQuery,
    headers: { authorization: `Basic ${Buffer.from(`api:${E2E_API_KEY}`).toString('base64')}` },
  });
  expect(await ok.json()).toEqual({ data: { viewer: { username: 'admin' } } });
});

test('revisiting a page makes no GraphQL request', async ({ signedIn: page }) => {
  await page.goto('/registry');
  await expect(page.getByRole('article', { name: 'Models', exact: true })).toBeVisible();
  await page.getByRole('button', { name: /User menu/ }).click();
  await page.getByRole('menuitem', { name: 'API keys' }).click();
  await expect(page.getByRole('heading', { name: 'API keys' })).toBeVisible();

  const requests: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/graphql')) requests.push(r.postData() ?? r.url());
  });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Registry' }).click();
  await expect(page.getByRole('article', { name: 'Datasets', exact: true })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'API keys' })).toBeVisible();
  expect(requests).toEqual([]);
});

test('create an API key, use it, revoke it', async ({ signedIn: page }) => {
  await page.goto('/settings/api-keys');
  await page.getByLabel('Description').fill('training cluster');
  await page.getByRole('button', { name: 'Create key' }).click();
  const secret = page.getByTestId('new-api-key');
  await expect(secret).toHaveText(/^[0-9a-f]{40}$/);
  const key = (await secret.textContent()) ?? '';
  const row = page.getByRole('row', { name: /training cluster/ });
  await expect(row).toContainText(key.slice(0, 6));

  const headers = { authorization: `Bearer ${key}` };
  const before = await page.request.post('/graphql', { data: viewerQuery, headers });
  expect(await before.json()).toEqual({ data: { viewer: { username: 'admin' } } });

  await row.getByRole('button', { name: /^Revoke key/ }).click();
  await row.getByRole('button', { name: /^Confirm revoking/ }).click();
  await expect(page.getByRole('row', { name: /training cluster/ })).toHaveCount(0);
  const after = await page.request.post('/graphql', { data: viewerQuery, headers });
  expect(after.status()).toBe(401);
  await expectNoA11yViolations(page);
});

test('sign out from the user menu', async ({ page }) => {
  // A session of its own: signing out ends it, and the other tests share the admin's.
  await signIn(page, E2E_ADMIN, { fresh: true });
  await page.goto('/registry');
  await page.getByRole('button', { name: /User menu/ }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/registry');
  await expect(page).toHaveURL(/\/login\?next=/);
});
