// The preload: exposes `window.defaust` through contextBridge — one object per feature, one function per
// verb of the contract, and `events.subscribe` returning its unsubscribe function. Nothing else of
// Electron or Node reaches the page. Bundled to dist/electron/preload.cjs (sandboxed preloads cannot import).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNELS, EVENT_CHANNEL, splitChannel, type EventName } from './api/contract.ts';

const api: Record<string, Record<string, unknown>> = {};
for (const channel of CHANNELS) {
  const { feature, verb } = splitChannel(channel);
  (api[feature] ??= {})[verb] = (request: unknown) => ipcRenderer.invoke(channel, request ?? {});
}

api.events = {
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void {
    const onEvent = (_e: IpcRendererEvent, message: { event: string; payload: unknown }) => {
      if (message?.event === event) listener(message.payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, onEvent);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, onEvent);
    };
  },
};

contextBridge.exposeInMainWorld('defaust', api);
