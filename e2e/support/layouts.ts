import { expect, type Browser, type Page } from '@playwright/test';
import { seriousAccessibilityViolations } from './accessibility';

export const LAYOUTS = [
  { name: '1440', width: 1440, height: 900 },
  { name: '390', width: 390, height: 844 },
] as const;
export type Theme = 'light' | 'dark';

/**
 * Opens a page at a desktop's and a phone's size, light and dark, and after `visit` (which brings
 * the page to the state to look at) checks that nothing overflows sideways and that axe finds no
 * serious or critical WCAG 2.1 A/AA violation; `look` then takes what screenshots it wants.
 */
export async function checkEveryLayout(
  browser: Browser,
  visit: (page: Page) => Promise<void>,
  look: (page: Page, where: { layout: string; theme: Theme }) => Promise<void>,
): Promise<void> {
  for (const layout of LAYOUTS) {
    for (const theme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ viewport: { width: layout.width, height: layout.height }, colorScheme: theme });
      await context.addInitScript((stored) => localStorage.setItem('vigil-theme', stored), theme);
      const page = await context.newPage();
      await visit(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${layout.name} ${theme}: horizontal overflow`).toBeLessThanOrEqual(0);
      expect(await seriousAccessibilityViolations(page), `${layout.name} ${theme}`).toEqual([]);
      await look(page, { layout: layout.name, theme });
      await context.close();
    }
  }
}
