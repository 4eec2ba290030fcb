// Identity commands: init, recover, whoami.
import { readSecretInput, passphrase } from '../io.ts';
import { stringOption, type Command } from '../command.ts';

export const init: Command = {
  name: 'init',
  usage: 'defaust init [--label NAME]',
  summary: 'create a new identity; prints its id and the 24-word recovery phrase once',
  options: { label: { type: 'string' } },
  arity: [0, 0],
  async run(ctx) {
    const pass = await passphrase(ctx.env, true);
    const { id, mnemonic } = ctx.home.init(pass, stringOption(ctx, 'label'));
    ctx.out.result({ id, mnemonic }, () => {
      const words = mnemonic.split(' ').map((w, i) => `${String(i + 1).padStart(2)}. ${w}`);
      const rows: string[] = [];
      for (let i = 0; i < 24; i += 4) rows.push('  ' + words.slice(i, i + 4).map((w) => w.padEnd(16)).join(''));
      return [
        `Created identity ${id}`,
        '',
        'Your recovery phrase. Write it down and keep it offline: it is shown only this once,',
        'and it is the only way to recover this identity.',
        '',
        ...rows,
      ].join('\n');
    });
  },
};

export const recover: Command = {
  name: 'recover',
  usage: 'defaust recover [--mnemonic "24 words"]   (or the words on stdin)',
  summary: 'recreate an identity from its recovery phrase on this machine',
  options: { mnemonic: { type: 'string' } },
  arity: [0, 0],
  async run(ctx) {
    const mnemonic = stringOption(ctx, 'mnemonic') ?? (await readSecretInput('Recovery phrase: '));
    const pass = await passphrase(ctx.env, true);
    const { id, chain } = ctx.home.recover(mnemonic, pass);
    ctx.out.result({ id, chain }, () =>
      chain ? `Recovered ${id}; its chain is here.` : `Recovered ${id}. Bring its chain back with: defaust import ARCHIVE-FILE`);
  },
};

export const whoami: Command = {
  name: 'whoami',
  usage: 'defaust whoami',
  summary: 'print the identity id of this home',
  arity: [0, 0],
  run(ctx) {
    const id = ctx.home.id();
    ctx.out.result({ id }, () => id);
  },
};
