// Private networks off the network (core/net/private-network.ts, adapters/secrets/network-keys.ts): an invite
// opens only for its addressee and only as the inviter signed it — any altered byte, a reseal with another
// network or another addressee, or a did that is not the addressee is refused — and the keyring keeps each
// key sealed under the device's secret, never in the clear; an invite whose name is taken joins under another.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FileNetworkKeyring, NetworkKeyringError } from '../src-main/adapters/secrets/network-keys.ts';
import { Home } from '../src-main/app/home.ts';
import { createNetwork, inviteToNetwork, joinNetwork, privateNetworkOf } from '../src-main/app/network/private.ts';
import { decodeCanonical, encode } from '../src-main/core/chain/codec.ts';
import { toHex } from '../src-main/core/bytes.ts';
import { sealEnvelope } from '../src-main/core/identity/envelope.ts';
import { identityPublic } from '../src-main/core/identity/keys.ts';
import { recipientSecret } from '../src-main/core/identity/recipient.ts';
import type { Did } from '../src-main/core/identity/did.ts';
import {
  checkNetworkName, INVITE_FORMAT, networkDhtProtocol, networkId, newPrivateNetwork, openInvite, PrivateNetworkError, sealInvite, swarmKey, type PrivateNetworkRefusal,
} from '../src-main/core/net/private-network.ts';
import { crypto, ownerKeys, tempDir } from './helpers.ts';

const person = () => {
  const keys = ownerKeys();
  return { keys, did: identityPublic(crypto, keys.identity).id as Did, seed: keys.identity.ed25519Seed };
};

const refusal = (run: () => unknown): PrivateNetworkRefusal | 'none' | 'other' => {
  try {
    run();
    return 'none';
  } catch (error) {
    return error instanceof PrivateNetworkError ? error.reason : 'other';
  }
};

describe('private network invites', () => {
  const ada = person();
  const bob = person();
  const eve = person();
  const club = newPrivateNetwork(crypto, 'club');

  it('names the network by a hash of its key, with its own DHT protocol and a swarm key @libp2p/pnet reads', () => {
    expect(club.id).toBe(networkId(crypto, club.psk));
    expect(club.id).toMatch(/^[0-9a-f]{32}$/u);
    expect(club.id).not.toContain(toHex(club.psk).slice(0, 16));
    expect(networkDhtProtocol(club.id)).toBe(`/defaust/net/${club.id}/kad/1.0.0`);
    expect(new TextDecoder().decode(swarmKey(club.psk))).toBe(`/key/swarm/psk/1.0.0/\n/base16/\n${toHex(club.psk)}`);
  });

  it('holds names to the rule and keeps "public" for the public network', () => {
    for (const bad of ['', 'Club', '1club', 'public', 'a'.repeat(33), 'club net', '../x']) expect(refusal(() => checkNetworkName(bad))).toBe('bad-name');
    expect(checkNetworkName('club-2027')).toBe('club-2027');
  });

  it('opens for its addressee with the network, the inviter and the time', () => {
    const invite = sealInvite(crypto, club, { did: ada.did, seed: ada.seed }, bob.did, 1234);
    const opened = openInvite(crypto, invite, bob.did, bob.seed);
    expect(opened.from).toBe(ada.did);
    expect(opened.ts).toBe(1234);
    expect(opened.network).toEqual(club);
  });

  it('cannot be opened by another did: not for them, and not with their key either', () => {
    const invite = sealInvite(crypto, club, { did: ada.did, seed: ada.seed }, bob.did, 1);
    expect(refusal(() => openInvite(crypto, invite, eve.did, eve.seed))).toBe('not-for-me');
    // Eve claiming to be Bob still lacks Bob's key.
    expect(refusal(() => openInvite(crypto, invite, bob.did, eve.seed))).toBe('forged');
  });

  it('refuses an invite with any byte altered', () => {
    const invite = sealInvite(crypto, club, { did: ada.did, seed: ada.seed }, bob.did, 1);
    fc.assert(fc.property(fc.nat({ max: invite.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, flip) => {
      const tampered = invite.slice();
      tampered[at]! ^= flip;
      const why = refusal(() => openInvite(crypto, tampered, bob.did, bob.seed));
      expect(['forged', 'malformed', 'not-for-me']).toContain(why);
    }), { numRuns: 300 });
  });

  it('refuses a signed invite resealed with another key, another addressee, or an id that is not its key\'s', () => {
    const invite = sealInvite(crypto, club, { did: ada.did, seed: ada.seed }, bob.did, 1);
    // Bob opens his invite and tries to pass Ada's signature on with a different key inside.
    const sealed = (decodeCanonical(invite) as { sealed: Uint8Array }).sealed;
    const opened = decodeCanonical(crypto.box.open(recipientSecret(bob.seed), sealed)!) as { invite: Uint8Array; sig: Uint8Array };
    const inner = decodeCanonical(opened.invite) as Record<string, unknown>;
    const reseal = (changes: Record<string, unknown>, to: Did, sig = opened.sig) => sealEnvelope(crypto, INVITE_FORMAT, to, { invite: encode({ ...inner, ...changes }), sig });
    const other = newPrivateNetwork(crypto, 'club');
    expect(refusal(() => openInvite(crypto, reseal({ psk: other.psk, id: other.id }, bob.did), bob.did, bob.seed))).toBe('forged');
    expect(refusal(() => openInvite(crypto, reseal({ to: eve.did }, eve.did), eve.did, eve.seed))).toBe('forged');
    // The original signed bytes resealed to Eve: the signature holds, but the invite names Bob.
    expect(refusal(() => openInvite(crypto, sealEnvelope(crypto, INVITE_FORMAT, eve.did, opened), eve.did, eve.seed))).toBe('not-for-me');
    // Signed by Eve as herself but with a wrong id: refused.
    const wrongId = encode({ ...inner, from: eve.did, id: other.id });
    const forgedId = sealEnvelope(crypto, INVITE_FORMAT, bob.did, { invite: wrongId, sig: crypto.ed25519.sign(eve.seed, wrongId) });
    expect(refusal(() => openInvite(crypto, forgedId, bob.did, bob.seed))).toBe('forged');
  });

  it('refuses what is not an invite', () => {
    expect(refusal(() => openInvite(crypto, new Uint8Array([1, 2, 3]), bob.did, bob.seed))).toBe('malformed');
    expect(refusal(() => openInvite(crypto, sealEnvelope(crypto, 'defaust/other', bob.did, {}), bob.did, bob.seed))).toBe('malformed');
    expect(refusal(() => openInvite(crypto, sealEnvelope(crypto, INVITE_FORMAT, bob.did, { invite: encode({ type: INVITE_FORMAT }), sig: new Uint8Array(64) }), bob.did, bob.seed))).toBe('malformed');
    expect(refusal(() => openInvite(crypto, new Uint8Array(5000), bob.did, bob.seed))).toBe('other'); // TooLargeError
  });
});

describe('the network keyring', () => {
  const dir = tempDir('defaust-pnet-keys-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const device = ownerKeys();
  const keyring = new FileNetworkKeyring(crypto, dir);
  const club = newPrivateNetwork(crypto, 'club');

  it('keeps each key sealed: the file holds names and ids, never the key', () => {
    keyring.add(club, null, 5, device.localKey);
    const text = readFileSync(keyring.path, 'utf8');
    expect(text).toContain(club.id);
    expect(text).not.toContain(toHex(club.psk));
    expect(text).not.toContain(Buffer.from(club.psk).toString('base64'));
    expect(keyring.list()).toEqual([{ name: 'club', id: club.id, from: null, joinedAt: 5 }]);
    expect(keyring.open('club', device.localKey)).toEqual(club);
  });

  it('opens a key only with the device secret it was sealed under', () => {
    expect(() => keyring.open('club', ownerKeys().localKey)).toThrow(NetworkKeyringError);
  });

  it('refuses a second network of the same name or the same key, and forgets one on leave', () => {
    expect(refusal(() => keyring.add(newPrivateNetwork(crypto, 'club'), null, 6, device.localKey))).toBe('exists');
    expect(refusal(() => keyring.add({ ...club, name: 'again' }, null, 6, device.localKey))).toBe('exists');
    keyring.remove('club');
    expect(keyring.list()).toEqual([]);
    expect(refusal(() => keyring.remove('club'))).toBe('unknown');
    expect(refusal(() => keyring.open('club', device.localKey))).toBe('unknown');
  });
});

describe('joining under another name', () => {
  const dir = tempDir('defaust-pnet-as-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('joins an invite whose name is taken here under the name given, and refuses a bad one', () => {
    const ada = new Home(join(dir, 'ada'));
    const bob = new Home(join(dir, 'bob'));
    const a = ada.init('correct-horse-battery');
    const b = bob.init('correct-horse-battery');
    try {
      const made = createNetwork(ada, a.keys, 'club');
      createNetwork(bob, b.keys, 'club');
      const invite = inviteToNetwork(ada, a.keys, 'club', b.id);
      expect(refusal(() => joinNetwork(bob, b.keys, { bytes: invite }))).toBe('exists');
      expect(refusal(() => joinNetwork(bob, b.keys, { bytes: invite }, 'Bad Name'))).toBe('bad-name');
      expect(joinNetwork(bob, b.keys, { bytes: invite }, 'ada-club')).toMatchObject({ name: 'ada-club', id: made.id, from: a.id });
      expect(privateNetworkOf(bob, b.keys, 'ada-club').dhtProtocol).toBe(networkDhtProtocol(made.id));
    } finally {
      ada.close();
      bob.close();
    }
  });
});
