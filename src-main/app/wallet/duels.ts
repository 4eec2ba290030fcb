// The wallet's handlers of duels (DESIGN §6): the duels this chain records and the duel documents waiting in
// the mail (the Challenges screen, and the Witness inbox for duels to judge), proposing a duel to a contact,
// accepting one, and judging one. The verbs are app/social/duels.ts's, shared with the CLI; a document no
// mailbox took comes back as a file to hand over.
import type { FeatsNetwork } from '../feats/network.ts';
import { acceptDuel, duelMail, judge, listDuels, proposeDuelTo } from '../social/duels.ts';
import type { Did } from '../../core/identity/did.ts';
import type { Sent } from '../social/documents.ts';
import { toBase64 } from './bytes.ts';
import type { HandlerContext, Handlers } from './handlers.ts';

type DuelsChannel = Extract<keyof Handlers, `duels:${string}`>;

/** A document no mailbox took, as a file for the person to hand over. */
const fileOf = (sent: Sent, name: string) => (sent.deposited > 0 ? null : { name: `${name}-for-${sent.to.slice(-8)}`, bytes: toBase64(sent.envelope) });
const filesOf = (sent: readonly Sent[], name: string) => sent.flatMap((s) => fileOf(s, name) ?? []);

export function duelsHandlers(ctx: HandlerContext & { network: FeatsNetwork }): Pick<Handlers, DuelsChannel> {
  return {
    'duels:list': () => {
      const session = ctx.session();
      return { duels: listDuels(session), mail: duelMail(session), now: ctx.home.clock.now() };
    },
    'duels:propose': async ({ b, title, featType, criteria, time, judgeUntil, judges, k }) => {
      const { id, sent } = await proposeDuelTo(ctx.session(), { b: b as Did, title, featType, criteria, time, judgeUntil, panel: { kind: 'k-of-n', k, witnesses: judges as Did[] } }, ctx.network);
      ctx.headMoved();
      return { id, file: fileOf(sent, 'duel') };
    },
    'duels:accept': async ({ mail }) => {
      const { id, sent } = await acceptDuel(ctx.session(), { mail }, ctx.network);
      ctx.headMoved();
      return { id, files: filesOf(sent, 'duel') };
    },
    'duels:judge': async ({ mail, verdict }) => {
      const { id, sent } = await judge(ctx.session(), { mail }, verdict, ctx.network);
      return { id, files: filesOf(sent, 'duel-verdict') };
    },
  };
}
