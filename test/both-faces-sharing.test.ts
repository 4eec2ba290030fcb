// The sharing verbs through both faces: revoke, section create, device and registry add, propose (to a file),
// requests import, approve and reject, each run by the `defaust` command line and by the wallet API on two
// copies of one home, leave the same records; a refused change request reads the same sentence, with the same code, in both faces.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Home } from '../src-main/app/home.ts';
import { proposeToFile } from '../src-main/app/requests/propose.ts';
import type { Did } from '../src-main/core/identity/did.ts';
import type { OwnerKeys } from '../src-main/core/profile/profile.ts';
import { openProposal } from '../src-main/core/requests/proposal.ts';
import type { Channel, Request } from '../src-preload/api/contract.ts';
import { twoFaces, type TwoFaces } from './both-faces.ts';
import { PASS } from './cli-helpers.ts';
import { crypto } from './helpers.ts';

const GRANTEE = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
const WEIGHT = [{ op: 'set' as const, path: 'weight', value: 58.5 }];

describe('sharing verbs through both faces', { timeout: 240_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'defaust-sharing-faces-'));
  /** Someone else: the author of change requests to the faces' identity, and the owner the faces propose to. */
  let other: { home: Home; keys: OwnerKeys; id: Did };
  let faces: TwoFaces | undefined;

  beforeAll(() => {
    const home = new Home(join(dir, 'other'));
    const { id } = home.init(PASS);
    other = { home, keys: home.unlock(PASS), id };
  });
  afterEach(() => faces?.close());
  afterAll(() => {
    other.home.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Two faces on an identity that granted `other` propose on fitness, with a request from `other` to set the
   * weight in a file (and, with `imported`, already in the inbox of both copies).
   */
  async function withRequest(imported: boolean): Promise<{ faces: TwoFaces; file: string; id: string }> {
    const file = join(dir, `weight-${imported ? 'imported' : 'new'}.request`);
    let id = '';
    faces = await twoFaces((cli) => {
      const owner = (cli(['whoami']).json() as { id: Did }).id;
      cli(['set', 'fitness', 'weight', '60', '--type', 'number']);
      cli(['grant', other.id, 'fitness', '--rights', 'propose', '--until', '2027-01-01']);
      const base = (cli(['log']).json() as { seq: number }[]).at(-1)!.seq;
      const sealed = proposeToFile(other, { owner, section: 'fitness', ops: WEIGHT, base });
      writeFileSync(file, sealed.envelope);
      id = sealed.id;
      if (imported) cli(['requests', 'import', file]);
    });
    return { faces, file, id };
  }

  it('revoke stores the same records', async () => {
    faces = await twoFaces((cli) => {
      cli(['section', 'create', 'training']);
      cli(['grant', GRANTEE, 'training', '--rights', 'read', '--until', '2027-01-01']);
    });
    const r = faces.cli(['revoke', GRANTEE, 'training']);
    expect(r.code, r.stderr).toBe(0);
    await faces.wallet('access:revoke', { grantee: GRANTEE, section: 'training' });
    const { cli, wallet } = faces.stored();
    expect(cli.blocks.map((b) => b.kind)).toEqual(['revoke', 'section-keys']);
    expect(cli.grants).toEqual([]);
    expect(wallet).toEqual(cli);
  });

  it('section create stores the same records', async () => {
    faces = await twoFaces();
    const r = faces.cli(['section', 'create', 'training', '--epoch', '7d']);
    expect(r.code, r.stderr).toBe(0);
    await faces.wallet('access:createSection', { name: 'training', epochMs: 7 * 86_400_000 });
    const { cli, wallet } = faces.stored();
    expect(cli.blocks).toHaveLength(1);
    expect(wallet).toEqual(cli);
  });

  it('device add and registry add store the same records', async () => {
    faces = await twoFaces((cli) => cli(['set', 'contact', 'email', 'a@example.org']));
    for (const args of [['device', 'add', GRANTEE, '--label', 'tablet'], ['registry', 'add', other.id, '--sections', 'contact', '--label', 'host']]) {
      const r = faces.cli(args);
      expect(r.code, r.stderr).toBe(0);
    }
    await faces.wallet('devices:add', { device: GRANTEE, label: 'tablet' });
    await faces.wallet('registry:add', { client: other.id, sections: ['contact'], label: 'host' });
    const { cli, wallet } = faces.stored();
    expect(cli.blocks.map((b) => b.kind)).toEqual(['device-add', 'registry', 'grant']);
    expect(wallet).toEqual(cli);
  });

  it('propose to a file: the same proposal, sealed to the owner, and nothing stored by the proposer', async () => {
    faces = await twoFaces();
    const out = join(dir, 'cli.request');
    const r = faces.cli(['propose', other.id, 'fitness', 'weight', '58.5', '--type', 'number', '--base', '3', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const sent = await faces.wallet('requests:propose', { owner: other.id, section: 'fitness', ops: WEIGHT, base: 3 });
    expect(sent).toMatchObject({ base: 3, deposited: 0, file: { name: expect.stringMatching(/\.request$/u) } });
    const opened = (envelope: Uint8Array) => openProposal(crypto, envelope, other.keys.identity.ed25519Seed, other.id);
    const byCli = opened(readFileSync(out));
    const byWallet = opened(new Uint8Array(Buffer.from(sent.file!.bytes, 'base64')));
    expect(byCli.id).toBe((r.json() as { id: string }).id);
    expect(byWallet.id).toBe(sent.id);
    expect(byCli.proposal).toEqual({ target: other.id, from: faces.id, section: 'fitness', ops: WEIGHT, base: 3, ts: byCli.proposal.ts });
    expect(byWallet.proposal).toEqual(byCli.proposal);
    const { cli, wallet } = faces.stored();
    expect(cli.blocks).toEqual([]);
    expect(wallet).toEqual(cli);
  });

  it('requests import stores the same records', async () => {
    const { faces, file } = await withRequest(false);
    const r = faces.cli(['requests', 'import', file]);
    expect(r.code, r.stderr).toBe(0);
    await faces.wallet('inbox:import', { bytes: readFileSync(file) });
    const { cli, wallet } = faces.stored();
    expect(cli.inbox).toMatchObject([{ from: other.id, section: 'fitness', status: 'pending' }]);
    expect(wallet).toEqual(cli);
  });

  it('approve stores the same records', async () => {
    const { faces, id } = await withRequest(true);
    const r = faces.cli(['approve', id]);
    expect(r.code, r.stderr).toBe(0);
    await faces.wallet('inbox:approve', { id });
    const { cli, wallet } = faces.stored();
    expect(cli.blocks.map((b) => b.kind)).toEqual(['merge']);
    expect(cli.inbox).toMatchObject([{ status: 'approved', merge: { signatureValid: true } }]);
    expect(wallet).toEqual(cli);
  });

  it('reject stores the same records', async () => {
    const { faces, id } = await withRequest(true);
    const r = faces.cli(['reject', id, '--reason', 'not this week', '--out', join(dir, 'reply')]);
    expect(r.code, r.stderr).toBe(0);
    await faces.wallet('inbox:reject', { id, reason: 'not this week' });
    const { cli, wallet } = faces.stored();
    expect(cli.blocks).toEqual([]);
    expect(cli.inbox).toMatchObject([{ status: 'rejected' }]);
    expect(wallet).toEqual(cli);
  });

  it('a refused request reads the same in both faces, with the same code, and stores nothing', async () => {
    const { faces, file, id } = await withRequest(true);
    const stranger = new Home(join(dir, 'stranger'));
    stranger.init(PASS);
    const unauthorised = join(dir, 'stranger.request');
    writeFileSync(unauthorised, proposeToFile({ home: stranger, keys: stranger.unlock(PASS) }, { owner: faces.id as Did, section: 'fitness', ops: WEIGHT, base: 1 }).envelope);
    stranger.close();
    const garbage = join(dir, 'garbage.request');
    writeFileSync(garbage, new Uint8Array([1, 2, 3]));

    const both = async <C extends Channel>(args: string[], channel: C, request: Request<C>) => {
      const r = faces.cli(args);
      const result = await faces.service.call(channel, request);
      if (result.ok) throw new Error(`${channel} was not refused`);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`defaust: ${result.error.message}\n`);
      expect(r.json()).toEqual({ ok: false, error: result.error });
      return result.error;
    };
    expect(await both(['requests', 'import', file], 'inbox:import', { bytes: readFileSync(file) }))
      .toEqual({ code: 'request/replayed', message: 'You already received this request. It was not imported a second time.' });
    expect(await both(['requests', 'import', unauthorised], 'inbox:import', { bytes: readFileSync(unauthorised) }))
      .toEqual({ code: 'request/no-right', message: 'The author of this request may not propose changes to fitness. Grant them “propose” on it first if you want their changes.' });
    expect((await both(['requests', 'import', garbage], 'inbox:import', { bytes: readFileSync(garbage) })).code).toBe('request/malformed');
    expect((await both(['approve', 'nosuch'], 'inbox:approve', { id: 'nosuch' })).code).toBe('request/unknown');
    faces.cli(['reject', id, '--reason', 'no', '--out', join(dir, 'reply-cli')]);
    await faces.wallet('inbox:reject', { id, reason: 'no' });
    expect(await both(['approve', id], 'inbox:approve', { id })).toEqual({ code: 'request/replayed', message: 'This request was already answered.' });
    const { cli, wallet } = faces.stored();
    expect(cli.blocks).toEqual([]);
    expect(wallet.blocks).toEqual([]);
  });
});
