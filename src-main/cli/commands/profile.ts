// Profile commands: set, unset, append, show, log, verify.
import { InvalidInputError } from '../../core/errors.ts';
import type { Value } from '../../core/chain/ops.ts';
import { passphrase, UsageError } from '../io.ts';
import { stringOption, type Command, type CommandContext } from '../command.ts';
import { NUMBER_RULE, parseDecimal } from '../../../src-shared/rules/number.ts';
import { MAX_VALUE_DEPTH, nestsTooDeeply } from '../../../src-shared/rules/values.ts';
import { term } from '../terminal.ts';

const VALUE_TYPES = ['string', 'number', 'boolean', 'json'] as const;

/** A JSON.parse reviver holding every number to the shared rule, read from its source text (1e-400 is not 0). */
function strictNumbers(this: unknown, _key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === 'number' && parseDecimal(context?.source ?? String(value)) === null) {
    throw new InvalidInputError(`a number in the JSON must be ${NUMBER_RULE}, not ${context?.source ?? String(value)}`);
  }
  return value;
}

export function parseValue(ctx: CommandContext, raw: string): Value {
  const type = stringOption(ctx, 'type') ?? 'string';
  switch (type) {
    case 'string':
      return raw;
    case 'number': {
      const n = parseDecimal(raw);
      if (n === null) throw new InvalidInputError(`the value must be ${NUMBER_RULE}, not ${JSON.stringify(raw)}`);
      return n;
    }
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw new InvalidInputError('a boolean is true or false');
      return raw === 'true';
    case 'json': {
      let plain: unknown;
      try {
        plain = JSON.parse(raw);
      } catch {
        throw new InvalidInputError('the value is not valid JSON');
      }
      // The reviver below recurses: the depth is checked first, by a loop, so a deep value is named, not a stack overflow.
      if (nestsTooDeeply(plain)) throw new InvalidInputError(`a value nests more than ${MAX_VALUE_DEPTH} levels deep`);
      return JSON.parse(raw, strictNumbers) as Value;
    }
    default:
      throw new UsageError(`--type is one of ${VALUE_TYPES.join(', ')}`);
  }
}

export const valueOptions = { type: { type: 'string' } } as const;

/** `set` and `append`: one value written to one field, as one block. */
function valueCommand(verb: 'set' | 'append', summary: string): Command {
  return {
    name: verb,
    usage: `defaust ${verb} <section> <path> <value> [--type string|number|boolean|json]`,
    summary,
    options: valueOptions,
    arity: [3, 3],
    async run(ctx) {
      const [section, path, raw] = ctx.positionals as [string, string, string];
      const value = parseValue(ctx, raw);
      const block = ctx.home.openProfile(await passphrase(ctx.env))[verb](section, path, value);
      ctx.out.result(block, () => term`block ${block.seq} ${block.cid}`);
    },
  };
}

export const set = valueCommand('set', 'set a field; writes one signed, encrypted block');
export const append = valueCommand('append', 'append a value to a list field');

export const unset: Command = {
  name: 'unset',
  usage: 'defaust unset <section> <path>',
  summary: 'remove a field; writes one block',
  arity: [2, 2],
  async run(ctx) {
    const [section, path] = ctx.positionals as [string, string];
    const block = ctx.home.openProfile(await passphrase(ctx.env)).unset(section, path);
    ctx.out.result(block, () => term`block ${block.seq} ${block.cid}`);
  },
};

export const show: Command = {
  name: 'show',
  usage: 'defaust show [section]',
  summary: 'print the profile (or one section) as it stands',
  arity: [0, 1],
  async run(ctx) {
    const profile = ctx.home.openProfile(await passphrase(ctx.env));
    const state = profile.current();
    const only = ctx.positionals[0];
    if (only !== undefined && !profile.sections().includes(only)) throw new InvalidInputError(`there is no section ${only}; sections: ${profile.sections().join(', ')}`);
    const names = only === undefined ? profile.sections() : [only];
    const view: Record<string, Record<string, Value>> = {};
    for (const name of names) view[name] = state[name]?.fields ?? {};
    ctx.out.result(view, () =>
      names
        .map((name) => {
          const fields = Object.entries(view[name]!);
          const media = Object.entries(state[name]?.media ?? {}).map(([event, refs]) => term`  [media] ${event}: ${refs.length} file(s)`);
          return [term`${name}:`, ...(fields.length ? fields.map(([k, v]) => term`  ${k} = ${typeof v === 'string' ? v : JSON.stringify(v)}`) : ['  (empty)']), ...media].join('\n');
        })
        .join('\n'));
  },
};

export const log: Command = {
  name: 'log',
  usage: 'defaust log',
  summary: 'list the blocks of the chain (no passphrase needed: headers are public)',
  arity: [0, 0],
  run(ctx) {
    const blocks = ctx.home.log();
    ctx.out.result(blocks, () =>
      blocks.map((b) => term`${String(b.seq).padStart(5)}  ${new Date(b.ts).toISOString()}  ${b.kind.padEnd(13)} ${b.cid}  by ${b.author}`).join('\n'));
  },
};

export const verify: Command = {
  name: 'verify',
  usage: 'defaust verify',
  summary: 'verify the whole chain; exit 1 naming the rule and the block when it is not valid',
  arity: [0, 0],
  async run(ctx) {
    const report = await ctx.home.verify();
    const json = report.ok ? { ok: true, head: report.head, length: report.length } : {
      ok: false, head: report.head, length: report.length,
      error: { code: report.error!.code, seq: report.error!.seq, message: report.error!.message },
    };
    ctx.out.result(json, () =>
      report.ok ? term`valid: ${report.length} blocks, head ${report.head}` : term`INVALID: ${report.error!.message} (rule ${report.error!.rule})`);
    return report.ok ? 0 : 1;
  },
};
