// e2e fixtures: the served wallet and Chromium (serve.ts), the CLI as a person runs it, axe-core checks,
// screenshots into e2e/artifacts/, and a tiny PNG made in the test.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { ARTIFACTS, launchBrowser, ROOT, type Served } from './serve.ts';

export { ARTIFACTS, CHROMIUM, hasChromium, hasRenderer, launchBrowser, ROOT, startServe, type Served } from './serve.ts';

/**
 * `defaust --home <home> …` as a person runs it, with `pass` as its passphrase and, with `now`, the clock at
 * that time (DEFAUST_NOW) and, with `input`, that on stdin; its stdout, or an error with its stderr when it fails.
 */
export function cliOk(home: string, args: string[], pass: string, now?: number, input?: string): string {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'defaust.mjs'), '--home', home, ...args], {
    encoding: 'utf8',
    ...(input === undefined ? {} : { input }),
    env: { ...process.env, DEFAUST_PASSPHRASE: pass, DEFAUST_HOME: undefined, DEFAUST_NOW: now === undefined ? undefined : new Date(now).toISOString() },
    timeout: 180_000,
  });
  if (r.status !== 0) throw new Error(`defaust ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** Closes what a test file opened, whichever of them it got to. */
export async function closeAll(browser: Browser | undefined, served: Served | undefined, dir?: string): Promise<void> {
  await browser?.close();
  await served?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/** A browser with one page at `viewport` (downloads accepted when asked), its default timeout set and watched. */
export async function openPage(viewport: { width: number; height: number }, options: { downloads?: boolean; timeout?: number } = {}): Promise<{ browser: Browser; page: Page; problems: string[] }> {
  const browser = await launchBrowser();
  const page = await (await browser.newContext({ viewport, acceptDownloads: options.downloads ?? false })).newPage();
  page.setDefaultTimeout(options.timeout ?? 20_000);
  return { browser, page, problems: watch(page) };
}

/** An `afterEach` that keeps a screenshot of the page when the test failed, named after the test. */
export function shotIfFailed(page: () => Page | undefined, prefix = 'failed') {
  return async (ctx: { task: { name: string; result?: { state?: string } } }) => {
    const current = page();
    if (current && ctx.task.result?.state === 'fail') await shot(current, `${prefix}-${ctx.task.name.slice(0, 40).replace(/\W+/gu, '-')}`);
  };
}

/** Opens the served wallet and unlocks it with the passphrase, by the Unlock button; waits for the Profile screen. */
export async function unlockInUi(page: Page, url: string, passphrase: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('heading', { name: 'Profile', level: 1 }).waitFor();
}

/** Clicks a screen's button in the main navigation. */
export function navTo(page: Page, name: string): Promise<void> {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true }).click();
}

/** Collects CSP violations and page errors; the tests expect none. */
export function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (/Content Security Policy|Refused to/iu.test(msg.text())) problems.push(`csp: ${msg.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Runs axe-core; no serious or critical violation is allowed. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${screen}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A valid RGB PNG of `size`×`size` pixels: a diagonal gradient. */
export function makePng(size = 48): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const raw = Buffer.alloc(size * (1 + size * 3));
  for (let y = 0; y < size; y++) {
    const row = y * (1 + size * 3);
    for (let x = 0; x < size; x++) {
      raw[row + 1 + x * 3] = Math.round((x / size) * 255);
      raw[row + 2 + x * 3] = 90;
      raw[row + 3 + x * 3] = Math.round((y / size) * 255);
    }
  }
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** Presses Tab (or `key`, such as Shift+Tab) until the focused element's accessible name matches; proves it is reachable by keyboard. */
export async function tabTo(page: Page, name: RegExp, max = 40, key = 'Tab'): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const label = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (el === null) return '';
      const labels = (el as HTMLInputElement).labels;
      const labelled = labels && labels.length > 0 ? labels[0]!.textContent : null;
      return el.getAttribute('aria-label') ?? labelled ?? el.textContent ?? '';
    });
    if (name.test(label.trim())) return;
  }
  throw new Error(`could not reach ${name} with ${key}`);
}

/** On the Profile screen, by keyboard alone: a number field added to `section` and signed; the status line that says where it was saved. */
export async function addNumberFieldByKeyboard(page: Page, section: string, field: string, value: string): Promise<string> {
  await tabTo(page, new RegExp(`^${section}`, 'u'));
  await page.keyboard.press('Enter');
  await tabTo(page, /^Add field$/u);
  await page.keyboard.press('Enter');
  await page.keyboard.type(field);
  await tabTo(page, /^Type$/u);
  await page.keyboard.press('ArrowDown');
  await tabTo(page, /^Value$/u);
  await page.keyboard.type(value);
  await page.keyboard.press('Enter');
  await page.getByRole('region', { name: 'Review before signing' }).waitFor();
  await tabTo(page, /^Sign and save$/u);
  await page.keyboard.press('Enter');
  const saved = page.getByRole('status').filter({ hasText: /Saved in block/u });
  await saved.waitFor();
  return (await saved.textContent()) ?? '';
}

/**
 * Creates an identity through the onboarding screens as a person would — passphrase twice, the 24 words
 * written down, three of them asked back — and returns its did once the Profile screen shows.
 */
export async function createIdentityInUi(page: Page, url: string, passphrase: string): Promise<string> {
  await page.goto(url);
  await page.getByRole('button', { name: 'Create a new identity' }).click();
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Repeat the passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Create identity' }).click();
  await page.getByRole('heading', { name: 'Write down your recovery phrase' }).waitFor();
  const words: string[] = [];
  for (let i = 1; i <= 24; i++) words.push((await page.getByTestId(`word-${i}`).textContent()) ?? '');
  await page.getByLabel('I have written down all 24 words').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  for (const label of await page.locator('label', { hasText: /^Word number \d+$/u }).allTextContents()) {
    const position = Number(/\d+/u.exec(label)?.[0]);
    await page.getByLabel(`Word number ${position}`, { exact: true }).fill(words[position - 1]!);
  }
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.getByRole('heading', { name: 'Profile', level: 1 }).waitFor();
  return (await page.locator('.sidebar-foot [title^="did:key:"]').getAttribute('title')) ?? '';
}
