// The in-memory twin of the file logger: keeps every entry in order, for tests to read.
import type { LogFields, Logger, LogLevel } from '../../core/log.ts';

export interface LogEntry {
  level: LogLevel;
  event: string;
  fields: LogFields;
}

export class MemoryLogger implements Logger {
  readonly entries: LogEntry[] = [];
  debug(event: string, fields: LogFields = {}): void {
    this.entries.push({ level: 'debug', event, fields });
  }
  info(event: string, fields: LogFields = {}): void {
    this.entries.push({ level: 'info', event, fields });
  }
  warn(event: string, fields: LogFields = {}): void {
    this.entries.push({ level: 'warn', event, fields });
  }
  error(event: string, fields: LogFields = {}): void {
    this.entries.push({ level: 'error', event, fields });
  }
}
