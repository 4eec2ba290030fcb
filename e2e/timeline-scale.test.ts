// A chain of 10,000 blocks in the timeline: only a window of rows is in the page, scrolling to the far end
// fetches just the pages it shows, and an old block still opens as a diff.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Home } from '../src-main/app/home.ts';
import { expectAccessible, hasChromium, hasRenderer, shot, startServe, watch, type Served, openPage } from './helpers.ts';

const PASS = 'correct horse battery staple';
const BLOCKS = 10_000;

describe.skipIf(!hasChromium || !hasRenderer)('a 10,000-block timeline', () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  /** The chain's length: the edits, genesis and its first blocks, and the checkpoints the writer added. */
  let total = 0;

  beforeAll(async () => {
    served = await startServe('defaust-e2e-scale-', (dir) => {
      const home = new Home(dir);
      const { profile } = home.init(PASS);
      for (let i = 1; i <= BLOCKS; i++) profile.set('fitness', 'steps', i);
      total = profile.length;
      home.close();
    });
    ({ browser, page } = await openPage({ width: 1280, height: 860 }, { timeout: 15_000 }));
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('scrolls from the head to genesis with only the visible rows in the page', async () => {
    const problems = watch(page);
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/chain:log')) requests.push(r.postData() ?? '');
    });
    await page.goto(served.url);
    await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Timeline' }).click();
    expect(total).toBeGreaterThan(BLOCKS);
    await page.getByText(`${total} blocks`).waitFor();
    await page.getByRole('button', { name: new RegExp(`^Block #${total - 1} `, 'u') }).waitFor();
    const rendered = await page.locator('.timeline-row').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);

    const started = Date.now();
    for (let step = 1; step <= 10; step++) {
      await page.locator('.timeline').evaluate((el, f) => {
        el.scrollTop = el.scrollHeight * f;
      }, step / 10);
      await page.waitForTimeout(50);
    }
    await page.getByRole('button', { name: /^Block #0 Identity created/u }).waitFor();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await page.locator('.timeline-row').count()).toBeLessThan(60);
    // Only the pages scrolled over were fetched, each once, never the whole chain at once.
    const offsets = requests.map((body) => JSON.parse(body) as { offset: number; limit: number });
    for (const { limit } of offsets) expect(limit).toBeLessThanOrEqual(200);
    expect(new Set(offsets.map((o) => o.offset)).size).toBe(offsets.length);
    expect(offsets.length * 200).toBeLessThan(total / 2);

    await page.getByRole('button', { name: /^Block #5 Profile change/u }).click();
    const diff = page.getByRole('table', { name: 'Changes in fitness' });
    await diff.waitFor();
    expect((await diff.textContent())?.replace(/\s+/gu, ' ')).toMatch(/steps\s*2\s*3/u);
    await shot(page, '16-timeline-10000');
    await expectAccessible(page, 'timeline 10000');
    expect(problems).toEqual([]);
  });
});
