// Recovery by friends over the mail, in Chromium at 800 × 600, on a loopback network of real nodes (a
// bootstrap node and two replicas): the owner publishes and splits 2 of 2 between ada and bob (CLI); ada's
// wallet runs in the browser with its node; someone who lost everything makes a temporary id on a fresh home
// whose node runs too; ada releases behind the "did you call" dialog and her share goes to the temporary id's
// mailbox, with no file; bob releases as a file (CLI); "Check my mailbox" finds ada's share, bob's file joins
// it, and the owner's id comes back with its chain from the network, straight to the Profile.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serve, stopNode, type ServedNode } from '../test/cli-helpers.ts';
import { cliOk, expectAccessible, hasChromium, hasRenderer, launchBrowser, shot, shotIfFailed, startServe, unlockInUi, navTo, type Served } from './helpers.ts';

const PASS = 'correct horse battery staple';
const NEW_PASS = 'a new passphrase for this machine';
const ready = hasChromium && hasRenderer;

describe.skipIf(!ready)('recovery by friends over the mail in Chromium (800 × 600, a loopback network)', { timeout: 400_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'defaust-e2e-recovery-mail-'));
  const nodes: ServedNode[] = [];
  let ada: Served;
  let lost: Served;
  let browser: Browser;
  let adaPage: Page;
  let lostPage: Page;
  let owner = '';
  let bobFile = '';
  const cli = (name: string, args: string[]) => cliOk(join(dir, name), args, PASS);

  beforeAll(async () => {
    const boot = await serve(join(dir, 'boot'), []);
    nodes.push(boot, ...(await Promise.all(['r1', 'r2'].map((name) => serve(join(dir, name), [boot.addrs[0]!])))));
    const net = ['--bootstrap', boot.addrs[0]!];
    const made = JSON.parse(cli('owner', ['init', '--json'])) as { id: string; mnemonic: string };
    owner = made.id;
    cli('owner', ['set', 'contact', 'email', 'owner@example.org']);
    cli('owner', ['publish', ...net]);
    const bob = (JSON.parse(cli('bob', ['init', '--json'])) as { id: string }).id;
    ada = await startServe('defaust-e2e-recovery-mail-ada-', (home) => {
      const adaId = (JSON.parse(cliOk(home, ['init', '--json'], PASS)) as { id: string }).id;
      const split = JSON.parse(cliOk(join(dir, 'owner'), ['recovery', 'split', '--custodian', adaId, '--custodian', bob, '--k', '2', '--out', join(dir, 'shares'), '--json'], PASS, undefined, made.mnemonic)) as { files: { custodian: string; file: string }[] };
      cliOk(home, ['custody', 'import', split.files.find((f) => f.custodian === adaId)!.file], PASS);
      cliOk(join(dir, 'bob'), ['custody', 'import', split.files.find((f) => f.custodian === bob)!.file], PASS);
    }, ['--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0', ...net]);
    lost = await startServe('defaust-e2e-recovery-mail-lost-', undefined, ['--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0', ...net]);
    browser = await launchBrowser();
    const page = async () => {
      const p = await (await browser.newContext({ viewport: { width: 800, height: 600 }, acceptDownloads: true })).newPage();
      p.setDefaultTimeout(30_000);
      return p;
    };
    adaPage = await page();
    lostPage = await page();
    await unlockInUi(adaPage, ada.url, PASS);
  }, 300_000);
  afterEach(shotIfFailed(() => adaPage, 'recovery-mail-ada'));
  afterEach(shotIfFailed(() => lostPage, 'recovery-mail-lost'));
  afterAll(async () => {
    await browser?.close();
    await Promise.all([ada?.stop(), lost?.stop(), ...nodes.map(stopNode)]);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('ada releases to the temporary id\'s mailbox, with no file to hand over', async () => {
    await lostPage.goto(lost.url);
    await lostPage.getByRole('button', { name: 'Recover with friends' }).click();
    await lostPage.getByLabel('New passphrase for this device').fill(NEW_PASS);
    await lostPage.getByRole('button', { name: 'Make a temporary id' }).click();
    const temporaryId = (await lostPage.locator('p.mono.break').textContent()) ?? '';
    expect(temporaryId).toMatch(/^did:key:z6Mk/u);

    await navTo(adaPage, 'Custody');
    const item = adaPage.getByRole('listitem').filter({ hasText: owner });
    await item.getByRole('button', { name: 'Release…' }).click();
    await item.getByLabel('Their temporary id').fill(temporaryId);
    await item.getByRole('button', { name: 'Release', exact: true }).click();
    const dialog = adaPage.getByRole('dialog', { name: 'Release this share?' });
    await dialog.getByText('to its mailbox, or as a file to give them', { exact: false }).waitFor();
    let downloaded = false;
    adaPage.on('download', () => (downloaded = true));
    await dialog.getByRole('button', { name: 'Release' }).click();
    await adaPage.getByRole('status').filter({ hasText: 'your share was sent, sealed, to their mailbox' }).waitFor({ timeout: 60_000 });
    expect(downloaded).toBe(false);
    await shot(adaPage, 'recovery-mail-01-released-by-mail');
    await expectAccessible(adaPage, 'custody released by mail');

    bobFile = join(dir, 'bob.recovery-release');
    cli('bob', ['custody', 'release', owner, '--to', temporaryId, '--out', bobFile]);
  });

  it('"Check my mailbox" finds ada\'s share; with bob\'s file the owner\'s id and chain come back from the network', async () => {
    await lostPage.getByRole('button', { name: 'Check my mailbox' }).click();
    await lostPage.getByRole('status').filter({ hasText: '1 share came by mail (1 new)' }).waitFor({ timeout: 60_000 });
    await shot(lostPage, 'recovery-mail-02-mailbox-checked');
    await lostPage.getByLabel('The files your contacts released (if any)').setInputFiles([bobFile]);
    await lostPage.getByRole('button', { name: 'Recover' }).click();
    await lostPage.getByRole('heading', { name: 'Profile', level: 1 }).waitFor({ timeout: 120_000 });
    expect(await lostPage.locator('.sidebar-foot [title^="did:key:"]').getAttribute('title')).toBe(owner);
    // The history is the owner's: its contact field, typed before the loss, is back.
    await lostPage.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: /^contact/iu }).click();
    await lostPage.getByText('owner@example.org').first().waitFor();
    expect(await lostPage.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await shot(lostPage, 'recovery-mail-03-recovered');
  });
});
