// The whole path of two people by keyboard alone, in Chromium at 800 × 600 against two real `defaust serve`
// homes (offline): the owner unlocks, edits a field, grants a second identity the right to propose on that
// section (the SignDialog confirmed from the keyboard, Cancel focused first) and exports the archive; the
// second identity opens that archive in Shared with me, proposes a change and saves the request file; the
// owner imports it in the Inbox and approves it through its SignDialog. Only the files go in through the
// file inputs (a native chooser); everything else is Tab, typing, Enter and Space. (Onboarding by keyboard
// is e2e/wallet.test.ts "onboards and edits a field without a mouse".)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addNumberFieldByKeyboard, cliOk, closeAll, expectAccessible, hasChromium, hasRenderer, openPage, shot, shotIfFailed, startServe, tabTo, type Served } from './helpers.ts';

const OWNER_PASS = 'the owner passphrase';
const COACH_PASS = 'the coach passphrase';
const ready = hasChromium && hasRenderer;

/** The name of the focused element, as tabTo reads it. */
const focused = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.textContent?.trim() ?? '');
/** A screen of the main navigation, reached backwards from the page (the navigation comes before the content). */
async function navByKeyboard(page: Page, label: string): Promise<void> {
  await tabTo(page, new RegExp(`^${label}$`, 'u'), 120, 'Shift+Tab');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: label, level: 1 }).waitFor();
}
/** Unlocks by keyboard. */
async function unlockByKeyboard(page: Page, url: string, pass: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('heading', { name: 'Unlock DeFaust' }).waitFor();
  if (!/^Passphrase$/u.test(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.labels?.[0]?.textContent ?? ''))) await tabTo(page, /^Passphrase$/u, 10);
  await page.keyboard.type(pass);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Profile', level: 1 }).waitFor();
}
/** Confirms a SignDialog from the keyboard: Cancel has the focus first, the sign button is one Tab on. */
async function signByKeyboard(page: Page, dialog: string, button: string): Promise<void> {
  const d = page.getByRole('dialog', { name: dialog });
  await d.waitFor();
  expect(await focused(page)).toBe('Cancel');
  await tabTo(page, new RegExp(`^${button}$`, 'u'), 5);
  await page.keyboard.press('Enter');
  await d.waitFor({ state: 'detached' });
}

describe.skipIf(!ready)('two people, by keyboard alone (two defaust serve homes)', { timeout: 300_000 }, () => {
  let dir: string;
  let owner: Served;
  let coach: Served;
  let coachDid = '';
  let browser: Browser;
  let coachBrowser: Browser;
  let ownerPage: Page;
  let coachPage: Page;
  let problems: string[];
  let coachProblems: string[];
  const archive = () => join(dir, 'owner.defaust');
  const request = () => join(dir, 'proposal.request');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'defaust-e2e-keyboard-'));
    owner = await startServe('defaust-e2e-keyboard-owner-', (home) => void cliOk(home, ['init', '--json'], OWNER_PASS));
    coach = await startServe('defaust-e2e-keyboard-coach-', (home) => {
      coachDid = (JSON.parse(cliOk(home, ['init', '--json'], COACH_PASS)) as { id: string }).id;
    });
    ({ browser, page: ownerPage, problems } = await openPage({ width: 800, height: 600 }, { downloads: true }));
    ({ browser: coachBrowser, page: coachPage, problems: coachProblems } = await openPage({ width: 800, height: 600 }, { downloads: true }));
  }, 240_000);
  afterAll(async () => {
    await closeAll(coachBrowser, coach);
    await closeAll(browser, owner, dir);
  });
  afterEach(shotIfFailed(() => ownerPage, 'failed-keyboard'));

  it('the owner edits a field, grants the coach "propose" on it, and exports the archive', async () => {
    const page = ownerPage;
    await unlockByKeyboard(page, owner.url, OWNER_PASS);
    await addNumberFieldByKeyboard(page, 'fitness', 'weight', '60');

    await navByKeyboard(page, 'Access');
    await tabTo(page, /^Their identity \(did:key\)$/u, 60);
    await page.keyboard.type(coachDid);
    await tabTo(page, /^Section$/u);
    await page.keyboard.type('fitness');
    await tabTo(page, /^They can$/u);
    await page.keyboard.type('propose');
    await page.getByText('Nothing changes until you approve a request in your Inbox.').waitFor();
    await tabTo(page, /^Until$/u);
    await page.keyboard.type('01012030');
    await tabTo(page, /^Grant access$/u);
    await page.keyboard.press('Enter');
    await signByKeyboard(page, 'Sign this grant?', 'Sign grant');
    await page.getByRole('status').filter({ hasText: /can now .* fitness until/u }).waitFor();
    await shot(page, 'keyboard-1-granted');

    await navByKeyboard(page, 'Settings');
    await tabTo(page, /^Export archive$/u, 60);
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    await download.saveAs(archive());
    expect(problems).toEqual([]);
  });

  it('the coach opens the archive, proposes a change and saves the request file', async () => {
    const page = coachPage;
    await unlockByKeyboard(page, coach.url, COACH_PASS);
    await navByKeyboard(page, 'Shared with me');
    await page.getByLabel('Archive file', { exact: true }).setInputFiles(archive());
    // The button is enabled once the file is read (a loaded machine takes a moment): Tab skips it until then.
    await expect.poll(() => page.locator('form', { has: page.getByLabel('Archive file', { exact: true }) }).getByRole('button', { name: 'Open', exact: true }).isEnabled()).toBe(true);
    await page.getByLabel('Archive file', { exact: true }).focus();
    await tabTo(page, /^Open$/u, 5);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /^Profile of /u }).waitFor();
    await tabTo(page, /^Propose a change$/u, 60);
    await page.keyboard.press('Enter');
    await page.keyboard.type('weight');
    await tabTo(page, /^Type$/u);
    await page.keyboard.type('number');
    await tabTo(page, /^Value$/u);
    await page.keyboard.type('58.5');
    await tabTo(page, /^Review proposal$/u);
    await page.keyboard.press('Enter');
    await signByKeyboard(page, 'Sign and send this proposal?', 'Sign and send');
    await page.getByText(/No mailbox took your proposal/u).waitFor();
    // The focus goes to the result, whose next step is one Tab away.
    await expect.poll(() => focused(page)).toMatch(/^No mailbox took your proposal/u);
    await tabTo(page, /^Save the request file$/u, 2);
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    await download.saveAs(request());
    await shot(page, 'keyboard-2-proposed');
    expect(coachProblems).toEqual([]);
  });

  it('the owner imports the request in the Inbox and approves it through the SignDialog', async () => {
    const page = ownerPage;
    await navByKeyboard(page, 'Inbox');
    await page.getByLabel('Request file').setInputFiles(request());
    await expect.poll(() => page.locator('form', { has: page.getByLabel('Request file') }).getByRole('button', { name: 'Import', exact: true }).isEnabled()).toBe(true);
    await page.getByLabel('Request file').focus();
    await tabTo(page, /^Import$/u, 5);
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Imported a request from' }).waitFor();
    await page.getByRole('table', { name: 'What would change in fitness' }).getByRole('row', { name: /weight/u }).waitFor();
    await tabTo(page, /^Approve and sign…$/u, 60);
    await page.keyboard.press('Enter');
    await signByKeyboard(page, 'Sign this change?', 'Sign and apply');
    await page.getByRole('status').filter({ hasText: /Approved and signed in block #\d+/u }).waitFor();
    await shot(page, 'keyboard-3-approved');
    await expectAccessible(page, 'inbox after approving');
    expect(problems).toEqual([]);
  });
});
