// Size caps (issue 9, High 1 and Medium 6): what a write grantee, a peer or a long label can make the owner's
// writer produce always fits one sync frame; oversized requests, bodies and labels are refused before anything
// is written, with a `too-large` error naming what, the size and the cap. Real SQLite stores throughout.
import type Database from 'better-sqlite3';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteRequestStore } from '../src-main/adapters/db/request-store.ts';
import { openDatabase, SqliteChainStore } from '../src-main/adapters/db/sqlite-store.ts';
import { DAY_MS } from '../src-main/core/chain/keyring.ts';
import { cidOf, encode, type CID } from '../src-main/core/chain/codec.ts';
import { HEADER_VERSION, signHeader, type BodyRef, type UnsignedHeader } from '../src-main/core/chain/header.ts';
import { ChainVerifier, verifyStoredChain } from '../src-main/core/chain/verify.ts';
import { TooLargeError } from '../src-main/core/errors.ts';
import { sealEnvelope } from '../src-main/core/identity/envelope.ts';
import { identityPublic } from '../src-main/core/identity/keys.ts';
import { encodeFrame } from '../src-main/core/net/frames.ts';
import { encodeSyncMessage } from '../src-main/core/net/sync-messages.ts';
import { Profile } from '../src-main/core/profile/profile.ts';
import { REQUEST_FORMAT, sealProposal } from '../src-main/core/requests/proposal.ts';
import { MAX_BLOCK_BODIES_BYTES, MAX_BLOCK_MESSAGE_BYTES, MAX_BODY_BYTES, MAX_HEADER_BYTES, MAX_FRAME_BYTES, MAX_PROPOSAL_BYTES, MAX_REQUEST_BYTES, MAX_TEXT } from '../src-shared/rules/limits.ts';
import { MAX_LABEL_CHARS } from '../src-shared/rules/text.ts';
import { expectCleanError, run } from './cli-helpers.ts';
import { crypto, ownerKeys, TestClock, tempDir } from './helpers.ts';

const grantee = ownerKeys();
const granteeId = identityPublic(crypto, grantee.identity).id;

function sqliteHome() {
  const db: Database.Database = openDatabase(join(tempDir(), 'defaust.db'));
  const store = new SqliteChainStore(db);
  const clock = new TestClock();
  const deps = { crypto, store, clock, requests: new SqliteRequestStore(db) };
  const keys = ownerKeys();
  return { store, clock, deps, keys, owner: Profile.create(deps, keys) };
}

/** The request of the finding: `fields` sets of `chars` characters, signed by the grantee, sealed to the owner without any size check. */
function craftedRequest(owner: Profile, fields: number, base: number, ts: number, chars = MAX_TEXT): Uint8Array {
  const ops = Array.from({ length: fields }, (_, i) => ({ op: 'set', path: `f${i}`, value: 'x'.repeat(chars) }));
  const bytes = encode({ type: 'defaust/proposal', v: 1, target: owner.id, from: granteeId, section: 'fitness', ops, base, ts, nonce: crypto.randomBytes(16) });
  return sealEnvelope(crypto, REQUEST_FORMAT, owner.id, { proposal: bytes, sig: crypto.ed25519.sign(grantee.identity.ed25519Seed, bytes) });
}

/** The sync message that carries block `seq` with its bodies, framed as it goes on the wire. */
function blockFrame(store: SqliteChainStore, id: string, seq: number): Uint8Array {
  const stored = store.header(id as never, seq)!;
  const verifier = new ChainVerifier(crypto, id as never);
  let block;
  for (const h of store.headers(id as never, 0, seq + 1)) block = verifier.acceptBytes(h.bytes);
  const bodies = block!.header.bodies.map((ref) => [ref.cid, store.body(ref.cid.toString())!] as [typeof ref.cid, Uint8Array]);
  return encodeFrame(encodeSyncMessage({ t: 'block', header: stored.bytes, bodies }));
}

describe('size caps', () => {
  it("a write grantee's 5 MB request is refused at import, never auto-approved, and leaves the chain as it was", () => {
    const { owner, clock, store } = sqliteHome();
    owner.grant(granteeId, 'fitness', 'write', clock.now() + 10 * DAY_MS);
    const length = owner.length;
    const envelope = craftedRequest(owner, 80, length - 1, clock.now());
    expect(envelope.length).toBeGreaterThan(5_000_000);
    let refused: unknown;
    try {
      owner.inbox.receive(envelope);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(TooLargeError);
    expect(refused).toMatchObject({ code: 'too-large', what: 'change request', size: envelope.length, cap: MAX_REQUEST_BYTES });
    expect(owner.length).toBe(length);
    expect(owner.inbox.list()).toEqual([]);
    expect(verifyStoredChain(crypto, store, owner.id).ok).toBe(true);
  });

  it('a request whose proposal passes the cap inside a small envelope is refused too; the largest allowed one merges into a block that fits a frame', () => {
    const { owner, clock, store } = sqliteHome();
    owner.grant(granteeId, 'fitness', 'write', clock.now() + 10 * DAY_MS);
    const fields = Math.floor(MAX_PROPOSAL_BYTES / (MAX_TEXT + 16));
    const ok = sealProposal(crypto, grantee.identity.ed25519Seed, granteeId, owner.id, 'fitness',
      Array.from({ length: fields }, (_, i) => ({ op: 'set' as const, path: `f${i}`, value: 'y'.repeat(MAX_TEXT) })), owner.length - 1, clock.now());
    const view = owner.inbox.receive(ok.envelope);
    expect(view.status).toBe('approved');
    expect(blockFrame(store, owner.id, view.merge!.seq).length).toBeLessThan(MAX_FRAME_BYTES / 2);
    const tooBig = () => sealProposal(crypto, grantee.identity.ed25519Seed, granteeId, owner.id, 'fitness',
      Array.from({ length: fields + 1 }, (_, i) => ({ op: 'set' as const, path: `f${i}`, value: 'y'.repeat(MAX_TEXT) })), owner.length - 1, clock.now());
    expect(tooBig).toThrow(expect.objectContaining({ code: 'too-large', what: 'proposal', cap: MAX_PROPOSAL_BYTES }));
    // A crafted envelope under the request cap whose proposal is over the proposal cap.
    const crafted = craftedRequest(owner, 4, owner.length - 1, clock.now(), Math.ceil(MAX_PROPOSAL_BYTES / 4));
    expect(crafted.length).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
    expect(() => owner.inbox.receive(crafted)).toThrow(expect.objectContaining({ code: 'too-large', what: 'proposal', cap: MAX_PROPOSAL_BYTES }));
    expect(owner.inbox.list().map((r) => r.id)).toEqual([ok.id]);
  });

  it('the writer refuses a body over the cap before anything is written, and the profile stays usable', () => {
    const { owner, store } = sqliteHome();
    owner.set('fitness', 'kept', 1);
    const length = owner.length;
    const big = Array.from({ length: 20 }, (_, i) => ({ op: 'set' as const, path: `f${i}`, value: 'z'.repeat(MAX_TEXT) }));
    let refused: unknown;
    try {
      owner.write('notes', big);
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({ code: 'too-large', what: 'block body', cap: MAX_BODY_BYTES });
    expect((refused as TooLargeError).size).toBeGreaterThan(MAX_BODY_BYTES);
    expect(owner.length).toBe(length);
    expect(store.head(owner.id)!.seq).toBe(length - 1);
    expect(owner.current().notes).toBeUndefined();
    owner.set('fitness', 'after', 2);
    expect(owner.current().fitness!.fields).toMatchObject({ kept: 1, after: 2 });
    expect(verifyStoredChain(crypto, store, owner.id).ok).toBe(true);
  });

  it('a long device label is refused before a block is written', () => {
    const { owner } = sqliteHome();
    const length = owner.length;
    expect(() => owner.devices.add(didOfRandomKey(), 'l'.repeat(MAX_LABEL_CHARS + 1))).toThrow(TooLargeError);
    expect(owner.length).toBe(length);
    const { deps } = sqliteHome();
    expect(() => Profile.create({ ...deps, store: new SqliteChainStore(':memory:') }, ownerKeys(), { deviceLabel: 'l'.repeat(70_000) })).toThrow(TooLargeError);
  });

  it('defaust init --label of 70,000 characters is one clean line, leaves the home usable, and a new init there verifies', () => {
    const h = ['--home', tempDir()];
    // The CLI refuses it as wrong usage before the home is touched; core's own cap is tested above.
    expectCleanError(run([...h, 'init', '--label', 'l'.repeat(70_000)]), /--label is at most 80 characters, not 70000/u, 2);
    expect(run([...h, 'init', '--label', 'l'.repeat(MAX_LABEL_CHARS), '--json']).code).toBe(0);
    expect(run([...h, 'verify', '--json']).json()).toMatchObject({ ok: true });
  });

  it('defaust requests import refuses a 5 MB request file with one clean line', () => {
    const h = ['--home', tempDir()];
    const { id } = run([...h, 'init', '--json']).json() as { id: string };
    const file = join(tempDir(), 'big.request');
    writeFileSync(file, new Uint8Array(5_200_000));
    expectCleanError(run([...h, 'requests', 'import', file]), new RegExp(`larger than ${MAX_REQUEST_BYTES} bytes`, 'u'));
    expect(run([...h, 'requests', '--json']).json()).toEqual([]);
    expect(id).toMatch(/^did:key:/u);
  });

  it('the verifier refuses a received block whose bodies pass the caps', () => {
    const { owner, store } = sqliteHome();
    owner.set('fitness', 'a', 1);
    const verifier = new ChainVerifier(crypto, owner.id);
    const headers = [...store.headers(owner.id)];
    for (const h of headers.slice(0, -1)) verifier.acceptBytes(h.bytes);
    const last = headers[headers.length - 1]!;
    const bigBody = new Uint8Array(MAX_BODY_BYTES + 1);
    expect(() => verifier.acceptBytes(last.bytes, () => bigBody)).toThrow(expect.objectContaining({ rule: 'body-size', seq: last.seq }));
  });

  it('boundary: a header at its cap, referencing as many bodies as it can hold, with bodies at their cap, fits its message bound and half a frame', () => {
    expect(MAX_BLOCK_MESSAGE_BYTES).toBeLessThanOrEqual(MAX_FRAME_BYTES / 2);
    const { owner, keys } = sqliteHome();
    const bodies: [CID, Uint8Array][] = [];
    const refs: BodyRef[] = [];
    const unsigned = (): UnsignedHeader => ({ v: HEADER_VERSION, id: owner.id, seq: 9, prev: null, ts: 0, kind: 'delta', author: owner.id, bodies: refs, meta: {} });
    // Add one-byte bodies while the header stays under its cap, then give the first bodies the byte budget.
    for (;;) {
      const bytes = Uint8Array.of(refs.length % 256, refs.length >> 8);
      const cid = cidOf(crypto.sha256, bytes);
      refs.push({ section: 'a', gen: 0, epoch: 0, cid });
      if (signHeader(crypto, unsigned(), keys.identity.ed25519Seed).bytes.length > MAX_HEADER_BYTES) {
        refs.pop();
        break;
      }
      bodies.push([cid, bytes]);
    }
    expect(refs.length).toBeGreaterThan(500);
    const header = signHeader(crypto, unsigned(), keys.identity.ed25519Seed).bytes;
    bodies[0]![1] = new Uint8Array(MAX_BODY_BYTES);
    bodies[1]![1] = new Uint8Array(MAX_BLOCK_BODIES_BYTES - MAX_BODY_BYTES - 2 * (bodies.length - 2));
    const frame = encodeFrame(encodeSyncMessage({ t: 'block', header, bodies }));
    expect(frame.length).toBeLessThanOrEqual(MAX_BLOCK_MESSAGE_BYTES);
  });

  it('property: every block the writer accepts, with its bodies, fits one sync frame with room', () => {
    const { owner, store } = sqliteHome();
    fc.assert(fc.property(
      // Sizes around the body cap: 1..24 texts of up to 64 Ki characters, ASCII (1 byte) or CJK (3 bytes) each.
      fc.array(fc.record({ size: fc.integer({ min: MAX_TEXT / 4, max: MAX_TEXT }), wide: fc.boolean() }), { minLength: 1, maxLength: 24, size: 'max' }),
      (fields) => {
        const ops = fields.map((f, i) => ({ op: 'set' as const, path: `p${i}`, value: (f.wide ? '\u4e00' : 'a').repeat(f.size) }));
        const before = owner.length;
        try {
          owner.write('notes', ops);
        } catch (error) {
          expect(error).toBeInstanceOf(TooLargeError);
          expect(owner.length).toBe(before);
          return;
        }
        for (let seq = before; seq < owner.length; seq++) expect(blockFrame(store, owner.id, seq).length).toBeLessThanOrEqual(MAX_HEADER_AND_BODIES);
      },
    ), { seed: 9, numRuns: 40 });
  });
});

/** A block message must leave half a frame free. */
const MAX_HEADER_AND_BODIES = MAX_FRAME_BYTES / 2;
const didOfRandomKey = () => identityPublic(crypto, ownerKeys().identity).id;
