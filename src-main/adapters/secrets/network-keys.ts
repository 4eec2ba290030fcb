// The keys of the private networks a home belongs to (core/net/private-network.ts NetworkKeyring), in
// `networks.json` in the home: names, ids and inviters in the clear, each PSK sealed with ChaCha20-Poly1305
// under HKDF(localKey, "defaust/pnet-psk/v1") — the device's local secret, itself sealed in the keystore — with
// the network's id and name as associated data. Written atomically (0600); a damaged file is a typed error.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { utf8 } from '../../core/bytes.ts';
import type { Crypto } from '../../core/crypto/port.ts';
import { DefaustError } from '../../core/errors.ts';
import type { Did } from '../../core/identity/did.ts';
import { networkId, PrivateNetworkError, PSK_BYTES, type NetworkEntry, type NetworkKeyring, type PrivateNetwork } from '../../core/net/private-network.ts';
import { NETWORK_NAME } from '../../../src-shared/rules/networks.ts';
import { writeFileAtomic } from '../fs/atomic-file.ts';

const FORMAT = 'defaust/networks';
const MAX_FILE_BYTES = 256 * 1024;
const b64 = z.string().max(1024).regex(/^[A-Za-z0-9+/]*={0,2}$/u);

const FileSchema = z.object({
  format: z.literal(FORMAT),
  v: z.literal(1),
  networks: z.array(z.object({
    name: z.string().regex(NETWORK_NAME),
    id: z.string().regex(/^[0-9a-f]{32}$/u),
    from: z.string().startsWith('did:key:').max(128).nullable(),
    joinedAt: z.number().int().nonnegative(),
    nonce: b64,
    sealed: b64,
  }).strict()).max(256),
}).strict();
type KeyringFile = z.infer<typeof FileSchema>;

/** `networks.json` is not one this version wrote. */
export class NetworkKeyringError extends DefaustError {
  override name = 'NetworkKeyringError';
  readonly path: string;
  constructor(path: string) {
    super('pnet/keyring-damaged', `${path} is damaged: move it away (its networks must be joined again)`);
    this.path = path;
  }
}

const aad = (id: string, name: string) => utf8(`${FORMAT}/v1|${id}|${name}`);

export class FileNetworkKeyring implements NetworkKeyring {
  readonly path: string;
  private readonly crypto: Crypto;

  constructor(crypto: Crypto, homeDir: string) {
    this.crypto = crypto;
    this.path = join(homeDir, 'networks.json');
  }

  list(): NetworkEntry[] {
    return this.read().networks.map(({ name, id, from, joinedAt }) => ({ name, id, from: from as Did | null, joinedAt }));
  }

  add(network: PrivateNetwork, from: Did | null, at: number, localKey: Uint8Array): NetworkEntry {
    const file = this.read();
    const same = file.networks.find((n) => n.name === network.name || n.id === network.id);
    if (same !== undefined) {
      throw new PrivateNetworkError('exists', same.id === network.id ? `this home is in that network already, as "${same.name}"` : `a network named "${network.name}" is in this home already (choose another name; an invite joins under another with --as NAME)`);
    }
    const nonce = this.crypto.randomBytes(12);
    const sealed = this.crypto.aead.seal(this.sealingKey(localKey), nonce, network.psk, aad(network.id, network.name));
    const entry = { name: network.name, id: network.id, from, joinedAt: at };
    file.networks.push({ ...entry, nonce: Buffer.from(nonce).toString('base64'), sealed: Buffer.from(sealed).toString('base64') });
    this.write(file);
    return entry;
  }

  open(name: string, localKey: Uint8Array): PrivateNetwork {
    const entry = this.read().networks.find((n) => n.name === name);
    if (entry === undefined) throw new PrivateNetworkError('unknown', `no network named "${name}" in this home (defaust network list)`);
    const psk = this.crypto.aead.open(this.sealingKey(localKey), Buffer.from(entry.nonce, 'base64'), Buffer.from(entry.sealed, 'base64'), aad(entry.id, entry.name));
    if (psk === null || psk.length !== PSK_BYTES || networkId(this.crypto, psk) !== entry.id) throw new NetworkKeyringError(this.path);
    return { name: entry.name, id: entry.id, psk };
  }

  remove(name: string): void {
    const file = this.read();
    const kept = file.networks.filter((n) => n.name !== name);
    if (kept.length === file.networks.length) throw new PrivateNetworkError('unknown', `no network named "${name}" in this home (defaust network list)`);
    this.write({ ...file, networks: kept });
  }

  private sealingKey(localKey: Uint8Array): Uint8Array {
    return this.crypto.hkdf(localKey, new Uint8Array(0), 'defaust/pnet-psk/v1', 32);
  }

  private read(): KeyringFile {
    let text: string;
    try {
      if (statSync(this.path).size > MAX_FILE_BYTES) throw new NetworkKeyringError(this.path);
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { format: FORMAT, v: 1, networks: [] };
      throw new NetworkKeyringError(this.path);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new NetworkKeyringError(this.path);
    }
    const checked = FileSchema.safeParse(parsed);
    if (!checked.success) throw new NetworkKeyringError(this.path);
    return checked.data;
  }

  private write(file: KeyringFile): void {
    writeFileAtomic(this.path, JSON.stringify(file, null, 2) + '\n');
  }
}
