// The node's libp2p key. A home with an identity derives it from the device's local secret (sealed in the
// keystore with the other keys), so it keeps one peer id across restarts without another key file on disk; a
// recovered or new device has another local secret, hence another peer id. A home without identity (a relay,
// a bootstrap or replica node) keeps its key in the node key file (mode 0600, written atomically, never
// logged): the same peer id after every restart, so the bootstrap addresses people share stay good. Either is a
// transport identity only: it signs nothing of the person's and is not linked to the identity key.
import { readFileSync } from 'node:fs';
import { generateKeyPair, generateKeyPairFromSeed, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys';
import type { PrivateKey } from '@libp2p/interface';
import type { Crypto } from '../../core/crypto/port.ts';
import { DefaustError } from '../../core/errors.ts';
import { writeFileAtomic } from '../fs/atomic-file.ts';

const PEER_KEY_LABEL = 'defaust/peer-key/v1';

/** The node key file exists but holds no key: it is left as it is (its peer id may be in others' bootstrap lists). */
export class NodeKeyError extends DefaustError {
  override name = 'NodeKeyError';
  readonly path: string;
  constructor(path: string) {
    super('node-key/unreadable', `the node key file ${path} holds no readable key; move it away to start with a new peer id`);
    this.path = path;
  }
}

/** The peer key of the device whose local secret this is. */
export function peerKeyFromLocalSecret(crypto: Crypto, localKey: Uint8Array): Promise<PrivateKey> {
  return generateKeyPairFromSeed('Ed25519', crypto.hkdf(localKey, new Uint8Array(0), PEER_KEY_LABEL, 32));
}

/** A fresh peer key for a one-off node (a CLI command that joins, works and leaves). */
export function ephemeralPeerKey(): Promise<PrivateKey> {
  return generateKeyPair('Ed25519');
}

/** The key in the node key file at `path`, made (0600) on first use. */
export async function nodeKeyAt(path: string): Promise<PrivateKey> {
  let bytes: Buffer | null = null;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new NodeKeyError(path);
  }
  if (bytes !== null) {
    try {
      return privateKeyFromProtobuf(bytes);
    } catch {
      throw new NodeKeyError(path);
    }
  }
  const key = await generateKeyPair('Ed25519');
  writeFileAtomic(path, privateKeyToProtobuf(key));
  return key;
}
