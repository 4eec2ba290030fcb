// `defaust serve`: the headless node. Serves the UI and its API on 127.0.0.1 behind a random token and
// prints the URL to open once; runs until interrupted.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WalletService } from '../../app/wallet-service.ts';
import { DefaustError } from '../../core/errors.ts';
import { startServer } from '../../serve/server.ts';
import { UsageError } from '../io.ts';
import { stringOption, type Command } from '../command.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export const serve: Command = {
  name: 'serve',
  usage: 'defaust serve [--port P]',
  summary: 'run the headless node: the wallet UI in your browser on 127.0.0.1, behind a random token',
  options: { port: { type: 'string' } },
  arity: [0, 0],
  async run(ctx) {
    const portText = stringOption(ctx, 'port') ?? '0';
    const port = Number(portText);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0..65535, not ${portText}`);
    const version = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string }).version;
    const service = new WalletService(ctx.home, { version });
    let running;
    try {
      running = await startServer({ service, root: `${ROOT}dist/renderer`, port });
    } catch (error) {
      service.close();
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new DefaustError('port-in-use', `port ${port} is already in use on 127.0.0.1; choose another with --port, or --port 0 for a free one`);
      throw error;
    }
    ctx.out.result({ url: running.url, port: running.port }, () => `DeFaust is serving ${ctx.home.dir}\nOpen ${running.url}`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await running.close();
    service.close();
  },
};
