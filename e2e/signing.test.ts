// Every signing flow of the UI, walked in Chromium at 800 × 600 against a real `defaust serve`, counting what
// the chain gained (blocks through the API) against the signing dialogs the page showed (every element marked
// `data-signs`, counted by a MutationObserver as it appears): each step that appends is preceded by exactly one
// dialog, a cancelled or escaped dialog appends nothing, Cancel has the focus, and after a signature the
// focus is on its result. A second identity (B, the CLI) proposes a change so that approving is walked too.
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { didFromPublicKey } from '../src-main/core/identity/did.ts';
import { createIdentityInUi, hasChromium, hasRenderer, makePng, ROOT, shot, startServe, type Served, shotIfFailed, openPage, navTo } from './helpers.ts';

const PASS = 'correct horse battery staple';
const B_PASS = 'bob has a good passphrase';
const ready = hasChromium && hasRenderer;

/** A did:key of a fresh Ed25519 key (a device or a service that is nobody's grantee). */
function freshDid(): string {
  const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
  return didFromPublicKey(new Uint8Array(Buffer.from(jwk.x!, 'base64url')));
}

function cli(home: string, args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'defaust.mjs'), '--home', home, ...args], {
    encoding: 'utf8',
    env: { ...process.env, DEFAUST_PASSPHRASE: B_PASS, DEFAUST_HOME: undefined, DEFAUST_NOW: undefined },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** Counts every signing dialog (or review) as it is added to the page. */
const COUNT_SIGNING_DIALOGS = `
  window.__signDialogs = 0;
  new MutationObserver((mutations) => {
    for (const m of mutations) for (const node of m.addedNodes) {
      if (!(node instanceof Element)) continue;
      if (node.matches('[data-signs]')) window.__signDialogs++;
      window.__signDialogs += node.querySelectorAll('[data-signs]').length;
    }
  }).observe(document, { subtree: true, childList: true });
`;

describe.skipIf(!ready)('every signature is preceded by one dialog (Chromium, 800 × 600)', { timeout: 600_000 }, () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let dir: string;
  let bDid: string;
  let aDid: string;
  /** What each step appended and how many signing dialogs it showed. */
  const steps: { name: string; blocks: string[]; dialogs: number }[] = [];
  const nav = (name: string) => navTo(page, name);
  const dialog = (name: string) => page.getByRole('dialog', { name });

  async function blocks(): Promise<{ total: number; kinds: string[] }> {
    const response = await fetch(`${served.origin}/api/chain:log`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${served.token}`, Origin: served.origin }, body: JSON.stringify({ order: 'asc', limit: 1000 }),
    });
    const result = (await response.json()) as { ok: true; value: { total: number; items: { kind: string }[] } };
    return { total: result.value.total, kinds: result.value.items.map((b) => b.kind) };
  }
  const dialogsShown = () => page.evaluate(() => (window as unknown as { __signDialogs: number }).__signDialogs);

  /** Runs one flow; `appends` says whether it must write to the chain (a signing flow) or not (a cancel). */
  async function step(name: string, appends: boolean, act: () => Promise<void>): Promise<void> {
    const before = await blocks();
    const shown = await dialogsShown();
    await act();
    if (appends) await expect.poll(async () => (await blocks()).total, { timeout: 60_000 }).toBeGreaterThan(before.total);
    const after = await blocks();
    steps.push({ name, blocks: after.kinds.slice(before.total), dialogs: (await dialogsShown()) - shown });
  }

  /** Focus is on Cancel when a signing dialog opens. */
  async function expectCancelFocused(name: string) {
    await dialog(name).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
  }

  /** After a signature the focus is on its result (a status note). */
  async function expectFocusOnResult(text: RegExp) {
    await page.getByRole('status').filter({ hasText: text }).waitFor();
    await expect.poll(() => page.evaluate(() => `${document.activeElement?.getAttribute('role')}: ${document.activeElement?.textContent}`)).toMatch(new RegExp(`^status: .*${text.source}`, 'u'));
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'defaust-e2e-signing-'));
    const b = cli(join(dir, 'bob'), ['init', '--json']);
    expect(b.code, b.stderr).toBe(0);
    bDid = JSON.parse(b.stdout).id;
    served = await startServe('defaust-e2e-signing-');
    ({ browser, page, problems } = await openPage({ width: 800, height: 600 }, { downloads: true, timeout: 30_000 }));
    await page.addInitScript(COUNT_SIGNING_DIALOGS);
    aDid = await createIdentityInUi(page, served.url, PASS);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  afterEach(shotIfFailed(() => page, 'signing-failed'));

  it('profile edit, section, grant (escaped, cancelled, then signed) and revoke', async () => {
    await step('set a field', true, async () => {
      await nav('Profile');
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: /fitness/u }).click();
      await page.getByRole('button', { name: 'Add field' }).click();
      await page.getByLabel('Field', { exact: true }).fill('weight');
      await page.getByLabel('Type').selectOption('number');
      await page.getByLabel('Value', { exact: true }).fill('60');
      await page.getByRole('button', { name: 'Review change' }).click();
      await shot(page, 'signing-01-review');
      await page.getByRole('button', { name: 'Sign and save' }).click();
      await page.getByRole('status').filter({ hasText: /Saved in block #\d+/u }).waitFor();
    });

    await step('create a section', true, async () => {
      await nav('Access');
      await page.getByLabel('Section name').fill('work');
      await page.getByRole('button', { name: 'Create section' }).click();
      await expectCancelFocused('Create this section?');
      await dialog('Create this section?').getByRole('button', { name: 'Sign and create' }).click();
      await expectFocusOnResult(/Created the section work/u);
    });

    const grantee = freshDid();
    const fillGrant = async () => {
      await page.getByLabel('Their identity (did:key)').fill(grantee);
      await page.getByLabel('Section', { exact: true }).selectOption('contact');
      await page.getByLabel('They can').selectOption('read');
      await page.getByLabel('Until').fill(day(30));
      await page.getByRole('button', { name: 'Grant access' }).click();
    };
    await step('grant, escaped', false, async () => {
      await fillGrant();
      await expectCancelFocused('Sign this grant?');
      const facts = await dialog('Sign this grant?').textContent();
      expect(facts).toContain(grantee);
      expect(facts).toContain('contact');
      expect(facts).toContain('Read');
      await shot(page, 'signing-02-grant');
      await page.keyboard.press('Escape');
      await dialog('Sign this grant?').waitFor({ state: 'detached' });
    });
    await step('grant, cancelled', false, async () => {
      await page.getByRole('button', { name: 'Grant access' }).click();
      await dialog('Sign this grant?').getByRole('button', { name: 'Cancel' }).click();
      await dialog('Sign this grant?').waitFor({ state: 'detached' });
    });
    await step('grant', true, async () => {
      await page.getByRole('button', { name: 'Grant access' }).click();
      await dialog('Sign this grant?').getByRole('button', { name: 'Sign grant' }).click();
      await expectFocusOnResult(/can now read contact until/u);
    });
    await step('revoke', true, async () => {
      await page.getByRole('button', { name: /^Revoke .* on contact$/u }).click();
      await dialog(`Revoke ${grantee.slice(8, 16)}…${grantee.slice(-4)} on contact?`).getByRole('button', { name: 'Revoke access' }).click();
      await page.getByRole('status').filter({ hasText: 'Access to contact revoked' }).waitFor();
    });
  });

  it('attach, claim, trust and stop trusting', async () => {
    await step('attach', true, async () => {
      await nav('Media');
      await page.getByLabel('Section').selectOption('feats');
      await page.getByLabel('Event').fill('Berlin marathon 2026');
      await page.getByLabel('File').setInputFiles({ name: 'finish-line.png', mimeType: 'image/png', buffer: makePng(48) });
      await page.getByRole('button', { name: 'Attach', exact: true }).click();
      await expectCancelFocused('Sign and attach this file?');
      expect(await dialog('Sign and attach this file?').textContent()).toContain('finish-line.png');
      await shot(page, 'signing-03-attach');
      await dialog('Sign and attach this file?').getByRole('button', { name: 'Sign and attach' }).click();
      await expectFocusOnResult(/Attached finish-line\.png/u);
    });
    await step('claim', true, async () => {
      await nav('Feats');
      const form = page.getByRole('form', { name: 'Claim a feat' });
      await form.getByLabel('What you did').fill('Berlin marathon under 4 hours');
      await form.getByLabel('Kind of feat').fill('marathon');
      await form.getByLabel('How many witnesses').fill('2');
      await form.getByRole('checkbox', { name: /finish-line\.png/u }).check();
      await form.getByRole('button', { name: 'Sign and claim' }).click();
      await expectCancelFocused('Sign this claim?');
      expect(await dialog('Sign this claim?').textContent()).toContain('2 trusted witnesses');
      await shot(page, 'signing-04-claim');
      await dialog('Sign this claim?').getByRole('button', { name: 'Sign claim' }).click();
      await expectFocusOnResult(/Claimed “Berlin marathon under 4 hours”/u);
    });
    const witness = freshDid();
    await step('trust', true, async () => {
      const form = page.getByRole('form', { name: 'Trust a witness' });
      await form.getByLabel('Witness identity (did:key)').fill(witness);
      await form.getByLabel('For which kind').fill('marathon');
      await form.getByRole('button', { name: 'Trust', exact: true }).click();
      await expectCancelFocused('Trust this witness?');
      expect(await dialog('Trust this witness?').textContent()).toContain('you alone: sealed in your chain');
      await shot(page, 'signing-05-trust');
      await dialog('Trust this witness?').getByRole('button', { name: 'Sign: trust' }).click();
      await expectFocusOnResult(/You now trust/u);
    });
    await step('stop trusting', true, async () => {
      await page.getByRole('button', { name: /^Stop trusting .* for marathon$/u }).click();
      await dialog('Stop trusting this witness?').getByRole('button', { name: 'Sign: stop trusting' }).click();
      await page.getByText('You trust nobody yet.').waitFor();
    });
    await step('trust on the public list', true, async () => {
      const form = page.getByRole('form', { name: 'Trust a witness' });
      await form.getByLabel('Witness identity (did:key)').fill(freshDid());
      await form.getByLabel('For which kind').fill('marathon');
      await form.getByRole('checkbox', { name: /On my public list/u }).check();
      await form.getByRole('button', { name: 'Trust', exact: true }).click();
      await expectCancelFocused('Trust this witness?');
      expect(await dialog('Trust this witness?').textContent()).toContain('everyone: it is on your public list');
      await dialog('Trust this witness?').getByRole('button', { name: 'Sign: trust' }).click();
      await expectFocusOnResult(/You now trust/u);
      await page.getByText('On your public list', { exact: true }).waitFor();
      await shot(page, 'signing-05b-public-list');
    });
    await step('stop trusting the listed witness', true, async () => {
      await page.getByRole('button', { name: /^Stop trusting .* for marathon$/u }).click();
      await dialog('Stop trusting this witness?').getByRole('button', { name: 'Sign: stop trusting' }).click();
      await page.getByText('You trust nobody yet.').waitFor();
    });
  });

  it('add and revoke a device, register and revoke a service', async () => {
    const device = freshDid();
    const service = freshDid();
    await nav('Devices & services');
    await page.getByRole('region', { name: "This device's id" }).or(page.getByText("This device's id")).first().waitFor();
    await step('add device', true, async () => {
      await page.getByLabel('Device key (did:key)').fill(device);
      await page.getByLabel('Name (optional)').first().fill('Tablet');
      await page.getByRole('button', { name: 'Add device' }).click();
      await expectCancelFocused('Certify this device?');
      expect(await dialog('Certify this device?').textContent()).toContain(device);
      await shot(page, 'signing-06-device');
      await dialog('Certify this device?').getByRole('button', { name: 'Sign and add device' }).click();
      await expectFocusOnResult(/Device added/u);
    });
    await step('revoke device', true, async () => {
      await page.getByRole('button', { name: 'Revoke device Tablet' }).click();
      await dialog('Revoke the device Tablet?').getByRole('button', { name: 'Revoke device' }).click();
      await page.getByRole('row', { name: /Tablet/u }).filter({ hasText: /Revoked in block #\d+/u }).waitFor();
    });
    await step('register service', true, async () => {
      await page.getByLabel('Service key (did:key)').fill(service);
      await page.getByLabel('Name (optional)').nth(1).fill('Home server');
      await page.getByRole('checkbox', { name: 'contact' }).check();
      await page.getByRole('button', { name: 'Register service' }).click();
      await expectCancelFocused('Register this service?');
      expect(await dialog('Register this service?').textContent()).toContain('Read on contact');
      await shot(page, 'signing-07-service');
      await dialog('Register this service?').getByRole('button', { name: 'Sign and register' }).click();
      await expectFocusOnResult(/Service registered/u);
    });
    await step('revoke service', true, async () => {
      await page.getByRole('button', { name: 'Revoke service Home server' }).click();
      await dialog('Revoke the service Home server?').getByRole('button', { name: 'Revoke service' }).click();
      await page.getByRole('row', { name: /Home server/u }).filter({ hasText: /Revoked in block #\d+/u }).waitFor();
    });
  });

  it('approve a change request from B after seeing the diff', async () => {
    await step('grant B propose', true, async () => {
      await nav('Access');
      await page.getByLabel('Their identity (did:key)').fill(bDid);
      await page.getByLabel('Section', { exact: true }).selectOption('fitness');
      await page.getByLabel('They can').selectOption('propose');
      await page.getByLabel('Until').fill(day(30));
      await page.getByRole('button', { name: 'Grant access' }).click();
      await dialog('Sign this grant?').getByRole('button', { name: 'Sign grant' }).click();
      await expectFocusOnResult(/can now read and propose changes to fitness/u);
    });
    await nav('Settings');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export archive' }).click()]);
    const archive = join(dir, 'alice.defaust');
    await download.saveAs(archive);
    const requestFile = join(dir, 'weight.request');
    const proposed = cli(join(dir, 'bob'), ['propose', aDid, 'fitness', 'weight', '58.5', '--type', 'number', '--archive', archive, '--out', requestFile]);
    expect(proposed.code, proposed.stderr).toBe(0);
    await step('import the request (signs nothing)', false, async () => {
      await nav('Inbox');
      await page.getByLabel('Request file').setInputFiles(requestFile);
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      await page.getByRole('table', { name: 'What would change in fitness' }).waitFor();
    });
    await step('approve', true, async () => {
      await page.getByRole('button', { name: 'Approve and sign…' }).click();
      await expectCancelFocused('Sign this change?');
      const diff = dialog('Sign this change?').getByRole('table', { name: 'The change you sign in fitness' });
      expect(await diff.getByRole('row', { name: /weight/u }).locator('ins').textContent()).toBe('58.5');
      await shot(page, 'signing-08-approve');
      await dialog('Sign this change?').getByRole('button', { name: 'Sign and apply' }).click();
      await expectFocusOnResult(/Approved and signed in block #\d+/u);
    });
  });

  it('counts: every step that appended showed exactly one signing dialog, the others appended nothing', () => {
    const expected = (name: string) => (name.includes('signs nothing') ? { dialogs: 0, appended: false } : name.includes(', ') ? { dialogs: 1, appended: false } : { dialogs: 1, appended: true });
    expect(steps.map((s) => ({ step: s.name, dialogs: s.dialogs, appended: s.blocks.length > 0 }))).toEqual(steps.map((s) => ({ step: s.name, ...expected(s.name) })));
    const signing = steps.filter((s) => s.blocks.length > 0);
    expect(signing.length).toBe(16);
    expect(signing.reduce((n, s) => n + s.dialogs, 0)).toBe(signing.length);
    expect(problems).toEqual([]);
  });
});
