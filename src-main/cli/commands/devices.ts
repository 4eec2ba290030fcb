// Device commands: device list, device add, device revoke (parsed here, done by app/sharing/devices.ts).
import { passphrase } from '../io.ts';
import { textOption, type Command } from '../command.ts';
import { MAX_LABEL_CHARS } from '../../../src-shared/rules/text.ts';
import { term } from '../terminal.ts';
import { openSession } from '../../app/session.ts';
import { addDevice, listDevices, revokeDevice } from '../../app/sharing/devices.ts';
import { pairingCode } from '../../../src-shared/rules/pairing.ts';

export const deviceList: Command = {
  name: 'device list',
  usage: 'defaust device list',
  summary: 'list the device keys certified for this identity',
  arity: [0, 0],
  async run(ctx) {
    const list = listDevices(openSession(ctx.home, await passphrase(ctx.env))).map((d) => ({
      device: d.device, label: d.label, added: new Date(d.addedAt).toISOString(), revoked: d.revokedSeq !== null, current: d.current,
    }));
    ctx.out.result(list, () => list.map((d) => term`${d.current ? '*' : ' '} ${d.device}  ${d.label || '(no label)'}  added ${d.added}${d.revoked ? '  REVOKED' : ''}${d.current ? `  pairing code ${pairingCode(d.device)}` : ''}`).join('\n'));
  },
};

export const deviceAdd: Command = {
  name: 'device add',
  usage: 'defaust device add <device-did> [--label NAME]',
  summary: "certify another device's key for this identity",
  options: { label: { type: 'string' } },
  arity: [1, 1],
  async run(ctx) {
    const block = addDevice(openSession(ctx.home, await passphrase(ctx.env)), ctx.positionals[0]!, textOption(ctx, 'label', MAX_LABEL_CHARS));
    ctx.out.result(block, () => term`certified ${ctx.positionals[0]} (block ${block.seq}); pairing code ${pairingCode(ctx.positionals[0]!)}: the new device shows the same under device list`);
  },
};

export const deviceRevoke: Command = {
  name: 'device revoke',
  usage: 'defaust device revoke <device-did>',
  summary: 'end a device key: what it signs afterwards no longer verifies',
  arity: [1, 1],
  async run(ctx) {
    const block = revokeDevice(openSession(ctx.home, await passphrase(ctx.env)), ctx.positionals[0]!);
    ctx.out.result(block, () => term`revoked ${ctx.positionals[0]} (block ${block.seq})`);
  },
};
