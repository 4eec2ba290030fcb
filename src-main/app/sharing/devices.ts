// The device keys certified for this identity, written once for every face: list, certify another, end one.
import type { BlockSummary } from '../../core/chain/writer.ts';
import type { DeviceView } from '../../core/devices/devices.ts';
import type { Did } from '../../core/identity/did.ts';
import type { Session } from '../session.ts';

/** The device keys certified for this identity, the current one marked. */
export function listDevices(session: Session): DeviceView[] {
  return session.profile.devices.list();
}

/** Certifies another device's key for this identity. */
export function addDevice(session: Session, device: Did, label?: string): BlockSummary {
  return session.profile.devices.add(device, label);
}

/** Ends a device key: what it signs afterwards no longer verifies. */
export function revokeDevice(session: Session, device: Did): BlockSummary {
  return session.profile.devices.revoke(device);
}
