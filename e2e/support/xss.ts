import { expect, type Browser, type Page } from '@playwright/test';
import { WORKER_PORT } from './console';

/**
 * Markup that runs script if any view renders it as HTML rather than text: each sets a flag
 * of its own on window (or opens a dialog), which must stay unset.
 */
export const PAYLOADS = {
  img: '<img src=x onerror="window.__xss=1;alert(1)">',
  breakout: '"><script>window.__xss=2</script>',
  title: '</title><script>window.__xss=3</script>',
  svg: "<svg onload='window.__xss=4'>",
  href: 'javascript:window.__xss=5',
  style: '<style>@import "//x"</style><a href="javascript:window.__xss=6">x</a>',
} as const;
export const ALL_PAYLOADS = Object.values(PAYLOADS);

export interface Watched {
  dialogs: string[];
  consoleViolations: string[];
}

/**
 * Watches a page for anything a payload could do: a flag, a dialog, or a Content-Security-Policy
 * violation (a payload rendered as markup, or a script of the console's own that the policy blocks).
 */
export async function watch(page: Page): Promise<Watched> {
  const dialogs: string[] = [];
  const consoleViolations: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) consoleViolations.push(message.text());
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (event) => w.__violations.push(`${event.violatedDirective}: ${event.blockedURI}`));
  });
  return { dialogs, consoleViolations };
}

export async function expectNothingRan(page: Page, seen: Watched, where: string): Promise<void> {
  const state = await page.evaluate(() => {
    const w = window as unknown as { __xss?: number; __violations?: string[] };
    return { flag: w.__xss ?? null, violations: w.__violations ?? [] };
  });
  expect(state.flag, `${where}: a payload ran`).toBeNull();
  expect(seen.dialogs, `${where}: a payload opened a dialog`).toEqual([]);
  expect([...state.violations, ...seen.consoleViolations], `${where}: Content-Security-Policy violations`).toEqual([]);
}

/** A browser of its own, signed out, watched from its first page. */
export async function freshPage(browser: Browser): Promise<{ page: Page; seen: Watched; close: () => Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  return { page, seen: await watch(page), close: () => context.close() };
}

/** Events sent to the worker's ingest as a machine would, with an API token. */
export async function ingest(page: Page, token: string, events: object[]): Promise<void> {
  const response = await page.request.post(`http://127.0.0.1:${WORKER_PORT}/api/v1/events`, {
    data: { events },
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status()).toBe(202);
}
