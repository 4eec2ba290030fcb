// A newcomer's second tab: the address without the token (a bookmark, a new tab) shows a sign-in instead of a
// command to run; a wrong passphrase is refused and slowed; the right one lets the tab in, to the unlock screen,
// and a reload keeps it in. The first tab's link still works beside it.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, hasChromium, hasRenderer, launchBrowser, ROOT, shot, startServe, watch, type Served } from './helpers.ts';

const PASS = 'correct horse battery staple';
const ready = hasChromium && hasRenderer;

describe.skipIf(!ready)('sign-in of a tab without the token (defaust serve)', () => {
  let served: Served;
  let browser: Browser;

  beforeAll(async () => {
    served = await startServe('defaust-sign-in-', (home) => {
      execFileSync(process.execPath, [join(ROOT, 'bin', 'defaust.mjs'), 'init', '--home', home], { env: { ...process.env, DEFAUST_PASSPHRASE: PASS } });
    });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('a second tab signs in with the passphrase and stays in after a reload', async () => {
    const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
    const first = await context.newPage();
    await first.goto(served.url);
    await first.getByRole('heading', { name: 'Unlock DeFaust' }).waitFor();

    const second = await context.newPage();
    const problems = watch(second);
    await second.goto(`${served.origin}/`);
    await second.getByRole('heading', { name: 'Sign in to DeFaust' }).waitFor();
    expect(await second.getByText(/defaust serve/u).count()).toBe(0);
    await expectAccessible(second, 'sign-in');
    await shot(second, 'sign-in-800');

    // By keyboard: the field has focus; Enter submits.
    await second.keyboard.type('not the passphrase');
    await second.keyboard.press('Enter');
    await second.getByText('That passphrase is not right. Check it and try again.').waitFor();
    // The right passphrase, once the pause after the wrong one has passed (the server says how long to wait).
    const unlock = second.getByRole('heading', { name: 'Unlock DeFaust' });
    const wait = second.getByText(/Too many wrong passphrases: try again in (\d+) s\./u);
    for (let attempt = 0; attempt < 5 && !(await unlock.isVisible()); attempt++) {
      await second.getByLabel('Passphrase', { exact: true }).fill(PASS);
      await second.keyboard.press('Enter');
      await unlock.or(wait).waitFor();
      if (await wait.isVisible()) await second.waitForTimeout(1000 * Number(/(\d+) s/u.exec((await wait.textContent()) ?? '')?.[1] ?? 1));
    }
    await unlock.waitFor();
    await second.reload();
    await second.getByRole('heading', { name: 'Unlock DeFaust' }).waitFor();
    expect(new URL(second.url()).hash).toBe('');
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
