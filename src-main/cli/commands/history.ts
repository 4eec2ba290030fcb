// History commands: `checkpoint` (sign the accumulator's root now), `prove included` (an inclusion bundle for
// one block, optionally revealing its bodies) and `verify-inclusion` (anyone, offline; exit 1 with the reason
// when the bundle proves nothing).
import { inclusionSentence, proveIncluded, verifyInclusionText, writeCheckpoint } from '../../app/history/inclusion.ts';
import { openSession } from '../../app/session.ts';
import { fromUtf8, utf8 } from '../../core/bytes.ts';
import { InclusionError } from '../../core/history/inclusion.ts';
import { passphrase, UsageError } from '../io.ts';
import { stringOption, type Command } from '../command.ts';
import { readInputFile, writeOutputFile } from './files.ts';
import { term } from '../terminal.ts';
import { MAX_INCLUSION_BUNDLE_CHARS } from '../../../src-shared/rules/limits.ts';


export const checkpointCommand: Command = {
  name: 'checkpoint',
  usage: 'defaust checkpoint',
  summary: 'sign a checkpoint now: the root of the accumulator over all your history (one is also written every 256 blocks)',
  arity: [0, 0],
  async run(ctx) {
    const block = writeCheckpoint(openSession(ctx.home, await passphrase(ctx.env)));
    ctx.out.result(block, () => term`checkpoint at seq ${block.seq} over the ${block.seq} blocks before it`);
  },
};

export const proveIncludedCommand: Command = {
  name: 'prove included',
  usage: 'defaust prove included <seq> [--reveal] [--out FILE]',
  summary: 'make a bundle proving that block <seq> is in your history, checkable offline by anyone; --reveal adds its bodies and the epoch keys that open them (each key opens that section for the whole epoch)',
  options: { reveal: { type: 'boolean' }, out: { type: 'string' }, force: { type: 'boolean' } },
  arity: [1, 1],
  async run(ctx) {
    const text = ctx.positionals[0]!;
    if (!/^\d{1,15}$/u.test(text)) throw new UsageError('<seq> is a block number (a whole number of 0 or more)');
    const made = proveIncluded(openSession(ctx.home, await passphrase(ctx.env)), Number(text), { reveal: ctx.options.reveal === true });
    const out = stringOption(ctx, 'out');
    if (out === undefined) {
      ctx.out.result({ ...made, text: undefined, bundle: JSON.parse(made.text) as unknown }, () => made.text.trimEnd());
      return;
    }
    writeOutputFile(ctx, out, utf8(made.text));
    ctx.out.result({ seq: made.seq, by: made.by, revealed: made.revealed, out },
      () => term`wrote the inclusion bundle of block ${made.seq} (committed by the ${made.by.kind} at seq ${made.by.seq}${made.revealed ? ', body revealed' : ''}) to ${out}`);
  },
};

export const verifyInclusionCommand: Command = {
  name: 'verify-inclusion',
  usage: 'defaust verify-inclusion <bundle.json>',
  summary: 'check offline that an inclusion bundle proves its block is in its owner\'s signed history, and show a revealed body; exit 1 with the reason when it does not',
  arity: [1, 1],
  run(ctx) {
    const text = fromUtf8(readInputFile(ctx.positionals[0]!, MAX_INCLUSION_BUNDLE_CHARS, false));
    try {
      const result = verifyInclusionText(ctx.home.crypto, text);
      const shown = result.revealed.map((part) => term`\n${part.section}: ${JSON.stringify(part.ops)}`).join('');
      ctx.out.result({ valid: true, ...result }, () => term`VALID: ${inclusionSentence(result)}` + shown);
      return 0;
    } catch (error) {
      if (!(error instanceof InclusionError)) throw error;
      ctx.out.result({ valid: false, code: error.code, reason: error.reason, message: error.message }, () => term`INVALID: ${error.message}`);
      return 1;
    }
  },
};
