// The shell at the sizes people use: every screen of a wallet with grants, a second device and long values, at
// 800 × 600 (the smallest window DeFaust supports), 1280 × 800 and 1440 × 900, scrolls only up and down — no
// element reaches past the window's right edge — and the navigation stays one tab stop per screen; at 800 × 600
// axe-core finds nothing serious or critical on any screen. Screenshots of each.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, hasChromium, hasRenderer, launchBrowser, ROOT, shot, startServe, watch, type Served } from './helpers.ts';

const PASS = 'correct horse battery staple';
const OTHER = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
const ready = hasChromium && hasRenderer;

describe.skipIf(!ready)('layout at 800 × 600 and wide (defaust serve)', () => {
  let served: Served;
  let browser: Browser;

  beforeAll(async () => {
    served = await startServe('defaust-layout-', (home) => {
      const cli = (...args: string[]) => execFileSync(process.execPath, [join(ROOT, 'bin', 'defaust.mjs'), ...args, '--home', home], { env: { ...process.env, DEFAUST_PASSPHRASE: PASS } });
      cli('init', '--label', 'laptop');
      cli('grant', OTHER, 'contact', '--rights', 'read', '--until', '2030-01-01');
      cli('grant', OTHER, 'fitness', '--rights', 'propose', '--until', '2030-01-01');
      cli('set', 'public', 'name', 'Alexandra Konstantinopoulou-Wintergreen of the very long names');
      cli('set', 'contact', 'email', 'alexandra.konstantinopoulou.wintergreen@example.org');
      cli('device', 'add', OTHER, '--label', 'Phone with a long label name');
    });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  for (const [width, height] of [[800, 600], [1280, 800], [1440, 900]] as const) {
    it(`no screen scrolls sideways at ${width} × ${height}`, async () => {
      const page = await (await browser.newContext({ viewport: { width, height } })).newPage();
      const problems = watch(page);
      await page.goto(served.url);
      // The server keeps its session between pages: start from the unlock screen either way.
      const profile = page.getByRole('heading', { name: 'Profile', level: 1 });
      await page.getByLabel('Passphrase', { exact: true }).or(profile).waitFor();
      if (await profile.isVisible()) await page.getByRole('button', { name: 'Lock', exact: true }).click();
      await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
      await page.getByRole('button', { name: 'Unlock' }).click();
      await page.getByRole('heading', { name: 'Profile', level: 1 }).waitFor();
      const nav = page.getByRole('navigation', { name: 'Main' });
      const names = await nav.getByRole('button').allTextContents();
      expect(names).toContain('Settings');
      const overflow: string[] = [];
      for (const name of names) {
        await nav.getByRole('button', { name, exact: true }).click();
        await page.getByRole('heading', { level: 1, name }).waitFor();
        await page.locator('[aria-busy="true"]').waitFor({ state: 'detached' });
        const wide = await page.evaluate(() => [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
          .map((e) => `${e.tagName.toLowerCase()}${e.className ? `.${String(e.className).split(' ')[0]}` : ''}`));
        if (wide.length > 0) overflow.push(`${name}: ${wide.slice(0, 5).join(', ')}`);
        expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), name).toBe(true);
        await shot(page, `layout-${width}-${name.replace(/\W+/gu, '-').toLowerCase()}`);
        if (width === 800) await expectAccessible(page, name);
      }
      expect(overflow).toEqual([]);
      // Lock stays in reach at every width.
      await page.getByRole('button', { name: 'Lock', exact: true }).click();
      await page.getByRole('heading', { name: 'Unlock DeFaust' }).waitFor();
      expect(problems).toEqual([]);
      await page.close();
    }, 120_000);
  }
});
