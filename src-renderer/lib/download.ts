// Saving a file the wallet made (an archive, a reply to a change request): a blob: link clicked once.
import type { Download } from '../../src-preload/api/contract.ts';
import { fromBase64 } from './api.ts';
import { parseDate } from '../../src-shared/rules/time.ts';

export function saveDownload(file: Download, type = 'application/octet-stream'): void {
  const url = URL.createObjectURL(new Blob([fromBase64(file.bytes) as Uint8Array<ArrayBuffer>], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Saves text the wallet made (an inclusion bundle) under `name`. */
export function saveText(name: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** `2030-01-31` from an `<input type="date">` → that day's start in UTC, as the CLI reads `--until 2030-01-31`. */
export function dateInputToMs(value: string): number | null {
  return /^\d{4}-\d{2}-\d{2}$/u.test(value) ? parseDate(value) : null;
}
