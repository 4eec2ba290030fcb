// Terminal input and output for the CLI: passphrases and mnemonics from the environment, stdin or a prompt
// without echo; results as text or as one JSON document.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { DefaustError } from '../core/errors.ts';

export class UsageError extends DefaustError {
  override name = 'UsageError';
  /** The command's usage line, printed after the message. */
  readonly usage: string | undefined;
  constructor(message: string, usage?: string) {
    super('usage', message);
    this.usage = usage;
  }
}

export interface Output {
  json: boolean;
  /** Prints a result: `value` as JSON with --json, else the text lines. */
  result(value: unknown, text: () => string): void;
  /** A line for people on stderr (progress, notes); silent with --json. */
  note(text: string): void;
  /** A one-line warning on stderr, also with --json (scripts need it most). */
  warn(text: string): void;
}

export function makeOutput(json: boolean, stdout = process.stdout, stderr = process.stderr): Output {
  return {
    json,
    result(value, text) {
      stdout.write(json ? JSON.stringify(value) + '\n' : text() + '\n');
    },
    note(text) {
      if (!json) stderr.write(text + '\n');
    },
    warn(text) {
      stderr.write(`defaust: warning: ${text}\n`);
    },
  };
}

/** Asks a question on the terminal without echoing the answer. */
export async function promptHidden(question: string): Promise<string> {
  if (!process.stdin.isTTY) throw new UsageError('no terminal to ask for the passphrase: set DEFAUST_PASSPHRASE');
  process.stderr.write(question);
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return await new Promise<string>((resolve, reject) => {
    let answer = '';
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') {
          cleanup();
          process.stderr.write('\n');
          resolve(answer);
          return;
        }
        if (char === '\u0003') {
          cleanup();
          process.stderr.write('\n');
          reject(new UsageError('cancelled'));
          return;
        }
        if (char === '\u007f') answer = answer.slice(0, -1);
        else answer += char;
      }
    };
    const cleanup = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
    };
    stdin.on('data', onData);
  });
}

/** The passphrase: DEFAUST_PASSPHRASE, else a prompt (twice when `confirm`). */
export async function passphrase(env: NodeJS.ProcessEnv, confirm = false): Promise<string> {
  if (env.DEFAUST_PASSPHRASE !== undefined) return env.DEFAUST_PASSPHRASE;
  const first = await promptHidden('Passphrase: ');
  if (confirm && (await promptHidden('Repeat passphrase: ')) !== first) throw new UsageError('the two passphrases differ');
  return first;
}

/** All of stdin as text (for a mnemonic piped in), or a prompt on a terminal. */
export async function readSecretInput(question: string): Promise<string> {
  if (process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await new Promise((resolve) => rl.question(question, resolve));
    } finally {
      rl.close();
    }
  }
  return readFileSync(0, 'utf8');
}
