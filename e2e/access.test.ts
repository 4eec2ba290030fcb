// Access control through the UI against a real `defaust serve` (owner A), with a second identity B driven by
// the CLI: A grants B read on contact from the Access screen, exports the archive from Settings, B reads
// contact from it and is refused health; A grants B propose on fitness, B proposes weight 58.5, A imports
// the request in the Inbox, sees 60 → 58.5, approves it, finds the merge block and verifies the chain; a
// replayed import is refused in plain words; A revokes B through the confirmation dialog. Devices and
// services are added and shown. Screenshots of every new screen and axe-core on each.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, createIdentityInUi, expectAccessible, hasChromium, hasRenderer, ROOT, shot, startServe, type Served, openPage, shotIfFailed, navTo } from './helpers.ts';

const PASS = 'correct horse battery staple';
const B_PASS = 'bob has a good passphrase';
const ready = hasChromium && hasRenderer;
/** A key of its own for the registered service (never a person's). */
const SERVICE_DID = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';

/** The CLI as B types it. */
function cli(home: string, args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'defaust.mjs'), '--home', home, ...args], {
    encoding: 'utf8',
    env: { ...process.env, DEFAUST_PASSPHRASE: B_PASS, DEFAUST_HOME: undefined, DEFAUST_NOW: undefined },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe.skipIf(!ready)('access, inbox, devices in Chromium (defaust serve + the CLI)', { timeout: 120_000 }, () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let dir: string;
  let aDid: string;
  let bDid: string;
  let cDid: string;
  let requestFile: string;
  const nav = (name: string) => navTo(page, name);

  async function exportArchive(name: string): Promise<string> {
    await nav('Settings');
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export archive' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^defaust-.+\.defaust$/u);
    const path = join(dir, name);
    await download.saveAs(path);
    await page.getByRole('status').filter({ hasText: /Downloaded defaust-/u }).waitFor();
    return path;
  }

  async function setField(section: string, path: string, value: string, number = false) {
    await nav('Profile');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: new RegExp(section, 'u') }).click();
    await page.getByRole('button', { name: 'Add field' }).click();
    await page.getByLabel('Field', { exact: true }).fill(path);
    if (number) await page.getByLabel('Type').selectOption('number');
    await page.getByLabel('Value', { exact: true }).fill(value);
    await page.getByRole('button', { name: 'Review change' }).click();
    await page.getByRole('button', { name: 'Sign and save' }).click();
    await page.getByRole('status').filter({ hasText: /Saved in block #\d+/u }).waitFor();
  }

  async function grant(grantee: string, section: string, rights: string, until: string) {
    await nav('Access');
    await page.getByRole('heading', { name: 'Access', level: 1 }).waitFor();
    await page.getByLabel('Their identity (did:key)').fill(grantee);
    await page.getByLabel('Section', { exact: true }).selectOption(section);
    await page.getByLabel('They can').selectOption(rights);
    await page.getByLabel('Until').fill(until);
    await page.getByRole('button', { name: 'Grant access' }).click();
    await page.getByRole('dialog', { name: 'Sign this grant?' }).getByRole('button', { name: 'Sign grant' }).click();
    await page.getByRole('status').filter({ hasText: new RegExp(`can now .* ${section} until`, 'u') }).waitFor();
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'defaust-e2e-access-'));
    const b = cli(join(dir, 'bob'), ['init', '--json']);
    expect(b.code, b.stderr).toBe(0);
    bDid = JSON.parse(b.stdout).id;
    const c = cli(join(dir, 'carol'), ['init', '--json']);
    expect(c.code, c.stderr).toBe(0);
    cDid = JSON.parse(c.stdout).id;
    served = await startServe('defaust-e2e-owner-');
    ({ browser, page, problems } = await openPage({ width: 1280, height: 860 }, { downloads: true }));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  afterEach(shotIfFailed(() => page));

  it('onboards the owner and fills contact, health and fitness', async () => {
    aDid = await createIdentityInUi(page, served.url, PASS);
    expect(aDid).toMatch(/^did:key:z6Mk/u);
    await setField('contact', 'email', 'alice@example.org');
    await setField('health', 'blood', 'O+');
    await setField('fitness', 'weight', '60', true);
  });

  it('grants B read on contact until a date; B reads contact from the exported archive and is refused health', async () => {
    await nav('Access');
    await page.getByText('Nobody else can see any section of your profile.').waitFor();
    // A wrong identity is refused in plain words before anything is sent.
    await page.getByLabel('Their identity (did:key)').fill('bob');
    await page.getByText('That is not a DeFaust identity').waitFor();
    const until = day(45);
    await grant(bDid, 'contact', 'read', until);
    const row = page.getByRole('row', { name: /contact/u });
    await row.waitFor();
    expect(await row.textContent()).toContain('Read');
    expect(await page.getByRole('table').textContent()).not.toContain('health');
    await page.getByLabel('They can').selectOption('propose');
    await page.getByText('Nothing changes until you approve a request in your Inbox.').waitFor();
    await page.getByLabel('They can').selectOption('read');
    await shot(page, '19-access');
    await expectAccessible(page, 'access');

    const archive = await exportArchive('alice-1.defaust');
    await shot(page, '20-settings-export');
    await expectAccessible(page, 'settings export');
    const read = cli(join(dir, 'bob'), ['read', archive, 'contact', '--json']);
    expect(read.code, read.stderr).toBe(0);
    expect(JSON.parse(read.stdout)).toEqual({ contact: { email: 'alice@example.org' } });
    const refused = cli(join(dir, 'bob'), ['read', archive, 'health']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/no grant for section health/u);
  });

  it('imports B’s change request, shows 60 → 58.5, approves it into a merge block that verifies', async () => {
    await grant(bDid, 'fitness', 'propose', day(45));
    const archive = await exportArchive('alice-2.defaust');
    requestFile = join(dir, 'weight.request');
    const proposed = cli(join(dir, 'bob'), ['propose', aDid, 'fitness', 'weight', '58.5', '--type', 'number', '--archive', archive, '--out', requestFile]);
    expect(proposed.code, proposed.stderr).toBe(0);

    await nav('Inbox');
    await page.getByRole('heading', { name: 'Inbox', level: 1 }).waitFor();
    await page.getByText('No change request is waiting.').waitFor();
    await page.getByLabel('Request file').setInputFiles(requestFile);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Imported a request from' }).waitFor();
    const diff = page.getByRole('table', { name: 'What would change in fitness' });
    const weight = diff.getByRole('row', { name: /weight/u });
    await weight.waitFor();
    expect(await weight.locator('del').textContent()).toBe('60');
    expect(await weight.locator('ins').textContent()).toBe('58.5');
    await shot(page, '21-inbox-pending');
    await expectAccessible(page, 'inbox pending');

    await page.getByRole('button', { name: 'Approve and sign…' }).click();
    await page.getByRole('dialog', { name: 'Sign this change?' }).getByRole('button', { name: 'Sign and apply' }).click();
    const approved = page.getByRole('status').filter({ hasText: /Approved and signed in block #\d+/u });
    await approved.waitFor();
    const seq = Number(/#(\d+)/u.exec((await approved.textContent()) ?? '')?.[1]);
    const history = page.getByRole('table', { name: 'Answered change requests' });
    await expect.poll(() => history.textContent()).toContain('Verifies');
    expect(await history.textContent()).toContain(`Approved in block #${seq}`);
    await shot(page, '22-inbox-history');
    await expectAccessible(page, 'inbox history');

    await page.getByRole('button', { name: 'See it in the timeline' }).click();
    await page.getByRole('heading', { name: 'Timeline', level: 1 }).waitFor();
    await page.getByRole('button', { name: new RegExp(`^Block #${seq} Request approved`, 'u') }).waitFor();
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.getByText(/Your chain is intact/u).waitFor();
  });

  it('refuses a replayed request file in plain words', async () => {
    await nav('Inbox');
    await page.getByLabel('Request file').setInputFiles(requestFile);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'You already received this request. It was not imported a second time.' });
    await alert.waitFor();
    expect(await alert.textContent()).not.toMatch(/request\/|replayed/u);
    await shot(page, '23-inbox-replayed');
    await expectAccessible(page, 'inbox replayed');
  });

  it('revokes B on contact after a confirmation that says what cannot be taken back', async () => {
    await nav('Access');
    await page.getByRole('heading', { name: 'Access', level: 1 }).waitFor();
    await page.getByRole('button', { name: /^Revoke .* on contact$/u }).click();
    const dialog = page.getByRole('dialog', { name: /^Revoke .* on contact\?$/u });
    await dialog.waitFor();
    await dialog.getByText('They keep what they have already read. They cannot read anything you write from now on.').waitFor();
    expect(await dialog.getByText('They keep what they have already read.').isVisible()).toBe(true);
    // The modal's backdrop covers the viewport: a viewport screenshot shows it as a person sees it.
    await page.screenshot({ path: join(ARTIFACTS, '24-revoke-confirm.png') });
    await expectAccessible(page, 'revoke confirm');
    // Escape cancels; nothing is revoked.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.getByRole('row', { name: /contact/u }).count()).toBe(1);
    await page.getByRole('button', { name: /^Revoke .* on contact$/u }).click();
    await dialog.getByRole('button', { name: 'Revoke access' }).click();
    await page.getByRole('status').filter({ hasText: 'Access to contact revoked' }).waitFor();
    expect(await page.getByRole('row', { name: /contact/u }).count()).toBe(0);
    expect(await page.getByRole('row', { name: /fitness/u }).count()).toBe(1);
  });

  it('adds and revokes a device, registers a service and shows the audit log', async () => {
    await nav('Devices & services');
    await page.getByRole('heading', { name: 'Devices & services', level: 1 }).waitFor();
    await page.getByText('This device', { exact: true }).waitFor();
    await page.getByLabel('Device key (did:key)').fill(cDid);
    await page.getByLabel('Name (optional)').first().fill('Old phone');
    await page.getByRole('button', { name: 'Add device' }).click();
    await page.getByRole('dialog', { name: 'Certify this device?' }).getByRole('button', { name: 'Sign and add device' }).click();
    await page.getByRole('status').filter({ hasText: 'Device added' }).waitFor();
    await page.getByRole('button', { name: 'Revoke device Old phone' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke the device Old phone?' });
    await dialog.getByRole('button', { name: 'Revoke device' }).click();
    await page.getByRole('row', { name: /Old phone/u }).filter({ hasText: /Revoked in block #\d+/u }).waitFor();

    // B was granted and revoked: registering B's key as a service would give B Read again (issue 14), so it is refused.
    await page.getByLabel('Service key (did:key)').fill(bDid);
    await page.getByLabel('Name (optional)').nth(1).fill('Home server');
    await page.getByRole('checkbox', { name: 'fitness' }).check();
    await page.getByRole('button', { name: 'Register service' }).click();
    await page.getByRole('dialog', { name: 'Register this service?' }).getByRole('button', { name: 'Sign and register' }).click();
    await page.getByRole('alert').filter({ hasText: 'is a person you granted access to, not a service key' }).waitFor();
    await page.getByLabel('Service key (did:key)').fill(SERVICE_DID);
    await page.getByRole('button', { name: 'Register service' }).click();
    await page.getByRole('dialog', { name: 'Register this service?' }).getByRole('button', { name: 'Sign and register' }).click();
    await page.getByRole('status').filter({ hasText: 'Service registered' }).waitFor();
    await page.getByRole('row', { name: /Home server/u }).filter({ hasText: 'fitness' }).waitFor();
    await page.getByText('No read has been recorded yet.').waitFor();
    await shot(page, '25-devices');
    await expectAccessible(page, 'devices');
    expect(problems).toEqual([]);
  });
});
