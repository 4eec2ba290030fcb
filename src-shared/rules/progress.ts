// The stages long work reports (importing an archive, recovering a chain from the network, fetching mail), as the app floor
// reports them, the contract checks them and the renderer words them: one list.

/** Importing an archive file: decoding it, comparing with the network's head record, checking every block, storing. */
export const IMPORT_STAGES = ['reading', 'network', 'verifying', 'writing'] as const;
/** Recovering a chain from the network: a first peer, the signed head record, the blocks from a replica, the fold. */
export const RECOVER_STAGES = ['peers', 'head', 'pulling', 'verifying'] as const;
/** Fetching mail: finding this identity's mailboxes, then asking each (n of m). */
export const MAIL_STAGES = ['mailboxes', 'fetching'] as const;
export const JOB_STAGES = [...IMPORT_STAGES, ...RECOVER_STAGES, ...MAIL_STAGES] as const;
export type JobStage = (typeof JOB_STAGES)[number];

/** A job id the renderer picks (random) to ask after its progress and to cancel it. */
export const JOB_ID = /^[A-Za-z0-9_-]{8,64}$/u;
