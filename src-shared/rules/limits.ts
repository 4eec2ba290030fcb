// Every size limit a person, a grantee or a peer can run into, in one place: frames, headers, bodies, change
// requests, mail deposits and attestation files (the caps on short typed texts are in text.ts). Core, the IPC contract and the renderer import these;
// each cap below is derived so that what the writer accepts always fits what sync carries, with room:
//   header + bodies + message framing ≤ MAX_BLOCK_MESSAGE_BYTES ≤ MAX_FRAME_BYTES / 2,
//   a merge body (the proposal's ops + the signed proposal) ≤ 2 · MAX_PROPOSAL_BYTES + 1 KiB ≤ MAX_BODY_BYTES.

const KiB = 1024;
const MiB = 1024 * KiB;

/** The largest frame a sync or blob session reads: one block message, or one media chunk. */
export const MAX_FRAME_BYTES = 4 * MiB;

/** One block header (canonical DAG-CBOR, signature included). */
export const MAX_HEADER_BYTES = 64 * KiB;
/** One sealed body (the encrypted ops of one section). */
export const MAX_BODY_BYTES = 1 * MiB;
/** All bodies of one block together. */
export const MAX_BLOCK_BODIES_BYTES = 1536 * KiB;
/**
 * One block as a sync message carries it: header, bodies, and their CIDs and map keys. The CIDs repeat the
 * header's body references, so the framing adds at most one more header's worth, plus a few bytes.
 */
export const MAX_BLOCK_MESSAGE_BYTES = MAX_BLOCK_BODIES_BYTES + 2 * MAX_HEADER_BYTES + 1 * KiB;

/** A text value of a field, in JavaScript characters (UTF-16 code units: at most 3 UTF-8 bytes each). */
export const MAX_TEXT = 64 * KiB;

/** The mail deposit a mailbox takes (envelope, dids and signature), and what a deposit adds around its envelope. */
export const MAX_DEPOSIT_BYTES = 256 * KiB;
export const DEPOSIT_OVERHEAD_BYTES = 512;
/** A sealed envelope that travels by mail: whatever fits one deposit. */
export const MAX_ENVELOPE_BYTES = MAX_DEPOSIT_BYTES - DEPOSIT_OVERHEAD_BYTES;
/** A sealed change request, as a file or by mail. */
export const MAX_REQUEST_BYTES = MAX_ENVELOPE_BYTES;
/** The signed proposal inside a change request (what a merge block carries, next to the ops it applies). */
export const MAX_PROPOSAL_BYTES = MAX_REQUEST_BYTES - 4 * KiB;

/** Media copied into one attestation request as evidence, and the request file around it. */
export const MAX_ATTEST_EVIDENCE_BYTES = 8 * MiB;
export const MAX_ATTEST_REQUEST_BYTES = MAX_ATTEST_EVIDENCE_BYTES + 1 * MiB;
/** A witness's sealed attestation reply. */
export const MAX_ATTEST_REPLY_BYTES = 64 * KiB;
/** Members a verifier may name for a trust tree: the production trees' size (depth 10). */
export const MAX_TRUST_MEMBERS = 1024;


/** One piece of honor evidence (an equivocation proof with its prefix, a review, a refutation), as a file or by mail. */
export const MAX_EVIDENCE_BYTES = MAX_ENVELOPE_BYTES;
/** A sealed challenge or duel document, as a file or by mail (a timeout outcome carries the holder's headers, so it fits one deposit). */
export const MAX_SOCIAL_DOC_BYTES = MAX_ENVELOPE_BYTES;
/** An attribute credential file (a few hundred bytes of JSON and the issuer's genesis header). */
export const MAX_CREDENTIAL_BYTES = 64 * 1024;

/** An inclusion bundle (one block's header, path, commitment, and revealed bodies in hex): far below this. */
export const MAX_INCLUSION_BUNDLE_CHARS = 4 * 1024 * 1024;
/** The largest proof file the wallet reads (a feat proof with its claim document is a few kB). */
export const MAX_PROOF_FILE_CHARS = 256 * 1024;
/** The largest archive of someone else's chain a verifier reads to learn their key (a witness's chain is small; media are not needed). */
export const MAX_LIST_ARCHIVE_BYTES = 4 * 1024 * 1024;
