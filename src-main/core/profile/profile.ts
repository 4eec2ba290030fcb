// The owner's profile: the one object the faces (CLI, UI, headless node) talk to. It composes the chain
// writer with the feature folds and services, and offers the profile's own verbs: fields, media, blocks.
import { AccessControl } from '../access/access-control.ts';
import { GrantBook } from '../access/grant-book.ts';
import { KeyRing } from '../chain/keyring.ts';
import { Inbox, MergeBook } from '../requests/inbox.ts';
import { DeviceBook, Devices } from '../devices/devices.ts';
import { Registry, RegistryBook } from '../registry/registry.ts';
import { FeatBook, Feats } from '../feats/feats.ts';
import { ChallengeBook, Challenges } from '../social/challenge-book.ts';
import type { GrantView } from '../access/grants.ts';
import type { Right } from '../chain/meta.ts';
import { ChainWriter, type BlockSummary, type ChainDeps, type OwnerKeys, type RebaseReport } from '../chain/writer.ts';
import type { CheckpointMeta } from '../chain/checkpoint.ts';
import type { BodyRef } from '../chain/header.ts';
import { InvalidInputError, NotFoundError } from '../errors.ts';
import type { Did } from '../identity/did.ts';
import type { IdentityPublic } from '../identity/keys.ts';
import { openMedia, sealMedia } from '../media/media.ts';
import type { ChainStore, RequestStore, StoredBlob } from '../ports.ts';
import { ProfileData } from './data-fold.ts';
import { checkOps, checkPath, checkSection, checkValue, EVENT, type MediaRef, type Op, type Value } from '../chain/ops.ts';
import { copyState, diffOps, type FieldChange, type ProfileState } from './state.ts';

export { SNAPSHOT_EVERY, summarize, DeviceRevokedError, type BlockSummary, type OwnerKeys } from '../chain/writer.ts';
/** The chain's dependencies, and the request inbox's store. */
/** `barred`: whether a witness is barred in this home's view (its sign-offs then satisfy no policy); none by default. */
export type ProfileDeps = ChainDeps & { requests: RequestStore; barred?: (did: Did) => boolean };

export const DEFAULT_SECTIONS = ['public', 'contact', 'health', 'fitness', 'feats'] as const;

export class Profile {
  private readonly writer: ChainWriter;
  private readonly data = new ProfileData();
  private readonly access: AccessControl;
  /** Change requests: receive, list, approve, reject. */
  readonly inbox: Inbox;
  /** Device keys: list, certify, revoke. */
  readonly devices: Devices;
  /** Registered clients that serve sections while the owner is offline. */
  readonly registry: Registry;
  /** Feat claims, attestations, the trust list and proof inputs. */
  readonly feats: Feats;
  /** Challenges and duels as this chain records them. */
  readonly social: Challenges;

  private constructor(deps: ProfileDeps, keys: OwnerKeys) {
    const keyring = new KeyRing(deps.crypto);
    const grants = new GrantBook();
    const merges = new MergeBook(deps.crypto);
    const devices = new DeviceBook();
    const registry = new RegistryBook();
    const feats = new FeatBook();
    const social = new ChallengeBook();
    this.writer = new ChainWriter(deps, keys, keyring, [this.data, grants, merges, devices, registry, feats, social]);
    this.social = new Challenges(this.writer, social);
    this.feats = new Feats(this.writer, feats, keys.identity.ed25519Seed, (cid) => this.mediaList().find((m) => m.ref.cid.toString() === cid)?.ref, deps.barred, (cid) => this.social.refutedBy(cid));
    this.devices = new Devices(this.writer, devices);
    this.access = new AccessControl(this.writer, grants);
    this.registry = new Registry(this.writer, this.access, grants, registry);
    this.inbox = new Inbox({
      writer: this.writer, grants, merges, data: this.data, store: deps.requests, ownerSeed: keys.identity.ed25519Seed,
    });
  }

  /** Starts a new chain: genesis, the device certificate and keys for the default sections, in one append. */
  static create(deps: ProfileDeps, keys: OwnerKeys, options: { deviceLabel?: string } = {}): Profile {
    const profile = new Profile(deps, keys);
    profile.writer.createChain(DEFAULT_SECTIONS, options.deviceLabel ?? 'first device');
    return profile;
  }

  /**
   * Opens the chain stored for these keys; certifies this device first when the chain does not know it, and
   * hands the meta key to clients registered by v1 blocks.
   */
  static open(deps: ProfileDeps, keys: OwnerKeys): Profile {
    const profile = new Profile(deps, keys);
    profile.writer.openChain();
    profile.registry.handMetaKeys();
    return profile;
  }

  get id(): Did {
    return this.writer.id;
  }

  get identity(): IdentityPublic {
    return this.writer.identity;
  }

  get device(): Did {
    return this.writer.device;
  }

  get length(): number {
    return this.writer.length;
  }

  get headCid(): string | null {
    return this.writer.headCid;
  }

  /** Takes another device's history and writes this device's unpublished blocks after it (ChainWriter.rebaseOnto). */
  rebaseOnto(theirs: ChainStore): RebaseReport {
    return this.writer.rebaseOnto(theirs);
  }

  /** Folds what another writer (another process, another window) appended since; true when there was any. */
  refresh(): boolean {
    return this.writer.refresh();
  }

  /** A prototype-free copy of the folded state. */
  current(): ProfileState {
    return copyState(this.data.state);
  }

  sections(): string[] {
    return [...new Set([...this.writer.keyring.sections(), ...Object.keys(this.data.state)])].sort();
  }

  /** The exact change `ops` would make to `section`, before anything is signed. */
  preview(section: string, ops: unknown): FieldChange[] {
    return diffOps(this.data.state, checkSection(section), checkOps(ops));
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

  /** Writes one `delta` block carrying `ops` for `section` (a key rotation first when needed). */
  write(section: string, opsInput: unknown, blobs: StoredBlob[] = []): BlockSummary {
    const ops = checkOps(opsInput);
    return this.writer.commit(() => this.writer.stageSealed('delta', checkSection(section), ops), blobs);
  }

  /** Seals a media file into chunks and references it from `event` in `section`, in one atomic write. */
  attach(section: string, event: string, bytes: Uint8Array, name: string, type: string): { ref: MediaRef; block: BlockSummary } {
    if (!EVENT.test(event)) throw new InvalidInputError('an event name is 1–80 letters, digits, spaces or . _ -');
    const { ref, blobs } = sealMedia(this.writer.deps.crypto, bytes, name.slice(0, 255), type.slice(0, 255));
    const block = this.write(section, [{ op: 'media', event, ref }], blobs.map((b) => ({ cid: b.cid.toString(), bytes: b.bytes })));
    return { ref, block };
  }

  /** Every media reference in the state, with the section and event it belongs to. */
  mediaList(): { section: string; event: string; ref: MediaRef }[] {
    const out: { section: string; event: string; ref: MediaRef }[] = [];
    for (const [section, content] of Object.entries(this.data.state)) {
      for (const [event, refs] of Object.entries(content.media)) for (const ref of refs) out.push({ section, event, ref });
    }
    return out;
  }

  /** The media object `cid` of this profile: where it is attached, and its reference. */
  mediaItem(cid: string): { section: string; event: string; ref: MediaRef } {
    const found = this.mediaList().find((m) => m.ref.cid.toString() === cid);
    if (found === undefined) throw new NotFoundError(`There is no media ${cid} in this profile.`);
    return found;
  }

  /** The decrypted bytes of a media object, every blob checked against its CID. */
  openMedia(ref: MediaRef): Uint8Array {
    return openMedia(this.writer.deps.crypto, ref, (c) => this.writer.deps.store.blob(c.toString()));
  }

  /** The decrypted ops of one block, section by section (for the timeline's detail view). */
  blockOps(seq: number): { section: string; ops: Op[] }[] {
    return this.writer.blockOps(seq);
  }

  /** Writes a checkpoint now: the identity key's signature on the accumulator's root over all history so far. */
  checkpoint(): BlockSummary {
    return this.writer.checkpoint();
  }

  /** The accumulator's root over every header held (its size is the chain's length). */
  historyRoot(): CheckpointMeta {
    return this.writer.historyRoot();
  }

  /**
   * The epoch key that opens a body of this chain, for a reveal the owner asked for: it opens every body of
   * that section in that epoch, which is what the owner is told before it leaves.
   */
  epochKey(ref: BodyRef): Uint8Array {
    return this.writer.keyring.keyFor(ref.section, ref.gen, ref.epoch);
  }

  createSection(section: string, epochMs?: number): BlockSummary {
    return this.access.createSection(section, epochMs);
  }

  grants(): GrantView[] {
    return this.access.grants();
  }

  grant(grantee: Did, section: string, rights: Right, untilTs: number, fromTs?: number): GrantView {
    return this.access.grant(grantee, section, rights, untilTs, fromTs);
  }

  revoke(grantee: Did, section: string): BlockSummary {
    return this.access.revoke(grantee, section);
  }
}
