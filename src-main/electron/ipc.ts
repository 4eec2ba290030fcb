// The IPC boundary: ONE wrapper registers every contract channel. It refuses a sender that is not the
// top frame of an app:// page, then hands the payload to the wallet service, which validates it with the
// contract's schemas and answers with a Result. Events are pushed to the app's windows on one channel.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { CHANNELS, EVENT_CHANNEL, type Result } from '../../src-preload/api/contract.ts';
import type { WalletService } from '../app/wallet/service.ts';
import { isAppUrl, isTrustedSender } from './security.ts';

type Invokable = Pick<IpcMain, 'handle' | 'removeHandler'>;

export function registerIpc(ipcMain: Invokable, service: Pick<WalletService, 'handle' | 'subscribe'>, targets: () => Pick<WebContents, 'send' | 'getURL' | 'isDestroyed'>[]): () => void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, payload: unknown): Promise<Result<unknown>> => {
      if (!isTrustedSender(event)) return { ok: false, error: { code: 'forbidden', message: 'This window may not use the wallet.' } };
      return service.handle(channel, payload);
    });
  }
  const unsubscribe = service.subscribe((event, payload) => {
    for (const contents of targets()) {
      if (!contents.isDestroyed() && isAppUrl(contents.getURL())) contents.send(EVENT_CHANNEL, { event, payload });
    }
  });
  return () => {
    unsubscribe();
    for (const channel of CHANNELS) ipcMain.removeHandler(channel);
  };
}
