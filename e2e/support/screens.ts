import type { Browser, Locator, Page } from '@playwright/test';
import { expect, signIn } from './fixtures';

export interface Screen {
  /** File name stem under e2e/screenshots/. */
  name: string;
  path: string;
  /** What is visible once the page has loaded. */
  ready: (page: Page) => Locator;
  signedIn?: boolean;
  /** What to do once it is ready, before the picture (open a dialog, type in a picker). */
  open?: (page: Page) => Promise<void>;
}

/**
 * The colour schemes of screenshots: both, to be looked at; `npm test` sets E2E_SCREENSHOTS=light,
 * since what these specs check (nothing spills sideways) is layout, the same in both, and the axe
 * specs check each scheme's contrast.
 */
export const screenshotSchemes: readonly ('light' | 'dark')[] = process.env.E2E_SCREENSHOTS === 'light' ? ['light'] : ['light', 'dark'];

/**
 * Saves each screen in each of `screenshotSchemes`, at 1280 px and 390 px, under e2e/screenshots/ to be looked at,
 * and fails when content spills out sideways.
 */
export async function captureScreens(browser: Browser, screens: Screen[]): Promise<void> {
  for (const colorScheme of screenshotSchemes) {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({ colorScheme, viewport: { width, height: 800 } });
      const page = await context.newPage();
      // One sign-in per context (each costs a password hash), dropped for a screen seen signed out.
      let signedIn = false;
      for (const screen of screens) {
        const wanted = screen.signedIn !== false;
        if (wanted && !signedIn) await signIn(page);
        if (!wanted && signedIn) await context.clearCookies();
        signedIn = wanted;
        await page.goto(screen.path);
        await expect(screen.ready(page)).toBeVisible();
        await screen.open?.(page);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${screen.name} spills ${overflow}px sideways at ${width}px (${colorScheme})`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: `e2e/screenshots/${screen.name}-${colorScheme}-${width}.png`, fullPage: true });
      }
      await context.close();
    }
  }
}
