// Timeline benchmark: frame times while the timeline of a large identity (100,000 blocks) scrolls in real
// Chromium, against `defaust serve` on a home built for it. The baseline is the frame time of the same page,
// in the same run, while nothing scrolls: a scroll that costs nothing stays at it. Each round scrolls one
// stretch of the chain (head, middle, genesis and between) a few rows per frame, as a wheel or a held
// arrow key does; the figures are medians over the rounds of each round's p50, p95 and worst frame.
import { SqliteChainStore } from '../src-main/adapters/db/sqlite-store.ts';
import { Home } from '../src-main/app/home.ts';
import { hasChromium, hasRenderer, launchBrowser, startServe } from '../e2e/serve.ts';
import { fmt, median, type BenchSize } from './stats.ts';

const FULL = { blocks: 100_000, rounds: 5, frames: 240 };
const TINY = { blocks: 300, rounds: 1, frames: 20 };
const PASS = 'timeline bench passphrase';
/** Pixels scrolled per frame: four 60-pixel rows, a brisk wheel. */
const STEP_PX = 240;

// What the page-side functions below use; they run in Chromium, where these are the page's own.
declare const document: { querySelector(selector: string): { scrollTop: number; scrollHeight: number; clientHeight: number } | null };
declare function requestAnimationFrame(callback: (time: number) => void): number;

/** Frame-to-frame times (ms) over `frames` frames in the page, scrolling the timeline by `step` px each frame from `from` (0 = top, 1 = bottom). */
function frameTimes(args: { frames: number; step: number; from: number | null }): Promise<number[]> {
  const timeline = document.querySelector('.timeline');
  if (timeline === null) throw new Error('no timeline on the page');
  if (args.from !== null) timeline.scrollTop = (timeline.scrollHeight - timeline.clientHeight) * args.from;
  return new Promise((resolve) => {
    const times: number[] = [];
    let last: number | null = null;
    const frame = (now: number) => {
      if (last !== null) times.push(now - last);
      last = now;
      if (times.length >= args.frames) return resolve(times);
      if (args.from !== null) timeline.scrollTop += args.step;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function timelineBench(json: boolean, size: BenchSize = 'full'): Promise<void> {
  const { blocks, rounds, frames } = size === 'tiny' ? TINY : FULL;
  if (!hasChromium || !hasRenderer) {
    throw new Error(`the timeline bench needs Chromium (${hasChromium ? 'found' : 'missing'}) and the built renderer (${hasRenderer ? 'found' : 'missing: npm run build'})`);
  }
  let total = 0;
  const served = await startServe('defaust-bench-timeline-', (dir) => {
    const home = new Home(dir);
    const { profile } = home.init(PASS);
    // Built without an fsync per block, as a long life of writes would have left it; served with the store's own settings.
    if (home.store instanceof SqliteChainStore) home.store.database.pragma('synchronous = OFF');
    while (profile.length < blocks) profile.set('fitness', `lap${profile.length % 100}`, profile.length);
    total = profile.length;
    home.close();
  });
  const browser = await launchBrowser();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
    page.setDefaultTimeout(60_000);
    await page.goto(served.url);
    await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Timeline', exact: true }).click();
    await page.getByText(`${total} blocks`).waitFor();
    await page.getByRole('button', { name: new RegExp(`^Block #${total - 1} `, 'u') }).waitFor();

    const idle: number[] = [];
    const scrolled: { p50: number; p95: number; max: number }[] = [];
    for (let round = 0; round < rounds; round++) {
      idle.push(percentile(await page.evaluate(frameTimes, { frames, step: 0, from: null }), 95));
      const times = await page.evaluate(frameTimes, { frames, step: STEP_PX, from: rounds === 1 ? 0 : round / (rounds - 1) * 0.98 });
      scrolled.push({ p50: percentile(times, 50), p95: percentile(times, 95), max: Math.max(...times) });
    }
    const rows = await page.locator('.timeline-row').count();
    const result = {
      blocks: total,
      rounds,
      framesPerRound: frames,
      idleFrameP95Ms: Number(median(idle).toFixed(1)),
      scrollFrameP50Ms: Number(median(scrolled.map((s) => s.p50)).toFixed(1)),
      scrollFrameP95Ms: Number(median(scrolled.map((s) => s.p95)).toFixed(1)),
      scrollFrameMaxMs: Number(median(scrolled.map((s) => s.max)).toFixed(1)),
      scrollP95ToIdle: Number((median(scrolled.map((s) => s.p95)) / median(idle)).toFixed(2)),
      rowsInPage: rows,
    };
    if (json) {
      console.log(JSON.stringify(result));
    } else {
      console.log(`timeline benchmark (Chromium ${browser.version()}, 1280×860; medians of ${rounds} rounds of ${frames} frames, ${STEP_PX} px a frame)`);
      console.log(`  identity of ${fmt(total)} blocks; ${rows} rows in the page after scrolling`);
      console.log(`  frame time, nothing scrolling (baseline)  p95 ${result.idleFrameP95Ms} ms`);
      console.log(`  frame time while scrolling               p50 ${result.scrollFrameP50Ms} ms, p95 ${result.scrollFrameP95Ms} ms, worst ${result.scrollFrameMaxMs} ms`);
      console.log(`  scrolling p95 / baseline p95             ${result.scrollP95ToIdle}×`);
    }
  } finally {
    await browser.close();
    await served.stop();
  }
}
