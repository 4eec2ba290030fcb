// The wallet's handlers of challenges (DESIGN §6): the Challenges screen's list (with the wallet's clock, so
// the screen counts down to each deadline), the holder's answer to a challenge that came by mail, a challenge
// of the feat a verified proof shows (the Verify screen), the outcome signed by its winner, an outcome taken
// in, a document that came as a file taken into the mail, and a challenge back. The verbs are app/social/'s, shared with the CLI; a document no mailbox took
// comes back as a file to hand over.
import type { FeatsNetwork } from '../feats/network.ts';
import type { HonorNetwork } from '../honor/honor.ts';
import { answerChallenge, challengeBack, importOutcome, listChallenges, outcomeSummary, resolveChallenge, sendChallenge } from '../social/challenges.ts';
import type { Did } from '../../core/identity/did.ts';
import { takeDocumentFile, type DocSource, type Sent } from '../social/documents.ts';
import { fromBytes, toBase64 } from './bytes.ts';
import type { HandlerContext, Handlers } from './handlers.ts';

type ChallengesChannel = Extract<keyof Handlers, `challenges:${string}`>;

/** A document no mailbox took, as a file for the person to hand over. */
const fileOf = (sent: Sent, name: string) => (sent.deposited > 0 ? null : { name: `${name}-for-${sent.to.slice(-8)}`, bytes: toBase64(sent.envelope) });
/** A document the renderer passes on: its mail id, or a file's bytes. */
const sourceOf = (source: { mail: string } | { bytes: string | Uint8Array }): DocSource => ('mail' in source ? source : { bytes: fromBytes(source.bytes) });
const panelOf = (witnesses: string[], k: number) => ({ kind: 'k-of-n' as const, k, witnesses: witnesses as Did[] });

export function challengesHandlers(ctx: HandlerContext & { network: FeatsNetwork; honor: HonorNetwork }): Pick<Handlers, ChallengesChannel> {
  return {
    'challenges:list': () => ({ ...listChallenges(ctx.session()), now: ctx.home.clock.now() }),
    'challenges:answer': async ({ mail, answer }) => {
      const result = await answerChallenge(ctx.session(), { mail }, answer, ctx.network);
      ctx.headMoved();
      return { id: result.id, answer: result.answer, reperformance: result.reperformance, file: fileOf(result.sent, 'challenge-answer') };
    },
    'challenges:send': async ({ text, deadline, witnesses, k }) => {
      const sent = await sendChallenge(ctx.session(), { proof: text, deadline, panel: panelOf(witnesses, k) }, ctx.network);
      ctx.appended(sent.block);
      return { id: sent.id, holder: sent.holder, claim: sent.claim, file: fileOf(sent.sent, 'challenge') };
    },
    'challenges:resolve': async ({ id, answer }) => {
      const { outcome, sent, refutation } = await resolveChallenge(ctx.session(), id, answer === undefined ? {} : { answer: sourceOf(answer) }, ctx.network, ctx.honor);
      ctx.headMoved();
      return {
        outcome: outcomeSummary(outcome), file: fileOf(sent, 'challenge-outcome'), public: { name: `challenge-outcome-${id.slice(-8)}.public`, bytes: toBase64(outcome.bytes) },
        accused: refutation?.accused ?? [], spread: refutation?.spread ?? null,
      };
    },
    'challenges:takeOutcome': (source) => {
      const outcome = importOutcome(ctx.session(), sourceOf(source));
      ctx.headMoved();
      return { outcome: outcomeSummary(outcome) };
    },
    'challenges:takeFile': ({ bytes }) => {
      const taken = takeDocumentFile(ctx.session(), fromBytes(bytes));
      return { mail: taken.mail, kind: taken.format.replace(/^defaust\//u, ''), from: taken.from, fresh: taken.fresh };
    },
    'challenges:back': async ({ id, text, deadline, witnesses, k }) => {
      const sent = await challengeBack(ctx.session(), id, { proof: text, deadline, panel: panelOf(witnesses, k) }, ctx.network);
      ctx.appended(sent.block);
      return { id: sent.id, holder: sent.holder, claim: sent.claim, file: fileOf(sent.sent, 'challenge') };
    },
  };
}
