// The owner's profile: writes signed, encrypted blocks to the chain and keeps the folded state.
// Every write is one atomic append (section keys first when a section or generation is new); the state
// is rebuilt on open from the latest sealed snapshot plus the blocks after it.
import { epochOf } from '../access/epochs.ts';
import { AccessDeniedError, grantMeta, makeGrant, revokeMeta, RIGHTS, type GrantView, type Right } from '../access/grants.ts';
import { DEFAULT_EPOCH_MS, KeyRing, newGeneration, unwrapGeneration, type GenerationSeeds, type SectionGeneration } from '../access/keyring.ts';
import { isDid } from '../identity/did.ts';
import { concatBytes } from '../bytes.ts';
import { openBody, sealBody } from '../chain/body.ts';
import { cidOf, decodeCanonical, encode, type CID } from '../chain/codec.ts';
import { decodeHeader, signHeader, HEADER_VERSION, SECTION_NAME, type BlockKind, type BodyRef, type Header, type Meta, type SignedBlockHeader } from '../chain/header.ts';
import { deviceOf, sectionKeyEntries, type SectionKeyEntry } from '../chain/meta.ts';
import type { Crypto } from '../crypto/port.ts';
import { DefaustError, InvalidInputError, NotFoundError } from '../errors.ts';
import { didFromPublicKey, type Did } from '../identity/did.ts';
import { identityPublic, type IdentityPublic, type IdentitySecrets } from '../identity/keys.ts';
import { openMedia, sealMedia } from '../media/media.ts';
import type { BlockWrite, ChainStore, Clock, StoredBlob, StoredHeader } from '../ports.ts';
import { checkOps, checkPath, checkValue, EVENT, type MediaRef, type Op, type Value } from './ops.ts';
import { applyOps, diffOps, type FieldChange, type ProfileState } from './state.ts';

export const DEFAULT_SECTIONS = ['public', 'contact', 'health', 'fitness', 'feats'] as const;
/** A sealed snapshot of the state is written every this many blocks. */
export const SNAPSHOT_EVERY = 256;

export interface ProfileDeps {
  crypto: Crypto;
  store: ChainStore;
  clock: Clock;
}

/** What the main process holds once the keystore is unlocked. Never leaves the main process. */
export interface OwnerKeys {
  identity: IdentitySecrets;
  deviceSeed: Uint8Array;
  /** Seals local snapshots; never leaves this machine. */
  localKey: Uint8Array;
}

export interface BlockSummary {
  seq: number;
  cid: string;
  kind: string;
  author: string;
  ts: number;
}

export class DeviceRevokedError extends DefaustError {
  override name = 'DeviceRevokedError';
  constructor(device: Did) {
    super('device-revoked', `this device (${device}) was revoked; recover the identity on a new device`);
  }
}

export const summarize = (h: StoredHeader): BlockSummary => ({ seq: h.seq, cid: h.cid, kind: h.kind, author: h.author, ts: h.ts });

const toStored = (block: SignedBlockHeader): StoredHeader => ({
  seq: block.header.seq,
  cid: block.cid.toString(),
  kind: block.header.kind,
  ts: block.header.ts,
  author: block.header.author,
  bytes: block.bytes,
});

interface GrantRecord extends GrantView {
  to: number;
  revokedAt: number | null;
}

interface Head {
  seq: number;
  cid: CID;
  ts: number;
}

export class Profile {
  readonly identity: IdentityPublic;
  readonly device: Did;
  private readonly deps: ProfileDeps;
  private readonly keys: OwnerKeys;
  private readonly keyring: KeyRing;
  private readonly seeds = new Map<string, { entry: SectionKeyEntry; seeds: GenerationSeeds }>();
  private state: ProfileState = {};
  private grantList: GrantRecord[] = [];
  private head: Head | null = null;

  private constructor(deps: ProfileDeps, keys: OwnerKeys) {
    this.deps = deps;
    this.keys = keys;
    this.identity = identityPublic(deps.crypto, keys.identity);
    this.device = didFromPublicKey(deps.crypto.ed25519.publicKey(keys.deviceSeed));
    this.keyring = new KeyRing(deps.crypto);
  }

  /** Starts a new chain: genesis, the device certificate and keys for the default sections, in one append. */
  static create(deps: ProfileDeps, keys: OwnerKeys, options: { deviceLabel?: string } = {}): Profile {
    const profile = new Profile(deps, keys);
    if (deps.store.head(profile.id) !== undefined) throw new DefaustError('chain-exists', `a chain for ${profile.id} already exists here`);
    const pub = profile.identity;
    const writes: BlockWrite[] = [];
    writes.push(profile.stage('genesis', [], { x25519: pub.x25519, babyJubjub: pub.babyJubjub }, [], keys.identity.ed25519Seed));
    writes.push(profile.stage('device-add', [], { device: profile.device, label: options.deviceLabel ?? 'first device' }, [], keys.identity.ed25519Seed));
    const ts = profile.nextTs();
    const entries = DEFAULT_SECTIONS.map((section) => newGeneration(deps.crypto, pub.x25519, section, 0, ts));
    writes.push(profile.stage('section-keys', [], { sections: entries.map((e) => e.entry) }, [], keys.identity.ed25519Seed));
    profile.commit(writes);
    return profile;
  }

  /** Opens the chain stored for these keys; certifies this device first when the chain does not know it. */
  static open(deps: ProfileDeps, keys: OwnerKeys): Profile {
    const profile = new Profile(deps, keys);
    if (deps.store.head(profile.id) === undefined) throw new NotFoundError(`no chain for ${profile.id} is stored here; import your archive first`);
    profile.load();
    profile.ensureDeviceCertified();
    return profile;
  }

  get id(): Did {
    return this.identity.id;
  }

  get length(): number {
    return this.head === null ? 0 : this.head.seq + 1;
  }

  get headCid(): string | null {
    return this.head?.cid.toString() ?? null;
  }

  /** A copy of the folded state. */
  current(): ProfileState {
    return structuredClone(this.state);
  }

  sections(): string[] {
    return [...new Set([...this.keyring.sections(), ...Object.keys(this.state)])].sort();
  }

  /** The exact change `ops` would make to `section`, before anything is signed. */
  preview(section: string, ops: unknown): FieldChange[] {
    return diffOps(this.state, checkSection(section), checkOps(ops));
  }

  set(section: string, path: string, value: Value): BlockSummary {
    return this.write(section, [{ op: 'set', path: checkPath(path), value: checkValue(value) }]);
  }

  unset(section: string, path: string): BlockSummary {
    return this.write(section, [{ op: 'unset', path: checkPath(path) }]);
  }

  append(section: string, path: string, value: Value): BlockSummary {
    return this.write(section, [{ op: 'append', path: checkPath(path), value: checkValue(value) }]);
  }

  /** Writes one `delta` block carrying `ops` for `section` (and a `section-keys` block first when needed). */
  write(section: string, opsInput: unknown, blobs: StoredBlob[] = []): BlockSummary {
    checkSection(section);
    const ops = checkOps(opsInput);
    const ts = this.nextTs();
    const writes: BlockWrite[] = [];
    let target = this.keyring.writeTarget(section, ts);
    if (target === null) {
      writes.push(...this.stageRotation(section));
      target = this.keyring.writeTarget(section, ts)!;
    }
    const ctx = { id: this.id, section, gen: target.generation.gen, epoch: target.epoch };
    const sealed = sealBody(this.deps.crypto, target.generation.range.keyFor(target.epoch), ctx, encode(ops));
    const bodyCid = cidOf(this.deps.crypto.sha256, sealed);
    const body: BodyRef = { section, gen: ctx.gen, epoch: ctx.epoch, cid: bodyCid };
    writes.push(this.stage('delta', [body], {}, [{ cid: bodyCid.toString(), bytes: sealed }], this.keys.deviceSeed, ops));
    this.commit(writes, blobs);
    this.maybeSnapshot();
    return summarize(writes[writes.length - 1]!.header);
  }

  /** Seals a media file into chunks and references it from `event` in `section`, in one atomic write. */
  attach(section: string, event: string, bytes: Uint8Array, name: string, type: string): { ref: MediaRef; block: BlockSummary } {
    if (!EVENT.test(event)) throw new InvalidInputError('an event name is 1–80 letters, digits, spaces or . _ -');
    const { ref, blobs } = sealMedia(this.deps.crypto, bytes, name.slice(0, 255), type.slice(0, 255));
    const block = this.write(section, [{ op: 'media', event, ref }], blobs.map((b) => ({ cid: b.cid.toString(), bytes: b.bytes })));
    return { ref, block };
  }

  /** Every media reference in the state, with the section and event it belongs to. */
  mediaList(): { section: string; event: string; ref: MediaRef }[] {
    const out: { section: string; event: string; ref: MediaRef }[] = [];
    for (const [section, content] of Object.entries(this.state)) {
      for (const [event, refs] of Object.entries(content.media)) for (const ref of refs) out.push({ section, event, ref });
    }
    return out;
  }

  readMedia(cid: string): { ref: MediaRef; bytes: Uint8Array } {
    const found = this.mediaList().find((m) => m.ref.cid.toString() === cid);
    if (found === undefined) throw new NotFoundError(`no media ${cid} in this profile`);
    return { ref: found.ref, bytes: openMedia(this.deps.crypto, found.ref, (c) => this.deps.store.blob(c.toString())) };
  }

  /** Creates a section with its own epoch length (a `section-keys` block). */
  createSection(section: string, epochMs = DEFAULT_EPOCH_MS): BlockSummary {
    checkSection(section);
    if (this.keyring.latest(section) !== undefined) throw new InvalidInputError(`section ${section} already exists`);
    if (!Number.isSafeInteger(epochMs) || epochMs < 60_000) throw new InvalidInputError('an epoch lasts at least one minute');
    const { entry } = newGeneration(this.deps.crypto, this.identity.x25519, section, 0, this.nextTs(), epochMs);
    const write = this.stage('section-keys', [], { sections: [entry] }, [], this.keys.deviceSeed);
    this.commit([write]);
    return summarize(write.header);
  }

  /** Active (not revoked) grants, oldest first. */
  grants(): GrantView[] {
    return this.grantList.filter((g) => g.revokedAt === null).map(({ seq, grantee, section, rights, gen, from, until }) => ({ seq, grantee, section, rights, gen, from, until }));
  }

  /** Grants `grantee` `rights` on `section` for the epochs covering [fromTs, untilTs], in one `grant` block. */
  grant(grantee: Did, section: string, rights: Right, untilTs: number, fromTs = this.deps.clock.now()): GrantView {
    if (!isDid(grantee)) throw new InvalidInputError(`the grantee must be a did:key, not ${JSON.stringify(grantee)}`);
    if (grantee === this.id) throw new InvalidInputError('you already hold every key of your own profile');
    if (!RIGHTS.includes(rights)) throw new InvalidInputError(`rights are one of ${RIGHTS.join(', ')}`);
    checkSection(section);
    const generation = this.keyring.latest(section);
    if (generation === undefined) throw new InvalidInputError(`there is no section ${section}`);
    if (!(Number.isSafeInteger(fromTs) && Number.isSafeInteger(untilTs) && untilTs > fromTs)) throw new InvalidInputError('a grant ends after it starts');
    if (untilTs <= this.deps.clock.now()) throw new InvalidInputError('a grant must end in the future');
    const write = this.stageGrant(generation, grantee, rights, fromTs, untilTs);
    this.commit([write]);
    return this.grants().find((g) => g.seq === write.header.seq)!;
  }

  /**
   * Ends `grantee`'s access to `section`: a `revoke` block, a new key generation from now on, and fresh grants
   * on it for every other grantee still in term — all in one atomic write. What was read stays read.
   */
  revoke(grantee: Did, section: string): BlockSummary {
    const active = this.grants().filter((g) => g.section === section);
    if (!active.some((g) => g.grantee === grantee)) throw new AccessDeniedError(section, `${grantee} holds no grant on ${section}`);
    const writes: BlockWrite[] = [this.stage('revoke', [], { grantee, section }, [], this.keys.deviceSeed)];
    writes.push(...this.stageRotation(section));
    this.commit(writes);
    return summarize(writes[0]!.header);
  }

  /** A new key generation for `section` from now on, and fresh grants on it for every grantee still in term. */
  private stageRotation(section: string): BlockWrite[] {
    const current = this.keyring.latest(section);
    const now = this.nextTs();
    const inTerm = this.grants().filter((g) => g.section === section && g.until > now);
    const { entry } = newGeneration(this.deps.crypto, this.identity.x25519, section, (current?.gen ?? -1) + 1, now, current?.epochMs, current?.length);
    const writes = [this.stage('section-keys', [], { sections: [entry] }, [], this.keys.deviceSeed)];
    const next = this.keyring.latest(section)!;
    for (const g of inTerm) writes.push(this.stageGrant(next, g.grantee, g.rights, now, g.until));
    return writes;
  }

  private stageGrant(generation: SectionGeneration, grantee: Did, rights: Right, fromTs: number, untilTs: number): BlockWrite {
    const last = generation.length - 1;
    const from = fromTs < generation.start ? 0 : (epochOf(generation, fromTs) ?? last);
    const to = epochOf(generation, untilTs) ?? last;
    return this.stage('grant', [], { ...makeGrant(this.deps.crypto, generation, grantee, rights, from, to) }, [], this.keys.deviceSeed);
  }

  /** The decrypted ops of one block, section by section (for the timeline's detail view). */
  blockOps(seq: number): { section: string; ops: Op[] }[] {
    const stored = this.deps.store.header(this.id, seq);
    if (stored === undefined) throw new NotFoundError(`no block ${seq}`);
    const { header } = decodeHeader(this.deps.crypto, stored.bytes);
    return header.bodies.flatMap((ref) => {
      const ops = this.openOps(header, ref);
      return ops === null ? [] : [{ section: ref.section, ops }];
    });
  }

  /** Adds a block signed by the identity key or the device key, keeping head and fold in step. */
  private stage(kind: BlockKind, bodies: BodyRef[], meta: Meta, bodyBlobs: StoredBlob[], signer: Uint8Array, ops?: Op[]): BlockWrite {
    const author = signer === this.keys.identity.ed25519Seed ? this.id : this.device;
    const ts = this.nextTs();
    const block = signHeader(this.deps.crypto, {
      v: HEADER_VERSION, id: this.id, seq: this.length, prev: this.head?.cid ?? null, ts, kind, author, bodies, meta,
    }, signer);
    this.fold(block.header, ops);
    this.head = { seq: block.header.seq, cid: block.cid, ts };
    return { header: toStored(block), bodies: bodyBlobs };
  }

  /** Appends staged blocks; when the store refuses, the in-memory fold is rebuilt from what is stored. */
  private commit(writes: BlockWrite[], blobs: StoredBlob[] = []): void {
    try {
      this.deps.store.append(this.id, writes, blobs);
    } catch (error) {
      this.state = {};
      this.grantList = [];
      this.head = null;
      this.keyring.clear();
      this.seeds.clear();
      if (this.deps.store.head(this.id) !== undefined) this.load();
      throw error;
    }
  }

  private nextTs(): number {
    return Math.max(this.deps.clock.now(), this.head?.ts ?? 0);
  }

  /** Applies a header (and its bodies) to the keyring and the state. `ops` skips decryption of own writes. */
  private fold(header: Header, ops?: Op[]): void {
    if (header.kind === 'section-keys') {
      for (const entry of sectionKeyEntries(header)) {
        const seeds = unwrapGeneration(this.deps.crypto, this.keys.identity.x25519Secret, entry);
        this.keyring.add(entry, seeds);
        this.seeds.set(`${entry.section}/${entry.gen}`, { entry, seeds });
        // Nothing more is written under older generations: their grants end here (re-grants follow).
        for (const grant of this.grantList) {
          if (grant.section === entry.section && grant.gen < entry.gen && grant.revokedAt === null) grant.revokedAt = header.seq;
        }
      }
    }
    if (header.kind === 'grant') {
      const meta = grantMeta(header);
      const generation = this.keyring.generation(meta.section, meta.gen);
      const until = generation === undefined ? 0 : generation.start + (meta.to + 1) * generation.epochMs - 1;
      const from = generation === undefined ? 0 : generation.start + meta.from * generation.epochMs;
      this.grantList.push({ seq: header.seq, grantee: meta.grantee, section: meta.section, rights: meta.rights, gen: meta.gen, from, until, to: meta.to, revokedAt: null });
    } else if (header.kind === 'revoke') {
      const meta = revokeMeta(header);
      for (const grant of this.grantList) {
        if (grant.grantee === meta.grantee && grant.section === meta.section && grant.revokedAt === null) grant.revokedAt = header.seq;
      }
    }
    for (const ref of header.bodies) {
      const bodyOps = ops ?? this.openOps(header, ref);
      if (bodyOps !== null) applyOps(this.state, ref.section, bodyOps);
    }
  }

  private openOps(header: Header, ref: BodyRef): Op[] | null {
    const sealed = this.deps.store.body(ref.cid.toString());
    if (sealed === undefined) return null;
    const ctx = { id: this.id, section: ref.section, gen: ref.gen, epoch: ref.epoch };
    return checkOps(decodeCanonical(openBody(this.deps.crypto, this.keyring.keyFor(ref.section, ref.gen, ref.epoch), ctx, sealed)));
  }

  private load(): void {
    const snapshot = this.deps.store.latestSnapshot(this.id);
    let from = 0;
    if (snapshot !== undefined && this.deps.store.header(this.id, snapshot.seq)?.cid === snapshot.cid) {
      const restored = this.openSnapshot(snapshot.seq, snapshot.cid, snapshot.sealed);
      if (restored) from = snapshot.seq + 1;
    }
    for (const stored of this.deps.store.headers(this.id, from)) {
      const block = decodeHeader(this.deps.crypto, stored.bytes);
      this.fold(block.header);
      this.head = { seq: block.header.seq, cid: block.cid, ts: block.header.ts };
    }
  }

  private ensureDeviceCertified(): void {
    let certified = false;
    for (const stored of this.deps.store.headersOfKind(this.id, ['device-add', 'device-revoke'])) {
      const { header } = decodeHeader(this.deps.crypto, stored.bytes);
      if (deviceOf(header) !== this.device) continue;
      if (header.kind === 'device-revoke') throw new DeviceRevokedError(this.device);
      certified = true;
    }
    if (!certified) {
      this.commit([this.stage('device-add', [], { device: this.device, label: 'recovered device' }, [], this.keys.identity.ed25519Seed)]);
    }
  }

  private snapshotAad(seq: number, cid: string): Uint8Array {
    return encode(['defaust/snapshot/v1', this.id, seq, cid]);
  }

  private maybeSnapshot(): void {
    if (this.head === null || (this.head.seq + 1) % SNAPSHOT_EVERY !== 0) return;
    const cid = this.head.cid.toString();
    const plain = encode({ state: this.state, generations: [...this.seeds.values()], grants: this.grantList });
    const nonce = this.deps.crypto.randomBytes(12);
    const sealed = concatBytes(nonce, this.deps.crypto.aead.seal(this.keys.localKey, nonce, plain, this.snapshotAad(this.head.seq, cid)));
    this.deps.store.putSnapshot(this.id, { seq: this.head.seq, cid, sealed });
  }

  /** Restores state and keys from a snapshot; false (and a full fold) when it does not open. */
  private openSnapshot(seq: number, cid: string, sealed: Uint8Array): boolean {
    const plain = this.deps.crypto.aead.open(this.keys.localKey, sealed.subarray(0, 12), sealed.subarray(12), this.snapshotAad(seq, cid));
    if (plain === null) return false;
    const value = decodeCanonical(plain) as { state: ProfileState; generations: { entry: SectionKeyEntry; seeds: GenerationSeeds }[]; grants: GrantRecord[] };
    this.state = value.state;
    this.grantList = value.grants;
    for (const { entry, seeds } of value.generations) {
      this.keyring.add(entry, seeds);
      this.seeds.set(`${entry.section}/${entry.gen}`, { entry, seeds });
    }
    const stored = this.deps.store.header(this.id, seq)!;
    const block = decodeHeader(this.deps.crypto, stored.bytes);
    this.head = { seq, cid: block.cid, ts: block.header.ts };
    return true;
  }
}

function checkSection(section: string): string {
  if (typeof section !== 'string' || !SECTION_NAME.test(section)) {
    throw new InvalidInputError(`a section name is 1–32 lower-case letters, digits or '-', starting with a letter, not ${JSON.stringify(section)}`);
  }
  return section;
}
