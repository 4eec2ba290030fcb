// The composition root for one home folder: builds the real adapters (node:crypto, SQLite, the keystore
// file, the clock) and hands them to the core services. The CLI, the headless node and Electron all use it.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { createNodeCrypto } from '../adapters/crypto/node-crypto.ts';
import { clockFromEnv, sleepSync } from '../adapters/clock/clock.ts';
import { MemoryChainStore } from '../adapters/db/memory-store.ts';
import { SqliteChainStore } from '../adapters/db/sqlite-store.ts';
import { MemoryRequestStore, SqliteRequestStore } from '../adapters/db/request-store.ts';
import { SqliteAuditStore } from '../adapters/db/audit-store.ts';
import { SqliteMailboxStore } from '../adapters/db/mailbox-store.ts';
import { SqliteReceivedMailStore } from '../adapters/db/received-mail-store.ts';
import { SqliteWitnessLog } from '../adapters/db/witness-log.ts';
import { SqliteNonceStore } from '../adapters/db/nonce-store.ts';
import { SqliteHeldRecordStore } from '../adapters/db/held-record-store.ts';
import { SqliteDatastore } from '../adapters/p2p/datastore.ts';
import { nodeKeyAt } from '../adapters/p2p/peer-key.ts';
import type { PrivateKey } from '@libp2p/interface';
import { SqliteEvidenceStore } from '../adapters/db/evidence-store.ts';
import { PeerInteractions } from '../adapters/db/interaction-store.ts';
import { barredBy, DEFAULT_HONOR_SETTINGS, type HonorSettings } from '../core/honor/honor.ts';
import type { EvidenceStore } from '../core/honor/store.ts';
import { SqliteContactStore } from '../adapters/db/contacts-store.ts';
import { AddressBook } from '../core/contacts/address-book.ts';
import { SqliteCustodyStore } from '../adapters/db/custody-store.ts';
import { TemporaryKey } from '../adapters/secrets/temporary-key.ts';
import { FileNetworkKeyring } from '../adapters/secrets/network-keys.ts';
import type { NetworkKeyring } from '../core/net/private-network.ts';
import type { CustodyStore } from '../core/recovery/custody.ts';
import { SqliteCredentialStore } from '../adapters/db/credential-store.ts';
import { NonceMemory } from './proofs/nonces.ts';
import { folderStat, preparePrivateFolder } from '../adapters/fs/private-folder.ts';
import { Keystore, checkPassphrase } from '../adapters/secrets/keystore.ts';
import { FileLogger } from '../adapters/log/file-log.ts';
import { Prover } from '../adapters/zk/prover.ts';
import type { SpawnProverProcess } from '../adapters/zk/prover-process.ts';
import { RememberedKey } from '../adapters/secrets/keychain-key.ts';
import { NO_KEYCHAIN } from '../adapters/secrets/no-keychain.ts';
import type { Keychain } from '../core/secrets/keychain.ts';
import { VerifyPool } from '../adapters/crypto/verify-pool.ts';
import { errorFields, type Logger } from '../core/log.ts';
import { checkArchiveMedia, exportArchive, importArchive, readArchive, type Archive, type ImportOptions } from '../core/archive/archive.ts';
import type { MediaRef } from '../core/chain/ops.ts';
import { verifyStoredChainInBatches, type VerifyReport } from '../core/chain/verify.ts';
import type { Crypto } from '../core/crypto/port.ts';
import { checkSize, DefaustError } from '../core/errors.ts';
import { didFromPublicKey, type Did } from '../core/identity/did.ts';
import { deriveIdentitySecrets, identityPublic, newMnemonic } from '../core/identity/keys.ts';
import type { ArchiveTiers, AuditStore, ChainStore, Clock, HeldRecordStore, MailboxStore, ReceivedMailStore, RequestStore, WitnessLog } from '../core/ports.ts';
import { MAX_LABEL_CHARS } from '../../src-shared/rules/text.ts';
import { DEFAULT_WRITE_RETRY } from '../core/chain/writer.ts';
import { Profile, summarize, type BlockSummary, type OwnerKeys, type ProfileDeps } from '../core/profile/profile.ts';

export class HomeError extends DefaustError {
  override name = 'HomeError';
  constructor(message: string) {
    super('home', message);
  }
}

/** The home folder: `--home`, else DEFAUST_HOME, else ~/.defaust. */
export function resolveHomeDir(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(option ?? env.DEFAUST_HOME ?? join(homedir(), '.defaust'));
}

export class Home {
  readonly dir: string;
  readonly crypto: Crypto;
  readonly clock: Clock;
  readonly keystore: Keystore;
  /** Where background failures go: `logs/defaust.log` in the home unless one is injected (tests). */
  readonly logger: Logger;
  /** The one prover of this process's wallet: its worker starts on a call and stops when the call is done. */
  readonly prover: Prover;
  /** The OS keychain of this runtime (none under plain Node). */
  readonly keychain: Keychain;
  /** The keystore's key as the keychain keeps it for this device (app/session/keychain.ts). */
  readonly rememberedKey: RememberedKey;
  /** Checks the signatures of long chains on every core (verify, recovery, replica intake); idle until a big batch. */
  readonly signatures: VerifyPool;
  /** How long a refutation bars, and how many trusted reviews flag (the observer's settings). */
  readonly honor: HonorSettings;
  private storeInstance: SqliteChainStore | null = null;
  private requestsInstance: RequestStore | null = null;

  /**
   * `verifyWorkers`: signature worker threads (default one per core; 0 verifies on the calling thread);
   * `proverProcess`: how the prover starts its process (default child_process.fork; Electron passes utilityProcess);
   * `keychain`: the OS keychain that may keep the keystore's key (default none; Electron passes safeStorage).
   */
  constructor(dir: string, options: { clock?: Clock; crypto?: Crypto; log?: Logger; verifyWorkers?: number; honor?: Partial<HonorSettings>; proverProcess?: SpawnProverProcess; keychain?: Keychain } = {}) {
    this.dir = dir;
    this.logger = options.log ?? new FileLogger(join(dir, 'logs', 'defaust.log'));
    this.crypto = options.crypto ?? createNodeCrypto();
    this.clock = options.clock ?? clockFromEnv();
    this.keystore = new Keystore(this.crypto, join(dir, 'keystore.json'));
    this.prover = new Prover(undefined, options.proverProcess);
    this.keychain = options.keychain ?? NO_KEYCHAIN;
    this.rememberedKey = new RememberedKey(dir, this.keystore, this.keychain);
    this.signatures = new VerifyPool(this.crypto.ed25519, { size: options.verifyWorkers });
    this.honor = { ...DEFAULT_HONOR_SETTINGS, ...options.honor };
  }

  get store(): ChainStore {
    return this.identityStore();
  }

  /** The archive tier of this identity's store (old bodies in segment files). */
  get tiers(): ArchiveTiers {
    return this.identityStore();
  }

  /** The store, also in a home with no identity yet (a node that only keeps replicas for others). */
  openStore(): ChainStore {
    return this.sqliteStore();
  }

  /** The audit log of reads this home served as a registered client. */
  get audit(): AuditStore {
    return new SqliteAuditStore(this.identityStore().database);
  }

  /** Mail this identity received through its mailboxes, and what became of it. */
  receivedMail(): ReceivedMailStore {
    return new SqliteReceivedMailStore(this.identityStore().database);
  }

  /** What this identity signed or declined as a witness. */
  witnessLog(): WitnessLog {
    return new SqliteWitnessLog(this.identityStore().database);
  }

  /** The owner's address book: names for dids, kept in this home only. */
  contacts(): AddressBook {
    return new AddressBook(new SqliteContactStore(this.identityStore().database), this.clock);
  }

  /** The attribute credentials issuers gave this identity (values stay in this home). */
  credentials(): SqliteCredentialStore {
    return new SqliteCredentialStore(this.identityStore().database);
  }

  /** The nonces this home issued as a verifier, and which proofs spent them (needs no identity). */
  nonces(): NonceMemory {
    return new NonceMemory(new SqliteNonceStore(this.sqliteStore().database), this.crypto, this.clock);
  }

  /** The honor evidence this home verified: its own detections, imports, what its node was sent (needs no identity). */
  evidence(): EvidenceStore {
    return new SqliteEvidenceStore(this.sqliteStore().database);
  }

  /** Whether `did` is barred in this home's view now (its sign-offs satisfy no policy here). */
  barred(did: Did): boolean {
    // A verifier's home that was never made holds no evidence: nothing is created to say so.
    if (this.storeInstance === null && !existsSync(join(this.dir, 'defaust.db'))) return false;
    return barredBy(this.evidence(), () => this.clock.now(), this.honor)(did);
  }

  /** The mailbox this home's node keeps for others (`/defaust/msg/1.0.0`). */
  mailboxStore(): MailboxStore {
    return new SqliteMailboxStore(this.sqliteStore().database);
  }

  /** Where this home's node keeps libp2p's state (DHT and provider records, the peer store) across restarts. */
  nodeDatastore(): SqliteDatastore {
    return new SqliteDatastore(this.sqliteStore().database);
  }

  /** How much this home's node deals with each peer (its replication favourites), kept across restarts. */
  peerInteractions(): PeerInteractions {
    return new PeerInteractions(this.sqliteStore().database);
  }

  /** The owner-signed head records of the chains this home hosts, which its node republishes. */
  heldRecords(): HeldRecordStore {
    return new SqliteHeldRecordStore(this.sqliteStore().database);
  }

  /** The libp2p key of a node without identity: `node-key` in the home (0600), made on first use. */
  nodeKey(): Promise<PrivateKey> {
    this.prepareFolder();
    return nodeKeyAt(join(this.dir, 'node-key'));
  }

  /** The keys of the private networks this home belongs to, sealed under the device's secret (`networks.json`). */
  networks(): NetworkKeyring {
    this.prepareFolder();
    return new FileNetworkKeyring(this.crypto, this.dir);
  }

  /** The recovery shares this identity keeps for others (recovery by friends). */
  custody(): CustodyStore {
    return new SqliteCustodyStore(this.identityStore().database);
  }

  /** The temporary key of a recovery by friends started in this home (before it has an identity). */
  temporaryKey(): TemporaryKey {
    return new TemporaryKey(this.crypto, this.dir);
  }

  get requests(): RequestStore {
    this.requestsInstance ??= new SqliteRequestStore(this.identityStore().database);
    return this.requestsInstance;
  }

  /** The SQLite store itself: the composition root lends its database to the stores that share it. */
  private sqliteStore(): SqliteChainStore {
    if (this.storeInstance === null) {
      this.prepareFolder();
      this.storeInstance = new SqliteChainStore(join(this.dir, 'defaust.db'));
    }
    return this.storeInstance;
  }

  /** The SQLite store of a home that has an identity (a typed error otherwise, before any file is made). */
  private identityStore(): SqliteChainStore {
    if (this.storeInstance === null) this.requireIdentity();
    return this.sqliteStore();
  }

  /** Makes the home folder (0700), or tightens an existing one others can read; a file there is a typed error. */
  prepareFolder(): void {
    preparePrivateFolder(this.dir);
  }

  hasIdentity(): boolean {
    return this.keystore.exists();
  }

  requireIdentity(): void {
    if (folderStat(this.dir) === undefined) throw new HomeError(`no DeFaust home at ${this.dir}; run defaust init (or pass --home)`);
    if (!this.hasIdentity()) throw new HomeError(`no identity in ${this.dir}; run defaust init or defaust recover`);
  }

  id(): Did {
    this.requireIdentity();
    return this.keystore.ids().id;
  }

  /** Creates a new identity with a fresh mnemonic and starts its chain. The mnemonic is returned once, never stored. */
  init(passphrase: string, deviceLabel?: string): { id: Did; mnemonic: string; profile: Profile; keys: OwnerKeys } {
    checkPassphrase(passphrase);
    if (deviceLabel !== undefined) checkSize('device label', deviceLabel.length, MAX_LABEL_CHARS, 'characters');
    this.prepareDir();
    const mnemonic = newMnemonic(this.crypto.randomBytes);
    const keys = this.newKeys(mnemonic);
    const { id, device } = this.idsOf(keys);
    this.keystore.create(passphrase, id, device, keys);
    const profile = Profile.create(this.deps(), keys, deviceLabel === undefined ? {} : { deviceLabel });
    return { id, mnemonic, profile, keys };
  }

  /** Recreates the identity keys from the mnemonic, with a new device key. The chain comes later (import or network). */
  recover(mnemonic: string, passphrase: string): { id: Did; chain: boolean } {
    checkPassphrase(passphrase);
    const keys = this.newKeys(mnemonic);
    this.prepareDir();
    const { id, device } = this.idsOf(keys);
    this.keystore.create(passphrase, id, device, keys);
    const chain = this.store.head(id) !== undefined;
    if (chain) Profile.open(this.deps(), keys);
    return { id, chain };
  }

  unlock(passphrase: string): OwnerKeys {
    this.requireIdentity();
    return this.keystore.unlock(passphrase);
  }

  openProfile(passphrase: string): Profile {
    return this.openSession(passphrase).profile;
  }

  /** Unlocks the keys once and opens the profile with them (the wallet keeps both while unlocked). */
  openSession(passphrase: string): { keys: OwnerKeys; profile: Profile } {
    return this.openSessionWith(this.unlock(passphrase));
  }

  /** Opens the profile with keys already unlocked (by the passphrase, or the key the OS keychain kept). */
  openSessionWith(keys: OwnerKeys): { keys: OwnerKeys; profile: Profile } {
    return { keys, profile: Profile.open(this.deps(), keys) };
  }

  log(): BlockSummary[] {
    return [...this.store.headers(this.id())].map(summarize);
  }

  verify(): Promise<VerifyReport> {
    return verifyStoredChainInBatches(this.crypto, this.store, this.id(), this.signatures);
  }

  exportArchive(): Uint8Array {
    return exportArchive(this.store, this.id());
  }

  /**
   * Verifies the whole archive before storing anything: its chain, its media against the chain's references
   * (missing ones refused unless `withoutMedia`), and that it does not end before a head known here or on the
   * network (unless `acceptOlder`). Certifies this device when the chain is new here.
   */
  importArchive(bytes: Uint8Array, passphrase: string, options: ImportOptions & { withoutMedia?: boolean } = {}): { added: number; length: number } {
    const id = this.id();
    const archive = readArchive(this.crypto, bytes);
    if (archive.id !== id) throw new HomeError(`this archive belongs to ${archive.id}, not to this identity (${id})`);
    return this.storeArchive(archive, this.unlock(passphrase), options);
  }

  /** `importArchive` of an archive already verified whole (app/archive verifies it in batches, with progress). */
  storeArchive(archive: Archive, keys: OwnerKeys, options: ImportOptions & { withoutMedia?: boolean } = {}): { added: number; length: number } {
    const id = this.id();
    if (archive.id !== id) throw new HomeError(`this archive belongs to ${archive.id}, not to this identity (${id})`);
    checkArchiveMedia(this.crypto, archive, this.mediaRefsOf(archive, keys), options.withoutMedia);
    const result = importArchive(this.crypto, this.store, archive, options);
    Profile.open(this.deps(), keys);
    return result;
  }

  /** The media references an archive's chain holds, folded with the owner's keys in a scratch store. */
  private mediaRefsOf(archive: Archive, keys: OwnerKeys): MediaRef[] {
    const scratch = new MemoryChainStore();
    importArchive(this.crypto, scratch, archive);
    return Profile.open({ crypto: this.crypto, store: scratch, clock: this.clock, requests: new MemoryRequestStore() }, keys).mediaList().map((m) => m.ref);
  }

  /** The head seq of an archive file, verified whole (what a proposal built on it should name as its base). */
  archiveHead(bytes: Uint8Array): { id: Did; seq: number } {
    const archive = readArchive(this.crypto, bytes);
    return { id: archive.id, seq: archive.headers.length - 1 };
  }

  close(): void {
    this.signatures.close().catch((error: unknown) => this.logger.warn('signature workers did not stop', errorFields(error)));
    this.storeInstance?.close();
    this.storeInstance = null;
    this.requestsInstance = null;
  }

  private deps(): ProfileDeps {
    return { crypto: this.crypto, store: this.store, clock: this.clock, requests: this.requests, retry: { ...DEFAULT_WRITE_RETRY, pause: sleepSync }, barred: (did) => this.barred(did) };
  }

  private newKeys(mnemonic: string): OwnerKeys {
    return {
      identity: deriveIdentitySecrets(this.crypto, mnemonic),
      deviceSeed: this.crypto.randomBytes(32),
      localKey: this.crypto.randomBytes(32),
    };
  }

  private idsOf(keys: OwnerKeys): { id: Did; device: Did } {
    return { id: identityPublic(this.crypto, keys.identity).id, device: didFromPublicKey(this.crypto.ed25519.publicKey(keys.deviceSeed)) };
  }

  /** Before a keystore is written: the folder is usable, holds no identity, and its database opens. */
  private prepareDir(): void {
    this.prepareFolder();
    if (this.hasIdentity()) throw new HomeError(`${this.dir} already holds an identity (${this.keystore.ids().id})`);
    this.openStore();
  }
}
