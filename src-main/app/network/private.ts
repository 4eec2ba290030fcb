// Private networks, the verbs (issue 13 item 4; docs/network.md "Private networks"): create one (a fresh
// pre-shared key), invite a did to it (the key, signed by this identity and sealed to the invitee's did:key),
// join one from an invite, leave one, list them. The CLI, the IPC and the UI call these and nothing else. A
// node runs in one network at a time: the public one, or the one `NetworkOptions.network` names, whose key is
// opened here (privateNetworkOf) when the node starts with the owner's keys.
import type { Did } from '../../core/identity/did.ts';
import { NotFoundError } from '../../core/errors.ts';
import { checkNetworkName, INVITE_FORMAT, networkDhtProtocol, newPrivateNetwork, openInvite, PrivateNetworkError, sealInvite, swarmKey, type NetworkEntry } from '../../core/net/private-network.ts';
import type { OwnerKeys } from '../../core/profile/profile.ts';
import type { Home } from '../home.ts';

/** What a node needs to run inside a private network (adapters/p2p/node.ts `privateNetwork`), and its names. */
export interface PrivateNetworkOption {
  name: string;
  id: string;
  swarmKey: Uint8Array;
  dhtProtocol: string;
}

/** The networks this home belongs to (names, ids, inviters; no key). */
export function listNetworks(home: Home): NetworkEntry[] {
  return home.networks().list();
}

/** Makes a private network named `name` with a fresh key and keeps its key sealed in the home. */
export function createNetwork(home: Home, keys: OwnerKeys, name: string): NetworkEntry {
  home.requireIdentity();
  const network = newPrivateNetwork(home.crypto, name);
  return home.networks().add(network, null, home.clock.now(), keys.localKey);
}

/** An invite to the network named `name` for `to`: its key, signed by this identity and sealed to `to`. */
export function inviteToNetwork(home: Home, keys: OwnerKeys, name: string, to: Did): Uint8Array {
  const network = home.networks().open(checkNetworkName(name), keys.localKey);
  return sealInvite(home.crypto, network, { did: home.id(), seed: keys.identity.ed25519Seed }, to, home.clock.now());
}

/** An invite to join from: a file's bytes, or one that came by mail (its id in the received mail). */
export type InviteSource = { bytes: Uint8Array } | { mail: string };

/** Opens an invite with this identity's key, checks it, and keeps the network's key sealed here (named `as`, else as the inviter named it). */
export function joinNetwork(home: Home, keys: OwnerKeys, source: InviteSource, as?: string): NetworkEntry {
  const me = home.id();
  const mail = 'mail' in source ? home.receivedMail().get(me, source.mail) : undefined;
  if ('mail' in source && (mail === undefined || mail.format !== INVITE_FORMAT)) throw new NotFoundError('There is no network invite with that id in your mail.');
  const opened = openInvite(home.crypto, mail?.envelope ?? (source as { bytes: Uint8Array }).bytes, me, keys.identity.ed25519Seed);
  const network = as === undefined ? opened.network : { ...opened.network, name: checkNetworkName(as) };
  const entry = home.networks().add(network, opened.from, home.clock.now(), keys.localKey);
  if (mail !== undefined) home.receivedMail().mark(me, mail.id, 'taken', `joined the private network "${entry.name}"`);
  return entry;
}

/** The invites that came by mail and wait to be joined. */
export function waitingInvites(home: Home): { id: string; from: Did; receivedAt: number }[] {
  return home.receivedMail().list(home.id(), { format: INVITE_FORMAT, state: 'waiting' }).map((m) => ({ id: m.id, from: m.from, receivedAt: m.receivedAt }));
}

/** The line a node says when it joins a private network. */
export function joinedLine(network: { name: string; id: string }): string {
  return `In the private network "${network.name}" (${network.id}): only its members can connect; WebRTC is off inside it (its connections skip the pre-shared-key protector).`;
}

/** Forgets the network named `name` (a node running in it stays in it until it stops). */
export function leaveNetwork(home: Home, name: string): void {
  home.networks().remove(checkNetworkName(name));
}

/** The network named `name` as a node joins it; its key opened with the device's local secret. */
export function privateNetworkOf(home: Home, keys: OwnerKeys | null, name: string): PrivateNetworkOption {
  if (keys === null) throw new PrivateNetworkError('locked', `the node joins the private network "${name}" once the wallet is unlocked (its key is sealed under this device's secret)`);
  const network = home.networks().open(checkNetworkName(name), keys.localKey);
  return { name: network.name, id: network.id, swarmKey: swarmKey(network.psk), dhtProtocol: networkDhtProtocol(network.id) };
}
