// The wallet's `settings:*` verbs: the screen theme (ui.json in the home, written atomically), the home folder
// and version shown in Settings, and changing the keystore's passphrase (a key the OS keychain kept follows it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings, Theme } from '../../../src-preload/api/contract.ts';
import { writeFileAtomic } from '../../adapters/fs/atomic-file.ts';
import { NotFoundError } from '../../core/errors.ts';
import type { Home } from '../home.ts';
import { changePassphrase } from '../keychain/keychain.ts';
import type { Handlers } from './handlers.ts';

type SettingsChannel = Extract<keyof Handlers, `settings:${string}`>;

export function settingsHandlers({ home, version }: { home: Home; version: string }): Pick<Handlers, SettingsChannel> {
  const path = join(home.dir, 'ui.json');
  const settings = (): Settings => {
    let theme: Theme = 'system';
    try {
      const saved = JSON.parse(readFileSync(path, 'utf8')) as { theme?: unknown };
      if (saved.theme === 'light' || saved.theme === 'dark') theme = saved.theme;
    } catch {
      // No settings yet, or unreadable: the defaults.
    }
    return { theme, home: home.dir, version };
  };
  return {
    'settings:get': () => settings(),
    'settings:setTheme': ({ theme }) => {
      home.prepareFolder();
      writeFileAtomic(path, JSON.stringify({ theme }) + '\n');
      return settings();
    },
    'settings:changePassphrase': async ({ old, new: next }) => {
      if (!home.hasIdentity()) throw new NotFoundError('There is no identity here yet.');
      await changePassphrase(home, old, next);
      return { changed: true as const };
    },
  };
}
