import type { Page } from '@playwright/test';
import { expect, signIn, test } from './support/fixtures';

// Every page in light and dark, wide and phone-sized: saved under e2e/screenshots/ to be looked at,
// and checked for content spilling out sideways.
const pages = [
  { name: 'login', path: '/login', ready: (p: Page) => p.getByRole('heading', { name: 'Sign in to Registry' }), signedIn: false },
  { name: 'registry-home', path: '/registry', ready: (p: Page) => p.getByRole('article', { name: 'Models' }), signedIn: true },
  { name: 'api-keys', path: '/settings/api-keys', ready: (p: Page) => p.getByRole('heading', { name: 'API keys' }), signedIn: true },
];

for (const colorScheme of ['light', 'dark'] as const) {
  for (const width of [1280, 390]) {
    test(`screenshots: ${colorScheme}, ${width}px`, async ({ browser }) => {
      const context = await browser.newContext({ colorScheme, viewport: { width, height: 800 } });
      const page = await context.newPage();
      for (const target of pages) {
        if (target.signedIn) await signIn(page);
        await page.goto(target.path);
        await expect(target.ready(page)).toBeVisible();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${target.name} spills ${overflow}px sideways at ${width}px`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: `e2e/screenshots/${target.name}-${colorScheme}-${width}.png`, fullPage: true });
      }
      await context.close();
    });
  }
}
