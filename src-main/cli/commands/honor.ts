// Honor commands: review (report a witness's sign-off, signed), honor <did> (good | flagged | barred in your
// view, until when, and the evidence), evidence import (a file someone handed over). The verbs are
// app/honor's (the wallet calls the same): these commands parse, give the verbs a network when one is asked
// for, and print.
import { draftReview, honorView, reportWitness, takeEvidence, type HonorNetwork } from '../../app/honor/honor.ts';
import { openSession, type Session } from '../../app/session.ts';
import type { Finding } from '../../core/honor/evidence.ts';
import type { Did } from '../../core/identity/did.ts';
import { MAX_EVIDENCE_BYTES } from '../../../src-shared/rules/limits.ts';
import { MAX_REVIEW_REASON_CHARS } from '../../../src-shared/rules/text.ts';
import { passphrase, UsageError } from '../io.ts';
import { stringOption, textOption, type Command, type CommandContext } from '../command.ts';
import { readInputFile, writeOutputFile } from './files.ts';
import { NETWORK_OPTIONS, onTheNetwork } from './net.ts';
import { term } from '../terminal.ts';

/** The network for the honor verbs: an ephemeral node, started only when a verb spreads or gathers. */
export function honorNetworkOf(ctx: CommandContext, session: Session): HonorNetwork {
  return {
    spread: (accused, bytes) => onTheNetwork(ctx, async (net) => {
      net.unlock(session.keys);
      return net.spreadEvidence(accused, bytes);
    }),
    gather: (did) => onTheNetwork(ctx, (net) => net.gatherEvidence(did)),
  };
}

/** One finding in a line. */
function described(f: Finding): string {
  switch (f.kind) {
    case 'equivocation':
      return term`equivocation: signed two blocks at seq ${f.seq} (${f.id.slice(0, 12)})`;
    case 'refutation':
      return term`refutation of ${f.claim} at ${new Date(f.ts).toISOString()} (${f.id.slice(0, 12)})`;
    case 'review':
      return term`review by ${f.reviewer} of ${f.claim}: ${f.reason}`;
  }
}

export const review: Command = {
  name: 'review',
  usage: 'defaust review <claim-cid> --witness DID --reason TEXT [--out FILE | --bootstrap <multiaddr>…]',
  summary: "report a witness's sign-off on a claim (signed); left at the witness's replicas, or written to --out",
  options: { witness: { type: 'string' }, reason: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' }, ...NETWORK_OPTIONS },
  arity: [1, 1],
  async run(ctx) {
    const witness = stringOption(ctx, 'witness');
    const reason = textOption(ctx, 'reason', MAX_REVIEW_REASON_CHARS);
    if (witness === undefined) throw new UsageError('review needs --witness DID (the witness you report)');
    if (reason === undefined) throw new UsageError('review needs --reason TEXT (why you report this witness)');
    const out = stringOption(ctx, 'out');
    const session = openSession(ctx.home, await passphrase(ctx.env));
    const input = { claim: ctx.positionals[0]!, witness: witness as Did, reason };
    draftReview(session, input); // refuses bad input before a node starts
    const { review: signed, bytes, spread } = await reportWitness(session, input, out === undefined ? honorNetworkOf(ctx, session) : null);
    if (out !== undefined) writeOutputFile(ctx, out, bytes);
    ctx.out.result({ ...signed, ...(out === undefined ? { spread } : { out }) }, () =>
      out === undefined ? term`reported ${signed.witness} for ${signed.claim}; ${spread ?? 0} replica(s) took it` : term`reported ${signed.witness} for ${signed.claim}; hand ${out} to whoever should see it (defaust evidence import)`);
  },
};

export const honor: Command = {
  name: 'honor',
  usage: 'defaust honor <did> [--bootstrap <multiaddr>…]',
  summary: "a witness's honor in your view: good, flagged or barred (until when), and the evidence; --bootstrap gathers what its replicas hold first",
  options: NETWORK_OPTIONS,
  arity: [1, 1],
  async run(ctx) {
    const session = openSession(ctx.home, await passphrase(ctx.env));
    const asked = ctx.options.bootstrap !== undefined;
    const view = await honorView(session, ctx.positionals[0]!, asked ? honorNetworkOf(ctx, session) : null);
    ctx.out.result(view, () => [
      term`${view.did}: ${view.status}${view.status === 'barred' ? (view.until === null ? ' for good' : term` until ${new Date(view.until).toISOString()}`) : ''}`,
      term`  reviews from reviewers you trust: ${view.reviews.counted} (${view.reviews.needed} flag)`,
      ...view.evidence.map((f) => `  ${described(f)}`),
      ...(view.gathered === null ? [] : [term`  gathered ${view.gathered.taken} new piece(s)${view.gathered.refused.length > 0 ? term`, refused ${view.gathered.refused.length} (${view.gathered.refused.join(', ')})` : ''}`]),
    ].join('\n'));
  },
};

export const evidenceImport: Command = {
  name: 'evidence import',
  usage: 'defaust evidence import <file>',
  summary: 'take in honor evidence (an equivocation proof, a review, a refutation): checked fully, then kept',
  arity: [1, 1],
  run(ctx) {
    const { finding, added } = takeEvidence(ctx.home, readInputFile(ctx.positionals[0]!, MAX_EVIDENCE_BYTES, false));
    ctx.out.result({ ...finding, added }, () => term`${added ? 'kept' : 'already held'}: ${described(finding)} — against ${finding.accused.join(', ')}`);
  },
};
