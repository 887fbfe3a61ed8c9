import type { Page } from '@playwright/test';

/**
 * Records, from the page's first script on, every text matching `pattern` that ever enters the DOM, however briefly
 * (a loading state that says "not found" for a moment). Read the list with `seenTexts`.
 */
export async function watchTexts(page: Page, pattern: RegExp): Promise<void> {
  await page.addInitScript(
    ({ source, flags }) => {
      const re = new RegExp(source, flags);
      const seen: string[] = [];
      (window as unknown as { __seenTexts: string[] }).__seenTexts = seen;
      const check = () => {
        const text = document.body?.innerText ?? '';
        const match = re.exec(text);
        if (match) seen.push(`${location.pathname}: ${match[0]}`);
      };
      new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
    },
    { source: pattern.source, flags: pattern.flags },
  );
}

export function seenTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __seenTexts?: string[] }).__seenTexts ?? []);
}

/** Holds every GraphQL answer back by `ms`, so what the page shows while it waits can be seen. */
export async function slowGraphQL(page: Page, ms: number): Promise<void> {
  await page.route('**/graphql', async (route) => {
    const response = await route.fetch();
    await new Promise((resolve) => setTimeout(resolve, ms));
    await route.fulfill({ response });
  });
}

/** The axe violations (WCAG 2 A/AA, 2.2 AA, and best practices such as one h1 and landmarks) on the page as it is now. */
export async function a11yViolations(page: Page, where: string): Promise<string[]> {
  const { default: AxeBuilder } = await import('@axe-core/playwright');
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag22aa', 'best-practice']).analyze();
  return results.violations.map((v) => `${where}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
