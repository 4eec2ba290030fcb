// Scans public bytes (stored header bytes, `defaust log --json`) for any trace of other parties: their did
// text, their Ed25519 key, their X25519 keys (the one sealed boxes go to, the one their genesis names) and
// their Baby Jubjub point; and for labels that must stay sealed.
import { publicKeyFromDid, type Did } from '../src-main/core/identity/did.ts';
import type { IdentityPublic } from '../src-main/core/identity/keys.ts';
import { recipientKey } from '../src-main/core/identity/recipient.ts';

export interface Party {
  id: Did;
  pub: IdentityPublic;
}

export const partyOf = (pub: IdentityPublic): Party => ({ id: pub.id, pub });

const text = (value: string): Uint8Array => new TextEncoder().encode(value);

/** Every form in which `someone` could show up in public bytes: raw keys, and as hex or base64 text (JSON). */
function traces(someone: Party): { what: string; bytes: Uint8Array }[] {
  const did = someone.id;
  const keys = [
    { what: `${did} ed25519`, bytes: publicKeyFromDid(did) },
    { what: `${did} x25519 (sealing key)`, bytes: recipientKey(did) },
    { what: `${did} x25519 (genesis key)`, bytes: someone.pub.x25519 },
    { what: `${did} baby jubjub x`, bytes: someone.pub.babyJubjub[0] },
    { what: `${did} baby jubjub y`, bytes: someone.pub.babyJubjub[1] },
  ];
  return [
    { what: `${did} (did text)`, bytes: text(did.slice('did:key:'.length)) },
    ...keys,
    ...keys.map((k) => ({ what: `${k.what} as hex`, bytes: text(Buffer.from(k.bytes).toString('hex')) })),
    ...keys.map((k) => ({ what: `${k.what} as base64`, bytes: text(Buffer.from(k.bytes).toString('base64').replace(/=+$/u, '')) })),
  ];
}

const contains = (haystack: Uint8Array, needle: Uint8Array): boolean => Buffer.from(haystack).includes(Buffer.from(needle));

/** What of `parties` and `labels` the public bytes show, as readable findings (empty when nothing leaks). */
export function leaksIn(publicBytes: Uint8Array[], parties: Party[], labels: string[]): string[] {
  const needles = [...parties.flatMap(traces), ...labels.map((l) => ({ what: `label ${l}`, bytes: text(l) }))];
  const found = new Set<string>();
  for (const bytes of publicBytes) for (const n of needles) if (contains(bytes, n.bytes)) found.add(n.what);
  return [...found].sort();
}
