// Duels in Chromium at 800 × 600 against a real `defaust serve` (offline) and CLI homes: a proposes a duel to
// the wallet's identity, and another duel to b with the wallet on its panel; b accepts. Both documents are
// left in the wallet's received mail as a mailbox fetch leaves them. On the Challenges screen the wallet
// accepts the duel proposed to it through the SignDialog (the agreed duel is downloaded for the proposer and
// the judge; the proposer's CLI takes it in); in the Witness inbox it judges the other duel — "A won" —
// through the SignDialog, with the parties' honor badges shown; the verdict file downloaded for a lets a's CLI
// resolve the duel and hold the won-duel feat. No screen scrolls sideways; axe finds nothing serious.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Home } from '../src-main/app/home.ts';
import { envelopeFormat } from '../src-main/core/identity/envelope.ts';
import type { Did } from '../src-main/core/identity/did.ts';
import { cliOk, closeAll, expectAccessible, hasChromium, hasRenderer, shot, startServe, type Served, openPage, shotIfFailed, unlockInUi, navTo } from './helpers.ts';

const PASS = 'correct horse battery staple';
const CLI_PASS = 'a duelist passphrase';
const HOUR = 3_600_000;
const ready = hasChromium && hasRenderer;

const cli = (home: string, args: string[], pass = CLI_PASS, now?: number) => cliOk(home, args, pass, now);

/** Leaves a sealed envelope in `home`'s received mail, waiting, as `defaust mail` leaves what it fetched. */
function leaveMail(home: string, id: string, to: string, from: string, envelope: Uint8Array) {
  const h = new Home(home);
  try {
    const now = Date.now();
    h.receivedMail().put({ id, to: to as Did, from: from as Did, format: envelopeFormat(envelope) ?? 'unknown', ts: now, receivedAt: now, envelope, state: 'waiting', note: 'waiting: defaust duel list' });
  } finally {
    h.close();
  }
}

describe.skipIf(!ready)('duels in Chromium (defaust serve + the CLI)', { timeout: 600_000 }, () => {
  let dir: string;
  let served: Served;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let me = '';
  let a = '';
  let b = '';
  let judged = '';
  const downloads: Download[] = [];
  const nav = (name: string) => navTo(page, name);
  const noSideways = async (screen: string) => expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), screen).toBe(true);
  /** The downloads so far whose name ends with `did`'s last 8 characters, saved; their paths. */
  const savedFor = async (did: string, name: string) => {
    const paths: string[] = [];
    for (const [i, d] of downloads.entries()) {
      if (!d.suggestedFilename().endsWith(did.slice(-8))) continue;
      const path = join(dir, `${name}-${i}`);
      await d.saveAs(path);
      paths.push(path);
    }
    return paths;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'defaust-e2e-duels-'));
    const A = join(dir, 'a');
    const B = join(dir, 'b');
    const J = join(dir, 'j');
    a = (JSON.parse(cli(A, ['init', '--json'])) as { id: string }).id;
    b = (JSON.parse(cli(B, ['init', '--json'])) as { id: string }).id;
    const j = (JSON.parse(cli(J, ['init', '--json'])) as { id: string }).id;
    const now = Date.now();
    served = await startServe('defaust-e2e-duels-w-', (home) => {
      me = (JSON.parse(cli(home, ['init', '--json'], PASS)) as { id: string }).id;
      // A duel proposed to the wallet: performed in an hour, judged by j.
      cli(A, ['duel', 'propose', me, 'Chess, one game', '--type', 'chess', '--at', new Date(now + HOUR).toISOString(), '--judge-until', new Date(now + 48 * HOUR).toISOString(), '--witness', j, '--k', '1', '--out', join(dir, 'to-me')]);
      leaveMail(home, 'e2e-duel-proposal', me, a, readFileSync(join(dir, 'to-me')));
      // A duel between a and b that the wallet judges: performed an hour ago, agreed before.
      cli(A, ['duel', 'propose', b, 'Arm wrestling', '--type', 'arm-wrestling', '--at', new Date(now - HOUR).toISOString(), '--judge-until', new Date(now + 48 * HOUR).toISOString(), '--witness', me, '--k', '1', '--out', join(dir, 'to-b')], CLI_PASS, now - 3 * HOUR);
      cli(B, ['duel', 'accept', join(dir, 'to-b'), '--out', join(dir, 'agreed')], CLI_PASS, now - 2 * HOUR);
      const forMe = readdirSync(join(dir, 'agreed')).find((f) => f.endsWith(me.slice(-12)))!;
      leaveMail(home, 'e2e-duel-to-judge', me, b, readFileSync(join(dir, 'agreed', forMe)));
      cli(A, ['duel', 'accept', join(dir, 'agreed', readdirSync(join(dir, 'agreed')).find((f) => f.endsWith(a.slice(-12)))!)]);
    });
    ({ browser, page, problems } = await openPage({ width: 800, height: 600 }, { downloads: true, timeout: 30_000 }));
    page.on('download', (d) => downloads.push(d));
  }, 900_000);
  afterAll(() => closeAll(browser, served, dir));
  afterEach(shotIfFailed(() => page));

  it('accepts a duel proposed to it, through the SignDialog; the proposer takes the agreement in', async () => {
    await unlockInUi(page, served.url, PASS);
    await nav('Challenges');
    await page.getByRole('heading', { name: 'Challenges', level: 1 }).waitFor();
    const duels = page.getByRole('region', { name: 'Your duels' });
    await duels.getByRole('button', { name: 'Accept the duel Chess, one game' }).click();
    const dialog = page.getByRole('dialog', { name: 'Accept this duel?' });
    await dialog.getByText(a).waitFor();
    await dialog.getByText(me).waitFor();
    await dialog.getByText('chess', { exact: true }).waitFor();
    await shot(page, 'duels-accept-dialog-800');
    await expectAccessible(page, 'duel accept dialog');
    await dialog.getByRole('button', { name: 'Sign: accept' }).click();
    await duels.getByRole('status').filter({ hasText: 'Duel agreed: the files were downloaded' }).waitFor();
    await duels.getByText('agreed: perform, then the panel judges').waitFor();
    await page.getByRole('region', { name: 'Propose a duel' }).waitFor();
    await shot(page, 'duels-challenges-800');
    await noSideways('Challenges');
    await expectAccessible(page, 'challenges with duels');
    const [agreed] = await savedFor(a, 'agreed-for-a');
    expect(agreed).toBeDefined();
    expect(cli(join(dir, 'a'), ['duel', 'accept', agreed!])).toContain('agreed');
  });

  it('judges a duel from the Witness inbox through the SignDialog; the winner resolves it from the verdict file', async () => {
    downloads.length = 0;
    await nav('Witness inbox');
    await page.getByRole('heading', { name: 'Witness inbox', level: 1 }).waitFor();
    const card = page.getByRole('region', { name: 'Duels to judge' });
    await card.getByText('Arm wrestling').waitFor();
    // The parties' honor, in this wallet's view.
    await card.getByRole('button', { name: new RegExp(`^Honor of .*: Good\\. Show the evidence$`, 'u') }).first().waitFor();
    await noSideways('Witness inbox');
    await card.getByRole('button', { name: 'A won the duel Arm wrestling' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign this verdict?' });
    await dialog.getByText('Your verdict', { exact: true }).waitFor();
    await dialog.locator('dd strong').filter({ hasText: /won$/u }).waitFor();
    await shot(page, 'duels-judge-dialog-800');
    await expectAccessible(page, 'duel verdict dialog');
    await dialog.getByRole('button', { name: 'Sign: verdict' }).click();
    await card.getByRole('status').filter({ hasText: 'Verdict signed: the files were downloaded' }).waitFor();
    await card.getByText('No duel waits for your verdict.').waitFor();
    await shot(page, 'duels-witness-800');
    await expectAccessible(page, 'witness inbox after judging');
    const [verdict] = await savedFor(a, 'verdict-for-a');
    expect(verdict).toBeDefined();
    const duelId = (JSON.parse(cli(join(dir, 'a'), ['duel', 'list', '--json'])) as { id: string; title: string }[]).find((d) => d.title === 'Arm wrestling')!.id;
    const won = JSON.parse(cli(join(dir, 'a'), ['duel', 'resolve', duelId, '--verdict', verdict!, '--out', join(dir, 'outcome'), '--json'])) as { winner: string; claim: string };
    expect(won.winner).toBe('a');
    judged = won.claim;
    cli(join(dir, 'a'), ['trust', 'add', me, '--for', 'arm-wrestling']);
    expect(JSON.parse(cli(join(dir, 'a'), ['feat', 'status', judged, '--json']))).toEqual({ met: true, have: 1, need: 1 });
    expect(problems).toEqual([]);
  });
});
