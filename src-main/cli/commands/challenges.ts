// Challenge and duel commands: challenge send / list / answer / resolve / import / back, duel propose /
// accept / judge / resolve / import / list. The verbs are app/social/'s (the wallet calls the same): these
// parse, give the verbs a network that starts an ephemeral node only when a document is carried (or, with
// --out, none: the sealed documents are written as files for the person to pass on), and print.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeOutputFolder } from '../../adapters/fs/atomic-file.ts';
import { storeOfArchives } from '../../app/proofs/trust.ts';
import { openSession, type Session } from '../../app/session.ts';
import type { DocSource, Sent } from '../../app/social/documents.ts';
import { answerChallenge, challengeBack, importOutcome, listChallenges, outcomeSummary, resolveChallenge, sendChallenge } from '../../app/social/challenges.ts';
import { acceptDuel, importDuelOutcome, judge, listDuels, proposeDuelTo, resolveDuel } from '../../app/social/duels.ts';
import type { Did } from '../../core/identity/did.ts';
import type { Panel } from '../../core/social/challenge.ts';
import type { DuelVerdict } from '../../core/social/challenge-machine.ts';
import { MAX_SOCIAL_DOC_BYTES } from '../../../src-shared/rules/limits.ts';
import { MAX_CRITERIA_CHARS, MAX_TITLE_CHARS } from '../../../src-shared/rules/text.ts';
import { passphrase, UsageError } from '../io.ts';
import { capped, stringOption, textOption, type Command, type CommandContext } from '../command.ts';
import { term } from '../terminal.ts';
import { iso, parseDuration, parseTime } from '../time.ts';
import { networkOf } from './feats.ts';
import { honorNetworkOf } from './honor.ts';
import { readInputFile, writeOutputFile } from './files.ts';
import { NETWORK_OPTIONS } from './net.ts';

const list = (value: string | boolean | (string | boolean)[] | undefined): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string');

/** A file (a sealed document) when the path exists, else a mail id. */
const sourceOf = (text: string): DocSource => (existsSync(text) ? { bytes: readInputFile(text, MAX_SOCIAL_DOC_BYTES, false) } : { mail: text });

/** A time: a duration from now (7d) or a date (2027-01-31T12:00Z). */
function when(ctx: CommandContext, text: string | undefined, what: string): number {
  if (text === undefined) throw new UsageError(`${what} is required: a duration from now (7d) or a date`);
  return /^\d+[mhdw]$/u.test(text) ? ctx.home.clock.now() + parseDuration(text) : parseTime(text, what);
}

/** The panel: --witness D… with --k K, or --authority D. */
function panelOf(ctx: CommandContext): Panel {
  const authority = stringOption(ctx, 'authority');
  const witnesses = list(ctx.options.witness);
  if (authority !== undefined && witnesses.length > 0) throw new UsageError('the panel is --witness D… with --k K, or --authority D, not both');
  if (authority !== undefined) return { kind: 'authority', authority: authority as Did };
  if (witnesses.length === 0) throw new UsageError('name the panel: --witness D… --k K, or --authority D');
  const k = Number(stringOption(ctx, 'k') ?? witnesses.length);
  if (!Number.isInteger(k)) throw new UsageError('--k is a whole number');
  return { kind: 'k-of-n', k, witnesses: witnesses as Did[] };
}

const PANEL_OPTIONS = { witness: { type: 'string', multiple: true }, k: { type: 'string' }, authority: { type: 'string' } } as const;
const OUT_OPTIONS = { out: { type: 'string' }, force: { type: 'boolean' }, ...NETWORK_OPTIONS } as const;

/** With --out, the network is none (documents are written as files). */
const networkFor = (ctx: CommandContext, session: Session) => (stringOption(ctx, 'out') === undefined ? networkOf(ctx, session) : null);
/** The honor network (a refutation left at the yes-witnesses' replicas), none with --out. */
const honorFor = (ctx: CommandContext, session: Session) => (stringOption(ctx, 'out') === undefined ? honorNetworkOf(ctx, session) : null);

/** Writes each sent document to --out (a file for one, a folder for several); the lines to print. */
function delivered(ctx: CommandContext, sent: readonly Sent[], name: string): { to: Did; deposited: number; file?: string }[] {
  const out = stringOption(ctx, 'out');
  if (out === undefined) return sent.map(({ to, deposited }) => ({ to, deposited }));
  if (sent.length === 1) {
    writeOutputFile(ctx, out, sent[0]!.envelope);
    return [{ to: sent[0]!.to, deposited: 0, file: out }];
  }
  makeOutputFolder(out);
  return sent.map(({ to, envelope }) => {
    const file = join(out, `${name}-for-${to.slice(-12)}`);
    writeOutputFile(ctx, file, envelope);
    return { to, deposited: 0, file };
  });
}

const told = (lines: readonly { to: Did; deposited: number; file?: string }[]): string =>
  lines.map((l) => (l.file === undefined ? term`sent to ${l.to} (${l.deposited} mailboxes)` : term`wrote ${l.file}: give it to ${l.to}`)).join('\n');

export const challengeSend: Command = {
  name: 'challenge send',
  usage: 'defaust challenge send <proof.json> --deadline 7d|DATE (--witness DID… [--k K] | --authority DID) [--out FILE | --bootstrap ADDR…]',
  summary: 'challenge a feat you saw proven: the holder re-performs before the panel by the deadline, or loses',
  options: { deadline: { type: 'string' }, ...PANEL_OPTIONS, ...OUT_OPTIONS },
  arity: [1, 1],
  async run(ctx) {
    const proof = new TextDecoder().decode(readInputFile(ctx.positionals[0]!, MAX_SOCIAL_DOC_BYTES, false));
    const deadline = when(ctx, stringOption(ctx, 'deadline'), '--deadline');
    const panel = panelOf(ctx);
    const session = openSession(ctx.home, await passphrase(ctx.env));
    const sent = await sendChallenge(session, { proof, deadline, panel }, networkFor(ctx, session));
    const lines = delivered(ctx, [sent.sent], 'challenge');
    ctx.out.result({ id: sent.id, holder: sent.holder, claim: sent.claim, deadline: iso(deadline), delivered: lines }, () => term`challenge ${sent.id} of ${sent.claim}, answer by ${iso(deadline)}\n` + told(lines));
  },
};

export const challengeList: Command = {
  name: 'challenge list',
  usage: 'defaust challenge list',
  summary: 'your challenges (sent and received) with their state and deadline, and those waiting for your answer',
  arity: [0, 0],
  async run(ctx) {
    const { challenges, incoming } = listChallenges(openSession(ctx.home, await passphrase(ctx.env)));
    const result = { challenges: challenges.map((c) => ({ ...c, deadline: iso(c.deadline) })), incoming: incoming.map((c) => ({ ...c, deadline: iso(c.deadline) })) };
    ctx.out.result(result, () => [
      ...result.incoming.map((c) => term`WAITING ${c.id} from ${c.from}: ${c.title}, answer by ${c.deadline} (defaust challenge answer ${c.mail} accept|decline)`),
      ...result.challenges.map((c) => term`${c.id} [${c.role}] ${c.title}: ${c.state.phase === 'settled' ? term`${c.state.result}, ${c.state.winner} won` : c.state.phase} (deadline ${c.deadline})`),
    ].join('\n') || '(no challenges)');
  },
};

export const challengeAnswer: Command = {
  name: 'challenge answer',
  usage: 'defaust challenge answer <challenge-file | mail-id> accept|decline [--out FILE | --bootstrap ADDR…]',
  summary: 'as the holder: accept (then have the panel attest the re-performance claim) or decline; your answer goes to the challenger',
  options: OUT_OPTIONS,
  arity: [2, 2],
  async run(ctx) {
    const answer = ctx.positionals[1];
    if (answer !== 'accept' && answer !== 'decline') throw new UsageError('answer accept or decline');
    const session = openSession(ctx.home, await passphrase(ctx.env));
    const result = await answerChallenge(session, sourceOf(ctx.positionals[0]!), answer, networkFor(ctx, session));
    const lines = delivered(ctx, [result.sent], 'answer');
    ctx.out.result({ id: result.id, answer, reperformance: result.reperformance, delivered: lines }, () => [term`${answer === 'accept' ? 'accepted' : 'declined'} ${result.id}`,
      ...(result.reperformance === null ? [] : [term`re-perform, then: defaust attest request ${result.reperformance} --witness <panel>…; defaust challenge resolve ${result.id}`]), told(lines)].join('\n'));
  },
};

export const challengeResolve: Command = {
  name: 'challenge resolve',
  usage: 'defaust challenge resolve <challenge-id> [--answer FILE|mail-id] [--holder-archive FILE] [--public FILE] [--out FILE | --bootstrap ADDR…]',
  summary: "settle a challenge and sign the outcome as its winner: the holder with the panel's attestations; the challenger with the holder's decline, or past the deadline with the holder's chain (an archive, or fetched from its replicas); a refutation is left at the yes-witnesses' replicas; --public writes the signed outcome for anyone to verify",
  options: { answer: { type: 'string' }, 'holder-archive': { type: 'string' }, public: { type: 'string' }, ...OUT_OPTIONS },
  arity: [1, 1],
  async run(ctx) {
    const answer = stringOption(ctx, 'answer');
    const archive = stringOption(ctx, 'holder-archive');
    const session = openSession(ctx.home, await passphrase(ctx.env));
    const holderChain = archive === undefined ? undefined : storeOfArchives(ctx.home.crypto, [readInputFile(archive, undefined, false)]);
    const input = { ...(answer === undefined ? {} : { answer: sourceOf(answer) }), ...(holderChain === undefined ? {} : { holderChain }) };
    const { outcome, sent, refutation } = await resolveChallenge(session, ctx.positionals[0]!, input, networkFor(ctx, session), honorFor(ctx, session));
    const lines = delivered(ctx, [sent], 'outcome');
    const open = stringOption(ctx, 'public');
    if (open !== undefined) writeOutputFile(ctx, open, outcome.bytes);
    ctx.out.result({ ...outcomeSummary(outcome), refutation, delivered: lines },
      () => term`${outcome.result}: ${outcome.winner} won challenge ${outcome.challengeId}\n` + told(lines) +
        (refutation === null ? '' : term`\nrefutation of ${refutation.accused.length} witness(es) kept here${refutation.spread === null ? '' : term`, left at ${refutation.spread} of their replicas`}`));
  },
};

export const challengeImport: Command = {
  name: 'challenge import',
  usage: 'defaust challenge import <outcome-file | mail-id>',
  summary: 'take a challenge outcome in (verified); a challenge you lost refutes your claim',
  arity: [1, 1],
  async run(ctx) {
    const outcome = importOutcome(openSession(ctx.home, await passphrase(ctx.env)), sourceOf(ctx.positionals[0]!));
    const summary = outcomeSummary(outcome);
    ctx.out.result(summary, () => term`${outcome.result}: ${outcome.winner} won${summary.refutes === null ? '' : term`; claim ${summary.refutes} is REFUTED`}`);
  },
};

export const challengeBackCommand: Command = {
  name: 'challenge back',
  usage: 'defaust challenge back <settled-challenge-id> <proof.json> --deadline 7d|DATE (--witness DID… [--k K] | --authority DID) [--out FILE | --bootstrap ADDR…]',
  summary: 'once a challenge is settled: challenge back a feat of the same kind the other party proved (without one, propose a duel)',
  options: { deadline: { type: 'string' }, ...PANEL_OPTIONS, ...OUT_OPTIONS },
  arity: [2, 2],
  async run(ctx) {
    const proof = new TextDecoder().decode(readInputFile(ctx.positionals[1]!, MAX_SOCIAL_DOC_BYTES, false));
    const deadline = when(ctx, stringOption(ctx, 'deadline'), '--deadline');
    const session = openSession(ctx.home, await passphrase(ctx.env));
    const sent = await challengeBack(session, ctx.positionals[0]!, { proof, deadline, panel: panelOf(ctx) }, networkFor(ctx, session));
    const lines = delivered(ctx, [sent.sent], 'challenge');
    ctx.out.result({ id: sent.id, holder: sent.holder, claim: sent.claim, counter: ctx.positionals[0], deadline: iso(deadline), delivered: lines }, () => term`counter-challenge ${sent.id} of ${sent.claim}\n` + told(lines));
  },
};

export const duelPropose: Command = {
  name: 'duel propose',
  usage: 'defaust duel propose <did> "<title>" --type T --at 1d|DATE --judge-until 2d|DATE --witness DID… [--k K] [--criteria TEXT] [--out FILE | --bootstrap ADDR…]',
  summary: 'propose a duel: both perform at the time given, the panel judges',
  options: { type: { type: 'string' }, at: { type: 'string' }, 'judge-until': { type: 'string' }, criteria: { type: 'string' }, ...PANEL_OPTIONS, ...OUT_OPTIONS },
  arity: [2, 2],
  async run(ctx) {
    const featType = stringOption(ctx, 'type');
    if (!featType) throw new UsageError('duel propose needs --type (for example chess)');
    const panel = panelOf(ctx);
    if (panel.kind !== 'k-of-n') throw new UsageError('a duel is judged by a panel of witnesses: --witness DID… [--k K]');
    const time = when(ctx, stringOption(ctx, 'at'), '--at');
    const judgeUntil = when(ctx, stringOption(ctx, 'judge-until'), '--judge-until');
    const session = openSession(ctx.home, await passphrase(ctx.env));
    const { id, sent } = await proposeDuelTo(session, {
      b: ctx.positionals[0]! as Did, title: capped(ctx.positionals[1]!, 'the title', MAX_TITLE_CHARS), criteria: textOption(ctx, 'criteria', MAX_CRITERIA_CHARS) ?? '', featType, time, judgeUntil, panel,
    }, networkFor(ctx, session));
    const lines = delivered(ctx, [sent], 'duel');
    ctx.out.result({ id, delivered: lines }, () => term`duel ${id} proposed\n` + told(lines));
  },
};

export const duelAccept: Command = {
  name: 'duel accept',
  usage: 'defaust duel accept <duel-file | mail-id> [--out DIR | --bootstrap ADDR…]',
  summary: 'sign a duel proposed to you (it goes to the proposer and to each judge); as the proposer, take the agreed duel in',
  options: OUT_OPTIONS,
  arity: [1, 1],
  async run(ctx) {
    const session = openSession(ctx.home, await passphrase(ctx.env));
    const { id, sent } = await acceptDuel(session, sourceOf(ctx.positionals[0]!), networkFor(ctx, session));
    const lines = sent.length === 0 ? [] : delivered(ctx, sent, 'duel');
    ctx.out.result({ id, delivered: lines }, () => term`duel ${id} agreed\n` + told(lines));
  },
};

export const duelJudge: Command = {
  name: 'duel judge',
  usage: 'defaust duel judge <duel-file | mail-id> a|b|draw [--out DIR | --bootstrap ADDR…]',
  summary: "as a judge on the panel: sign your verdict (it goes to both parties)",
  options: OUT_OPTIONS,
  arity: [2, 2],
  async run(ctx) {
    const verdict = ctx.positionals[1];
    if (verdict !== 'a' && verdict !== 'b' && verdict !== 'draw') throw new UsageError('the verdict is a, b or draw');
    const session = openSession(ctx.home, await passphrase(ctx.env));
    const { id, duel, sent } = await judge(session, sourceOf(ctx.positionals[0]!), verdict as DuelVerdict, networkFor(ctx, session));
    const lines = delivered(ctx, sent, 'verdict');
    ctx.out.result({ id, verdict, delivered: lines }, () => term`judged duel ${id} (${duel.title}): ${verdict}\n` + told(lines));
  },
};

export const duelResolve: Command = {
  name: 'duel resolve',
  usage: 'defaust duel resolve <duel-id> --verdict FILE|mail-id… [--out FILE | --bootstrap ADDR…]',
  summary: "settle a duel from the judges' verdicts: the winner records the won duel as a feat it can prove",
  options: { verdict: { type: 'string', multiple: true }, ...OUT_OPTIONS },
  arity: [1, 1],
  async run(ctx) {
    const verdicts = list(ctx.options.verdict);
    if (verdicts.length === 0) throw new UsageError('name the verdicts: --verdict FILE|mail-id…');
    const session = openSession(ctx.home, await passphrase(ctx.env));
    const { outcome, sent } = await resolveDuel(session, ctx.positionals[0]!, verdicts.map(sourceOf), networkFor(ctx, session));
    const lines = delivered(ctx, [sent], 'duel-outcome');
    ctx.out.result({ id: outcome.id, duel: outcome.duel.id, winner: outcome.winner, claim: outcome.claim?.cid ?? null, delivered: lines },
      () => (outcome.claim === null ? term`a draw\n` : term`you won: claim ${outcome.claim.cid} (defaust prove feat ${outcome.claim.cid} …)\n`) + told(lines));
  },
};

export const duelImport: Command = {
  name: 'duel import',
  usage: 'defaust duel import <outcome-file | mail-id>',
  summary: "take a duel's outcome in (verified)",
  arity: [1, 1],
  async run(ctx) {
    const outcome = importDuelOutcome(openSession(ctx.home, await passphrase(ctx.env)), sourceOf(ctx.positionals[0]!));
    ctx.out.result({ id: outcome.id, duel: outcome.duel.id, winner: outcome.winner, winnerDid: outcome.winnerDid }, () => term`duel ${outcome.duel.id}: ${outcome.winnerDid ?? 'a draw'}${outcome.winnerDid === null ? '' : ' won'}`);
  },
};

export const duelList: Command = {
  name: 'duel list',
  usage: 'defaust duel list',
  summary: 'your duels and their state',
  arity: [0, 0],
  async run(ctx) {
    const duels = listDuels(openSession(ctx.home, await passphrase(ctx.env))).map((d) => ({ ...d, time: iso(d.time), judgeUntil: iso(d.judgeUntil) }));
    ctx.out.result(duels, () => duels.map((d) => term`${d.id} [${d.role}] ${d.title} vs ${d.other}: ${d.state.phase === 'settled' ? d.state.verdict : d.state.phase}`).join('\n') || '(no duels)');
  },
};
