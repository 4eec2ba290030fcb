// The window: onboarding until the wallet is open, then the shell (navigation + one screen). The theme
// follows the settings; focus moves to each new screen's heading so keyboard and screen-reader users
// know where they are.
import { useEffect } from 'react';
import { useStore } from 'zustand';
import { ChainScreenLazy } from './lazy.ts';
import { accessStore, chainStore, devicesStore, featsStore, inboxStore, mediaStore, navStore, networkStore, profileStore, sessionStore, settingsStore, sharedStore, verifyStore, inclusionStore, witnessStore, honorStore, contactsStore, challengesStore, recoveryStore, type Screen, badgesStore, freshnessStore, mailStore } from './stores.ts';
import { StaleChainBanner } from '../features/import/StaleChain.tsx';
import { Onboarding } from '../features/session/Onboarding.tsx';
import { ProfileScreen } from '../features/profile/ProfileScreen.tsx';
import { MediaScreen } from '../features/media/MediaScreen.tsx';
import { SettingsScreen } from '../features/settings/SettingsScreen.tsx';
import { AccessScreen } from '../features/access/AccessScreen.tsx';
import { InboxScreen } from '../features/inbox/InboxScreen.tsx';
import { DevicesScreen } from '../features/devices/DevicesScreen.tsx';
import { FeatsScreen } from '../features/feats/FeatsScreen.tsx';
import { WitnessScreen } from '../features/witness/WitnessScreen.tsx';
import { VerifyScreen } from '../features/verify/VerifyScreen.tsx';
import { NetworkScreen } from '../features/network/NetworkScreen.tsx';
import { SharedScreen } from '../features/shared/SharedScreen.tsx';
import { ContactsScreen } from '../features/contacts/ContactsScreen.tsx';
import { ChallengesScreen } from '../features/challenges/ChallengesScreen.tsx';
import { CustodyScreen } from '../features/recovery/CustodyScreen.tsx';
import { Busy, ErrorNote } from '../ui/primitives.tsx';
import { shortId } from '../lib/format.ts';

const NAV: { screen: Screen; label: string }[] = [
  { screen: 'profile', label: 'Profile' },
  { screen: 'timeline', label: 'Timeline' },
  { screen: 'media', label: 'Media' },
  { screen: 'feats', label: 'Feats' },
  { screen: 'witness', label: 'Witness inbox' },
  { screen: 'verify', label: 'Verify a proof' },
  { screen: 'challenges', label: 'Challenges' },
  { screen: 'access', label: 'Access' },
  { screen: 'inbox', label: 'Inbox' },
  { screen: 'shared', label: 'Shared with me' },
  { screen: 'devices', label: 'Devices & services' },
  { screen: 'network', label: 'Network' },
  { screen: 'contacts', label: 'Contacts' },
  { screen: 'custody', label: 'Custody' },
  { screen: 'settings', label: 'Settings' },
];

/** The screen each navigation entry shows. */
const SCREENS: Record<Screen, () => React.JSX.Element> = {
  profile: () => <ProfileScreen />,
  timeline: () => <ChainScreenLazy />,
  media: () => <MediaScreen />,
  feats: () => <FeatsScreen />,
  witness: () => <WitnessScreen />,
  verify: () => <VerifyScreen />,
  challenges: () => <ChallengesScreen />,
  custody: () => <CustodyScreen />,
  access: () => <AccessScreen />,
  inbox: () => <InboxScreen />,
  shared: () => <SharedScreen />,
  contacts: () => <ContactsScreen />,
  devices: () => <DevicesScreen />,
  network: () => <NetworkScreen />,
  settings: () => <SettingsScreen />,
};

function useTheme() {
  const theme = useStore(settingsStore, (s) => s.settings?.theme ?? 'system');
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
}

function Shell() {
  const { screen, go } = useStore(navStore);
  const { status, lock } = useStore(sessionStore);
  const loadContacts = useStore(contactsStore, (s) => s.load);
  // Names for every <Person> on every screen.
  useEffect(() => {
    void loadContacts();
  }, [loadContacts]);
  useEffect(() => {
    document.getElementById('page-title')?.focus();
    document.title = `${NAV.find((n) => n.screen === screen)?.label ?? ''} · DeFaust`;
  }, [screen]);
  return (
    <div className="shell">
      <a className="skip" href="#main">Skip to content</a>
      <aside className="sidebar">
        <p className="brand"><span className="brand-mark" aria-hidden="true">D</span> DeFaust</p>
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => (
              <li key={n.screen}>
                <button type="button" className="nav-link" aria-current={screen === n.screen ? 'page' : undefined} onClick={() => go(n.screen)}>{n.label}</button>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar-foot">
          {status?.id ? <p className="muted mono small" title={status.id}>{shortId(status.id)}</p> : null}
          <button type="button" className="btn btn-secondary" onClick={() => void lock()}>Lock</button>
        </div>
      </aside>
      <main id="main" className="content" aria-labelledby="page-title">
        <StaleChainBanner />
        {SCREENS[screen]()}
      </main>
    </div>
  );
}

export function App() {
  const { status, error, load } = useStore(sessionStore);
  const loadSettings = useStore(settingsStore, (s) => s.load);
  useTheme();
  useEffect(() => {
    void load();
    void loadSettings();
  }, [load, loadSettings]);
  useEffect(() => {
    document.getElementById('page-title')?.focus();
    if (status !== null && status.state !== 'unlocked') {
      // Locked: forget what was shown, and start from the profile next time.
      profileStore.getState().reset();
      chainStore.getState().reset();
      mediaStore.getState().reset();
      accessStore.getState().reset();
      inboxStore.getState().reset();
      devicesStore.getState().reset();
      featsStore.getState().reset();
      witnessStore.getState().reset();
      verifyStore.getState().reset();
      inclusionStore.getState().reset();
      networkStore.getState().reset();
      sharedStore.getState().reset();
      honorStore.getState().reset();
      contactsStore.getState().reset();
      challengesStore.getState().reset();
      recoveryStore.getState().reset();
      badgesStore.getState().reset();
      freshnessStore.getState().reset();
      mailStore.getState().reset();
      navStore.getState().go('profile');
    }
  }, [status, status?.state, status?.confirm]);
  if (status === null) {
    return (
      <main className="onboarding" aria-label="DeFaust">
        <div className="onboarding-panel">
          {error ? (
            <>
              <h1 id="page-title" tabIndex={-1}>DeFaust cannot open your wallet</h1>
              <ErrorNote error={error} />
            </>
          ) : <Busy label="Starting DeFaust…" />}
        </div>
      </main>
    );
  }
  if (status.state !== 'unlocked' || status.confirm !== null) return <Onboarding />;
  return <Shell />;
}
