// Granting and revoking (DESIGN §4) on top of the chain writer: grant blocks, revocation with key rotation,
// re-grants for everyone still in term whenever a section moves to a new key generation.
import type { BlockSummary, ChainWriter } from '../chain/writer.ts';
import type { BlockWrite } from '../ports.ts';
import { InvalidInputError } from '../errors.ts';
import { assertDid, type Did } from '../identity/did.ts';
import { epochOf } from '../chain/epochs.ts';
import type { GrantBook } from './grant-book.ts';
import { RIGHTS, type Right } from '../chain/meta.ts';
import { AccessDeniedError, makeGrant, type GrantView } from './grants.ts';
import { DEFAULT_EPOCH_MS, type SectionGeneration } from '../chain/keyring.ts';
import { checkSection } from '../chain/ops.ts';
import { isTimeMs } from '../../../src-shared/rules/time.ts';

export class AccessControl {
  private readonly writer: ChainWriter;
  private readonly book: GrantBook;

  constructor(writer: ChainWriter, book: GrantBook) {
    this.writer = writer;
    this.book = book;
    writer.onRotate = (section, now) => {
      const inTerm = this.book.active().filter((g) => g.section === section && g.until > now);
      return (next) => inTerm.map((g) => this.stageGrant(next, g.grantee, g.rights, now, g.until));
    };
  }

  grants(): GrantView[] {
    return this.book.active();
  }

  /** Creates a section with its own epoch length (a `section-keys` block). */
  createSection(section: string, epochMs = DEFAULT_EPOCH_MS): BlockSummary {
    checkSection(section);
    if (this.writer.keyring.latest(section) !== undefined) throw new InvalidInputError(`section ${section} already exists`);
    if (!Number.isSafeInteger(epochMs) || epochMs < 60_000) throw new InvalidInputError('an epoch lasts at least one minute');
    return this.writer.commit(() => this.writer.stageRotation(section, epochMs));
  }

  /** Grants `grantee` `rights` on `section` for the epochs covering [fromTs, untilTs], in one `grant` block. */
  grant(grantee: Did, section: string, rights: Right, untilTs: number, fromTs = this.writer.deps.clock.now()): GrantView {
    const generation = this.checkGrant(grantee, section, rights);
    if (!(isTimeMs(fromTs) && isTimeMs(untilTs))) throw new InvalidInputError('a grant starts and ends between 1970 and the end of 9999');
    if (untilTs <= fromTs) throw new InvalidInputError('a grant ends after it starts');
    if (untilTs <= this.writer.deps.clock.now()) throw new InvalidInputError('a grant must end in the future');
    const block = this.writer.commit(() => [this.stageGrant(generation, grantee, rights, fromTs, untilTs)]);
    return this.book.active().find((g) => g.seq === block.seq)!;
  }

  /** Checks a grantee, section and rights; returns the section's current key generation. */
  checkGrant(grantee: Did, section: string, rights: Right): SectionGeneration {
    assertDid(grantee);
    if (grantee === this.writer.id) throw new InvalidInputError('you already hold every key of your own profile');
    if (!RIGHTS.includes(rights)) throw new InvalidInputError(`rights are one of ${RIGHTS.join(', ')}`);
    checkSection(section);
    const generation = this.writer.keyring.latest(section);
    if (generation === undefined) throw new InvalidInputError(`there is no section ${section}`);
    return generation;
  }

  /**
   * Ends `grantee`'s access to `section`: a `revoke` block, a new key generation from now on, and fresh grants
   * on it for every other grantee still in term — all in one atomic write. What was read stays read.
   */
  revoke(grantee: Did, section: string): BlockSummary {
    return this.writer.commitAll(() => this.stageRevoke(grantee, section))[0]!;
  }

  /** Stages a revocation of `grantee` on `section` with its key rotation and re-grants (not yet committed). */
  stageRevoke(grantee: Did, section: string): BlockWrite[] {
    if (!this.book.active().some((g) => g.section === section && g.grantee === grantee)) {
      throw new AccessDeniedError(section, `${grantee} holds no grant on ${section}`);
    }
    return [this.writer.stage('revoke', { meta: { grantee, section } }), ...this.writer.stageRotation(section)];
  }

  /** Stages a grant of the epochs of `generation` covering [fromTs, untilTs] (not yet committed). */
  stageGrant(generation: SectionGeneration, grantee: Did, rights: Right, fromTs: number, untilTs: number): BlockWrite {
    const last = generation.length - 1;
    const from = fromTs < generation.start ? 0 : (epochOf(generation, fromTs) ?? last);
    const to = epochOf(generation, untilTs) ?? last;
    return this.writer.stage('grant', { meta: { ...makeGrant(this.writer.deps.crypto, generation, grantee, rights, from, to) } });
  }
}
