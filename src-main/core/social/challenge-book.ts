// The chain's record of challenges and duels: `challenge` and `duel` blocks whose public meta is only the
// challenge's (duel's) id and the step — `{challenge, step}`, plus the claim's CID on a `lost` step, so the
// refutation shows in the holder's public headers — and whose sealed body carries the signed documents of
// that step. The fold keeps, per id, the documents in order; the claims refuted by a lost challenge; the
// service writes the blocks.
import type { BlockSummary, BodyOps, ChainFold, ChainWriter } from '../chain/writer.ts';
import type { Header } from '../chain/header.ts';
import type { ChallengeStep } from './outcome.ts';

export type DuelStep = 'proposed' | 'agreed' | 'verdict' | 'won' | 'outcome';

/** One recorded step: its documents (signed, as they travel), the block's seq and time. */
export interface SocialStep<S extends string> {
  step: S;
  docs: Uint8Array[];
  seq: number;
  ts: number;
}

type Steps = Map<string, SocialStep<string>[]>;

export class ChallengeBook implements ChainFold {
  readonly name = 'social';
  challenges: Steps = new Map();
  duels: Steps = new Map();
  /** Claim CID → the id of the challenge that refuted it. */
  refuted = new Map<string, string>();

  fold(header: Header, bodyOps: BodyOps): void {
    if (header.kind !== 'challenge' && header.kind !== 'duel') return;
    const id = String(header.kind === 'challenge' ? header.meta.challenge : header.meta.duel);
    const docs = header.bodies.flatMap((ref) => (bodyOps(ref) ?? []).flatMap((op) => (op.op === 'social' ? [op.doc] : [])));
    const book = header.kind === 'challenge' ? this.challenges : this.duels;
    book.set(id, [...(book.get(id) ?? []), { step: String(header.meta.step), docs, seq: header.seq, ts: header.ts }]);
    if (header.kind === 'challenge' && header.meta.step === 'lost' && typeof header.meta.claim === 'string') this.refuted.set(header.meta.claim, id);
  }

  snapshot(): unknown {
    return { challenges: [...this.challenges], duels: [...this.duels], refuted: [...this.refuted] };
  }

  restore(value: unknown): void {
    const v = value as { challenges: [string, SocialStep<string>[]][]; duels: [string, SocialStep<string>[]][]; refuted: [string, string][] };
    this.challenges = new Map(v.challenges);
    this.duels = new Map(v.duels);
    this.refuted = new Map(v.refuted);
  }

  reset(): void {
    this.challenges.clear();
    this.duels.clear();
    this.refuted.clear();
  }
}

/** The owner's challenges and duels as its chain records them. */
export class Challenges {
  private readonly writer: ChainWriter;
  private readonly book: ChallengeBook;

  constructor(writer: ChainWriter, book: ChallengeBook) {
    this.writer = writer;
    this.book = book;
  }

  /** Records a step of challenge `id` with its documents (a `challenge` block; `claim` only on `lost`). */
  recordChallenge(id: string, step: ChallengeStep, docs: Uint8Array[], claim?: string): BlockSummary {
    const meta = claim === undefined ? { challenge: id, step } : { challenge: id, step, claim };
    return this.writer.commit(() => this.writer.stageSealed('challenge', 'feats', docs.map((doc) => ({ op: 'social' as const, doc })), meta));
  }

  /** Records a step of duel `id` with its documents (a `duel` block). */
  recordDuel(id: string, step: DuelStep, docs: Uint8Array[]): BlockSummary {
    return this.writer.commit(() => this.writer.stageSealed('duel', 'feats', docs.map((doc) => ({ op: 'social' as const, doc })), { duel: id, step }));
  }

  challengeSteps(id: string): SocialStep<ChallengeStep>[] {
    return (this.book.challenges.get(id) ?? []) as SocialStep<ChallengeStep>[];
  }

  duelSteps(id: string): SocialStep<DuelStep>[] {
    return (this.book.duels.get(id) ?? []) as SocialStep<DuelStep>[];
  }

  challengeIds(): string[] {
    return [...this.book.challenges.keys()];
  }

  duelIds(): string[] {
    return [...this.book.duels.keys()];
  }

  /** The id of the challenge that refuted `claim`, or null. */
  refutedBy(claim: string): string | null {
    return this.book.refuted.get(claim) ?? null;
  }
}
