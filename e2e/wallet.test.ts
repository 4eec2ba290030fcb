// The wallet in a real browser against a real `defaust serve`: onboarding with the three-word check,
// editing a field and finding its block in the timeline, attaching a picture, the token, the keyboard-only
// path, screenshots of every screen and axe-core on each.
import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addNumberFieldByKeyboard, expectAccessible, hasChromium, hasRenderer, launchBrowser, makePng, ROOT, shot, startServe, tabTo, watch, type Served, openPage, shotIfFailed, navTo } from './helpers.ts';

const PASS = 'correct horse battery staple';
const ready = hasChromium && hasRenderer;
if (!ready) console.log(`e2e skipped: ${hasChromium ? '' : 'no Chromium at /usr/bin/chromium (set CHROMIUM_PATH); '}${hasRenderer ? '' : 'the renderer is not built (npm run build)'}`);

async function readWords(page: Page): Promise<string[]> {
  const words: string[] = [];
  for (let i = 1; i <= 24; i++) words.push((await page.getByTestId(`word-${i}`).textContent()) ?? '');
  return words;
}

async function positionsAsked(page: Page): Promise<number[]> {
  const labels = await page.locator('label', { hasText: /^Word number \d+$/u }).allTextContents();
  return labels.map((l) => Number(/\d+/u.exec(l)?.[0]));
}

describe.skipIf(!ready)('the wallet in Chromium (defaust serve)', () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    served = await startServe();
    ({ browser, page, problems } = await openPage({ width: 1280, height: 860 }, { timeout: 10_000 }));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });
  afterEach(shotIfFailed(() => page));

  it('onboards: the 24 words, then three of them asked back', async () => {
    await page.goto(served.url);
    await expect.poll(() => page.url()).not.toContain('token=');
    await page.getByRole('heading', { name: 'Your identity, in your hands' }).waitFor();
    await shot(page, '01-welcome');
    await expectAccessible(page, 'welcome');

    await page.getByRole('button', { name: 'Create a new identity' }).click();
    await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
    await page.getByLabel('Repeat the passphrase').fill('something else');
    await expect.poll(() => page.getByText('The two passphrases are not the same.').isVisible()).toBe(true);
    await page.getByLabel('Repeat the passphrase').fill(PASS);
    await shot(page, '02-create');
    await expectAccessible(page, 'create');
    await page.getByRole('button', { name: 'Create identity' }).click();

    await page.getByRole('heading', { name: 'Write down your recovery phrase' }).waitFor();
    const words = await readWords(page);
    expect(words.every((w) => /^[a-z]+$/u.test(w))).toBe(true);
    await shot(page, '03-recovery-phrase');
    await expectAccessible(page, 'recovery phrase');
    await expect.poll(() => page.getByRole('button', { name: 'Continue' }).isDisabled()).toBe(true);
    await page.getByLabel('I have written down all 24 words').check();
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.getByRole('heading', { name: 'Check your recovery phrase' }).waitFor();
    const asked = await positionsAsked(page);
    expect(asked).toHaveLength(3);
    // A wrong word is refused in plain words.
    for (const p of asked) await page.getByLabel(`Word number ${p}`, { exact: true }).fill('zoo');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('alert').filter({ hasText: 'do not match your recovery phrase' }).waitFor();
    await shot(page, '04-confirm-words-error');
    await expectAccessible(page, 'confirm words');
    for (const p of asked) await page.getByLabel(`Word number ${p}`, { exact: true }).fill(words[p - 1]!);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { name: 'Profile', level: 1 }).waitFor();
    await shot(page, '05-profile');
    await expectAccessible(page, 'profile');
  });

  it('edits a field: shows the exact change, signs it, and the block appears in the timeline', async () => {
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: /contact/u }).click();
    await page.getByRole('button', { name: 'Add field' }).click();
    await page.getByLabel('Field', { exact: true }).fill('email');
    await page.getByLabel('Value', { exact: true }).fill('alice@example.org');
    await page.getByRole('button', { name: 'Review change' }).click();
    const review = page.getByRole('region', { name: 'Review before signing' });
    await review.waitFor();
    await expect.poll(() => review.getByRole('row', { name: /email/u }).textContent()).toContain('alice@example.org');
    await shot(page, '06-review-change');
    await expectAccessible(page, 'review change');
    await review.getByRole('button', { name: 'Sign and save' }).click();
    const saved = page.getByRole('status').filter({ hasText: /Saved in block #\d+/u });
    await saved.waitFor();
    const seq = Number(/#(\d+)/u.exec((await saved.textContent()) ?? '')?.[1]);
    await expect.poll(() => page.getByRole('table').first().textContent()).toContain('alice@example.org');

    // Change it again, so the block's diff has a before and an after.
    await page.getByRole('button', { name: 'Edit email' }).click();
    await page.getByLabel('Value', { exact: true }).fill('alice@defaust.example');
    await page.getByRole('button', { name: 'Review change' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Review before signing' }).textContent()).toContain('alice@example.org');
    await page.getByRole('button', { name: 'Sign and save' }).click();
    await page.getByRole('status').filter({ hasText: `Saved in block #${seq + 1}` }).waitFor();

    await page.getByRole('button', { name: 'See it in the timeline' }).click();
    await page.getByRole('heading', { name: 'Timeline', level: 1 }).waitFor();
    const row = page.getByRole('button', { name: new RegExp(`^Block #${seq + 1} Profile change`, 'u') });
    await row.click();
    const detail = page.getByRole('table', { name: 'Changes in contact' });
    await detail.waitFor();
    expect(await detail.textContent()).toContain('alice@example.org');
    expect(await detail.textContent()).toContain('alice@defaust.example');
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.getByText(/Your chain is intact/u).waitFor();
    expect(await row.textContent()).toContain('Verified');
    await shot(page, '07-timeline');
    await expectAccessible(page, 'timeline');
  });

  it('shows a change the command line made while the page is open, without a reload, and edits on top of it', async () => {
    await navTo(page, 'Profile');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: /contact/u }).click();
    const cli = spawnSync(process.execPath, [join(ROOT, 'bin', 'defaust.mjs'), '--home', served.home, 'set', 'contact', 'city', 'Lyon'], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, DEFAUST_PASSPHRASE: PASS },
    });
    expect(cli.status, cli.stderr).toBe(0);
    // The wallet folds the other writer's block and pushes it down the page's event stream.
    await expect.poll(() => page.getByRole('table').first().textContent(), { timeout: 15_000 }).toContain('Lyon');
    await page.getByRole('button', { name: 'Edit city' }).click();
    await page.getByLabel('Value', { exact: true }).fill('Lille');
    await page.getByRole('button', { name: 'Review change' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Review before signing' }).textContent()).toContain('Lyon');
    await page.getByRole('button', { name: 'Sign and save' }).click();
    await page.getByRole('status').filter({ hasText: /Saved in block #\d+/u }).waitFor();
    await expect.poll(() => page.getByRole('table').first().textContent()).toContain('Lille');
  }, 60_000);

  it('attaches a picture to an event and shows it in the gallery and the viewer', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Media' }).click();
    await page.getByRole('heading', { name: 'Media', level: 1 }).waitFor();
    await page.getByLabel('Section').selectOption('feats');
    await page.getByLabel('Event').fill('Marathon 2026');
    await page.getByLabel('File').setInputFiles({ name: 'finish-line.png', mimeType: 'image/png', buffer: makePng(64) });
    await page.getByRole('button', { name: 'Attach', exact: true }).click();
    await page.getByRole('dialog', { name: 'Sign and attach this file?' }).getByRole('button', { name: 'Sign and attach' }).click();
    await page.getByRole('status').filter({ hasText: 'Attached finish-line.png' }).waitFor();
    const tile = page.getByRole('list', { name: 'Gallery' }).getByRole('button', { name: /finish-line\.png.*Marathon 2026/u });
    await tile.waitFor();
    await expect.poll(() => tile.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(64);
    await shot(page, '08-media');
    await expectAccessible(page, 'media');
    await tile.click();
    const viewer = page.getByRole('dialog', { name: 'finish-line.png' });
    await viewer.waitFor();
    await expect.poll(() => viewer.getByRole('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(64);
    await shot(page, '09-media-viewer');
    await expectAccessible(page, 'media viewer');
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'hidden' });
  });

  it('shows settings, switches the theme, locks and unlocks', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    expect(await page.getByText(served.home).count()).toBe(1);
    await shot(page, '10-settings');
    await expectAccessible(page, 'settings');
    await page.getByLabel('Dark').check();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Profile' }).click();
    await page.getByRole('heading', { name: 'Profile', level: 1 }).waitFor();
    await shot(page, '11-profile-dark');
    await expectAccessible(page, 'profile dark');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Timeline' }).click();
    await page.getByRole('button', { name: /^Block #0 Identity created/u }).waitFor();
    await shot(page, '12-timeline-dark');
    await expectAccessible(page, 'timeline dark');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Light').check();
    await page.getByRole('button', { name: 'Lock now' }).click();
    await page.getByRole('heading', { name: 'Unlock DeFaust' }).waitFor();
    await page.getByLabel('Passphrase', { exact: true }).fill('not the passphrase');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('alert').filter({ hasText: 'That passphrase is not right' }).waitFor();
    await shot(page, '13-unlock-error');
    await expectAccessible(page, 'unlock');
    await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('heading', { name: 'Profile', level: 1 }).waitFor();
    expect(problems).toEqual([]);
  });

  it('refuses the API without the token, from a page without it and from another origin', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: served.port, path: '/api/session:status', method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(401);
    const other = await (await browser.newContext()).newPage();
    try {
      await other.goto(served.origin + '/');
      // No token: the page asks for the passphrase (e2e/sign-in.test.ts) and calls no API meanwhile.
      await other.getByRole('heading', { name: 'Sign in to DeFaust' }).waitFor();
      await shot(other, '14-no-token');
      await expectAccessible(other, 'no token');
      const fromOtherOrigin = await other.evaluate(async (port) => {
        const res = await fetch(`http://localhost:${port}/api/session:status`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }).catch(() => null);
        return res?.status ?? 'blocked';
      }, served.port);
      expect(fromOtherOrigin).toBe('blocked');
    } finally {
      await other.close();
    }
  });
});

describe.skipIf(!ready)('keyboard only (defaust serve)', () => {
  let served: Served;
  let browser: Browser;

  beforeAll(async () => {
    served = await startServe('defaust-e2e-kbd-');
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('onboards and edits a field without a mouse', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1100, height: 800 } })).newPage();
    page.setDefaultTimeout(10_000);
    const problems = watch(page);
    await page.goto(served.url);
    await page.getByRole('heading', { name: 'Your identity, in your hands' }).waitFor();
    await tabTo(page, /^Create a new identity$/u);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Create your identity' }).waitFor();
    // The passphrase field has the focus.
    await page.keyboard.type(PASS);
    await tabTo(page, /^Repeat the passphrase$/u);
    await page.keyboard.type(PASS);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Write down your recovery phrase' }).waitFor();
    const words = await readWords(page);
    await tabTo(page, /I have written down all 24 words/u);
    await page.keyboard.press('Space');
    await tabTo(page, /^Continue$/u);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Check your recovery phrase' }).waitFor();
    const asked = await positionsAsked(page);
    await page.keyboard.type(words[asked[0]! - 1]!);
    await page.keyboard.press('Tab');
    await page.keyboard.type(words[asked[1]! - 1]!);
    await page.keyboard.press('Tab');
    await page.keyboard.type(words[asked[2]! - 1]!);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Profile', level: 1 }).waitFor();

    await addNumberFieldByKeyboard(page, 'fitness', 'weight', '61.5');
    expect(await page.getByRole('row', { name: /weight/u }).textContent()).toContain('61.5');
    await shot(page, '15-keyboard-only');
    expect(problems).toEqual([]);
  });
});

describe.skipIf(!ready)('recovery (defaust serve)', () => {
  let served: Served;
  let browser: Browser;

  beforeAll(async () => {
    served = await startServe('defaust-e2e-recover-');
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('recovers an identity from its 24 words and says plainly that its history must be imported', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1100, height: 800 } })).newPage();
    page.setDefaultTimeout(10_000);
    const problems = watch(page);
    await page.goto(served.url);
    await page.getByRole('button', { name: 'I have a recovery phrase' }).click();
    await page.getByRole('heading', { name: 'Recover your identity' }).waitFor();
    await page.getByLabel('Recovery phrase').fill('abandon '.repeat(23) + 'zoo');
    await page.getByLabel('New passphrase for this device').fill(PASS);
    await page.getByLabel('Repeat the passphrase').fill(PASS);
    await page.getByText('24 of 24 words').waitFor();
    await shot(page, '17-recover');
    await expectAccessible(page, 'recover');
    await page.getByRole('button', { name: 'Recover', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: /recovery phrase|mnemonic|words/iu }).waitFor();
    await page.getByLabel('Recovery phrase').fill('abandon '.repeat(23) + 'art');
    await page.getByRole('button', { name: 'Recover', exact: true }).click();
    await page.getByRole('heading', { name: 'Bring your history back' }).waitFor();
    await page.getByText('its history is not here yet').waitFor();
    await page.getByRole('heading', { name: 'Import an archive file instead' }).waitFor();
    await shot(page, '18-recovered-no-history');
    await expectAccessible(page, 'recovered');
    expect(problems).toEqual([]);
  });
});
