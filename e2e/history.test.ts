// "Did you X?" in Chromium at 800 × 600 against a real `defaust serve`: a 260-block chain shows its automatic
// checkpoint in plain words; "Prove this block is in my history" downloads the bundle of block 42, revealed;
// the Verify screen takes the file and shows the block, the checkpoint that commits to it and the revealed
// change; a bundle with a changed path is refused with its reason.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Home } from '../src-main/app/home.ts';
import { expectAccessible, hasChromium, hasRenderer, shot, startServe, watch, type Served, openPage, navTo } from './helpers.ts';

const PASS = 'correct horse battery staple';
const BLOCKS = 260;

describe.skipIf(!hasChromium || !hasRenderer)('prove a block, verify the bundle (Chromium, 800 × 600)', { timeout: 300_000 }, () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let dir: string;
  let length = 0;

  beforeAll(async () => {
    served = await startServe('defaust-e2e-history-', (home) => {
      dir = home;
      const h = new Home(home);
      const { profile } = h.init(PASS);
      while (profile.length < BLOCKS) profile.set('fitness', 'steps', profile.length);
      length = profile.length;
      h.close();
    });
    ({ browser, page } = await openPage({ width: 800, height: 600 }, { downloads: true, timeout: 30_000 }));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('downloads the bundle from the Timeline and the Verify screen shows what it proves', async () => {
    const problems = watch(page);
    await page.goto(served.url);
    await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
    await page.getByRole('button', { name: 'Unlock' }).click();
    const nav = (name: string) => navTo(page, name);
    await nav('Timeline');
    await page.getByText(`${length} blocks`).waitFor();
    await page.getByRole('button', { name: /^Block #256 Checkpoint/u }).click();
    await page.getByText(/A checkpoint: your identity key signed one hash that stands for all 256 blocks before it/u).waitFor();

    // Newest first, 60 px a row: block 42 is row length - 1 - 42.
    await page.locator('.timeline').evaluate((el, top) => {
      el.scrollTop = top;
    }, (length - 1 - 42) * 60 - 60);
    await page.getByRole('button', { name: /^Block #42 Profile change/u }).click();
    await page.getByRole('heading', { name: 'Block #42' }).waitFor();
    const downloaded = page.waitForEvent('download');
    await page.getByRole('button', { name: '…and reveal what it says' }).click();
    const download = await downloaded;
    expect(download.suggestedFilename()).toBe('block-42-inclusion.json');
    const file = join(dir, 'bundle.json');
    await download.saveAs(file);
    await page.getByText(/Saved block-42-inclusion\.json: block #42 under the checkpoint at block #256, with what it says/u).waitFor();
    await shot(page, '60-timeline-prove-block');

    await nav('Verify a proof');
    await page.locator('#inclusion-file').setInputFiles(file);
    await page.getByRole('button', { name: 'Check the bundle' }).click();
    await page.getByRole('heading', { name: '✓ The block is in their history' }).waitFor();
    const outcome = page.locator('section[aria-labelledby="inclusion-outcome"]');
    const text = (await outcome.textContent()) ?? '';
    expect(text).toMatch(/Block 42 \(delta\) of did:key:z6Mk\S+ is in the history committed by the checkpoint at seq 256, signed by the owner\./u);
    expect(text).toContain('The checkpoint at block #256');
    expect(text).toContain('Revealed change in fitness');
    expect(text).toMatch(/"path": "steps",\s*"value": 42/u);
    await outcome.scrollIntoViewIfNeeded();
    await shot(page, '61-verify-inclusion');
    await expectAccessible(page, 'verify inclusion');

    // A changed path proves nothing, and the screen says why.
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as { path: string[] };
    bundle.path[0] = (bundle.path[0]!.startsWith('0') ? '1' : '0') + bundle.path[0]!.slice(1);
    const forged = join(dir, 'forged.json');
    writeFileSync(forged, JSON.stringify(bundle));
    await page.locator('#inclusion-file').setInputFiles(forged);
    await page.getByRole('button', { name: 'Check the bundle' }).click();
    await page.getByRole('heading', { name: '✗ Proves nothing' }).waitFor();
    await page.getByText(/The accumulator path does not lead from this header to the signed root/u).waitFor();
    await shot(page, '62-verify-inclusion-forged');
    expect(problems).toEqual([]);
  });
});
