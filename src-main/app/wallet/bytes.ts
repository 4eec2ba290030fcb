// Bytes across the wallet API: base64 in JSON (the HTTP API), Uint8Array as is (Electron's IPC).
export const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
export const fromBytes = (value: string | Uint8Array): Uint8Array => (typeof value === 'string' ? new Uint8Array(Buffer.from(value, 'base64')) : value);
