// The one instance of each feature store for this window, over the window's API client.
import { createStore } from 'zustand/vanilla';
import { api, type ApiClient } from '../lib/api.ts';
import { createChainStore } from '../features/chain/store.ts';
import { createMediaStore } from '../features/media/store.ts';
import { createProfileStore } from '../features/profile/store.ts';
import { createSessionStore } from '../features/session/store.ts';
import { createSettingsStore } from '../features/settings/store.ts';
import { createAccessStore } from '../features/access/store.ts';
import { createInboxStore } from '../features/inbox/store.ts';
import { createDevicesStore } from '../features/devices/store.ts';
import { createFeatsStore } from '../features/feats/store.ts';
import { createWitnessStore } from '../features/witness/store.ts';
import { createVerifyStore } from '../features/verify/store.ts';
import { createInclusionStore } from '../features/verify/inclusion-store.ts';
import { createNetworkStore } from '../features/network/store.ts';
import { createNetworksStore } from '../features/network/networks-store.ts';
import { createSharedStore } from '../features/shared/store.ts';
import { createHonorStore } from '../features/honor/store.ts';

import { createContactsStore } from '../features/contacts/store.ts';
import { createImportStore } from '../features/import/store.ts';
import { createFreshnessStore } from '../features/import/freshness-store.ts';
import { createMailStore } from '../features/mail/store.ts';
import { createPublishTrustStore } from '../features/feats/publish-store.ts';

export type Screen = 'profile' | 'timeline' | 'media' | 'access' | 'inbox' | 'shared' | 'contacts' | 'devices' | 'network' | 'settings' | 'feats' | 'witness' | 'verify' | 'challenges' | 'custody';
import { createChallengesStore } from '../features/challenges/store.ts';

import { createRecoveryStore } from '../features/recovery/store.ts';
import { createStorageStore } from '../features/settings/storage-store.ts';
import { createAttributesStore } from '../features/profile/attributes-store.ts';
import { createKeychainStore } from '../features/session/keychain-store.ts';
import { createBadgesStore } from '../features/badges/store.ts';


/** The window's client, which notices when the wallet locked itself (idle) and shows the unlock screen. */
const client: ApiClient = {
  kind: api().kind,
  subscribe: (event, listener) => api().subscribe(event, listener),
  async call(channel, request) {
    const result = await api().call(channel, request);
    if (!result.ok && result.error.code === 'locked' && channel !== 'session:status') void sessionStore.getState().load();
    return result;
  },
};

export const sessionStore = createSessionStore(client);
export const keychainStore = createKeychainStore(client, (status) => sessionStore.setState({ status, error: null }));
export const profileStore = createProfileStore(client);
export const chainStore = createChainStore(client);
export const mediaStore = createMediaStore(client);
export const settingsStore = createSettingsStore(client);
export const accessStore = createAccessStore(client);
export const inboxStore = createInboxStore(client);
export const devicesStore = createDevicesStore(client);
export const featsStore = createFeatsStore(client);
export const witnessStore = createWitnessStore(client);
export const verifyStore = createVerifyStore(client);
export const inclusionStore = createInclusionStore(client);
export const networkStore = createNetworkStore(client);
export const networksStore = createNetworksStore(client);
export const sharedStore = createSharedStore(client);
export const honorStore = createHonorStore(client);
export const contactsStore = createContactsStore(client);
export const challengesStore = createChallengesStore(client);
export const recoveryStore = createRecoveryStore(client);
export const storageStore = createStorageStore(client);
export const attributesStore = createAttributesStore(client);
export const badgesStore = createBadgesStore(client);
export const importStore = createImportStore(client);
export const freshnessStore = createFreshnessStore(client);
export const mailStore = createMailStore(client);
export const publishTrustStore = createPublishTrustStore(client);
// Pushed by the wallet (the preload in Electron, the node's event stream in a browser): a lock from the tray,
// another window or the idle timer.
api().subscribe('session:changed', (status) => sessionStore.setState({ status }));
// A block from this window, another one or the command line: the profile shown is read again.
api().subscribe('chain:appended', () => {
  if (profileStore.getState().profile !== null) void profileStore.getState().load();
});

export const navStore = createStore<{ screen: Screen; go(screen: Screen): void }>()((set) => ({
  screen: 'profile',
  go: (screen) => set({ screen }),
}));
