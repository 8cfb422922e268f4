import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, SCREENSHOT_DIR } from './support/console';
import { seriousAccessibilityViolations, setTheme } from './support/accessibility';
import { ensureFirstAdmin, signIn } from './support/actions';

const TCP_MODULE = 'editor-tcp';
const KEYWORD_MODULE = 'editor-shop';

const moduleRow = (page: Page, name: string) =>
  page.getByTestId('module-table').locator('tr', { has: page.getByTestId('module-name').getByText(name, { exact: true }) });

async function listening<T extends HttpServer | TcpServer>(server: T): Promise<{ server: T; port: number }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

const closed = (server: HttpServer | TcpServer) => new Promise((resolve) => server.close(resolve));

async function shoot(page: Page, name: string): Promise<void> {
  if (SCREENSHOT_DIR) await page.screenshot({ path: path.join(SCREENSHOT_DIR, `modules-editor-${name}.png`), fullPage: true });
}

async function expectFitsScreen(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  const dialog = (await page.getByTestId('module-define-dialog').boundingBox())!;
  expect(dialog.x).toBeGreaterThanOrEqual(0);
  expect(dialog.x + dialog.width).toBeLessThanOrEqual(page.viewportSize()!.width);
}

test.beforeAll(async ({ request }) => {
  await ensureFirstAdmin(request);
});

test('an operator defines a TCP and a keyword module against loopback services, sees them up, edits one and deletes one', async ({ page }) => {
  const tcp = await listening(createTcpServer((socket) => socket.end()));
  // A shop page whose body holds the keyword.
  const shop = await listening(createHttpServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<p>widgets: in stock</p>')));
  try {
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, ADMIN.username, ADMIN.password);
    await page.goto('/healing');
    await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live');

    // The TCP module, by keyboard only: the dialog opens on the name, the kind is picked by typing.
    await page.getByTestId('module-define-open').focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('module-define-dialog');
    await expect(page.getByTestId('module-define-name')).toBeFocused();
    await page.keyboard.type(TCP_MODULE);
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('module-define-kind')).toBeFocused();
    await page.keyboard.type('tcp');
    await expect(page.getByTestId('module-define-kind')).toHaveValue('tcp');
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('module-define-host')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('module-define-port')).toBeFocused();
    // Checked as typed: a port that is no number is named under its field before anything is sent.
    await page.keyboard.type('70000');
    await expect(dialog.getByTestId('field-issue')).toContainText('65535');
    await page.keyboard.press('Control+A');
    await page.keyboard.type(String(tcp.port));
    await expect(dialog.getByTestId('field-issue')).toHaveCount(0);
    await page.getByTestId('module-define-interval').fill('1');
    await page.getByTestId('module-define-interval').press('Enter');
    await expect(dialog).toBeHidden();
    await expect(moduleRow(page, TCP_MODULE).getByTestId('module-state')).toHaveText('up');

    // The keyword module, with a condition: a wrong one shows the parser's column and caret.
    await page.getByTestId('module-define-open').click();
    await page.getByTestId('module-define-name').fill(KEYWORD_MODULE);
    await page.getByTestId('module-define-kind').selectOption('keyword');
    await expect(page.getByTestId('module-define-summary')).toContainText('must contain');
    await page.getByTestId('module-define-url').fill(`http://127.0.0.1:${shop.port}/`);
    await page.getByTestId('module-define-keyword').fill('in stock');
    await page.getByTestId('module-define-conditions').fill('[STATUS] = 200');
    const conditionIssue = dialog.getByTestId('condition-issue');
    await expect(conditionIssue).toHaveText('line 1: column 10: unexpected "="\n  [STATUS] = 200\n           ^');
    expect(await seriousAccessibilityViolations(page), 'the editor with an error').toEqual([]);
    await shoot(page, 'condition-error-desktop-light');
    await page.getByTestId('module-define-submit').click();
    // Nothing was sent: the dialog stays with the error.
    await expect(conditionIssue).toBeVisible();
    await page.getByTestId('module-define-conditions').fill('[STATUS] == 200\n[RESPONSE_TIME] < 5000');
    await expect(conditionIssue).toHaveCount(0);
    await page.getByTestId('module-define-interval').fill('1');
    await page.getByTestId('module-define-submit').click();
    await expect(dialog).toBeHidden();
    const keywordRow = moduleRow(page, KEYWORD_MODULE);
    await expect(keywordRow.getByTestId('module-state')).toHaveText('up');
    await expect(keywordRow).toContainText('keyword · console');
    await shoot(page, 'table-desktop-light');

    // Edit: the form opens on the stored definition; a keyword the page lacks takes the module down.
    await keywordRow.getByTestId('module-edit').click();
    await expect(page.getByTestId('module-define-keyword')).toHaveValue('in stock');
    await expect(page.getByTestId('module-define-conditions')).toHaveValue('[STATUS] == 200\n[RESPONSE_TIME] < 5000');
    await expect(page.getByTestId('module-define-name')).toHaveAttribute('readonly', '');
    await page.getByTestId('module-define-keyword').fill('sold out');
    await page.getByTestId('module-define-submit').click();
    await expect(dialog).toBeHidden();
    await expect(keywordRow.getByTestId('module-state')).toHaveText('down');
    const stored = (await (await page.request.get(`/api/modules/${KEYWORD_MODULE}`)).json()) as { keyword: string; conditions: string[] };
    expect(stored).toMatchObject({ keyword: 'sold out', conditions: ['[STATUS] == 200', '[RESPONSE_TIME] < 5000'] });

    // Delete, confirmed in a dialog: the row goes, and so does the definition.
    await moduleRow(page, TCP_MODULE).getByTestId('module-delete').click();
    const confirm = page.getByTestId('module-delete-dialog');
    // Focus starts on Cancel (the safe answer); the keyboard reaches Delete with one Tab.
    await expect(confirm.getByTestId('module-delete-cancel')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(confirm.getByTestId('module-delete-submit')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(confirm).toBeHidden();
    await expect(moduleRow(page, TCP_MODULE)).toHaveCount(0);
    expect((await page.request.get(`/api/modules/${TCP_MODULE}`)).status()).toBe(404);
    const recent = (await (await page.request.get('/api/audit/recent?limit=30')).json()).events as Array<{ type: string; action: string }>;
    expect(recent.map((event) => event.type)).toEqual(expect.arrayContaining(['module.defined', 'module.updated', 'module.removed']));
  } finally {
    await closed(tcp.server);
    await closed(shop.server);
  }
});

for (const theme of ['light', 'dark'] as const) {
  test(`the module editor fits a phone in ${theme}, every kind's form is accessible`, async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, ADMIN.username, ADMIN.password);
    await page.goto('/healing');
    await setTheme(page, theme);
    await page.getByTestId('module-define-open').click();
    for (const kind of ['dns', 'postgres', 'process', 'keyword']) {
      await page.getByTestId('module-define-kind').selectOption(kind);
      await expectFitsScreen(page);
      expect(await seriousAccessibilityViolations(page), `${kind} form at 390 px in ${theme}`).toEqual([]);
    }
    await page.getByTestId('module-define-conditions').fill('[BODY].status = ok');
    await expect(page.getByTestId('condition-issue')).toContainText('column 15');
    await shoot(page, `phone-${theme}`);
    await setTheme(page, theme);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByTestId('module-define-kind').selectOption('mysql');
    await shoot(page, `mysql-desktop-${theme}`);
    expect(await seriousAccessibilityViolations(page), `mysql form at 1440 px in ${theme}`).toEqual([]);
  });
}
