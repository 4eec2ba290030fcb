// The pairing code of a device key: twelve digits a person reads on the new device ("This device's id") and
// compares with the code the certifying device shows before it signs, so that pairing never rests on a
// pasted did alone. The digits come from the did's last nine base58 digits (about 52 bits of the key), so a
// look-alike key with the same code costs about 10^12 key generations.

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** `123 456 789 012` for a did written like a did:key (src-shared/rules/did.ts). */
export function pairingCode(did: string): string {
  let n = 0;
  // 58^9 < 2^53: the value stays an exact integer.
  for (const digit of did.slice(-9)) n = n * 58 + BASE58.indexOf(digit);
  const digits = String(n % 1e12).padStart(12, '0');
  return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6, 9)} ${digits.slice(9)}`;
}
