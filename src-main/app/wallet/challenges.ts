// The wallet's handlers of challenges (DESIGN §6): the Challenges screen's list (with the wallet's clock, so
// the screen counts down to each deadline), the holder's answer to a challenge that came by mail, and a
// challenge of the feat a verified proof shows (the Verify screen). The verbs are app/social/'s, shared with
// the CLI; a document no mailbox took comes back as a file to hand over.
import type { FeatsNetwork } from '../feats/network.ts';
import { answerChallenge, listChallenges, sendChallenge } from '../social/challenges.ts';
import type { Did } from '../../core/identity/did.ts';
import type { Sent } from '../social/documents.ts';
import { toBase64 } from './bytes.ts';
import type { HandlerContext, Handlers } from './handlers.ts';

type ChallengesChannel = Extract<keyof Handlers, `challenges:${string}`>;

/** A document no mailbox took, as a file for the person to hand over. */
const fileOf = (sent: Sent, name: string) => (sent.deposited > 0 ? null : { name: `${name}-for-${sent.to.slice(-8)}`, bytes: toBase64(sent.envelope) });

export function challengesHandlers(ctx: HandlerContext & { network: FeatsNetwork }): Pick<Handlers, ChallengesChannel> {
  return {
    'challenges:list': () => ({ ...listChallenges(ctx.session()), now: ctx.home.clock.now() }),
    'challenges:answer': async ({ mail, answer }) => {
      const result = await answerChallenge(ctx.session(), { mail }, answer, ctx.network);
      ctx.headMoved();
      return { id: result.id, answer: result.answer, reperformance: result.reperformance, file: fileOf(result.sent, 'challenge-answer') };
    },
    'challenges:send': async ({ text, deadline, witnesses, k }) => {
      const sent = await sendChallenge(ctx.session(), { proof: text, deadline, panel: { kind: 'k-of-n', k, witnesses: witnesses as Did[] } }, ctx.network);
      ctx.appended(sent.block);
      return { id: sent.id, holder: sent.holder, claim: sent.claim, file: fileOf(sent.sent, 'challenge') };
    },
  };
}
