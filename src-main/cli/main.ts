// The `defaust` command line: finds the command, parses its options strictly, runs it over the home folder
// and turns every failure into one clear line and a non-zero exit code (2 for usage, 1 otherwise).
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { Home, resolveHomeDir } from '../app/home.ts';
import { DefaustError } from '../core/errors.ts';
import { errorFields } from '../core/log.ts';
import { makeOutput, UsageError } from './io.ts';
import { escapeControls } from './terminal.ts';
import type { Command } from './command.ts';
import { init, recover, whoami } from './commands/identity.ts';
import { append, log, set, show, unset, verify } from './commands/profile.ts';
import { attach, exportCommand, importCommand, mediaGet, mediaList } from './commands/files.ts';
import { grant, grants, read, revoke, sectionCreate } from './commands/access.ts';
import { approve, propose, reject, requestsImport, requestsList } from './commands/requests.ts';
import { deviceAdd, deviceList, deviceRevoke } from './commands/devices.ts';
import { audit, registryAdd, registryList, registryRevoke } from './commands/registry.ts';
import { proveAttributeCommand, verifyProof, verifyRequest } from './commands/proofs.ts';
import { attributeImport, attributeIssue, attributeList } from './commands/attribute.ts';
import { attestImport, attestRequest, attestSign, featClaim, featList, featStatus, proveFeatCommand, trustAdd, trustList, trustlistPublish, trustRootCommand, trustSync } from './commands/feats.ts';
import { serve } from './commands/serve.ts';
import { evidenceImport, honor, review } from './commands/honor.ts';
import { mail, netLimits, netPeers, netStatus, publish } from './commands/net.ts';
import { NETWORK_COMMANDS } from './commands/network.ts';
import { contactsAdd, contactsEdit, contactsList, contactsRemove } from './commands/contacts.ts';
import {
  challengeAnswer, challengeBackCommand, challengeImport, challengeList, challengeResolve, challengeSend, duelAccept, duelImport, duelJudge, duelList, duelPropose, duelResolve,
} from './commands/challenges.ts';
import { keychainForget, keychainStatusCommand } from './commands/keychain.ts';
import { checkpointCommand, proveIncludedCommand, verifyInclusionCommand } from './commands/history.ts';
import { archiveMove, archiveStatus } from './commands/storage.ts';
import { badgeExport, badgeVerify } from './commands/badges.ts';
import { custodyImport, custodyList, custodyRelease, recoveryCombine, recoverySplit, recoveryStart } from './commands/recovery.ts';

export const COMMANDS: readonly Command[] = [
  init, recover, whoami, set, unset, append, show, log, verify, attach, mediaGet, mediaList, exportCommand, importCommand,
  sectionCreate, grant, grants, revoke, read, propose, requestsImport, requestsList, approve, reject,
  deviceList, deviceAdd, deviceRevoke, registryAdd, registryList, registryRevoke, audit,
  proveAttributeCommand, verifyProof, verifyRequest, featClaim, featList, featStatus, attestRequest, attestSign, attestImport,
  trustAdd, trustList, trustRootCommand, trustSync, trustlistPublish, proveFeatCommand, serve, netStatus, netPeers, netLimits, publish, mail,
  review, honor, evidenceImport,
  contactsList, contactsAdd, contactsEdit, contactsRemove,
  challengeSend, challengeList, challengeAnswer, challengeResolve, challengeImport, challengeBackCommand, duelPropose, duelAccept, duelJudge, duelResolve, duelImport, duelList,
  recoverySplit, custodyImport, custodyList, custodyRelease, recoveryStart, recoveryCombine,
  attributeIssue, attributeImport, attributeList,
  keychainStatusCommand, keychainForget,
  checkpointCommand, proveIncludedCommand, verifyInclusionCommand, archiveStatus, archiveMove,
  ...NETWORK_COMMANDS,
  badgeExport, badgeVerify,
];

const GLOBAL_OPTIONS: ParseArgsOptionsConfig = {
  home: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.usage.length));
  return [
    'defaust — your identity wallet on a peer-to-peer network',
    '',
    'Usage: defaust <command> [options]   (global: --home DIR, --json, --help)',
    '',
    ...COMMANDS.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'The home folder is --home, else DEFAUST_HOME, else ~/.defaust. The passphrase comes from',
    'DEFAUST_PASSPHRASE or a prompt.',
  ].join('\n');
}

/** Splits argv into the command's name and the rest. Global options may stand before the command. */
function findCommand(argv: string[]): { command: Command | undefined; rest: string[]; name: string | undefined } {
  const rest = [...argv];
  const words: number[] = [];
  for (let i = 0; i < rest.length && words.length < 2; i++) {
    const arg = rest[i]!;
    if (arg === '--home') i++;
    else if (!arg.startsWith('-')) words.push(i);
  }
  const first = words[0] === undefined ? undefined : rest[words[0]];
  const second = words[1] === undefined ? undefined : rest[words[1]];
  const two = COMMANDS.find((c) => c.name === `${first} ${second}`);
  if (two) {
    rest.splice(words[1]!, 1);
    rest.splice(words[0]!, 1);
    return { command: two, rest, name: two.name };
  }
  const one = COMMANDS.find((c) => c.name === first);
  if (one) rest.splice(words[0]!, 1);
  return { command: one, rest, name: first };
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const json = argv.includes('--json');
  const out = makeOutput(json);
  const { command, rest, name } = findCommand(argv);
  if (command === undefined) {
    if (name === undefined || name === 'help' || argv.includes('--help') || argv.includes('-h')) {
      process.stdout.write(help() + '\n');
      return name === undefined && !argv.includes('--help') && !argv.includes('-h') ? 2 : 0;
    }
    process.stderr.write(`defaust: unknown command '${escapeControls(name)}' (defaust --help lists them)\n`);
    return 2;
  }
  let home: Home | undefined;
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError((error as Error).message.split('\n')[0]!, command.usage);
    }
    if (parsed.values.help) {
      process.stdout.write(`usage: ${command.usage}\n${command.summary}\n`);
      return 0;
    }
    const [min, max] = command.arity;
    if (parsed.positionals.length < min || parsed.positionals.length > max) {
      throw new UsageError('wrong number of arguments', command.usage);
    }
    home = new Home(resolveHomeDir(parsed.values.home as string | undefined, env));
    const code = await command.run({ positionals: parsed.positionals, options: parsed.values, out, home, env });
    return code ?? 0;
  } catch (error) {
    // A home with an identity keeps the failure in its log too (a folder that is not a home yet is left untouched).
    if (home?.hasIdentity()) home.logger.info('command failed', { command: command.name, ...errorFields(error) });
    return report(error, json);
  } finally {
    home?.close();
  }
}

function report(error: unknown, json: boolean): number {
  const known = error instanceof DefaustError;
  const code = known ? error.code : 'internal';
  const message = known ? error.message : `internal error: ${(error as Error)?.message ?? String(error)}`;
  if (json) process.stdout.write(JSON.stringify({ ok: false, error: { code, message } }) + '\n');
  process.stderr.write(`defaust: ${escapeControls(message)}\n`);
  if (error instanceof UsageError && error.usage !== undefined) process.stderr.write(`usage: ${error.usage}\n`);
  if (!known && process.env.DEFAUST_DEBUG) process.stderr.write(`${(error as Error)?.stack}\n`);
  return error instanceof UsageError ? 2 : 1;
}
