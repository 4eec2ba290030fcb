// The challenges' IPC schemas (DESIGN §6; app/social/challenges.ts): the challenges this chain records, each
// with the document waiting in the mail that moves it on (the holder's answer for the challenger, the
// outcome for the loser), and the verbs: answer, send, resolve, take an outcome in, challenge back.
// contract.ts spreads CHALLENGE_CHANNELS into the one contract.
import { z } from 'zod';
import { MAX_PROOF_FILE_CHARS, MAX_SOCIAL_DOC_BYTES } from '../../src-shared/rules/limits.ts';
import { boundedBytesSchema, didSchema, downloadSchema, mailIdSchema } from './primitives.ts';

const result = z.enum(['declined', 'timeout', 'failed', 're-performed']);

/** A challenge as the Challenges screen shows it (app/social/challenges.ts `ChallengeView`). */
export const challengeViewSchema = z.object({
  id: z.string(), role: z.enum(['challenger', 'holder']), claim: z.string(), title: z.string(), featType: z.string(), other: z.string(), deadline: z.number(),
  state: z.object({ phase: z.enum(['open', 'accepted', 'settled']), result: result.optional(), winner: z.enum(['holder', 'challenger']).optional() }),
  reperformance: z.string().nullable(), outcome: z.object({ id: z.string(), result: z.string(), winner: z.string() }).nullable(), counter: z.string().nullable(),
  /** The holder's answer (for the challenger) or the outcome (for the other party) waiting in the mail. */
  waiting: z.object({ mail: z.string(), kind: z.enum(['answer', 'outcome']), answer: z.enum(['accept', 'decline']).nullable() }).nullable(),
});
/** A challenge that came by mail and waits for the holder's answer. */
export const incomingChallengeSchema = z.object({ mail: z.string(), id: z.string(), from: z.string(), claim: z.string(), title: z.string(), deadline: z.number() });

/** A document that came: in the mail (its id), or a file handed over (its bytes). */
const docSource = z.union([z.object({ mail: mailIdSchema }).strict(), z.object({ bytes: boundedBytesSchema(MAX_SOCIAL_DOC_BYTES) }).strict()]);
/** What a signed or taken-in outcome says. `refutes`: the claim it refutes (the holder lost), else null. */
const outcomeSchema = z.object({ id: z.string(), challenge: z.string(), result, winner: z.string(), refutes: z.string().nullable() });
const panelRequest = { deadline: z.number().int().positive(), witnesses: z.array(didSchema).min(1).max(16), k: z.number().int().min(1).max(16) };
const sentChallenge = z.object({ id: z.string(), holder: z.string(), claim: z.string(), file: downloadSchema.nullable() });

export const CHALLENGE_CHANNELS = {
  /** Challenges this chain records (sent and received, with their state by the wallet's clock, `now`) and those waiting in the mail. */
  'challenges:list': { request: z.object({}).strict(), response: z.object({ challenges: z.array(challengeViewSchema), incoming: z.array(incomingChallengeSchema), now: z.number() }) },
  /** As the holder: signs an answer to a challenge that came by mail (accept records the re-performance claim); `file` when no mailbox took it. */
  'challenges:answer': {
    request: z.object({ mail: mailIdSchema, answer: z.enum(['accept', 'decline']) }).strict(),
    response: z.object({ id: z.string(), answer: z.enum(['accept', 'decline']), reperformance: z.string().nullable(), file: downloadSchema.nullable() }),
  },
  /** Challenges the feat a verified proof file shows: a deadline and a panel of k of the named witnesses; `file` when no mailbox took it. */
  'challenges:send': { request: z.object({ text: z.string().min(1).max(MAX_PROOF_FILE_CHARS), ...panelRequest }).strict(), response: sentChallenge },
  /**
   * Settles a challenge and signs the outcome as its winner: the holder with the panel's attestations; the
   * challenger with the holder's answer (mail or file), or past the deadline with the holder's chain from its
   * replicas. `file`: the outcome for the loser when no mailbox took it; `public`: the signed outcome for anyone
   * to verify; `accused`: the yes-witnesses a refutation names (kept here, left at `spread` of their replicas).
   */
  'challenges:resolve': {
    request: z.object({ id: z.string().min(1).max(128), answer: docSource.optional() }).strict(),
    response: z.object({ outcome: outcomeSchema, file: downloadSchema.nullable(), public: downloadSchema, accused: z.array(z.string()), spread: z.number().int().nullable() }),
  },
  /** Takes an outcome in (mail or file), verified; one this holder lost refutes the claim. */
  'challenges:takeOutcome': { request: docSource, response: z.object({ outcome: outcomeSchema }) },
  /**
   * Takes a challenge or duel document that came as a file (a challenge, an answer, an outcome, a duel, a
   * verdict) into the mail, as a fetch leaves it: the lists then show it. `kind`: its format without `defaust/`.
   */
  'challenges:takeFile': { request: z.object({ bytes: boundedBytesSchema(MAX_SOCIAL_DOC_BYTES) }).strict(), response: z.object({ mail: z.string(), kind: z.string(), from: z.string(), fresh: z.boolean() }) },
  /** Challenges back once a challenge is settled: a counter-challenge on a feat of the same kind that the other party proved (its proof file). */
  'challenges:back': { request: z.object({ id: z.string().min(1).max(128), text: z.string().min(1).max(MAX_PROOF_FILE_CHARS), ...panelRequest }).strict(), response: sentChallenge },
} as const;

export type ChallengeViewData = z.output<typeof challengeViewSchema>;
export type IncomingChallenge = z.output<typeof incomingChallengeSchema>;
export type WaitingOutcome = z.output<typeof outcomeSchema>;
