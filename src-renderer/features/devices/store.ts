// Devices and services: this identity's device keys, the clients registered to serve sections while the
// owner is offline, and the audit log of reads this home served.
import { createStore } from 'zustand/vanilla';
import type { ApiError, AuditEntry, Client, Device, Request } from '../../../src-preload/api/contract.ts';
import type { ApiClient } from '../../lib/api.ts';
import { settle } from '../../lib/store-kit.ts';

export type DevicesAction = 'load' | 'add-device' | 'revoke-device' | 'add-client' | 'revoke-client';

export interface DevicesState {
  devices: Device[] | null;
  clients: Client[] | null;
  audit: AuditEntry[] | null;
  busy: DevicesAction | null;
  error: ApiError | null;
  failed: DevicesAction | null;
  done: DevicesAction | null;
  load(): Promise<void>;
  addDevice(device: string, label?: string): Promise<boolean>;
  revokeDevice(device: string): Promise<boolean>;
  addClient(input: Request<'registry:add'>): Promise<boolean>;
  revokeClient(client: string): Promise<boolean>;
  reset(): void;
}

export function createDevicesStore(api: ApiClient) {
  return createStore<DevicesState>()((set, get) => {
    const failAs = (action: DevicesAction) => (error: ApiError) => set({ error, failed: action, busy: null });
    const run = async (action: DevicesAction, call: () => Promise<unknown>): Promise<boolean> => {
      set({ busy: action, error: null, failed: null, done: null });
      const result = await call();
      if (result === null) return false;
      await get().load();
      set({ busy: null, done: action });
      return true;
    };
    return {
      devices: null,
      clients: null,
      audit: null,
      busy: null,
      error: null,
      failed: null,
      done: null,
      async load() {
        const fail = failAs('load');
        const [devices, clients, audit] = await Promise.all([
          settle(api.call('devices:list', {}), fail),
          settle(api.call('registry:list', {}), fail),
          settle(api.call('audit:list', {}), fail),
        ]);
        set({
          ...(devices ? { devices: devices.devices } : {}),
          ...(clients ? { clients: clients.clients } : {}),
          ...(audit ? { audit: audit.entries } : {}),
        });
      },
      addDevice: (device, label) => run('add-device', () => settle(api.call('devices:add', label ? { device, label } : { device }), failAs('add-device'))),
      revokeDevice: (device) => run('revoke-device', () => settle(api.call('devices:revoke', { device }), failAs('revoke-device'))),
      addClient: (input) => run('add-client', () => settle(api.call('registry:add', input), failAs('add-client'))),
      revokeClient: (client) => run('revoke-client', () => settle(api.call('registry:revoke', { client }), failAs('revoke-client'))),
      reset() {
        set({ devices: null, clients: null, audit: null, busy: null, error: null, failed: null, done: null });
      },
    };
  });
}
