// The network from the command line, as people run it: `defaust serve` nodes on loopback (a bootstrap node
// and replicas), an owner who publishes, loses the machine and recovers with the recovery phrase through the
// network, a grantee who reads and proposes while the owner is away (from the command line and from the
// wallet, with the same result), and the `net` commands against a running node.
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers.ts';
import { waitForRoutingTables } from '../src-main/adapters/p2p/loopback.ts';
import { Home } from '../src-main/app/home.ts';
import { NetworkHost } from '../src-main/app/network/host.ts';
import { WalletService } from '../src-main/app/wallet/service.ts';
import type { Response } from '../src-preload/api/contract.ts';
import { twoFaces } from './both-faces.ts';
import { expectCleanError, PASS, run, serve, stopNode, type ServedNode } from './cli-helpers.ts';

describe('the network from the command line', () => {
  const dir = tempDir('defaust-cli-net-');
  const nodes: ServedNode[] = [];
  let bootstrap: string;
  const A = ['--home', join(dir, 'alice')];
  const B = ['--home', join(dir, 'bob')];
  let alice = '';
  let mnemonic = '';
  let head = '';
  /** A coach who published a trust list, and the witness it lists for runs. */
  let coachId = '';
  let listedId = '';

  beforeAll(async () => {
    const first = await serve(join(dir, 'boot'), []);
    nodes.push(first);
    bootstrap = first.addrs[0]!;
    expect(bootstrap).toMatch(new RegExp(`^/ip4/127\\.0\\.0\\.1/tcp/\\d+/p2p/${first.peerId}$`, 'u'));
    nodes.push(...(await Promise.all([1, 2, 3].map((i) => serve(join(dir, `replica-${i}`), [bootstrap])))));
  }, 150_000);

  afterAll(async () => {
    await Promise.all(nodes.map(stopNode));
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('publishes an archive to replicas through a bootstrap address', () => {
    const init = run([...A, 'init', '--json']).json() as { id: string; mnemonic: string };
    alice = init.id;
    mnemonic = init.mnemonic;
    run([...A, 'set', 'contact', 'email', 'alice@example.org']);
    expect(run([...A, 'export', '--out', join(dir, 'alice-old.archive')]).code).toBe(0);
    run([...A, 'set', 'health', 'blood', 'O+']);
    const bob = run([...B, 'init', '--json']).json().id as string;
    expect(run([...A, 'grant', bob, 'contact', '--rights', 'read', '--until', '2099-01-01']).code).toBe(0);
    expect(run([...A, 'grant', bob, 'fitness', '--rights', 'propose', '--until', '2099-01-01']).code).toBe(0);

    const published = run([...A, 'publish', '--bootstrap', bootstrap, '--json']);
    expect(published.code, published.stderr).toBe(0);
    const report = published.json() as { seq: number; recordPeers: number; replicas: { peer: string; length: number }[] };
    const log = run([...A, 'log', '--json']).json() as { seq: number; cid: string }[];
    head = log.at(-1)!.cid;
    expect(report.seq).toBe(log.length - 1);
    expect(report.recordPeers).toBeGreaterThanOrEqual(3);
    expect(report.replicas).toHaveLength(3);
    expect(report.replicas.every((r) => r.length === log.length)).toBe(true);
    const known = new Set(nodes.map((n) => n.peerId));
    expect(report.replicas.every((r) => known.has(r.peer))).toBe(true);
  }, 150_000);

  it('shows a running node\'s status, peers and limits over the control channel', { timeout: 150_000 }, () => {
    const R = ['--home', nodes[1]!.home];
    const status = run([...R, 'net', 'status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    const view = status.json() as { running: boolean; status: { peerId: string; hosted: { id: string; length: number }[]; usage: { hostedBytes: number }; limits: { replicaStorageBytes: number } } };
    expect(view.running).toBe(true);
    expect(view.status.peerId).toBe(nodes[1]!.peerId);
    expect(view.status.usage.hostedBytes).toBeLessThanOrEqual(view.status.limits.replicaStorageBytes);
    const peers = run([...R, 'net', 'peers', '--json']).json() as { peerId: string }[];
    expect(peers.map((p) => p.peerId)).toContain(nodes[0]!.peerId);

    const changed = run([...R, 'net', 'limits', '--storage', '2097152', '--bandwidth-out', '1048576', '--json']);
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.json()).toMatchObject({ replicaStorageBytes: 2_097_152, bandwidthOutPerMinute: 1_048_576 });
    expect(run([...R, 'net', 'limits', '--json']).json()).toMatchObject({ replicaStorageBytes: 2_097_152 });
    expect(run([...R, 'net', 'limits', '--min-free-disk', '1073741824', '--json']).json()).toMatchObject({ minFreeDiskBytes: 1_073_741_824, replicaStorageBytes: 2_097_152 });
    expectCleanError(run([...R, 'net', 'limits', '--storage', 'lots']), /--storage must be a whole number/u, 2);
    expectCleanError(run([...R, 'net', 'limits', '--quota', '1']), /too small|>=|at least/iu);
  });

  it('lets the grantee read from the replicas while the owner is away, and refuses the rest', () => {
    const read = run([...B, 'read', alice, '--bootstrap', bootstrap, '--json']);
    expect(read.code, read.stderr).toBe(0);
    // Read on contact, and propose on fitness (which opens it to read too); never health.
    expect(read.json()).toEqual({ contact: { email: 'alice@example.org' }, fitness: {} });
    expectCleanError(run([...B, 'read', alice, 'health', '--bootstrap', bootstrap]), /no grant for section health/u);
  }, 150_000);

  it('delivers a change request to the offline owner\'s mailboxes, fetched when the owner is back', () => {
    const sent = run([...B, 'propose', alice, 'fitness', 'weight', '58.5', '--type', 'number', '--bootstrap', bootstrap, '--json']);
    expect(sent.code, sent.stderr).toBe(0);
    const { id, deposited } = sent.json() as { id: string; deposited: number };
    expect(deposited).toBeGreaterThanOrEqual(3);
    const fetched = run([...A, 'mail', '--bootstrap', bootstrap, '--json']);
    expect(fetched.code, fetched.stderr).toBe(0);
    expect((fetched.json() as { routed: { kind: string; state: string }[] }).routed).toEqual([expect.objectContaining({ kind: 'change-request', state: 'taken' })]);
    expect(run([...A, 'requests', '--json']).json()).toEqual([expect.objectContaining({ id, section: 'fitness' })]);
    expect((run([...A, 'mail', '--bootstrap', bootstrap, '--json']).json() as { routed: unknown[] }).routed).toEqual([]);
    // The approval is published by the next publish; recovery below finds it.
    expect(run([...A, 'approve', id]).code).toBe(0);
    expect(run([...A, 'publish', '--bootstrap', bootstrap]).code).toBe(0);
    head = (run([...A, 'log', '--json']).json() as { cid: string }[]).at(-1)!.cid;
  }, 150_000);

  it('proposes over the network from the wallet as from the command line: the same base, left in the mailboxes, the same request in the inbox', async () => {
    const cli = run([...B, 'propose', alice, 'fitness', 'weight', '57', '--type', 'number', '--bootstrap', bootstrap, '--json']);
    expect(cli.code, cli.stderr).toBe(0);
    const byCli = cli.json() as { id: string; base: number; deposited: number };
    const home = new Home(join(dir, 'bob'));
    const host = new NetworkHost(home, {
      listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap: [bootstrap], mdns: false, nat: false, privateAddresses: true,
      transports: { webSockets: false, webRTC: false, relay: false }, publishDelayMs: 100, repairMs: 3_600_000, republishMs: 3_600_000,
    });
    const wallet = new WalletService(home, { network: host, idleLockMs: 0, watchMs: 0 });
    let byWallet: Response<'requests:propose'>;
    try {
      expect((await wallet.call('session:unlock', { passphrase: PASS })).ok).toBe(true);
      await waitForRoutingTables([host.current()!.node], 3, 60_000);
      const sent = await wallet.call('requests:propose', { owner: alice, section: 'fitness', ops: [{ op: 'set', path: 'weight', value: 57 }] });
      if (!sent.ok) throw new Error(`${sent.error.code}: ${sent.error.message}`);
      byWallet = sent.value;
    } finally {
      await host.stop();
      wallet.close();
    }
    expect(byWallet).toMatchObject({ base: byCli.base, file: null });
    expect(byWallet.deposited).toBeGreaterThanOrEqual(3);
    expect(byCli.deposited).toBeGreaterThanOrEqual(3);

    const fetched = run([...A, 'mail', '--bootstrap', bootstrap, '--json']);
    expect(fetched.code, fetched.stderr).toBe(0);
    expect((fetched.json() as { routed: { kind: string; state: string }[] }).routed.map((r) => [r.kind, r.state])).toEqual([['change-request', 'taken'], ['change-request', 'taken']]);
    const waiting = run([...A, 'requests', '--json']).json() as { id: string }[];
    const shown = (id: string) => {
      const { id: _id, ...rest } = waiting.find((r) => r.id === id)!;
      return rest;
    };
    expect(shown(byCli.id)).toMatchObject({ from: expect.any(String), section: 'fitness', base: byCli.base, changes: [{ path: 'weight', before: 58.5, after: 57 }] });
    expect(shown(byWallet.id)).toEqual(shown(byCli.id));
    // Both answered, so the steps below find no request waiting.
    for (const id of [byCli.id, byWallet.id]) expect(run([...A, 'reject', id, '--out', join(dir, `reply-${id.slice(-8)}`)]).code).toBe(0);
  }, 300_000);

  it('asks witnesses through their mailboxes; their answers come back and meet the policy; a coach\'s trust list is adopted', () => {
    const witnesses = [1, 2].map((i) => ['--home', join(dir, `witness-${i}`)]);
    const ids = witnesses.map((W) => run([...W, 'init', '--json']).json().id as string);
    const claim = run([...A, 'feat', 'claim', 'Half marathon', '--type', 'run', '--policy', 'k-of-n:2', '--criteria', 'under 2 h', '--json']).json().cid as string;
    const asked = run([...A, 'attest', 'request', claim, ...ids.flatMap((w) => ['--witness', w]), '--bootstrap', bootstrap, '--json']);
    expect(asked.code, asked.stderr).toBe(0);
    expect((asked.json() as { deposited: number }[]).every((r) => r.deposited >= 1)).toBe(true);
    for (const W of witnesses) {
      const mail = run([...W, 'mail', '--bootstrap', bootstrap, '--json']).json() as { waiting: { id: string; kind: string; from: string }[] };
      expect(mail.waiting).toEqual([expect.objectContaining({ kind: 'attest-request', from: alice })]);
      const signed = run([...W, 'attest', 'sign', mail.waiting[0]!.id, '--verdict', 'yes', '--bootstrap', bootstrap, '--json']);
      expect(signed.code, signed.stderr).toBe(0);
      expect((run([...W, 'mail', '--bootstrap', bootstrap, '--json']).json() as { waiting: unknown[] }).waiting).toEqual([]);
    }
    const back = run([...A, 'mail', '--bootstrap', bootstrap, '--json']).json() as { routed: { kind: string; state: string }[] };
    expect(back.routed.map((r) => [r.kind, r.state])).toEqual([['attestation', 'taken'], ['attestation', 'taken']]);
    expect(run([...A, 'feat', 'status', claim, '--json']).json()).toMatchObject({ met: false, have: 0, need: 2 }); // not trusted yet
    for (const id of ids) expect(run([...A, 'trust', 'add', id, '--for', 'run']).code).toBe(0);
    expect(run([...A, 'feat', 'status', claim, '--json']).json()).toMatchObject({ met: true, have: 2, need: 2 });

    // Witness 1 is also a coach who publishes a trust list; Alice adopts it for runs.
    const coach = witnesses[0]!;
    expect(run([...coach, 'trust', 'add', ids[1]!, '--for', 'run', '--public']).code).toBe(0);
    const listed = run([...coach, 'trustlist', 'publish', '--bootstrap', bootstrap, '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.json()).toMatchObject({ id: ids[0], entries: [{ did: ids[1], featType: 'run', authority: false, listed: true }] });
    expect(run([...A, 'trust', 'add', ids[0]!, '--for', 'run', '--authority']).code).toBe(0);
    const synced = run([...A, 'trust', 'sync', '--bootstrap', bootstrap, '--json']);
    expect(synced.code, synced.stderr).toBe(0);
    expect(synced.json()).toEqual([{ authority: ids[0], outcome: 'fetched', witnesses: [{ did: ids[1], featType: 'run' }] }]);
    [coachId, listedId] = [ids[0]!, ids[1]!];
    // A stranger's verifier computes the list's root itself, fetching the coach's chain and its members' from the
    // network (fetchListChains); without the network it has nothing to compute from.
    const verifier = ['--home', join(dir, 'verifier')];
    expect(run([...verifier, 'trust', 'root', '--of', ids[0]!, '--for', 'run']).stderr).toMatch(/no copy of did:key:\S+'s chain here/u);
    const unpublished = run([...verifier, 'trust', 'root', '--of', ids[0]!, '--for', 'run', '--bootstrap', bootstrap]);
    expect([unpublished.code, unpublished.stderr]).toEqual([1, `defaust: the chains of ${ids[1]} are not held here: fetch them from the network, or give their archive files\n`]);
    expect(run([...witnesses[1]!, 'publish', '--bootstrap', bootstrap]).code).toBe(0); // the member's genesis carries its key
    const ofList = run([...verifier, 'trust', 'root', '--of', ids[0]!, '--for', 'run', '--bootstrap', bootstrap, '--json']);
    expect(ofList.code, ofList.stderr).toBe(0);
    expect(ofList.json()).toMatchObject({ members: [ids[1]], list: expect.stringContaining(`the list ${ids[0]} published for run`) });
    expect(run([...A, 'trust', 'list', '--json']).json()).toContainEqual({ did: ids[1], featType: 'run', authority: false, listed: true, via: ids[0] });
    expect(run([...A, 'trust', 'root', '--for', 'run', '--json']).json()).toMatchObject({ members: [ids[0], ids[1]].sort() });
    expect(run([...A, 'publish', '--bootstrap', bootstrap]).code).toBe(0);
    head = (run([...A, 'log', '--json']).json() as { cid: string }[]).at(-1)!.cid;
  }, 300_000);

  it('trust sync through both faces (the CLI, and the wallet API with its own node) stores the same community list', async () => {
    const faces = await twoFaces((cli) => cli(['trust', 'add', coachId, '--for', 'run', '--authority']), {
      network: { bootstrap: [bootstrap], listen: ['/ip4/127.0.0.1/tcp/0'], mdns: false, nat: false, transports: { webSockets: false, webRTC: false, relay: false }, privateAddresses: true },
    });
    try {
      // The wallet's node joins in the background after the unlock: sync until it reached the replicas.
      let synced: Awaited<ReturnType<typeof faces.wallet<'trust:sync'>>> | undefined;
      for (const deadline = Date.now() + 60_000; Date.now() < deadline && synced?.authorities[0]?.fetched !== true;) {
        synced = await faces.wallet('trust:sync', {});
        if (synced.authorities[0]?.fetched !== true) await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(synced?.authorities).toEqual([{ authority: coachId, fetched: true, problem: null, witnesses: 1 }]);
      await faces.stopNetwork();
      const r = faces.cli(['trust', 'sync', '--bootstrap', bootstrap]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json()).toEqual([{ authority: coachId, outcome: 'fetched', witnesses: [{ did: listedId, featType: 'run' }] }]);
      const { cli, wallet } = faces.stored();
      expect(cli.community).toEqual([{ did: listedId, featType: 'run', authority: false, listed: true, via: coachId }]);
      expect(wallet).toEqual(cli);
    } finally {
      await faces.close();
    }
  }, 240_000);

  it('recovers the identity on a new machine from the recovery phrase and the network', () => {
    rmSync(join(dir, 'alice'), { recursive: true, force: true });
    const N = ['--home', join(dir, 'alice-new')];
    const recovered = run([...N, 'recover', '--bootstrap', bootstrap, '--json'], { input: mnemonic });
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(recovered.json()).toMatchObject({ id: alice, chain: true });
    const log = run([...N, 'log', '--json']).json() as { seq: number; cid: string; kind: string }[];
    expect(log.at(-2)!.cid).toBe(head);
    expect(log.at(-1)!.kind).toBe('device-add');
    expect(run([...N, 'verify', '--json']).json()).toMatchObject({ ok: true });
    expect(run([...N, 'show', '--json']).json()).toMatchObject({ contact: { email: 'alice@example.org' }, health: { blood: 'O+' }, fitness: { weight: 58.5 } });
  }, 150_000);

  it('fetches from the replicas the media a home lacks (`media get`), each part checked against its CID', () => {
    const N = ['--home', join(dir, 'alice-new')];
    const picture = join(dir, 'run.jpg');
    const bytes = randomBytes(600_000);
    writeFileSync(picture, bytes);
    const attached = run([...N, 'attach', picture, '--section', 'fitness', '--event', 'run', '--type', 'image/jpeg', '--json']);
    expect(attached.code, attached.stderr).toBe(0);
    expect(run([...N, 'publish', '--bootstrap', bootstrap, '--json']).code).toBe(0);
    const cid = (run([...N, 'media', 'list', '--json']).json() as { cid: string }[])[0]!.cid;
    // A copy of the home whose media blobs went missing (as after `import --without-media`).
    const M = join(dir, 'alice-lost-media');
    cpSync(join(dir, 'alice-new'), M, { recursive: true });
    const db = new Database(join(M, 'defaust.db'));
    db.prepare('DELETE FROM blobs').run();
    db.close();
    const out = join(dir, 'fetched.jpg');
    expectCleanError(run(['--home', M, 'media', 'get', cid, '--out', out]), /this needs the network/u, 2);
    const fetched = run(['--home', M, 'media', 'get', cid, '--out', out, '--bootstrap', bootstrap, '--json']);
    expect(fetched.code, fetched.stderr).toBe(0);
    expect(Buffer.compare(readFileSync(out), bytes)).toBe(0);
    // Stored now: the next read needs no network.
    expect(run(['--home', M, 'media', 'get', cid, '--out', out, '--force']).code).toBe(0);
  }, 150_000);

  it("an import older than the network's head record is refused unless --accept-older (the next write would fork)", () => {
    const F = ['--home', join(dir, 'alice-fork')];
    expect(run([...F, 'recover'], { input: mnemonic }).code).toBe(0);
    expectCleanError(run([...F, 'import', join(dir, 'alice-old.archive'), '--bootstrap', bootstrap]), /the network's head record names \d+: writing on it would fork .*--accept-older/u);
    expect(run([...F, 'log', '--json']).json()).toEqual([]);
    const taken = run([...F, 'import', join(dir, 'alice-old.archive'), '--bootstrap', bootstrap, '--accept-older', '--json']);
    expect(taken.code, taken.stderr).toBe(0);
  }, 150_000);

  it('says clearly what is wrong with addresses and when no node runs', { timeout: 150_000 }, () => {
    expectCleanError(run([...B, 'publish', '--bootstrap', 'not-an-address']), /--bootstrap not-an-address is not a peer address/u, 2);
    expectCleanError(run([...B, 'publish', '--bootstrap', '/ip4/127.0.0.1/tcp/1']), /not a peer address/u, 2);
    expectCleanError(run([...B, 'net', 'status']), /no DeFaust node is running for .*bob/u);
    expectCleanError(run([...B, 'read', 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK']), /needs the network: pass --bootstrap/u, 2);
  });

  it('removes its control file when it stops', async () => {
    const node = nodes.pop()!;
    expect(existsSync(join(node.home, 'control.json'))).toBe(true);
    await stopNode(node);
    expect(existsSync(join(node.home, 'control.json'))).toBe(false);
    expectCleanError(run(['--home', node.home, 'net', 'status']), /no DeFaust node is running/u);
  }, 30_000);
});
