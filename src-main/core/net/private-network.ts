// Private networks (DESIGN §5 "Segmentation"; docs/network.md): a closed community's own libp2p network,
// kept apart by a 32-byte pre-shared key (PSK) that every connection is encrypted under (`@libp2p/pnet`).
//   id  = hex(sha256("defaust/pnet/id/v1" ‖ psk)[0..16])   — names the network without revealing its key
//   DHT = /defaust/net/<id>/kad/1.0.0                      — its own DHT, so no record or routing entry mixes
// An invite carries the PSK to one person: `{type, v, name, id, psk, from, to, ts}` signed by the inviter's
// identity key and sealed to the invitee's did:key (X25519 from the did, as mail is); `openInvite` checks the
// envelope, the signature, the addressee and that the id is the key's.
import { concatBytes, toHex, utf8 } from '../bytes.ts';
import { decodeCanonical, encode } from '../chain/codec.ts';
import type { Crypto } from '../crypto/port.ts';
import { checkSize, DefaustError } from '../errors.ts';
import { isDid, publicKeyFromDid, type Did } from '../identity/did.ts';
import { openEnvelope, sealEnvelope } from '../identity/envelope.ts';
import { MAX_NETWORK_INVITE_BYTES, NETWORK_NAME, PUBLIC_NETWORK } from '../../../src-shared/rules/networks.ts';

export const INVITE_FORMAT = 'defaust/pnet-invite';
export const PSK_BYTES = 32;

/** Why a private-network verb refused: a stable code each (`pnet/<reason>`). */
export type PrivateNetworkRefusal =
  /** The name breaks NETWORK_NAME, or is `public`. */
  | 'bad-name'
  /** A network of this name (or this key) is in the home already. */
  | 'exists'
  /** No network of this name in the home. */
  | 'unknown'
  /** The network's key is sealed under the device's secret: the wallet must be unlocked to join it. */
  | 'locked'
  /** Not an invite (does not decode, wrong shape, too large). */
  | 'malformed'
  /** Addressed to another did. */
  | 'not-for-me'
  /** Does not open with this home's key, or its signature does not verify (altered, or sealed to another). */
  | 'forged';

export class PrivateNetworkError extends DefaustError {
  override name = 'PrivateNetworkError';
  readonly reason: PrivateNetworkRefusal;
  constructor(reason: PrivateNetworkRefusal, message: string) {
    super(`pnet/${reason}`, message);
    this.reason = reason;
  }
}

/** A private network as its members know it: its name here, its id, its key. */
export interface PrivateNetwork {
  name: string;
  id: string;
  psk: Uint8Array;
}

/** Throws `bad-name` unless `name` is a network name (NETWORK_NAME, and not the public network's). */
export function checkNetworkName(name: unknown): string {
  if (typeof name !== 'string' || !NETWORK_NAME.test(name) || name === PUBLIC_NETWORK) {
    throw new PrivateNetworkError('bad-name', `a network name is 1-32 lower-case letters, digits or -, starting with a letter, and not "${PUBLIC_NETWORK}"`);
  }
  return name;
}

/** The network's id: the first 16 bytes of sha256 of a label and the key, in hex. */
export function networkId(crypto: Crypto, psk: Uint8Array): string {
  return toHex(crypto.sha256(concatBytes(utf8('defaust/pnet/id/v1'), psk)).subarray(0, 16));
}

/** A new network named `name` with a fresh random key. */
export function newPrivateNetwork(crypto: Crypto, name: string): PrivateNetwork {
  const psk = crypto.randomBytes(PSK_BYTES);
  return { name: checkNetworkName(name), id: networkId(crypto, psk), psk };
}

/** The network's own kad-dht protocol. */
export function networkDhtProtocol(id: string): string {
  return `/defaust/net/${id}/kad/1.0.0`;
}

/** The key in the swarm key format `@libp2p/pnet` reads (`/key/swarm/psk/1.0.0/`, base16). */
export function swarmKey(psk: Uint8Array): Uint8Array {
  return utf8(`/key/swarm/psk/1.0.0/\n/base16/\n${toHex(psk)}`);
}

/** Signs an invite to `network` for `to` with the inviter's identity seed and seals it to `to`'s did:key. */
export function sealInvite(crypto: Crypto, network: PrivateNetwork, from: { did: Did; seed: Uint8Array }, to: Did, ts: number): Uint8Array {
  if (!isDid(to)) throw new PrivateNetworkError('malformed', `${String(to)} is not a did:key`);
  const invite = encode({ type: INVITE_FORMAT, v: 1, name: checkNetworkName(network.name), id: network.id, psk: network.psk, from: from.did, to, ts });
  const sig = crypto.ed25519.sign(from.seed, invite);
  return sealEnvelope(crypto, INVITE_FORMAT, to, { invite, sig });
}

/** An opened, checked invite: the network and who invited, when. */
export interface OpenedInvite {
  network: PrivateNetwork;
  from: Did;
  ts: number;
}

const malformed = (why: string) => new PrivateNetworkError('malformed', `this is not a DeFaust network invite (${why})`);

/** Opens an invite with `me`'s identity seed and checks it (see the header); a typed refusal otherwise. */
export function openInvite(crypto: Crypto, bytes: Uint8Array, me: Did, mySeed: Uint8Array): OpenedInvite {
  checkSize('a network invite', bytes.length, MAX_NETWORK_INVITE_BYTES);
  const opened = openEnvelope(crypto, bytes, INVITE_FORMAT, me, mySeed);
  if (!opened.ok) {
    if (opened.reason === 'not-for-me') throw new PrivateNetworkError('not-for-me', `this invite is for ${String(opened.to)}, not for you`);
    if (opened.reason === 'forged') throw new PrivateNetworkError('forged', 'this invite does not open with your key (altered, or sealed to someone else)');
    throw malformed(opened.reason === 'undecodable' ? 'it does not decode' : 'wrong format');
  }
  let outer: unknown;
  let inner: unknown;
  try {
    outer = decodeCanonical(opened.opened);
    const o = outer as Record<string, unknown>;
    if (typeof o !== 'object' || o === null || !(o.invite instanceof Uint8Array) || !(o.sig instanceof Uint8Array)) throw malformed('no signed invite inside');
    inner = decodeCanonical(o.invite);
  } catch (error) {
    if (error instanceof PrivateNetworkError) throw error;
    throw malformed('the sealed invite does not decode');
  }
  const { invite, sig } = outer as { invite: Uint8Array; sig: Uint8Array };
  const v = inner as Record<string, unknown>;
  const shaped = typeof v === 'object' && v !== null && v.type === INVITE_FORMAT && v.v === 1 && typeof v.name === 'string' && typeof v.id === 'string' &&
    v.psk instanceof Uint8Array && v.psk.length === PSK_BYTES && isDid(v.from) && isDid(v.to) && Number.isSafeInteger(v.ts);
  if (!shaped) throw malformed('wrong shape');
  if (!crypto.ed25519.verify(publicKeyFromDid(v.from as Did), invite, sig)) throw new PrivateNetworkError('forged', `the invite's signature by ${String(v.from)} does not verify`);
  if (v.to !== me) throw new PrivateNetworkError('not-for-me', `this invite is for ${String(v.to)}, not for you`);
  const psk = v.psk as Uint8Array;
  if (networkId(crypto, psk) !== v.id) throw new PrivateNetworkError('forged', 'the invite names a network id that is not its key\'s');
  return { network: { name: checkNetworkName(v.name), id: v.id, psk }, from: v.from as Did, ts: v.ts as number };
}

/** A network this home is a member of, as listed (its key stays sealed). `from`: who invited (null: made here). */
export interface NetworkEntry {
  name: string;
  id: string;
  from: Did | null;
  joinedAt: number;
}

/**
 * The port where a home keeps the keys of its private networks, sealed under a key derived from the device's
 * local secret (`localKey`, itself sealed in the keystore): listing needs no key, reading a PSK does.
 */
export interface NetworkKeyring {
  /** Every network kept, by name. */
  list(): NetworkEntry[];
  /** Keeps `network`; `exists` when its name or its id is kept already. */
  add(network: PrivateNetwork, from: Did | null, at: number, localKey: Uint8Array): NetworkEntry;
  /** The network named `name` with its key; `unknown` when none. */
  open(name: string, localKey: Uint8Array): PrivateNetwork;
  /** Forgets the network named `name`; `unknown` when none. */
  remove(name: string): void;
}
