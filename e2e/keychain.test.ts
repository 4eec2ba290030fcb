// The unlock screen's keychain parts, in Chromium against `defaust serve`. The headless node has no OS keychain
// (plain Node), and no Electron binary runs here, so the answer to `keychain:status` is set at the HTTP boundary
// (page.route) to what the desktop app's safeStorage adapter would say; every other call reaches the real node.
// basic_text: one plain sentence says why the passphrase is needed; a real keychain: the choice to remember,
// sent after the passphrase unlocked; a remembered key the keychain cannot give back: the reason, and the
// passphrase still unlocks.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, hasChromium, hasRenderer, launchBrowser, ROOT, shot, startServe, watch, type Served } from './helpers.ts';

const PASS = 'correct horse battery staple';
const ready = hasChromium && hasRenderer;

describe.skipIf(!ready)('the keychain on the unlock screen (defaust serve)', { timeout: 180_000 }, () => {
  let served: Served;
  let browser: Browser;

  beforeAll(async () => {
    served = await startServe('defaust-keychain-', (home) => {
      execFileSync(process.execPath, [join(ROOT, 'bin', 'defaust.mjs'), 'init', '--home', home], { env: { ...process.env, DEFAUST_PASSPHRASE: PASS } });
    });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  async function unlockScreen(state: 'basic-text' | 'ready', remembered: boolean, width = 800, height = 600): Promise<{ page: Page; calls: { channel: string; body: unknown }[]; problems: string[] }> {
    // Each case starts locked (the one before may have unlocked the node).
    const lock = await fetch(`${served.origin}/api/session:lock`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${served.token}` }, body: '{}' });
    expect(lock.ok).toBe(true);
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    const problems = watch(page);
    const calls: { channel: string; body: unknown }[] = [];
    await page.route('**/api/keychain:*', async (route) => {
      const channel = new URL(route.request().url()).pathname.slice('/api/'.length);
      calls.push({ channel, body: route.request().postDataJSON() });
      if (channel === 'keychain:status') await route.fulfill({ json: { ok: true, value: { state, remembered } } });
      else if (channel === 'keychain:remember') await route.fulfill({ json: { ok: true, value: { state, remembered: true } } });
      else await route.continue();
    });
    await page.goto(served.url);
    await page.getByRole('heading', { name: 'Unlock DeFaust' }).waitFor();
    return { page, calls, problems };
  }

  const noSideScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  it('on basic_text it says in one sentence why the passphrase is needed, and offers no remembering', async () => {
    const { page, problems } = await unlockScreen('basic-text', false);
    await page.getByText('This computer has no system keychain DeFaust can trust').waitFor();
    expect(await page.getByRole('checkbox').count()).toBe(0);
    expect(await page.getByRole('button', { name: /keychain/u }).count()).toBe(0);
    expect(await noSideScroll(page)).toBe(true);
    await expectAccessible(page, 'unlock-basic-text');
    await shot(page, 'unlock-basic-text-800');
    // The passphrase unlocks as always.
    await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Unlock DeFaust' }).waitFor({ state: 'detached' });
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('with a real keychain, "Remember on this computer" sends the passphrase to keychain:remember only after it unlocked', async () => {
    const { page, calls, problems } = await unlockScreen('ready', false);
    const box = page.getByRole('checkbox', { name: /Remember on this computer/u });
    await box.waitFor();
    await expectAccessible(page, 'unlock-keychain-ready');
    await shot(page, 'unlock-keychain-ready-800');
    await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
    await box.check();
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await page.getByRole('heading', { name: 'Unlock DeFaust' }).waitFor({ state: 'detached' });
    await expect.poll(() => calls.filter((c) => c.channel === 'keychain:remember'), { timeout: 30_000 }).toEqual([{ channel: 'keychain:remember', body: { passphrase: PASS } }]);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('a remembered key the keychain cannot give back: the reason is shown, and the passphrase still unlocks', async () => {
    const { page, problems } = await unlockScreen('ready', true, 1440, 900);
    const button = page.getByRole('button', { name: 'Unlock with this computer’s keychain' });
    await button.waitFor();
    expect(await noSideScroll(page)).toBe(true);
    await expectAccessible(page, 'unlock-keychain-remembered');
    await shot(page, 'unlock-keychain-remembered-1440');
    await button.click();
    // The node here has no keychain: its real answer is keychain/none, in words.
    await page.getByText('There is no system keychain here; unlock with your passphrase.').waitFor();
    await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Unlock DeFaust' }).waitFor({ state: 'detached' });
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
