// The rules of an Open Badge file (core/badges): its size cap, and the did:key verification method shape.

/** An Open Badge file as `badge verify` and the Verify screen read it: the claim, up to 16 attestations, text. */
export const MAX_BADGE_BYTES = 256 * 1024;
