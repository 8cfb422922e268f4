import { expect, type Browser, type Page } from '@playwright/test';
import { seriousAccessibilityViolations } from './accessibility';

export const LAYOUTS = [
  { name: '1440', width: 1440, height: 900 },
  { name: '390', width: 390, height: 844 },
] as const;

export const THEMES = ['light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

/**
 * Opens a page at one size and theme and, after `visit` (which brings it to the state to look
 * at), checks that nothing overflows sideways and that axe finds no serious or critical WCAG 2.1
 * A/AA violation. Answers the page, open, for screenshots; closing the browser's context is the test's end.
 */
export async function checkLayout(browser: Browser, layout: (typeof LAYOUTS)[number], theme: Theme, visit: (page: Page) => Promise<void>): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: layout.width, height: layout.height }, colorScheme: theme });
  await context.addInitScript((stored) => localStorage.setItem('vigil-theme', stored), theme);
  const page = await context.newPage();
  await visit(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${layout.name} ${theme}: horizontal overflow`).toBeLessThanOrEqual(0);
  expect(await seriousAccessibilityViolations(page), `${layout.name} ${theme}`).toEqual([]);
  return page;
}

/** Every layout and theme in turn, each as `checkLayout`, then `look` for its screenshots. */
export async function checkEveryLayout(
  browser: Browser,
  visit: (page: Page) => Promise<void>,
  look: (page: Page, where: { layout: string; theme: Theme }) => Promise<void>,
): Promise<void> {
  for (const layout of LAYOUTS)
    for (const theme of THEMES) {
      const page = await checkLayout(browser, layout, theme, visit);
      await look(page, { layout: layout.name, theme });
      await page.context().close();
    }
}
