// Contacts in Chromium against a real `defaust serve`: "My id" shows the full did with Copy and a QR code drawn
// as inline SVG (no CSP violation); a pasted id that is not a did is refused in plain words; a contact added
// from the Contacts screen is named on Access (grantees), and an unknown grantee gets a name from the id on
// that screen ("Add name"); removing a contact shows the short id again. At 800 × 600 with no sideways scroll.
import { generateKeyPairSync } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { didFromPublicKey } from '../src-main/core/identity/did.ts';
import { createIdentityInUi, expectAccessible, hasChromium, hasRenderer, shot, startServe, type Served, openPage, shotIfFailed, navTo } from './helpers.ts';

const PASS = 'correct horse battery staple';
const ready = hasChromium && hasRenderer;

function freshDid(): string {
  const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
  return didFromPublicKey(new Uint8Array(Buffer.from(jwk.x!, 'base64url')));
}

const short = (did: string) => `${did.slice(8, 16)}…${did.slice(-4)}`;
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe.skipIf(!ready)('contacts and My id in Chromium (800 × 600)', { timeout: 300_000 }, () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let me: string;
  const ada = freshDid();
  const bob = freshDid();
  const nav = (name: string) => navTo(page, name);
  const noSidewaysScroll = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  beforeAll(async () => {
    served = await startServe('defaust-e2e-contacts-');
    ({ browser, page, problems } = await openPage({ width: 800, height: 600 }, { timeout: 30_000 }));
    me = await createIdentityInUi(page, served.url, PASS);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });
  afterEach(shotIfFailed(() => page, 'contacts-failed'));

  it('shows My id in full with Copy and a QR code of it', async () => {
    await nav('Contacts');
    await page.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();
    expect(await page.getByTestId('my-id').textContent()).toBe(me);
    await page.getByRole('button', { name: 'Copy my id' }).waitFor();
    const qr = page.getByRole('img', { name: 'QR code of my id' });
    await qr.waitFor();
    // Version 3 or more for a 56-character id: at least 29 modules, plus the quiet zone.
    expect(Number((await qr.getAttribute('viewBox'))?.split(' ')[2])).toBeGreaterThanOrEqual(37);
    expect(await noSidewaysScroll()).toBe(true);
    await shot(page, 'contacts-01-my-id');
    await expectAccessible(page, 'contacts');
  });

  it('refuses a pasted id that is not a did, adds one that is, and names it on Access', async () => {
    const form = page.getByRole('form', { name: 'Add a contact' });
    await form.getByLabel('Their id (did:key)').fill('ada');
    await form.getByText('Not an id').waitFor();
    expect(await form.getByRole('button', { name: 'Add contact' }).isDisabled()).toBe(true);
    await form.getByLabel('Their id (did:key)').fill(ada);
    await form.getByLabel('Name').fill('Ada Lovelace');
    await form.getByRole('checkbox', { name: 'trainer' }).check();
    await form.getByRole('button', { name: 'Add contact' }).click();
    await page.getByRole('status').filter({ hasText: 'Contact added' }).waitFor();
    await page.getByRole('row', { name: /Ada Lovelace/u }).filter({ hasText: 'trainer' }).waitFor();

    await nav('Access');
    for (const grantee of [ada, bob]) {
      await page.getByLabel('Their identity (did:key)').fill(grantee);
      await page.getByLabel('They can').selectOption('read');
      await page.getByLabel('Until').fill(day(20));
      await page.getByRole('button', { name: 'Grant access' }).click();
      await page.getByRole('dialog', { name: 'Sign this grant?' }).getByRole('button', { name: 'Sign grant' }).click();
      await page.getByRole('status').filter({ hasText: /can now read/u }).waitFor();
    }
    const grants = page.getByRole('table').first();
    await grants.getByText('Ada Lovelace').waitFor();
    expect(await grants.getByText('Ada Lovelace').getAttribute('title')).toBe(ada);
    await grants.getByText(short(bob)).waitFor();
    expect(await noSidewaysScroll()).toBe(true);
    await shot(page, 'contacts-02-access-named');
  });

  it('names an unknown grantee from the id shown on Access, and removing a contact shows the short id again', async () => {
    await page.getByRole('button', { name: `Add name for ${short(bob)}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Add to contacts' });
    await dialog.getByText(bob).waitFor();
    // Nothing is signed here: the focus is on the first field, the name.
    expect(await dialog.getByLabel('Name').evaluate((el) => el === document.activeElement)).toBe(true);
    await dialog.getByLabel('Name').fill('Bob');
    await dialog.getByRole('button', { name: 'Add contact' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('table').first().getByText('Bob', { exact: true }).waitFor();
    await shot(page, 'contacts-03-named-from-access');
    await expectAccessible(page, 'access with contacts');

    await nav('Contacts');
    await page.getByRole('button', { name: 'Remove Ada Lovelace' }).click();
    await page.getByRole('dialog', { name: 'Remove Ada Lovelace from your contacts?' }).getByRole('button', { name: 'Remove contact' }).click();
    await page.getByRole('status').filter({ hasText: 'Contact removed' }).waitFor();
    await nav('Access');
    await page.getByRole('table').first().getByText(short(ada)).waitFor();
    expect(problems).toEqual([]);
  });
});
