// Recovery by friends in Chromium at 800 × 600, four real `defaust serve` homes, offline (the shares travel as
// files): the owner names two custodians in Settings → Recovery contacts (any 2 of 2), signs behind a dialog
// that lists them and says re-sharing revokes nothing, and downloads one share each; each custodian keeps
// its share on the Custody screen, and one refuses the other's share; someone who lost everything makes a
// temporary id on a fresh home ("Recover with friends"); each custodian releases to it behind a dialog
// that asks whether they checked by a call; one release alone is refused, a changed one is refused, and the
// two together bring back the owner's own id; its history then comes from an archive file (offline).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliOk, expectAccessible, hasChromium, hasRenderer, launchBrowser, navTo, shot, shotIfFailed, startServe, unlockInUi, type Served } from './helpers.ts';

const PASS = 'correct horse battery staple';
const NEW_PASS = 'a new passphrase for this machine';
const ready = hasChromium && hasRenderer;

describe.skipIf(!ready)('recovery by friends in Chromium (800 × 600, four homes)', { timeout: 400_000 }, () => {
  const people = ['owner', 'ada', 'bob'] as const;
  type Person = (typeof people)[number];
  const served = {} as Record<Person | 'lost', Served>;
  const pages = {} as Record<Person | 'lost', Page>;
  const ids = {} as Record<Person, string>;
  let mnemonic = '';
  /** The owner's chain as an archive file: offline, the history comes back from it, not from the network. */
  let archive = '';
  let browser: Browser;
  let temporaryId = '';
  const files: Record<string, string> = {};

  /** Saves a download into the owner's served folder's parent (a temp dir the serve removes) under `name`. */
  const keep = async (download: Download, name: string): Promise<string> => {
    const path = join(served.lost.home, '..', `${name}-${download.suggestedFilename()}`);
    await download.saveAs(path);
    files[name] = path;
    return path;
  };

  beforeAll(async () => {
    for (const who of people) {
      served[who] = await startServe(`defaust-e2e-recovery-${who}-`, (home) => {
        const made = JSON.parse(cliOk(home, ['init', '--json'], PASS)) as { id: string; mnemonic: string };
        ids[who] = made.id;
        if (who === 'owner') {
          mnemonic = made.mnemonic;
          archive = join(home, '..', 'owner.defaust');
          cliOk(home, ['export', '--out', archive], PASS);
        }
      });
    }
    served.lost = await startServe('defaust-e2e-recovery-lost-');
    browser = await launchBrowser();
    for (const who of [...people, 'lost'] as const) {
      pages[who] = await (await browser.newContext({ viewport: { width: 800, height: 600 }, acceptDownloads: true })).newPage();
      pages[who].setDefaultTimeout(30_000);
      if (who !== 'lost') await unlockInUi(pages[who], served[who].url, PASS);
    }
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    for (const s of Object.values(served)) await s?.stop();
  });
  afterEach(shotIfFailed(() => pages.lost, 'recovery-failed'));

  it('the owner splits its phrase 2 of 2 behind a dialog naming the custodians, and gets one file each', async () => {
    const page = pages.owner;
    await navTo(page, 'Settings');
    const form = page.getByRole('form', { name: 'Recovery contacts' });
    await form.scrollIntoViewIfNeeded();
    await form.getByLabel('Custodians (their ids, one a line)').fill(`${ids.ada}\nnot-an-id`);
    await form.getByText('Not an id: not-an-id').waitFor();
    expect(await form.getByRole('button', { name: 'Make shares' }).isDisabled()).toBe(true);
    await form.getByLabel('Custodians (their ids, one a line)').fill(`${ids.ada}\n${ids.bob}`);
    await form.getByLabel('Your recovery phrase').fill(mnemonic);
    await form.getByText('24 of 24 words').waitFor();
    await form.getByRole('button', { name: 'Make shares' }).click();
    const dialog = page.getByRole('dialog', { name: 'Send recovery shares?' });
    await dialog.waitFor();
    for (const custodian of [ids.ada, ids.bob]) await dialog.getByText(custodian, { exact: true }).waitFor();
    await dialog.getByText(/does NOT revoke the shares you gave before/u).waitFor();
    await shot(page, 'recovery-01-split-dialog');
    await dialog.getByRole('button', { name: 'Sign and send' }).click();
    await page.getByRole('status').filter({ hasText: 'any 2 of 2 can give your phrase back' }).waitFor();
    expect(await form.getByLabel('Your recovery phrase').inputValue()).toBe('');
    for (const who of ['ada', 'bob'] as const) {
      const item = page.getByRole('listitem').filter({ has: page.locator(`[title="${ids[who]}"]`) });
      const [download] = await Promise.all([page.waitForEvent('download'), item.getByRole('button', { name: 'Download for them' }).click()]);
      await keep(download, `share-${who}`);
    }
    await shot(page, 'recovery-02-shares');
    await expectAccessible(page, 'recovery contacts');
  });

  it('each custodian keeps its own share on the Custody screen, and a share sealed to someone else is refused', async () => {
    for (const who of ['ada', 'bob'] as const) {
      const page = pages[who];
      await navTo(page, 'Custody');
      await page.getByRole('heading', { name: 'Custody', level: 1 }).waitFor();
      const form = page.getByRole('form', { name: 'Keep a share' });
      if (who === 'ada') {
        await form.getByLabel('Share file').setInputFiles(files['share-bob']!);
        await form.getByRole('button', { name: 'Keep' }).click();
        await page.getByRole('alert').filter({ hasText: new RegExp(`sealed to ${ids.bob}, not to ${ids.ada}`, 'u') }).waitFor();
        await page.getByText('You keep no shares.').waitFor();
      }
      await form.getByLabel('Share file').setInputFiles(files[`share-${who}`]!);
      await form.getByRole('button', { name: 'Keep' }).click();
      await page.getByRole('listitem').filter({ hasText: ids.owner }).filter({ hasText: /of 2 \(any 2 recover\)/u }).waitFor();
    }
    await shot(pages.ada, 'recovery-03-custody');
    await expectAccessible(pages.ada, 'custody');
  });

  it('a fresh home makes a temporary id, and each custodian releases to it after saying it checked by a call', async () => {
    const lost = pages.lost;
    await lost.goto(served.lost.url);
    await lost.getByRole('button', { name: 'Recover with friends' }).click();
    await lost.getByLabel('New passphrase for this device').fill(NEW_PASS);
    await lost.getByRole('button', { name: 'Make a temporary id' }).click();
    temporaryId = (await lost.locator('p.mono.break').textContent()) ?? '';
    expect(temporaryId).toMatch(/^did:key:z6Mk/u);
    expect(temporaryId).not.toBe(ids.owner);
    await shot(lost, 'recovery-04-temporary-id');

    for (const who of ['ada', 'bob'] as const) {
      const page = pages[who];
      const item = page.getByRole('listitem').filter({ hasText: ids.owner });
      await item.getByRole('button', { name: 'Release…' }).click();
      await item.getByText('Call them first').waitFor();
      await item.getByLabel('Their temporary id').fill(temporaryId);
      await item.getByRole('button', { name: 'Release', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Release this share?' });
      await dialog.getByText('Did you check by a call or in person that this id is theirs?').waitFor();
      await dialog.getByText(temporaryId, { exact: true }).waitFor();
      if (who === 'ada') await shot(page, 'recovery-05-release-dialog');
      const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Release' }).click()]);
      await keep(download, `release-${who}`);
      await page.getByRole('status').filter({ hasText: 'Released' }).waitFor();
    }
  });

  it('one release alone is refused, a changed one is refused, and both bring back the owner’s own id', async () => {
    const lost = pages.lost;
    // Offline there is no mailbox to check: said in words (e2e/recovery-mail.test.ts checks one on a network).
    await lost.getByRole('button', { name: 'Check my mailbox' }).click();
    await lost.getByRole('alert').filter({ hasText: 'The peer network is not running here' }).waitFor();
    const releases = lost.getByLabel('The files your contacts released (if any)');
    await releases.setInputFiles([files['release-ada']!]);
    await lost.getByRole('button', { name: 'Recover' }).click();
    await lost.getByRole('alert').filter({ hasText: '1 share given; this set needs 2' }).waitFor();

    const changed = readFileSync(files['release-bob']!);
    changed[changed.length - 10]! ^= 1;
    const changedPath = `${files['release-bob']!}.changed`;
    writeFileSync(changedPath, changed);
    await releases.setInputFiles([files['release-ada']!, changedPath]);
    await lost.getByRole('button', { name: 'Recover' }).click();
    await lost.getByRole('alert').filter({ hasText: 'it was altered or sealed to another key' }).waitFor();
    await shot(lost, 'recovery-06-refused');

    await releases.setInputFiles([files['release-ada']!, files['release-bob']!]);
    await lost.getByRole('button', { name: 'Recover' }).click();
    // The identity is back; offline, its history comes from an archive file, as after typing the phrase.
    await lost.getByRole('heading', { name: 'Bring your history back' }).waitFor({ timeout: 60_000 });
    await lost.getByText(ids.owner, { exact: true }).waitFor();
    await shot(lost, 'recovery-07-identity-back');
    await lost.getByLabel('Archive file', { exact: true }).setInputFiles(archive);
    await lost.getByLabel('Passphrase of this device').first().fill(NEW_PASS); // the archive's form comes before the network's
    await lost.getByRole('button', { name: 'Import and unlock' }).click();
    await lost.getByRole('heading', { name: 'Profile', level: 1 }).waitFor({ timeout: 60_000 });
    expect(await lost.locator('.sidebar-foot [title^="did:key:"]').getAttribute('title')).toBe(ids.owner);
    expect(await lost.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await shot(lost, 'recovery-08-recovered');
  });
});
