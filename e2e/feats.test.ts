// Feats, witnesses and proofs through the UI against a real `defaust serve` (the holder), with three witnesses
// and a climber driven by the CLI: the holder attaches a picture, claims a feat with it as evidence, makes one
// request file per witness, the witnesses sign with `attest sign`, the holder imports the replies (a replay
// refused in plain words), trusts them, makes a proof with the progress bar showing, downloads it; the CLI
// and the Verify screen find it valid, tampered copies invalid with a reason, also from the locked screen.
// In the Witness inbox the same home opens a CLI climber's request, sees the evidence, signs yes and declines
// another; the climber's CLI records both answers. Screenshots of each screen and axe-core on each.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createIdentityInUi, expectAccessible, hasChromium, hasRenderer, makePng, ROOT, shot, startServe, type Served, openPage, shotIfFailed, navTo } from './helpers.ts';

const PASS = 'correct horse battery staple';
const W_PASS = 'a witness passphrase';
const TITLE = 'Berlin marathon under 4 hours';
const NONCE = '424242';
const ready = hasChromium && hasRenderer;

/** The CLI as the witnesses and the climber type it. */
function cli(home: string, args: string[], env: Record<string, string | undefined> = {}) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'defaust.mjs'), ...(home ? ['--home', home] : []), ...args], {
    encoding: 'utf8',
    env: { ...process.env, DEFAUST_PASSPHRASE: W_PASS, DEFAUST_HOME: undefined, DEFAUST_NOW: undefined, ...env },
    timeout: 180_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!ready)('feats, witness inbox and verify in Chromium (defaust serve + the CLI)', { timeout: 300_000 }, () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let dir: string;
  let holderDid: string;
  let witnesses: { name: string; did: string }[];
  let proofPath: string;
  let root: string;
  const nav = (name: string) => navTo(page, name);
  const save = async (download: Download, name: string) => {
    const path = join(dir, name);
    await download.saveAs(path);
    return path;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'defaust-e2e-feats-'));
    witnesses = ['w1', 'w2', 'w3'].map((name) => {
      const r = cli(join(dir, name), ['init', '--json']);
      expect(r.code, r.stderr).toBe(0);
      return { name, did: JSON.parse(r.stdout).id as string };
    });
    served = await startServe('defaust-e2e-feats-');
    ({ browser, page, problems } = await openPage({ width: 1280, height: 900 }, { downloads: true, timeout: 30_000 }));
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  afterEach(shotIfFailed(() => page));

  it('onboards the holder and attaches the finish-line picture', async () => {
    holderDid = await createIdentityInUi(page, served.url, PASS);
    expect(holderDid).toMatch(/^did:key:z6Mk/u);

    await nav('Media');
    await page.getByLabel('Section').selectOption('feats');
    await page.getByLabel('Event').fill('Berlin marathon 2026');
    await page.getByLabel('File').setInputFiles({ name: 'finish-line.png', mimeType: 'image/png', buffer: makePng(96) });
    await page.getByRole('button', { name: 'Attach', exact: true }).click();
    await page.getByRole('dialog', { name: 'Sign and attach this file?' }).getByRole('button', { name: 'Sign and attach' }).click();
    await page.getByRole('status').filter({ hasText: 'Attached finish-line.png' }).waitFor();
  });

  it('claims the feat with the picture as evidence and makes one request file per witness', async () => {
    await nav('Feats');
    await page.getByRole('heading', { name: 'Feats', level: 1 }).waitFor();
    await page.getByText('You have not claimed a feat yet.').waitFor();
    const form = page.getByRole('form', { name: 'Claim a feat' });
    await form.getByLabel('What you did').fill(TITLE);
    await form.getByLabel('Kind of feat').fill('Marathon!');
    await form.getByText('Lower-case letters, digits and - only').waitFor();
    await form.getByLabel('Kind of feat').fill('marathon');
    await form.getByLabel('Criteria').fill('chip time under 4:00:00');
    await form.getByLabel('How many witnesses').fill('3');
    await form.getByRole('checkbox', { name: /finish-line\.png/u }).check();
    await form.getByRole('button', { name: 'Sign and claim' }).click();
    await page.getByRole('dialog', { name: 'Sign this claim?' }).getByRole('button', { name: 'Sign claim' }).click();
    await page.getByRole('status').filter({ hasText: `Claimed “${TITLE}” in block #` }).waitFor();
    const card = page.getByRole('region', { name: TITLE });
    await card.getByText('0 of 3 trusted witnesses said yes').waitFor();
    expect(await card.getByText('finish-line.png').count()).toBe(1);

    const ask = card.getByRole('form', { name: `Ask witnesses for “${TITLE}”` });
    await ask.getByLabel('Witness identities (one per line)').fill('bob');
    await ask.getByText('Not a DeFaust identity: bob').waitFor();
    await ask.getByLabel('Witness identities (one per line)').fill(witnesses.map((w) => w.did).join('\n'));
    await ask.getByRole('button', { name: 'Make request files' }).click();
    await card.getByRole('status').filter({ hasText: 'Made 3 requests.' }).waitFor();
    await shot(page, '30-feats-requests');
    await expectAccessible(page, 'feats requests');
    for (const w of witnesses) {
      const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: `Download the request for ${w.did.slice(8, 16)}…${w.did.slice(-4)}` }).click()]);
      expect(download.suggestedFilename()).toMatch(/\.attest-request$/u);
      const request = await save(download, `${w.name}.attest-request`);
      // The witness signs with the CLI: it sees the claim.
      const signed = cli(join(dir, w.name), ['attest', 'sign', request, '--verdict', 'yes', '--out', join(dir, `${w.name}.reply`)]);
      expect(signed.code, signed.stderr).toBe(0);
      expect(signed.stderr).toContain(TITLE);
    }
  });

  it('imports the replies (a replay is refused in plain words), trusts the witnesses and shows the policy met', async () => {
    // Yes verdicts of witnesses the holder does not trust yet do not count toward the policy.
    for (const w of witnesses) {
      await page.getByLabel('Reply file').setInputFiles(join(dir, `${w.name}.reply`));
      await page.getByRole('button', { name: 'Import reply', exact: true }).click();
      await page.getByRole('status').filter({ hasText: `Recorded: ${w.did} signed yes` }).filter({ hasText: '0 of 3 so far.' }).waitFor();
    }
    await page.getByLabel('Reply file').setInputFiles(join(dir, 'w1.reply'));
    await page.getByRole('button', { name: 'Import reply', exact: true }).click();
    const replay = page.getByRole('alert').filter({ hasText: 'already recorded. It was not recorded a second time.' });
    await replay.waitFor();
    expect(await replay.textContent()).not.toMatch(/feat\/|replayed/u);
    const card = page.getByRole('region', { name: TITLE });
    await card.getByText('0 of 3 trusted witnesses said yes', { exact: true }).waitFor();
    const table = card.getByRole('table', { name: `Witnesses who answered for “${TITLE}”` });
    expect(await table.getByText('Signed yes').count()).toBe(3);
    for (const w of witnesses) {
      await card.getByRole('button', { name: `Trust ${w.did.slice(8, 16)}…${w.did.slice(-4)} for marathon` }).click();
      await page.getByRole('dialog', { name: 'Trust this witness?' }).getByRole('button', { name: 'Sign: trust' }).click();
      await page.getByRole('status').filter({ hasText: `You now trust ${w.did} for marathon.` }).waitFor();
    }
    expect(await table.getByText('Trusted', { exact: true }).count()).toBe(3);
    await card.getByText('✓ Policy met — 3 of 3 trusted witnesses said yes').waitFor();
    expect(await page.getByRole('table', { name: 'Witnesses you trust' }).getByRole('row').count()).toBe(4);
    await shot(page, '31-feats-met');
    await expectAccessible(page, 'feats met');
  });

  it('makes the proof with the progress bar showing and downloads it; the CLI verifies it with the root', async () => {
    const card = page.getByRole('region', { name: TITLE });
    root = ((await card.getByTestId('trust-root').textContent()) ?? '').trim();
    expect(root).toMatch(/^\d{10,}$/u);
    const prove = card.getByRole('form', { name: `Prove “${TITLE}”` });
    await prove.getByLabel('Nonce from the verifier').fill(NONCE);
    const started = Date.now();
    await prove.getByRole('button', { name: 'Make the proof' }).click();
    const bar = prove.getByRole('progressbar', { name: 'Making the proof' });
    await bar.waitFor();
    // The bar moves past the first stage while the worker proves (the browser polls the stage).
    await expect.poll(() => bar.evaluate((el: HTMLProgressElement) => el.value), { timeout: 60_000, interval: 100 }).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: '/tmp/feats-proving.png' });
    await shot(page, '32-feats-proving');
    await card.getByRole('status').filter({ hasText: `The proof is ready (nonce ${NONCE}).` }).waitFor({ timeout: 120_000 });
    console.log(`proof made in the UI in ${Date.now() - started} ms`);
    const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: 'Download the proof' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^feat-proof-.+-424242\.json$/u);
    proofPath = await save(download, 'feat-proof.json');
    await shot(page, '33-feats-proof-ready');
    await expectAccessible(page, 'feats proof ready');
    const verified = cli('', ['verify-proof', proofPath, '--trust-root', root, '--nonce', NONCE, '--json'], { HOME: join(dir, 'third-party'), DEFAUST_PASSPHRASE: undefined });
    expect(verified.code, verified.stderr).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ valid: true, kind: 'feat', root, nonce: NONCE, title: TITLE, holder: holderDid });
  });

  it('the Verify screen shows the proof valid in plain words, and tampered copies invalid with the reason', async () => {
    await nav('Verify a proof');
    await page.getByRole('heading', { name: 'Verify a proof', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Ask for a proof' }).click();
    await page.getByRole('button', { name: 'Copy nonce' }).waitFor();
    await page.getByText('defaust prove feat <claim> --nonce', { exact: false }).waitFor();
    await page.getByLabel('Proof file').setInputFiles(proofPath);
    await page.getByLabel('Trust root you rely on (optional)').fill(root);
    await page.getByLabel('Nonce you asked for (optional)').fill(NONCE);
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await page.getByRole('heading', { name: '✓ Valid proof' }).waitFor({ timeout: 60_000 });
    await page.getByText(`3 different witnesses from a trusted set signed “${TITLE}”`).waitFor();
    await page.getByText('The witnesses are from the trust set you gave.').waitFor();
    await shot(page, '34-verify-valid');
    await expectAccessible(page, 'verify valid');

    const file = JSON.parse(readFileSync(proofPath, 'utf8')) as { proof: { pi_a: string[] }; claim: string };
    const bent = join(dir, 'bent.json');
    writeFileSync(bent, JSON.stringify({ ...file, proof: { ...file.proof, pi_a: [String(BigInt(file.proof.pi_a[0]!) + 1n), ...file.proof.pi_a.slice(1)] } }));
    await page.getByLabel('Proof file').setInputFiles(bent);
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await page.getByRole('heading', { name: '✗ Not valid' }).waitFor({ timeout: 60_000 });
    await page.getByRole('alert').filter({ hasText: 'The proof does not verify.' }).waitFor();
    await shot(page, '35-verify-tampered');
    await expectAccessible(page, 'verify tampered');

    // Another nonce than the one asked for: a replay.
    await page.getByLabel('Proof file').setInputFiles(proofPath);
    await page.getByLabel('Nonce you asked for (optional)').fill('1');
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'The proof was made for another nonce (replay).' }).waitFor({ timeout: 60_000 });
  });

  it('opens a request in the Witness inbox, shows the claim and its evidence, signs yes and declines another', async () => {
    const dora = join(dir, 'dora');
    expect(cli(dora, ['init']).code).toBe(0);
    writeFileSync(join(dir, 'summit.png'), makePng(80));
    const attached = cli(dora, ['attach', join(dir, 'summit.png'), '--section', 'feats', '--event', 'Mont Blanc', '--json']);
    expect(attached.code, attached.stderr).toBe(0);
    const evidence = JSON.parse(attached.stdout).cid as string;
    const climb = JSON.parse(cli(dora, ['feat', 'claim', 'Climbed Mont Blanc', '--type', 'climb', '--policy', 'k-of-n:1', '--criteria', 'summit photo at 4,808 m', '--evidence', evidence, '--json']).stdout).cid as string;
    const swim = JSON.parse(cli(dora, ['feat', 'claim', 'Swam across the lake', '--type', 'swim', '--policy', 'k-of-n:1', '--json']).stdout).cid as string;
    const requests = (cid: string, out: string) => {
      const r = cli(dora, ['attest', 'request', cid, '--witness', holderDid, '--out', join(dir, out), '--json']);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout) as { file: string }[])[0]!.file;
    };
    const climbRequest = requests(climb, 'dora-climb');
    const swimRequest = requests(swim, 'dora-swim');

    await nav('Witness inbox');
    await page.getByRole('heading', { name: 'Witness inbox', level: 1 }).waitFor();
    await page.getByText('You have not answered a request yet.').waitFor();
    // A request meant for someone else does not open.
    await page.getByLabel('Request file').setInputFiles(join(dir, 'w1.attest-request'));
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'This request is addressed to someone else, not to you.' }).waitFor();

    await page.getByLabel('Request file').setInputFiles(climbRequest);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    const asked = page.getByRole('region', { name: 'What you are asked to sign' });
    await asked.getByText('Climbed Mont Blanc').waitFor();
    await asked.getByText('summit photo at 4,808 m').waitFor();
    const picture = asked.getByRole('img', { name: 'Evidence: summit.png' });
    await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(80);
    await asked.getByText('✓ matches the claim').waitFor();
    await shot(page, '36-witness-request');
    await expectAccessible(page, 'witness request');

    await asked.getByRole('button', { name: 'Sign yes…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign that you saw it?' });
    await dialog.getByText('Your signature counts toward their proof, and it cannot be taken back.').waitFor();
    await page.screenshot({ path: join(ROOT, 'e2e', 'artifacts', '37-witness-confirm.png') });
    await expectAccessible(page, 'witness confirm');
    // Escape cancels; nothing is signed.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await asked.getByRole('button', { name: 'Sign yes…' }).click();
    const [signed] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Sign and download the reply' }).click()]);
    expect(signed.suggestedFilename()).toMatch(/signed\.attest-reply$/u);
    const reply = await save(signed, 'climb.reply');
    await asked.getByRole('status').filter({ hasText: 'Signed. The reply file was downloaded' }).waitFor();
    expect(cli(dora, ['trust', 'add', holderDid, '--for', 'climb']).code).toBe(0); // only a trusted witness's yes counts
    const took = cli(dora, ['attest', 'import', reply, '--json']);
    expect(took.code, took.stderr).toBe(0);
    expect(JSON.parse(took.stdout)).toMatchObject({ witness: holderDid, verdict: 'yes', met: true });

    await page.getByLabel('Request file').setInputFiles(swimRequest);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await asked.getByText('Swam across the lake').waitFor();
    await asked.getByRole('button', { name: 'Decline…' }).click();
    const decline = page.getByRole('dialog', { name: 'Decline to confirm it?' });
    const [declined] = await Promise.all([page.waitForEvent('download'), decline.getByRole('button', { name: 'Decline and download the reply' }).click()]);
    const no = cli(dora, ['attest', 'import', await save(declined, 'swim.reply'), '--json']);
    expect(JSON.parse(no.stdout)).toMatchObject({ verdict: 'no', met: false, have: 0 });
    const history = page.getByRole('table', { name: 'Requests you answered' });
    await expect.poll(() => history.getByRole('row').count()).toBe(3);
    expect(await history.getByText('Declined').count()).toBe(1);
    expect(await history.getByText('Signed yes').count()).toBe(1);
    await shot(page, '38-witness-history');
    await expectAccessible(page, 'witness history');
  });

  it('verifies a proof from the unlock screen, without unlocking', async () => {
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByRole('heading', { name: 'Unlock DeFaust' }).waitFor();
    await page.getByRole('button', { name: 'Check a proof', exact: true }).click();
    await page.getByRole('heading', { name: 'Check a proof', level: 1 }).waitFor();
    await page.getByLabel('Proof file').setInputFiles(proofPath);
    await page.getByLabel('Trust root you rely on (optional)').fill(root);
    // No nonce given: the proof must answer one asked for on this device, and this one was not.
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'The proof answers a nonce this verifier did not issue.' }).waitFor({ timeout: 60_000 });
    await page.getByLabel('Nonce you asked for (optional)').fill(NONCE);
    await page.getByRole('button', { name: 'Verify', exact: true }).click();
    await page.getByRole('heading', { name: '✓ Valid proof' }).waitFor({ timeout: 60_000 });
    await page.getByText('You checked the nonce yourself', { exact: false }).waitFor();
    await shot(page, '39-verify-locked');
    await expectAccessible(page, 'verify locked');
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('heading', { name: 'Unlock DeFaust' }).waitFor();
    expect(problems).toEqual([]);
  });
});
