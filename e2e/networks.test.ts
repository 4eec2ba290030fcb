// Private networks on the Network screen in Chromium against a real `defaust serve` (offline: the card works
// without the node): make a network (a bad name refused as typed), invite a contact — the sign dialog shows
// the network and the did before anything is signed, and with no mailbox the invite comes back as a file —
// then the invitee's own home joins from that very file on the command line; leave it (confirmed).
// Screenshots at 800 × 600 in e2e/artifacts, axe-core, no CSP violation.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createIdentityInUi, expectAccessible, hasChromium, hasRenderer, ROOT, shot, startServe, type Served, openPage, shotIfFailed, navTo } from './helpers.ts';

const PASS = 'correct horse battery staple';
const ready = hasChromium && hasRenderer;

function cli(home: string, args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'defaust.mjs'), '--home', home, ...args], {
    encoding: 'utf8', env: { ...process.env, DEFAUST_PASSPHRASE: PASS, DEFAUST_HOME: undefined },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!ready)('private networks on the Network screen (800 × 600)', { timeout: 300_000 }, () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  const base = mkdtempSync(join(tmpdir(), 'defaust-e2e-pnet-'));
  const bobHome = join(base, 'bob');
  let bob = '';
  const nav = (name: string) => navTo(page, name);

  beforeAll(async () => {
    expect(cli(bobHome, ['init']).code).toBe(0);
    bob = (JSON.parse(cli(bobHome, ['whoami', '--json']).stdout) as { id: string }).id;
    served = await startServe('defaust-e2e-networks-');
    ({ browser, page, problems } = await openPage({ width: 800, height: 600 }, { downloads: true, timeout: 30_000 }));
    await createIdentityInUi(page, served.url, PASS);
    await nav('Contacts');
    const form = page.getByRole('form', { name: 'Add a contact' });
    await form.getByLabel('Their id (did:key)').fill(bob);
    await form.getByLabel('Name').fill('Bob');
    await form.getByRole('button', { name: 'Add contact' }).click();
    await page.getByRole('status').filter({ hasText: 'Contact added' }).waitFor();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    rmSync(base, { recursive: true, force: true });
  });
  afterEach(shotIfFailed(() => page, 'networks-failed'));

  it('makes a private network, the name checked as typed', async () => {
    await nav('Network');
    const card = page.getByRole('form', { name: 'Make a private network' });
    await card.getByLabel('New network’s name').fill('Club!');
    await card.getByText('A network name is 1–32 lower-case letters').waitFor();
    await card.getByLabel('New network’s name').fill('club');
    await card.getByRole('button', { name: 'Make network' }).click();
    await page.getByText('Made the private network “club”').waitFor();
    await page.getByRole('rowheader', { name: 'club' }).waitFor();
    expect(await page.getByText('This device runs in the public network', { exact: false }).count()).toBeGreaterThan(0);
    await page.getByRole('rowheader', { name: 'club' }).scrollIntoViewIfNeeded();
    await shot(page, 'networks-01-made');
    await expectAccessible(page, 'network (private networks)');
  });

  it('invites a contact behind a sign dialog; the invite file opens in their home', async () => {
    await page.getByLabel('Contact to invite to club').selectOption(bob);
    await page.getByRole('form', { name: 'Invite to club' }).getByRole('button', { name: 'Invite' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign this invite?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(bob);
    expect(await dialog.textContent()).toContain('club');
    await shot(page, 'networks-02-sign-invite');
    await dialog.getByRole('button', { name: 'Sign: invite' }).click();
    await page.getByText('No mailbox of theirs took it').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save the invite file' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^club-.{8}\.network-invite$/u);
    const file = join(base, 'club.network-invite');
    await download.saveAs(file);
    const joined = cli(bobHome, ['network', 'join', file, '--json']);
    expect(joined.code, joined.stderr).toBe(0);
    expect(JSON.parse(joined.stdout)).toMatchObject({ name: 'club' });
  });

  it('leaves the network after a confirmation', async () => {
    await page.getByRole('button', { name: 'Leave' }).click();
    await page.getByRole('dialog', { name: 'Leave “club”?' }).getByRole('button', { name: 'Leave' }).click();
    await page.getByText('This device belongs to no private network.').waitFor();
    await shot(page, 'networks-03-left');
    expect(problems).toEqual([]);
  });
});
