// Identity commands: init, recover, whoami.
import { readSecretInput, passphrase } from '../io.ts';
import { recoverChainFromNetwork } from '../../app/network/recover.ts';
import { ReplicationError } from '../../core/net/errors.ts';
import { addressOptions, NETWORK_OPTIONS, onTheNetwork } from './net.ts';
import { stringOption, textOption, type Command, type CommandContext } from '../command.ts';
import { MAX_LABEL_CHARS } from '../../../src-shared/rules/text.ts';

export const init: Command = {
  name: 'init',
  usage: 'defaust init [--label NAME]',
  summary: 'create a new identity; prints its id and the 24-word recovery phrase once',
  options: { label: { type: 'string' } },
  arity: [0, 0],
  async run(ctx) {
    const pass = await passphrase(ctx.env, true);
    const { id, mnemonic } = ctx.home.init(pass, textOption(ctx, 'label', MAX_LABEL_CHARS));
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
  usage: 'defaust recover [--bootstrap <multiaddr>]… < PHRASE-FILE   (or at the prompt; --mnemonic "24 words" shows it in ps)',
  summary: 'recreate an identity from its recovery phrase (stdin or a prompt) on this machine; with --bootstrap, its archive from the network',
  options: { mnemonic: { type: 'string' }, ...NETWORK_OPTIONS },
  arity: [0, 0],
  async run(ctx) {
    const network = addressOptions(ctx).bootstrap.length > 0;
    const given = stringOption(ctx, 'mnemonic');
    if (given !== undefined) ctx.out.warn('--mnemonic puts the recovery phrase where other processes on this machine can read it (ps, /proc); prefer giving it on stdin or at the prompt');
    const mnemonic = given ?? (await readSecretInput('Recovery phrase: '));
    const pass = await passphrase(ctx.env, true);
    await bringChainBack(ctx, ctx.home.recover(mnemonic, pass), pass, network);
  },
};

/** After the keys are back (the phrase typed, or rebuilt by friends): the chain from the network, and what happened. */
export async function bringChainBack(ctx: CommandContext, recovered: { id: string; chain: boolean }, pass: string, network: boolean): Promise<void> {
  const { id, chain } = recovered;
  if (network && !chain) {
    const head = await onTheNetwork(ctx, async (net) => {
      const outcome = await recoverChainFromNetwork(ctx.home, net, id);
      if (!outcome.found) throw new ReplicationError('no-head', `no head record for ${id} in the DHT`);
      const { keys, profile } = ctx.home.openSession(pass);
      net.unlock(keys);
      await net.publish({ announce: false });
      return { head: profile.headCid, length: profile.length };
    });
    ctx.out.result({ id, chain: true, ...head }, () => `Recovered ${id} from the network: ${head.length} blocks, head ${head.head}.`);
    return;
  }
  ctx.out.result({ id, chain }, () =>
    chain ? `Recovered ${id}; its chain is here.` : `Recovered ${id}. Bring its chain back with: defaust import ARCHIVE-FILE, or from the network with --bootstrap`);
}

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
