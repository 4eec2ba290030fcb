// Devices (DESIGN §2): each device or client has its own key, certified by a `device-add` block signed by
// the identity key and ended by `device-revoke`; a revoked device's later blocks fail verification.
import type { Header } from '../chain/header.ts';
import { deviceOf } from '../chain/meta.ts';
import type { BlockSummary, BodyOps, ChainFold, ChainWriter } from '../chain/writer.ts';
import { checkSize, InvalidInputError, NotFoundError } from '../errors.ts';
import { MAX_LABEL_CHARS } from '../../../src-shared/rules/text.ts';
import { assertDid, type Did } from '../identity/did.ts';

export interface DeviceView {
  device: Did;
  label: string;
  addedAt: number;
  addedSeq: number;
  revokedSeq: number | null;
  current: boolean;
}

export class DeviceBook implements ChainFold {
  readonly name = 'devices';
  private devices: Omit<DeviceView, 'current'>[] = [];

  list(): Omit<DeviceView, 'current'>[] {
    return this.devices.map((d) => ({ ...d }));
  }

  fold(header: Header, _bodyOps: BodyOps): void {
    if (header.kind === 'device-add') {
      const device = deviceOf(header);
      if (!this.devices.some((d) => d.device === device)) {
        const label = typeof header.meta.label === 'string' ? header.meta.label.slice(0, MAX_LABEL_CHARS) : '';
        this.devices.push({ device, label, addedAt: header.ts, addedSeq: header.seq, revokedSeq: null });
      }
    } else if (header.kind === 'device-revoke') {
      const found = this.devices.find((d) => d.device === deviceOf(header));
      if (found && found.revokedSeq === null) found.revokedSeq = header.seq;
    }
  }

  snapshot(): unknown {
    return this.devices;
  }

  restore(value: unknown): void {
    this.devices = value as Omit<DeviceView, 'current'>[];
  }

  reset(): void {
    this.devices = [];
  }
}

export class Devices {
  private readonly writer: ChainWriter;
  private readonly book: DeviceBook;

  constructor(writer: ChainWriter, book: DeviceBook) {
    this.writer = writer;
    this.book = book;
  }

  list(): DeviceView[] {
    return this.book.list().map((d) => ({ ...d, current: d.device === this.writer.device }));
  }

  /** Certifies another device's key (signed by the identity key). */
  add(device: Did, label = ''): BlockSummary {
    assertDid(device);
    checkSize('device label', label.length, MAX_LABEL_CHARS, 'characters');
    const known = this.book.list().find((d) => d.device === device);
    if (known) throw new InvalidInputError(known.revokedSeq === null ? `${device} is already a device of this identity` : `${device} was revoked; a revoked key cannot come back`);
    return this.writer.commit(() => [this.writer.stage('device-add', { meta: { device, label }, signer: 'identity' })]);
  }

  /** Ends a device: its blocks after this one no longer verify. */
  revoke(device: Did): BlockSummary {
    const known = this.book.list().find((d) => d.device === device && d.revokedSeq === null);
    if (!known) throw new NotFoundError(`${device} is not a live device of this identity`);
    if (device === this.writer.device) throw new InvalidInputError('this is the device you are using; revoke it from another device');
    return this.writer.commit(() => [this.writer.stage('device-revoke', { meta: { device }, signer: 'identity' })]);
  }
}
