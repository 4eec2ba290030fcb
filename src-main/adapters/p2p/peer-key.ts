// The node's libp2p key. It is derived from the device's local secret (sealed in the keystore with the other
// keys), so a home keeps one peer id across restarts without another key file on disk; a recovered or new
// device has another local secret, hence another peer id. It is a transport identity only: it signs nothing
// of the person's and is not linked to the identity key.
import { generateKeyPair, generateKeyPairFromSeed } from '@libp2p/crypto/keys';
import type { PrivateKey } from '@libp2p/interface';
import type { Crypto } from '../../core/crypto/port.ts';

const PEER_KEY_LABEL = 'defaust/peer-key/v1';

/** The peer key of the device whose local secret this is. */
export function peerKeyFromLocalSecret(crypto: Crypto, localKey: Uint8Array): Promise<PrivateKey> {
  return generateKeyPairFromSeed('Ed25519', crypto.hkdf(localKey, new Uint8Array(0), PEER_KEY_LABEL, 32));
}

/** A fresh peer key for a one-off node (a CLI command that joins, works and leaves). */
export function ephemeralPeerKey(): Promise<PrivateKey> {
  return generateKeyPair('Ed25519');
}
