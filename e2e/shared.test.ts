// A grantee's screens: the owner A (the CLI) grants B read on contact and propose on fitness, and hands B its
// archive file; B, in Chromium at 800 × 600, opens it on "Shared with me", sees exactly the granted fields,
// proposes weight 58.5 through the signing dialog (Cancel has the focus; Escape cancels), saves the request file
// (no node runs), and A imports it and sees 60 → 58.5. A read by id with the network off says what to do; so
// does a read through their service, after its request was shown in a signing dialog.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, hasChromium, hasRenderer, launchBrowser, ROOT, shot, startServe, watch, type Served, unlockInUi, navTo } from './helpers.ts';

const A_PASS = 'alice has a good passphrase';
const B_PASS = 'correct horse battery staple';
const ready = hasChromium && hasRenderer;

function cli(home: string, args: string[], pass: string) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'defaust.mjs'), '--home', home, ...args], {
    encoding: 'utf8',
    env: { ...process.env, DEFAUST_PASSPHRASE: pass, DEFAUST_HOME: undefined, DEFAUST_NOW: undefined },
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`defaust ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

describe.skipIf(!ready)('Shared with me: a grantee reads and proposes (defaust serve + the CLI)', () => {
  let dir: string;
  let served: Served;
  let browser: Browser;
  let aHome: string;
  let aDid: string;
  let archive: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'defaust-e2e-shared-'));
    aHome = join(dir, 'alice');
    aDid = (JSON.parse(cli(aHome, ['init', '--json'], A_PASS)) as { id: string }).id;
    served = await startServe('defaust-e2e-shared-b-', (home) => {
      const bDid = (JSON.parse(cli(home, ['init', '--json'], B_PASS)) as { id: string }).id;
      cli(aHome, ['set', 'contact', 'email', 'alice@example.org'], A_PASS);
      cli(aHome, ['set', 'fitness', 'weight', '60'], A_PASS);
      cli(aHome, ['set', 'health', 'blood', 'AB-'], A_PASS);
      cli(aHome, ['grant', bDid, 'contact', '--rights', 'read', '--until', '2030-01-01'], A_PASS);
      cli(aHome, ['grant', bDid, 'fitness', '--rights', 'propose', '--until', '2030-01-01'], A_PASS);
      archive = join(dir, 'alice.defaust');
      cli(aHome, ['export', '--out', archive], A_PASS);
    });
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('opens the archive, shows only what was granted, and proposes a change through the signing dialog', async () => {
    const context = await browser.newContext({ viewport: { width: 800, height: 600 }, acceptDownloads: true });
    const page = await context.newPage();
    const problems = watch(page);
    await unlockInUi(page, served.url, B_PASS);
    await navTo(page, 'Shared with me');
    await page.getByRole('heading', { name: 'Shared with me', level: 1 }).waitFor();

    // By id with the network off: one plain sentence about what to do.
    await page.getByLabel('Their id').fill(aDid);
    await page.getByRole('button', { name: 'Read', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: /No copy of .* is here\. Turn the peer network on/u }).waitFor();

    await page.getByLabel('Archive file', { exact: true }).setInputFiles(archive);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    const title = page.getByRole('heading', { name: /^Profile of did:key:/u });
    await title.waitFor();
    expect(await title.evaluate((e) => e === document.activeElement)).toBe(true);
    expect(await page.getByText('alice@example.org').count()).toBe(1);
    expect(await page.getByText('AB-').count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'health' }).count()).toBe(0);
    await expectAccessible(page, 'shared');
    await shot(page, 'shared-800');

    // Only the section with propose offers a change.
    expect(await page.getByRole('button', { name: 'Propose a change' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Propose a change' }).click();
    await page.getByLabel('Field', { exact: true }).fill('weight');
    await page.getByLabel('Type').selectOption('number');
    await page.getByLabel('Value', { exact: true }).fill('58.5');
    await page.getByRole('button', { name: 'Review proposal' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign and send this proposal?' });
    await dialog.waitFor();
    expect(await dialog.getByRole('button', { name: 'Cancel' }).evaluate((e) => e === document.activeElement)).toBe(true);
    await expect.poll(() => dialog.getByRole('table').innerText()).toMatch(/weight\s+60\s+58\.5/u);
    await shot(page, 'shared-propose-dialog-800');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Review proposal' }).click();
    await dialog.getByRole('button', { name: 'Sign and send' }).click();
    await page.getByText(/No mailbox took your proposal/u).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save the request file' }).click()]);
    const requestFile = join(dir, download.suggestedFilename());
    await download.saveAs(requestFile);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);

    cli(aHome, ['requests', 'import', requestFile], A_PASS);
    const pending = cli(aHome, ['requests', '--json'], A_PASS);
    expect(pending).toContain('"weight"');
    expect(pending).toContain('58.5');
    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);

  it('reads through their service: the request is shown before it is signed; with the network off it says what to do', async () => {
    const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(served.url);
    // The wallet was unlocked by the test before: this tab may be signed in already.
    const profile = page.getByRole('heading', { name: 'Profile', level: 1 });
    await page.getByLabel('Passphrase', { exact: true }).or(profile).waitFor();
    if (await page.getByLabel('Passphrase', { exact: true }).count() > 0) {
      await page.getByLabel('Passphrase', { exact: true }).fill(B_PASS);
      await page.getByRole('button', { name: 'Unlock' }).click();
    }
    await profile.waitFor();
    await navTo(page, 'Shared with me');
    const card = page.getByRole('form', { name: 'Read through their service' });
    await card.getByLabel('Whose profile').fill(aDid);
    await card.getByLabel('Their service').fill('/ip4/192.0.2.1/tcp/4001');
    await card.getByLabel('Section to read').fill('contact');
    expect(await card.getByRole('button', { name: 'Review request' }).isDisabled()).toBe(true);
    await card.getByLabel('Their service').fill(aDid);
    await card.getByRole('button', { name: 'Review request' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign this read request?' });
    await dialog.waitFor();
    expect(await dialog.getByText(aDid).count()).toBe(2);
    expect(await page.locator('[data-signs]').count()).toBe(1);
    await shot(page, 'shared-read-via-dialog');
    await dialog.getByRole('button', { name: 'Sign and ask' }).click();
    await page.getByRole('alert').filter({ hasText: /needs the peer network: turn it on in Network/u }).waitFor();
    await shot(page, 'shared-read-via-offline');
    await expectAccessible(page, 'shared-read-via');
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
