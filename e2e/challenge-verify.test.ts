// A challenge as a stranger makes it, in Chromium at 800 × 600 against a real `defaust serve` (offline) and
// CLI homes. A holder's marathon, signed off by two witnesses, is proven to the wallet; the wallet verifies
// the proof against the two people it names (nonce 11; their keys from the archives they handed over), then "Challenge this feat" signs a challenge
// through the SignDialog; the file goes to the holder, whose CLI declines. The wallet resolves the challenge
// with the answer file ("Sign this outcome?"), wins, and sees the two witnesses barred; the holder's CLI
// takes the outcome in, so the feat is refuted and `prove feat` refuses it. "Challenge back" counters on the
// holder's other marathon (its proof); the holder's CLI can answer that file. The Witness inbox shows the
// wallet's clients (the holder is one, as a trainer's) with the request waiting from them, reports a
// witness through the signing dialog, and its honor badge shows the evidence. No screen scrolls sideways;
// axe finds nothing serious.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Home } from '../src-main/app/home.ts';
import type { Did } from '../src-main/core/identity/did.ts';
import { envelopeFormat } from '../src-main/core/identity/envelope.ts';
import { cliOk, closeAll, expectAccessible, hasChromium, hasRenderer, navTo, openPage, shot, shotIfFailed, startServe, unlockInUi, type Served } from './helpers.ts';

const PASS = 'correct horse battery staple';
const CLI_PASS = 'a holder passphrase';
const ready = hasChromium && hasRenderer;

const cli = (home: string, args: string[], pass = CLI_PASS, now?: number) => cliOk(home, args, pass, now);
const idOf = (out: string) => (JSON.parse(out) as { id: string }).id;

/** A week from now, as a date input takes it. */
const inAWeek = () => new Date(Date.now() + 7 * 24 * 3_600_000).toISOString().slice(0, 10);
/** The honor badge's accessible name for `did` (the screen shows it short, as shortId does). */
const badgeName = (did: string, status: string) => `Honor of ${did.slice(8, 16)}…${did.slice(-4)}: ${status}. Show the evidence`;

describe.skipIf(!ready)('a stranger challenges a feat from the Verify screen (defaust serve + the CLI)', { timeout: 600_000 }, () => {
  let dir: string;
  let served: Served;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let holder = '';
  let witnesses: string[] = [];
  let claim = '';
  const downloads: Download[] = [];
  const H = () => join(dir, 'holder');
  const F = (name: string) => join(dir, name);
  const noSideways = async (screen: string) => expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), screen).toBe(true);
  /** Saves the newest download whose suggested name starts with `prefix`; its path. */
  const saved = async (prefix: string) => {
    // The download event may come a moment after the screen says the file was downloaded.
    await expect.poll(() => downloads.some((x) => x.suggestedFilename().startsWith(prefix)), { timeout: 10_000 }).toBe(true);
    const d = downloads.filter((x) => x.suggestedFilename().startsWith(prefix)).at(-1);
    expect(d, `a download named ${prefix}…: ${downloads.map((x) => x.suggestedFilename()).join(', ')}`).toBeDefined();
    const path = F(`${prefix}-${downloads.indexOf(d!)}`);
    await d!.saveAs(path);
    return path;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'defaust-e2e-challenge-'));
    holder = idOf(cli(H(), ['init', '--json']));
    witnesses = ['w1', 'w2'].map((w) => idOf(cli(F(w), ['init', '--json'])));
    // Their archives, as they would hand them over: the wallet reads each one's key from its chain (offline).
    for (const w of ['w1', 'w2']) cli(F(w), ['export', '--out', F(`${w}.archive`)]);
    for (const w of witnesses) cli(H(), ['trust', 'add', w, '--for', 'marathon']);
    /** A marathon claim signed off by both witnesses (files), proven for nonce `nonce` into `out`. */
    const provenClaim = (title: string, nonce: string, out: string) => {
      const cid = (JSON.parse(cli(H(), ['feat', 'claim', title, '--type', 'marathon', '--policy', 'k-of-n:2', '--criteria', 'chip time < 3:00:00', '--json'])) as { cid: string }).cid;
      const asked = JSON.parse(cli(H(), ['attest', 'request', cid, ...witnesses.flatMap((w) => ['--witness', w]), '--out', F(`req-${nonce}`), '--json'])) as { witness: string; file: string }[];
      for (const r of asked) {
        const name = `w${witnesses.indexOf(r.witness) + 1}`;
        cli(F(name), ['attest', 'sign', r.file, '--verdict', 'yes', '--out', F(`reply-${name}-${nonce}`)]);
        cli(H(), ['attest', 'import', F(`reply-${name}-${nonce}`)]);
      }
      cli(H(), ['prove', 'feat', cid, '--nonce', nonce, '--out', out]);
      return cid;
    };
    claim = provenClaim('Marathon under 3h', '11', F('proof.json'));
    provenClaim('Paris marathon under 3h', '12', F('proof-2.json'));
    served = await startServe('defaust-e2e-challenge-w-', (home) => {
      // The wallet is also the holder's trainer: the holder is a client, whose request to sign off waits in the mail.
      const me = idOf(cli(home, ['init', '--json'], PASS));
      cli(home, ['contacts', 'add', holder, '--name', 'Hana Holder', '--roles', 'client'], PASS);
      const squat = (JSON.parse(cli(H(), ['feat', 'claim', 'Squat 100 kg', '--type', 'squat', '--policy', 'authority', '--json'])) as { cid: string }).cid;
      const [asked] = JSON.parse(cli(H(), ['attest', 'request', squat, '--witness', me, '--out', F('to-trainer'), '--json'])) as { file: string }[];
      const envelope = new Uint8Array(readFileSync(asked!.file));
      const h = new Home(home);
      try {
        const now = Date.now();
        h.receivedMail().put({ id: 'e2e-client-request', to: me as Did, from: holder as Did, format: envelopeFormat(envelope) ?? 'unknown', ts: now, receivedAt: now, envelope, state: 'waiting', note: 'waiting' });
      } finally {
        h.close();
      }
    });
    ({ browser, page, problems } = await openPage({ width: 800, height: 600 }, { downloads: true, timeout: 30_000 }));
    page.on('download', (d) => downloads.push(d));
  }, 900_000);
  afterAll(() => closeAll(browser, served, dir));
  afterEach(shotIfFailed(() => page));

  it('verifies the proof against the people it names, and challenges the feat through the SignDialog', async () => {
    await unlockInUi(page, served.url, PASS);
    await navTo(page, 'Verify a proof');
    const form = page.getByRole('form', { name: 'Verify a proof' });
    await form.getByLabel('Proof file').setInputFiles(F('proof.json'));
    await form.getByLabel('These people').check();
    await form.getByLabel('Their identities, separated by commas').fill(witnesses.join(', '));
    await form.getByLabel('Their archive files (optional)').setInputFiles([F('w1.archive'), F('w2.archive')]);
    await form.getByLabel('Nonce you asked for (optional)').fill('11');
    await form.getByRole('button', { name: 'Verify', exact: true }).click();
    await page.getByRole('heading', { name: '✓ Valid proof' }).waitFor();
    await page.getByText('The witnesses are from the trust set you gave.').waitFor();

    const card = page.getByRole('region', { name: 'Challenge this feat' });
    await card.getByLabel('Deadline').fill(inAWeek());
    await card.getByLabel('Panel (did:key ids, separated by commas)').fill(witnesses.join(', '));
    await card.getByLabel('How many of the panel must attest').fill('2');
    await card.getByRole('button', { name: 'Challenge…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign this challenge?' });
    await dialog.getByText('Marathon under 3h').waitFor();
    await dialog.getByText(holder).waitFor();
    await shot(page, 'challenge-sign-800');
    await expectAccessible(page, 'challenge dialog');
    await dialog.getByRole('button', { name: 'Sign: challenge' }).click();
    await card.getByRole('status').filter({ hasText: 'the file was downloaded, give it to the holder' }).waitFor();
    await noSideways('Verify');

    const challenge = await saved('challenge-for-');
    const answered = JSON.parse(cli(H(), ['challenge', 'answer', challenge, 'decline', '--out', F('answer'), '--json'])) as { answer: string };
    expect(answered.answer).toBe('decline');
  });

  it('resolves with the holder’s answer file, wins, and shows the witnesses barred; the holder’s feat is refuted', async () => {
    await navTo(page, 'Challenges');
    // Offline, checking the mail says why nothing can come, instead of spinning or staying silent.
    await page.getByRole('button', { name: 'Check for new challenges' }).click();
    await page.getByRole('alert').filter({ hasText: 'The peer network is not running here.' }).waitFor();
    const list = page.getByRole('region', { name: 'Your challenges' });
    await list.getByText('waiting for the holder’s answer').waitFor();
    await list.getByRole('button', { name: 'Resolve the challenge of Marathon under 3h' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign this outcome?' });
    await dialog.getByText('declined: the holder declined').or(dialog.getByText('the holder’s answer file you choose')).first().waitFor();
    // Before the deadline, only the holder's answer settles it: signing without the file is refused here.
    await dialog.getByRole('button', { name: 'Sign: outcome' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Choose the holder’s answer file' }).waitFor();
    await dialog.getByLabel('The holder’s answer, as a file').setInputFiles(F('answer'));
    await dialog.getByText(/the holder’s answer in answer/u).waitFor();
    await shot(page, 'challenge-resolve-800');
    await expectAccessible(page, 'outcome dialog');
    await dialog.getByRole('button', { name: 'Sign: outcome' }).click();
    const note = list.getByRole('status').filter({ hasText: 'Outcome signed: you won (declined)' });
    await note.waitFor();
    for (const w of witnesses) await note.getByRole('button', { name: badgeName(w, 'Barred') }).waitFor();
    await list.getByText('declined: you won').waitFor();
    await shot(page, 'challenge-won-800');
    await noSideways('Challenges');
    await expectAccessible(page, 'challenges after the outcome');

    const outcome = await saved('challenge-outcome-for-');
    expect(JSON.parse(cli(H(), ['challenge', 'import', outcome, '--json']))).toMatchObject({ result: 'declined', refutes: claim });
    expect(JSON.parse(cli(H(), ['feat', 'status', claim, '--json']))).toMatchObject({ met: false });
    expect(() => cli(H(), ['prove', 'feat', claim, '--nonce', '13', '--out', F('again.json')])).toThrow(/refuted/u);
  });

  it('challenges back on the holder’s other marathon, from its proof file', async () => {
    downloads.length = 0;
    const list = page.getByRole('region', { name: 'Your challenges' });
    await list.getByRole('button', { name: 'Challenge back on Marathon under 3h' }).click();
    const back = page.getByRole('region', { name: 'Challenge back: Marathon under 3h' });
    await back.getByLabel('Their proof file').setInputFiles(F('proof-2.json'));
    await back.getByLabel('Deadline').fill(inAWeek());
    await back.getByLabel('Panel (did:key ids, separated by commas)').fill(witnesses[0]!);
    await back.getByRole('button', { name: 'Challenge back…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign this challenge back?' });
    await dialog.getByText(holder).waitFor();
    await shot(page, 'challenge-back-800');
    await expectAccessible(page, 'challenge back dialog');
    await dialog.getByRole('button', { name: 'Sign: challenge back' }).click();
    await back.getByRole('status').filter({ hasText: 'Challenge back sent: the file was downloaded' }).waitFor();
    await list.getByText('(a challenge back)').waitFor();
    await noSideways('Challenges with a challenge back');
    const file = await saved('challenge-for-');
    expect(JSON.parse(cli(H(), ['challenge', 'answer', file, 'accept', '--out', F('answer-back'), '--json']))).toMatchObject({ answer: 'accept', reperformance: expect.any(String) });
  });

  it('reports a witness from the Witness inbox through the signing dialog; the badge shows the evidence', async () => {
    downloads.length = 0;
    await navTo(page, 'Witness inbox');
    // The trainer's clients, by name, with what waits from them.
    const clients = page.getByRole('region', { name: 'Your clients' });
    await clients.getByRole('row', { name: /Hana Holder .* 1 request/u }).waitFor();
    await clients.getByRole('button', { name: 'Open the request from Hana Holder' }).click();
    await page.getByText('Squat 100 kg').first().waitFor();
    await shot(page, 'challenge-clients-800');
    const report = page.getByRole('region', { name: 'Report a witness' });
    await report.getByLabel('Claim (its CID)').fill(claim);
    await report.getByLabel('Witness', { exact: true }).fill(witnesses[1]!);
    await report.getByLabel('Why you report them').fill('signed off a marathon the holder would not run again');
    await report.getByRole('button', { name: 'Report this witness…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign this report?' });
    await dialog.getByText(witnesses[1]!).waitFor();
    await expectAccessible(page, 'report dialog');
    await dialog.getByRole('button', { name: 'Sign the report' }).click();
    await report.getByRole('status').filter({ hasText: 'the review file was downloaded' }).waitFor();
    await saved('review-');
    // The badge wherever the witness is shown: on the Challenges screen's outcome note, with the evidence.
    await navTo(page, 'Challenges');
    const badge = page.getByRole('button', { name: badgeName(witnesses[1]!, 'Barred') }).first();
    await badge.click();
    await page.getByRole('note').filter({ hasText: 'A challenge refuted a claim they signed' }).first().waitFor();
    await shot(page, 'challenge-honor-800');
    await noSideways('Witness inbox');
    expect(problems).toEqual([]);
  });
});
