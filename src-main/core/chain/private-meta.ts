// Private header metadata (DESIGN §3: headers name nobody but the owner and its devices). From header v2
// on, the meta fields that would name another party or a label — grantees, registered clients, witnesses,
// requesters, device labels, whom the owner trusts — travel sealed in `meta.private` under the owner's meta
// key, padded to a bucket; the header keeps only what verification needs. Folds see the revealed meta, shaped
// as in v1. One exception by the owner's choice: a `trust` entry put on the owner's public list (a community
// list others reuse) stays in the clear, as every trust block written before entries were sealed did; one
// written with `list: false` is sealed.
import { concatBytes, utf8 } from '../bytes.ts';
import type { Crypto } from '../crypto/port.ts';
import { DefaustError } from '../errors.ts';
import { decodeCanonical, encode } from './codec.ts';
import type { BlockKind, Header, Meta } from './header.ts';
import { pad, unpad } from './padding.ts';

/** Per kind, the meta fields a v2 header carries sealed in `meta.private` instead of in the clear. */
export const PRIVATE_META: Partial<Record<BlockKind, readonly string[]>> = {
  grant: ['grantee', 'section', 'gen', 'rights', 'from', 'to'],
  revoke: ['grantee', 'section'],
  registry: ['action', 'client', 'peer', 'label', 'sections'],
  'device-add': ['label'],
  attestation: ['witness'],
  merge: ['from'],
  trust: ['action', 'did', 'featType', 'authority', 'list'],
};

/** A trust entry on the owner's public list stays in the clear: `list: true`, or no `list` as written before entries were sealed. */
const onPublicList = (kind: BlockKind, meta: Meta): boolean => kind === 'trust' && meta.list !== false;

export class PrivateMetaError extends DefaustError {
  override name = 'PrivateMetaError';
  readonly seq: number;
  constructor(seq: number) {
    super('private-meta', `block ${seq}: its private meta does not open with this identity's meta key`);
    this.seq = seq;
  }
}

/**
 * The owner's meta key: derived from the identity's X25519 secret, so every device of the identity holds it,
 * and handed (sealed) to each registered client in its `registry` block so it can fold grants.
 */
export function metaKeyOf(crypto: Crypto, x25519Secret: Uint8Array): Uint8Array {
  return crypto.hkdf(x25519Secret, utf8('defaust/meta-key'), 'defaust/meta-key/v2', 32);
}

const aadOf = (id: string, seq: number, kind: BlockKind): Uint8Array => encode(['defaust/meta/v2', id, seq, kind]);

/**
 * Whether a header carries sealed meta: a v2 header of a kind with private fields, except a trust block in the
 * clear (on the public list, or written before trust entries were sealed).
 */
export function hasPrivateMeta(header: Pick<Header, 'v' | 'kind' | 'meta'>): boolean {
  return header.v >= 2 && PRIVATE_META[header.kind] !== undefined && (header.kind !== 'trust' || header.meta.private !== undefined);
}

/** `meta` for a v2 header of `kind` at `seq`: its private fields sealed into `private`, the rest as is. */
export function sealMeta(crypto: Crypto, key: Uint8Array, at: { id: string; seq: number; kind: BlockKind }, meta: Meta): Meta {
  const fields = PRIVATE_META[at.kind];
  if (fields === undefined || onPublicList(at.kind, meta)) return meta;
  const open: Meta = {};
  const hidden: Meta = {};
  for (const [name, value] of Object.entries(meta)) (fields.includes(name) ? hidden : open)[name] = value;
  const nonce = crypto.randomBytes(12);
  return { ...open, private: concatBytes(nonce, crypto.aead.seal(key, nonce, pad(encode(hidden)), aadOf(at.id, at.seq, at.kind))) };
}

/** The header as its folds see it: v2 private meta opened and merged back in; other headers unchanged. */
export function revealMeta(crypto: Crypto, key: Uint8Array, header: Header): Header {
  if (!hasPrivateMeta(header)) return header;
  const { private: sealed, ...open } = header.meta;
  if (!(sealed instanceof Uint8Array) || sealed.length < 12) throw new PrivateMetaError(header.seq);
  const plain = crypto.aead.open(key, sealed.subarray(0, 12), sealed.subarray(12), aadOf(header.id, header.seq, header.kind));
  if (plain === null) throw new PrivateMetaError(header.seq);
  let hidden: unknown;
  try {
    hidden = decodeCanonical(unpad(plain));
  } catch {
    throw new PrivateMetaError(header.seq);
  }
  if (typeof hidden !== 'object' || hidden === null || Array.isArray(hidden)) throw new PrivateMetaError(header.seq);
  return { ...header, meta: { ...open, ...(hidden as Meta) } };
}
