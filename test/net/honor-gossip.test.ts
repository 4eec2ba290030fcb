// Equivocation on a loopback network of real homes (SQLite, their own nodes): forged proofs (a stranger's
// header, a revoked device's headers) given to the identity's replicas are refused and bar nobody; a real
// fork, made with the identity's own device key and pushed to one replica, is detected there, its proof kept
// and gossiped to the identity's other replicas, and the identity is barred for good in every observer's
// view — each replica's, and an outsider's that gathers the evidence from the replicas.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryChainStore } from '../../src-main/adapters/db/memory-store.ts';
import { waitForRoutingTables } from '../../src-main/adapters/p2p/loopback.ts';
import { peerAt } from '../../src-main/adapters/p2p/network.ts';
import { Home } from '../../src-main/app/home.ts';
import { honorView, takeEvidenceAsReplica } from '../../src-main/app/honor/honor.ts';
import { NetService } from '../../src-main/app/network/service.ts';
import { openSession, type Session } from '../../src-main/app/session.ts';
import { importArchive, readArchive } from '../../src-main/core/archive/archive.ts';
import { decodeHeader, signHeader } from '../../src-main/core/chain/header.ts';
import { encodeEvidence } from '../../src-main/core/honor/evidence.ts';
import { didFromPublicKey, type Did } from '../../src-main/core/identity/did.ts';
import { SyncError } from '../../src-main/core/net/errors.ts';
import { runPush } from '../../src-main/core/net/sync-session.ts';
import { Profile } from '../../src-main/core/profile/profile.ts';
import { crypto, deps, tempDir } from '../helpers.ts';
import { LOOPBACK, until } from './loopback-wallet.ts';

const PASS = 'correct-horse-battery';
const REPLICA_NODES = 4;

describe('equivocation proofs on a loopback network', () => {
  const dir = tempDir('defaust-honor-net-');
  const replicas: { net: NetService; home: Home }[] = [];
  let owner: { net: NetService; home: Home; session: Session };
  let observer: { net: NetService; home: Home; session: Session };
  let id: Did;

  const start = async (name: string, withIdentity: boolean, bootstrap: string[]) => {
    const home = new Home(join(dir, name));
    if (withIdentity) home.init(PASS);
    const net = await NetService.start(home, { ...LOOPBACK, publishDelayMs: 3_600_000, bootstrap }, withIdentity ? home.unlock(PASS) : null);
    return { home, net };
  };

  beforeAll(async () => {
    let bootstrap: string[] = [];
    for (let i = 0; i < REPLICA_NODES; i++) {
      const replica = await start(`replica-${i}`, false, bootstrap);
      if (i === 0) bootstrap = replica.net.addrs();
      replicas.push(replica);
    }
    const o = await start('owner', true, bootstrap);
    owner = { ...o, session: openSession(o.home, PASS) };
    const w = await start('observer', true, bootstrap);
    observer = { ...w, session: openSession(w.home, PASS) };
    id = owner.session.profile.id;
    await waitForRoutingTables([...replicas, owner, observer].map((n) => n.net.node), REPLICA_NODES, 60_000);
    // A device certified and revoked (both by the identity key), then the chain published to R replicas.
    owner.session.profile.devices.add(didFromPublicKey(crypto.ed25519.publicKey(new Uint8Array(32).fill(7))), 'old phone');
    owner.session.profile.devices.revoke(didFromPublicKey(crypto.ed25519.publicKey(new Uint8Array(32).fill(7))));
    const report = await owner.net.publish();
    expect(report.replicas.length).toBe(3);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([...replicas, owner, observer, ...nodes].map((n) => n?.net.stop().catch(() => undefined)));
    for (const n of [...replicas, owner, observer, ...nodes]) n?.home.close();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const nodes: { net: NetService; home: Home }[] = [];
  /** The nodes other than the owner's that hold its chain (its replicas). */
  const holders = () => [...replicas, observer].filter((r) => r.home.openStore().head(id) !== undefined);

  it('refuses a stranger-signed proof and a revoked device\'s proof: no replica keeps them, nobody is barred', async () => {
    const headers = [...owner.home.store.headers(id)].map((h) => h.bytes);
    const last = decodeHeader(crypto, headers.at(-1)!);
    const forkAt = (seed: Uint8Array, ts: number) => signHeader(crypto, {
      v: 2, id, seq: headers.length, prev: last.cid, ts, kind: 'delta', author: didFromPublicKey(crypto.ed25519.publicKey(seed)), bodies: [], meta: {},
    }, seed).bytes;
    const stranger = new Uint8Array(32).fill(99);
    const revoked = new Uint8Array(32).fill(7);
    const forged = [
      { a: forkAt(stranger, last.header.ts + 1), b: forkAt(stranger, last.header.ts + 2) },
      { a: forkAt(revoked, last.header.ts + 1), b: forkAt(revoked, last.header.ts + 2) },
    ];
    const reasons = ['equivocation/stranger', 'equivocation/revoked'];
    for (const [i, { a, b }] of forged.entries()) {
      const bytes = encodeEvidence({ kind: 'equivocation', proof: { id, a, b, prefix: headers } });
      expect(await observer.net.spreadEvidence([id], bytes)).toBe(0);
      // Why a replica refuses it: the checker's typed reason.
      expect(() => takeEvidenceAsReplica(holders()[0]!.home, bytes)).toThrow(expect.objectContaining({ code: reasons[i] }) as Error);
    }
    for (const r of holders()) {
      expect(r.home.evidence().about(id)).toEqual([]);
      expect(r.home.barred(id)).toBe(false);
    }
    expect((await honorView(observer.session, id, { spread: () => Promise.resolve(0), gather: (did) => observer.net.gatherEvidence(did) })).status).toBe('good');
  }, 120_000);

  it('a real fork pushed to one replica is kept there, gossiped to the others, and bars the identity in every view', async () => {
    // The same identity and device write two different blocks at one seq: one in its home, one in a copy.
    const copy = new MemoryChainStore();
    importArchive(crypto, copy, readArchive(crypto, owner.home.exportArchive()));
    Profile.open(deps(copy), owner.session.keys).set('public', 'name', 'B');
    owner.session.profile.set('public', 'name', 'A');
    const published = await owner.net.publish();
    const target = replicas.find((r) => published.replicas.some((p) => p.peer === r.net.peerId))!;
    const error = await owner.net.node.network.withSync(peerAt(target.net.node.libp2p.peerId, target.net.node.libp2p.getMultiaddrs()), (channel) => runPush(channel, copy, id)).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect(error).toMatchObject({ reason: 'equivocation', remote: true });

    // Kept where it was detected, and gossiped: every replica that holds the chain bars the identity for good.
    expect(target.home.evidence().about(id).map((e) => e.finding.kind)).toEqual(['equivocation']);
    const barred = await until('the proof to reach the other replicas', () => {
      const all = holders();
      return all.length >= 3 && all.every((r) => r.home.barred(id)) ? all : undefined;
    });
    expect(barred.map((r) => r.net.peerId).sort()).toEqual(published.replicas.map((p) => p.peer).sort());

    // An outsider that holds nothing joins now, gathers the evidence from the replicas, checks it, and sees the same.
    const o = await start('outsider', true, replicas[0]!.net.addrs());
    nodes.push(o);
    await waitForRoutingTables([o.net.node], 3, 60_000);
    const outsider = openSession(o.home, PASS);
    expect(o.home.barred(id)).toBe(false);
    const view = await honorView(outsider, id, { spread: () => Promise.resolve(0), gather: (did) => o.net.gatherEvidence(did) });
    expect(view).toMatchObject({ status: 'barred', until: null, gathered: { taken: 1, refused: [] } });
    expect(view.evidence[0]).toMatchObject({ kind: 'equivocation', accused: [id] });
  }, 180_000);
});
