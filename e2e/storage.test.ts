// Settings → Storage in Chromium at 800 × 600 and wide, against a real `defaust serve`: a chain of 60 days
// shows its tiers (nothing archived yet); a date, then by keyboard alone "Move to archive…", the dialog that shows
// the checkpoint it signs first, "Sign and move"; the card then shows the archive files, the timeline marks
// the archived blocks, and an archived block still shows its change. Screenshots and axe-core.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Home } from '../src-main/app/home.ts';
import { TestClock } from '../test/helpers.ts';
import { expectAccessible, hasChromium, hasRenderer, navTo, openPage, shot, shotIfFailed, startServe, tabTo, unlockInUi, type Served } from './helpers.ts';

const PASS = 'correct horse battery staple';
const DAY = 86_400_000;
const DAYS = 60;

describe.skipIf(!hasChromium || !hasRenderer)('Settings → Storage (Chromium, 800 × 600 and wide)', { timeout: 300_000 }, () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let blocks = 0;
  /** Blocks written before 2025-02-01 (noon UTC each day, so any time zone within ±11 h counts the same). */
  let archived = 0;

  beforeAll(async () => {
    served = await startServe('defaust-e2e-storage-', (home) => {
      const clock = new TestClock(Date.UTC(2025, 0, 1, 12));
      const h = new Home(home, { clock });
      const { profile } = h.init(PASS);
      for (let day = 0; day < DAYS; day++) {
        clock.advance(DAY);
        profile.set('fitness', `day${day % 10}`, day);
      }
      blocks = profile.length;
      archived = [...h.store.headers(profile.id)].filter((x) => x.ts < Date.UTC(2025, 1, 1)).length;
      h.close();
    });
    ({ browser, page, problems } = await openPage({ width: 800, height: 600 }, { timeout: 30_000 }));
    await unlockInUi(page, served.url, PASS);
  }, 120_000);
  afterEach(shotIfFailed(() => page, 'storage'));
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('moves the first month to the archive by keyboard, behind the dialog that shows the checkpoint', async () => {
    await navTo(page, 'Settings');
    const card = page.getByRole('region', { name: 'Storage' });
    await card.getByText('Nothing yet').waitFor();
    await card.getByText(`${blocks} blocks`, { exact: false }).waitFor();
    await shot(page, 'storage-01-tiers');

    // The date field's typed order follows the browser's locale; its value is ISO whatever the locale.
    await card.getByLabel('Move to the archive the blocks written before').fill('2025-02-01');
    await tabTo(page, /^Move to archive…$/u);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Move old bodies to the archive?' });
    await dialog.getByText(`your first ${blocks} blocks`).waitFor();
    await dialog.getByText(/^[0-9a-f]{64}$/u).waitFor();
    await dialog.getByText(new RegExp(`bodies of blocks #0–#${archived - 1}$`, 'u')).waitFor();
    await shot(page, 'storage-02-dialog');
    await expectAccessible(page, 'storage dialog');
    await tabTo(page, /^Sign and move$/u);
    await page.keyboard.press('Enter');
    await card.getByRole('status').filter({ hasText: `after the checkpoint at block #${blocks}` }).waitFor();
    await card.getByText(new RegExp(`bodies of blocks #0–#${archived - 1}, .* in 1 file$`, 'u')).waitFor();
    await shot(page, 'storage-03-moved');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await expectAccessible(page, 'storage');
  });

  it('the timeline marks the archived blocks, and an archived block still shows its change', async () => {
    await navTo(page, 'Timeline');
    await page.getByText(`${blocks + 1} blocks`).waitFor();
    // Newest first, 60 px a row: show the rows around the first hot block.
    await page.locator('.timeline').evaluate((el, top) => {
      el.scrollTop = top;
    }, (blocks - archived) * 60 - 120);
    const last = page.getByRole('button', { name: new RegExp(`^Block #${archived - 1} Profile change`, 'u') });
    await expect.poll(() => last.textContent()).toContain('archive tier');
    expect(await page.getByRole('button', { name: new RegExp(`^Block #${archived} Profile change`, 'u') }).textContent()).not.toContain('archive tier');
    await last.click();
    await page.getByRole('heading', { name: `Block #${archived - 1}` }).waitFor();
    await page.getByText('day9', { exact: true }).first().waitFor();
    await page.getByText('Header in the database, body in an archive file (Settings → Storage)').waitFor();
    await shot(page, 'storage-04-timeline');

    await page.setViewportSize({ width: 1280, height: 860 });
    await navTo(page, 'Settings');
    await page.getByRole('region', { name: 'Storage' }).getByText(/in 1 file$/u).waitFor();
    await shot(page, 'storage-05-wide');
    expect(problems).toEqual([]);
  });
});
