// Open Badges in Chromium at 800 × 600 against a real `defaust serve`: a holder whose feat two trusted witnesses
// confirmed (prepared with the CLI) exports it as an Open Badge from its feat card — the SignDialog names the
// endorsers, warns that a badge reveals them unlike a proof, and shows the exact JSON — downloads the file,
// which `defaust badge verify` finds valid; the Verify screen finds it valid and a changed copy not valid.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cliOk, closeAll, expectAccessible, hasChromium, hasRenderer, ROOT, shot, startServe, type Served, openPage, shotIfFailed, unlockInUi, navTo } from './helpers.ts';

const PASS = 'correct horse battery staple';
const TITLE = 'Mont Blanc summit';
const ready = hasChromium && hasRenderer;

const cli = (home: string, args: string[]) => cliOk(home, args, PASS);

describe.skipIf(!ready)('Open Badges in Chromium (defaust serve + the CLI)', { timeout: 300_000 }, () => {
  let served: Served;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let dir: string;
  let witnesses: string[];
  let badgePath: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'defaust-e2e-badges-'));
    witnesses = ['w1', 'w2'].map((name) => (JSON.parse(cli(join(dir, name), ['init', '--json'])) as { id: string }).id);
    served = await startServe('defaust-e2e-badges-', (home) => {
      cli(home, ['init']);
      for (const w of witnesses) cli(home, ['trust', 'add', w, '--for', 'climbing']);
      const { cid } = JSON.parse(cli(home, ['feat', 'claim', TITLE, '--type', 'climbing', '--policy', 'k-of-n:2', '--criteria', 'summit photo and two rope partners', '--json'])) as { cid: string };
      const requests = JSON.parse(cli(home, ['attest', 'request', cid, ...witnesses.flatMap((w) => ['--witness', w]), '--out', join(dir, 'req'), '--json'])) as { witness: string; file: string }[];
      for (const r of requests) {
        const name = `w${witnesses.indexOf(r.witness) + 1}`;
        cli(join(dir, name), ['attest', 'sign', r.file, '--verdict', 'yes', '--out', join(dir, `${name}.reply`)]);
        cli(home, ['attest', 'import', join(dir, `${name}.reply`)]);
      }
    });
    ({ browser, page, problems } = await openPage({ width: 800, height: 600 }, { downloads: true, timeout: 30_000 }));
  }, 240_000);
  afterAll(() => closeAll(browser, served, dir));
  afterEach(shotIfFailed(() => page));

  it('exports the feat as an Open Badge behind a SignDialog that names the endorsers and warns', async () => {
    await unlockInUi(page, served.url, PASS);
    await navTo(page, 'Feats');
    const card = page.getByRole('region', { name: TITLE, exact: true });
    await card.getByText('✓ Policy met — 2 of 2 trusted witnesses said yes').waitFor();
    const badge = card.getByRole('region', { name: `Open Badge for “${TITLE}”` });
    await badge.scrollIntoViewIfNeeded();
    await badge.getByRole('button', { name: 'Export as Open Badge' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign this Open Badge?' });
    await dialog.waitFor();
    await dialog.getByText('A badge reveals its endorsers').waitFor();
    for (const w of witnesses) await dialog.getByText(w, { exact: true }).waitFor();
    await dialog.getByText('Exactly what will be signed').click();
    const json = JSON.parse((await dialog.getByTestId('badge-json').textContent()) ?? '') as { type: string[]; name: string; proof?: unknown };
    expect(json).toMatchObject({ type: ['VerifiableCredential', 'OpenBadgeCredential'], name: TITLE });
    expect(json.proof).toBeUndefined();
    await shot(page, '60-badge-sign-dialog');
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Sign badge' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^badge-.+\.json$/u);
    badgePath = join(dir, 'badge.json');
    await download.saveAs(badgePath);
    await badge.getByText('The badge is signed and saved as').waitFor();
    await shot(page, '61-badge-exported');
    await expectAccessible(page, 'feats badge exported');
    // What was shown is what was signed: the file is the dialog's JSON plus its proof.
    const { proof, ...signed } = JSON.parse(readFileSync(badgePath, 'utf8')) as Record<string, unknown>;
    expect(signed).toEqual(json);
    expect(proof).toMatchObject({ cryptosuite: 'eddsa-jcs-2022' });
    const checked = spawnSync(process.execPath, [join(ROOT, 'bin', 'defaust.mjs'), 'badge', 'verify', badgePath], { env: { ...process.env, HOME: join(dir, 'nobody'), DEFAUST_HOME: undefined }, encoding: 'utf8' });
    expect(checked.status, checked.stderr).toBe(0);
    expect(checked.stdout).toContain(`VALID Open Badge: “${TITLE}”`);
  });

  it('the Verify screen finds the badge valid and a changed copy not valid', async () => {
    await navTo(page, 'Verify a proof');
    const form = page.getByRole('form', { name: 'Verify an Open Badge' });
    await form.getByLabel('Badge file').setInputFiles(badgePath);
    await form.getByRole('button', { name: 'Verify badge' }).click();
    const outcome = page.getByRole('region', { name: '✓ Valid Open Badge' });
    await outcome.waitFor();
    await outcome.getByText(`“${TITLE}”`).waitFor();
    await outcome.getByText(/^Not revoked/u).waitFor();
    await outcome.scrollIntoViewIfNeeded();
    await shot(page, '62-badge-verified');
    await expectAccessible(page, 'verify badge');
    const changed = join(dir, 'changed.json');
    writeFileSync(changed, readFileSync(badgePath, 'utf8').replace(`"name": "${TITLE}"`, '"name": "Everest summit"'));
    await form.getByLabel('Badge file').setInputFiles(changed);
    await form.getByRole('button', { name: 'Verify badge' }).click();
    await page.getByRole('region', { name: '✗ Not a valid badge' }).getByRole('alert').filter({ hasText: 'signature does not verify' }).waitFor();
    await shot(page, '63-badge-changed');
    expect(problems).toEqual([]);
  });
});
