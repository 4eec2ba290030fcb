// The logger port: where background failures (publish, repair, republish, mail fetches, timers) are told
// instead of being swallowed. The composition root builds the real one (a rotating file in the home);
// tests inject an in-memory one. Entries carry an event name and plain fields, never keys or decrypted values.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Plain context of an entry: codes, counts, ids; never a key, a mnemonic, a passphrase or a decrypted value. */
export type LogFields = Readonly<Record<string, string | number | boolean | null>>;

/** One logger, four levels; `event` is a short stable name such as `publish failed`. */
export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

/** An error as log fields: its stable `code` (`internal` when it has none) and its message. */
export function errorFields(error: unknown): LogFields {
  const code = typeof (error as { code?: unknown } | null)?.code === 'string' ? (error as { code: string }).code : 'internal';
  return { code, error: error instanceof Error ? error.message : String(error) };
}
