// Numbered schema migrations, applied in order inside one transaction each; `PRAGMA user_version` records
// the last one applied. Each migration has its own test on an in-memory database.
import type Database from 'better-sqlite3';
import { DefaustError } from '../../../core/errors.ts';
import type { Migration } from './migration.ts';
import { migration001Chain } from './001-chain.ts';
import { migration002MediaSnapshots } from './002-media-snapshots.ts';
import { migration003Requests } from './003-requests.ts';
import { migration004Audit } from './004-audit.ts';
import { migration005Mailbox } from './005-mailbox.ts';
import { migration006WitnessLog } from './006-witness-log.ts';
import { migration007ReceivedMail } from './007-received-mail.ts';
import { migration008ChainBytes } from './008-chain-bytes.ts';
import { migration009Nonces } from './009-nonces.ts';
import { migration010Evidence } from './010-evidence.ts';
import { migration011NodeState } from './011-node-state.ts';
import { migration012Contacts } from './012-contacts.ts';
import { migration013AttributeCredentials } from './013-attribute-credentials.ts';
import { migration014Custody } from './014-custody.ts';
import { migration015SignedAudit } from './015-signed-audit.ts';
import { migration016PeerInteractions } from './016-peer-interactions.ts';
import { migration017ArchiveSegments } from './017-archive-segments.ts';

export const MIGRATIONS: readonly Migration[] = [
  migration001Chain, migration002MediaSnapshots, migration003Requests, migration004Audit, migration005Mailbox, migration006WitnessLog, migration007ReceivedMail,
  migration008ChainBytes, migration009Nonces, migration010Evidence, migration011NodeState, migration012Contacts, migration013AttributeCredentials, migration014Custody,
  migration015SignedAudit, migration016PeerInteractions, migration017ArchiveSegments,
];

/** The schema version a fully migrated database has: the last migration's number. */
export const LATEST_SCHEMA = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export class SchemaTooNewError extends DefaustError {
  override name = 'SchemaTooNewError';
  constructor(message: string) {
    super('schema-too-new', message);
  }
}

/** Brings `db` to `target` (default: the latest); refuses a database written by a newer DeFaust. */
export function migrate(db: Database.Database, target = LATEST_SCHEMA): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > LATEST_SCHEMA) {
    throw new SchemaTooNewError(`this data folder was written by a newer DeFaust (schema ${current}, this one knows ${LATEST_SCHEMA})`);
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current || migration.version > target) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
}
