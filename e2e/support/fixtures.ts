import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';
import { E2E_ADMIN, E2E_ORIGIN } from './constants';

/** Signs the page in through the same route the login form uses (a session cookie), with the Origin the form's page sends. */
export async function signIn(page: Page, user = E2E_ADMIN): Promise<void> {
  const response = await page.request.post('/api/auth/login', {
    data: user,
    headers: { 'x-registry-csrf': '1', origin: E2E_ORIGIN },
  });
  expect(response.status(), await response.text()).toBe(200);
}

/** Fails with the list of violations when axe finds any (WCAG 2 A/AA, 2.2 AA). */
export async function expectNoA11yViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag22aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

export const test = base.extend<{ signedIn: Page }>({
  signedIn: async ({ page }, use) => {
    await signIn(page);
    await use(page);
  },
});

export { expect };
