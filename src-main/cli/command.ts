// What a CLI command is: a name, a usage line, its own options, and a run function over a context.
import type { ParseArgsOptionsConfig } from 'node:util';
import type { Home } from '../app/home.ts';
import { UsageError, type Output } from './io.ts';

export interface CommandContext {
  positionals: string[];
  options: Record<string, string | boolean | (string | boolean)[] | undefined>;
  out: Output;
  home: Home;
  env: NodeJS.ProcessEnv;
}

export interface Command {
  /** One word, or two for a sub-command (`media get`). */
  name: string;
  usage: string;
  summary: string;
  options?: ParseArgsOptionsConfig;
  /** Positional argument count: [min, max]. */
  arity: [number, number];
  run(ctx: CommandContext): Promise<number | void> | number | void;
}

/** An option value that must be a string when present. */
export function stringOption(ctx: CommandContext, name: string): string | undefined {
  const value = ctx.options[name];
  return typeof value === 'string' ? value : undefined;
}

/** `text` when it is at most `max` characters, else a usage error naming `what` and the cap. */
export function capped(text: string, what: string, max: number): string {
  if (text.length > max) throw new UsageError(`${what} is at most ${max} characters, not ${text.length}`);
  return text;
}

/** A string option held to a length cap. */
export function textOption(ctx: CommandContext, name: string, max: number): string | undefined {
  const value = stringOption(ctx, name);
  return value === undefined ? undefined : capped(value, `--${name}`, max);
}
