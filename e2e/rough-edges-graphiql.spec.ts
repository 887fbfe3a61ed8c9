import { expect, signIn, test } from './support/fixtures';

test('GraphiQL at /graphql works signed in: the schema loads and a query runs as the viewer', async ({ page }) => {
  await signIn(page);
  const refused: string[] = [];
  page.on('response', (r) => {
    if (new URL(r.url()).pathname === '/graphql' && r.request().method() === 'POST' && r.status() !== 200) refused.push(`${r.status()}`);
  });
  const schema = page.waitForResponse(
    (r) => new URL(r.url()).pathname === '/graphql' && (r.request().postData() ?? '').includes('__schema'),
  );
  // GraphiQL opens with the query of its URL in the editor.
  await page.goto(`/graphql?query=${encodeURIComponent('{ viewer { username } }')}`);
  expect((await schema).status()).toBe(200);
  expect(JSON.stringify(await (await schema).json())).not.toContain('"errors"');

  // The documentation explorer reads the loaded schema.
  await page.getByRole('button', { name: /Show Documentation Explorer/i }).click();
  await expect(page.getByText('Query', { exact: true }).first()).toBeVisible();

  const run = page.waitForResponse((r) => new URL(r.url()).pathname === '/graphql' && (r.request().postData() ?? '').includes('viewer'));
  await page.getByRole('button', { name: /Execute query/i }).click();
  expect(await (await run).json()).toEqual({ data: { viewer: { username: 'admin' } } });
  await expect(page.locator('.graphiql-response')).toContainText('"username": "admin"');
  await page.screenshot({ path: '/tmp/web-shots/graphiql-1280.png' });
  expect(refused).toEqual([]);
});
