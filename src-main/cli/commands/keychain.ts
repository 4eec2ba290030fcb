// Keychain commands: what the OS keychain keeps for this home, and forgetting it. The command line runs under
// plain Node, which has no keychain: it cannot remember a key, but it can see and remove the one the desktop
// app remembered on this device (for instance after the machine was shared or lost sight of).
import { existsSync } from 'node:fs';
import { forgetOnThisDevice, keychainStatus } from '../../app/keychain/keychain.ts';
import type { Command } from '../command.ts';

export const keychainStatusCommand: Command = {
  name: 'keychain status',
  usage: 'defaust keychain status',
  summary: 'whether the desktop app keeps this wallet’s key in the OS keychain on this device',
  arity: [0, 0],
  run(ctx) {
    ctx.home.requireIdentity();
    const kept = existsSync(ctx.home.rememberedKey.path);
    const status = keychainStatus(ctx.home);
    ctx.out.result({ ...status, file: kept }, () => (kept
      ? 'The desktop app keeps this wallet’s key in the OS keychain on this device; `defaust keychain forget` removes it.'
      : 'No key is kept in the OS keychain for this home: the passphrase unlocks it.'));
  },
};

export const keychainForget: Command = {
  name: 'keychain forget',
  usage: 'defaust keychain forget',
  summary: 'remove the key the desktop app keeps in the OS keychain for this home (the passphrase is needed again)',
  arity: [0, 0],
  run(ctx) {
    ctx.home.requireIdentity();
    const kept = existsSync(ctx.home.rememberedKey.path);
    forgetOnThisDevice(ctx.home);
    ctx.out.result({ forgotten: kept }, () => (kept ? 'Forgotten: the desktop app will ask for the passphrase.' : 'Nothing was kept for this home.'));
  },
};
