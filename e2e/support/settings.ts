import { expect, type Page } from '@playwright/test';

/** Opens a registry's settings and waits until they are shown. */
export async function openSettings(page: Page, registry: string): Promise<void> {
  await page.goto(`/registry/${registry}/settings`);
  await expect(page.getByRole('heading', { level: 1, name: /settings$/ })).toBeVisible();
}

export const section = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

/** The GraphQL operation names the page sends from now on. */
export function recordOperations(page: Page): string[] {
  const names: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname !== '/graphql') return;
    // The app POSTs every operation; a GET carries its document in the URL.
    const document =
      request.method() === 'GET' ? url.searchParams.get('query') : (request.postDataJSON() as { query?: string } | null)?.query;
    names.push(/(?:query|mutation)\s+(\w+)/.exec(document ?? '')?.[1] ?? 'anonymous');
  });
  return names;
}
