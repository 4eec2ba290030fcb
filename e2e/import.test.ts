// Import and recovery in Chromium at 800 × 600 against a real `defaust serve`: recovering from the 24 words on
// an offline node says plainly why the chain did not come and offers the archive file; the archive is chosen,
// imported with its stages and the wallet opens — by keyboard alone; Settings refuses an older archive with
// the plain warning; Feats → Publish my trust list shows exactly the entries in its SignDialog; and a new
// wallet's Network screen explains its state instead of alarming, publish shows its time and a plain result.
// Screenshots `import-*`, axe-core on each screen, no horizontal scroll.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createIdentityInUi, expectAccessible, hasChromium, hasRenderer, ROOT, shot, startServe, type Served, openPage, shotIfFailed, navTo } from './helpers.ts';

const PASS = 'correct horse battery staple';
const ready = hasChromium && hasRenderer;

function cli(home: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'defaust.mjs'), '--home', home, ...args], {
    encoding: 'utf8', input: '', env: { ...process.env, DEFAUST_PASSPHRASE: PASS, DEFAUST_HOME: undefined, DEFAUST_NOW: undefined },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function noSideScroll(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
}

describe.skipIf(!ready)('import, recovery and trust list publishing in Chromium at 800 × 600', () => {
  const dir = mkdtempSync(join(tmpdir(), 'defaust-import-'));
  const source = join(dir, 'source');
  const oldArchive = join(dir, 'old.defaust');
  const currentArchive = join(dir, 'current.defaust');
  let mnemonic = '';
  let served: Served;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    const init = cli(source, ['init', '--json']);
    expect(init.code, init.stderr).toBe(0);
    mnemonic = (JSON.parse(init.stdout) as { mnemonic: string }).mnemonic;
    expect(cli(source, ['export', '--out', oldArchive]).code).toBe(0);
    expect(cli(source, ['set', 'contact', 'email', 'ada@example.org']).code).toBe(0);
    expect(cli(source, ['export', '--out', currentArchive]).code).toBe(0);
    served = await startServe('defaust-e2e-import-');
    ({ browser, page, problems } = await openPage({ width: 800, height: 600 }));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(shotIfFailed(() => page, 'failed-import'));

  it('recovers from the words, then from an archive file, by keyboard alone', async () => {
    await page.goto(served.url);
    await page.getByRole('heading', { name: 'Your identity, in your hands' }).waitFor();
    const recoverButton = page.getByRole('button', { name: 'I have a recovery phrase' });
    await recoverButton.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Recover your identity' }).waitFor();
    // The phrase field has the focus; type, Tab to each passphrase field, Enter submits.
    await page.keyboard.type(mnemonic);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASS);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASS);
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { name: 'Bring your history back' }).waitFor();
    await page.getByText('It did not come from the network').waitFor();
    await page.getByRole('heading', { name: 'Import an archive file instead' }).waitFor();
    await noSideScroll(page);
    await shot(page, 'import-01-bring-back');
    await expectAccessible(page, 'bring your history back');

    // The file input has the focus: Space opens the chooser, as a keyboard user would.
    const chooser = page.waitForEvent('filechooser');
    await page.getByLabel('Archive file', { exact: true }).focus();
    await page.keyboard.press('Space');
    await (await chooser).setFiles(currentArchive);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASS);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Profile', level: 1 }).waitFor({ timeout: 60_000 });
    await noSideScroll(page);
    await shot(page, 'import-02-opened');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: /contact/u }).click();
    await page.getByText('ada@example.org').first().waitFor();
  }, 180_000);

  it('Settings: an archive older than the chain here is not imported, and says why', async () => {
    await navTo(page, 'Settings');
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.getByText('Import an archive file', { exact: true }).click();
    await page.getByLabel('Archive file', { exact: true }).setInputFiles(oldArchive);
    await page.getByRole('button', { name: 'Import archive' }).click();
    const warning = page.getByTestId('older-warning');
    await warning.waitFor({ timeout: 60_000 });
    await expect.poll(() => warning.textContent()).toMatch(/older than your chain on this device.*Nothing was imported/u);
    await warning.scrollIntoViewIfNeeded();
    await noSideScroll(page);
    await shot(page, 'import-03-older-warning');
    await expectAccessible(page, 'settings import older');
  }, 120_000);

  it('Feats → Publish my trust list: the SignDialog shows exactly the entries', async () => {
    const witness = cli(join(dir, 'witness'), ['init', '--json']);
    const witnessDid = (JSON.parse(witness.stdout) as { id: string }).id;
    const trusted = cli(served.home, ['trust', 'add', witnessDid, '--for', 'marathon', '--public', '--json']);
    expect(trusted.code, trusted.stderr).toBe(0);
    await navTo(page, 'Feats');
    await page.getByRole('heading', { name: 'Publish my trust list' }).waitFor();
    await page.getByRole('button', { name: 'Publish my trust list…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish your trust list?' });
    await dialog.waitFor();
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.textContent)).toBe('Cancel');
    const entries = await dialog.getByTestId('publish-entries').locator('li').allTextContents();
    expect(entries).toEqual([`${witnessDid} — witness for marathon`]);
    await shot(page, 'import-04-publish-trust-dialog');
    await expectAccessible(page, 'publish trust list dialog');
    await dialog.getByRole('button', { name: 'Sign and publish' }).click();
    // This node runs offline: a plain refusal, nothing published.
    await page.getByRole('alert').filter({ hasText: 'peer network is not running' }).waitFor();
    await noSideScroll(page);
    expect(problems).toEqual([]);
  }, 120_000);
});

describe.skipIf(!ready)("a new wallet's Network screen in Chromium at 800 × 600", () => {
  let served: Served;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // A node with no peer to find: no bootstrap, no mDNS.
    served = await startServe('defaust-e2e-newnet-', undefined, ['--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0']);
    ({ browser, page } = await openPage({ width: 800, height: 600 }));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('explains that no one holds a copy yet; Publish now shows its time, then a plain result', async () => {
    await createIdentityInUi(page, served.url, PASS);
    await navTo(page, 'Network');
    await page.getByText('No one holds a copy yet: publish to peers when you are connected.').waitFor({ timeout: 30_000 });
    expect(await page.locator('.health-bad').count()).toBe(0);
    await noSideScroll(page);
    await shot(page, 'import-05-new-wallet-network');
    await expectAccessible(page, 'new wallet network');
    await page.getByRole('button', { name: 'Publish now' }).click();
    await page.getByTestId('publish-progress').waitFor();
    await page.getByRole('alert').filter({ hasText: 'No peer answered' }).waitFor({ timeout: 60_000 });
    await shot(page, 'import-06-publish-no-peer');
  }, 180_000);
});
