// The limits of a home's peer node a person may change from the Network screen: the editable set (the
// contract's schema), the view of the node's current limits, and `network.json` in the home where they are
// saved and read back at the next start. The other limits are fixed when the node starts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { editableLimitsRequestSchema } from '../../../src-preload/api/contract.ts';
import type { DefaustNode, DefaustNodeLimits } from '../../adapters/p2p/node.ts';
import { writeFileAtomic } from '../../adapters/fs/atomic-file.ts';
import { errorFields } from '../../core/log.ts';
import type { Home } from '../home.ts';

/** The limits a person may change from the Network screen (the contract's schema); the rest are fixed at start. */
export type EditableLimits = z.output<typeof editableLimitsRequestSchema>;

export type LimitsView = Pick<DefaustNodeLimits, 'quotaBytes' | 'replicaStorageBytes' | 'minFreeDiskBytes' | 'bandwidthInPerMinute' | 'bandwidthOutPerMinute' | 'maxConnections' | 'maxConcurrentSessions' | 'maxFrameBytes'> & {
  /** Bytes of mail kept for everyone together. */
  mailboxBytes: number;
};

const LIMITS_FILE = 'network.json';

/** The node's limits as the Network screen shows them. */
export function limitsView(node: DefaustNode): LimitsView {
  const l = node.limits;
  return {
    quotaBytes: l.quotaBytes, replicaStorageBytes: l.replicaStorageBytes, minFreeDiskBytes: l.minFreeDiskBytes, bandwidthInPerMinute: l.bandwidthInPerMinute, bandwidthOutPerMinute: l.bandwidthOutPerMinute,
    maxConnections: l.maxConnections, maxConcurrentSessions: l.maxConcurrentSessions, maxFrameBytes: l.maxFrameBytes, mailboxBytes: node.mailbox?.limits.totalBytes ?? 0,
  };
}

/**
 * The limits saved in a home (validated). No file gives the defaults; an unreadable or invalid one gives them
 * too, is told to the home's log, and is overwritten on the next save.
 */
export function savedLimits(home: Home): EditableLimits {
  let text: string;
  try {
    text = readFileSync(join(home.dir, LIMITS_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') home.logger.warn('saved limits unreadable', { file: LIMITS_FILE, ...errorFields(error) });
    return {};
  }
  try {
    const parsed = editableLimitsRequestSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    home.logger.warn('saved limits unreadable', { file: LIMITS_FILE, code: 'invalid-input', error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
  } catch (error) {
    home.logger.warn('saved limits unreadable', { file: LIMITS_FILE, ...errorFields(error) });
  }
  return {};
}

/** The node's own limits out of saved or given ones (the mailbox's are set apart). */
export function nodeLimitsOf(limits: EditableLimits & Partial<DefaustNodeLimits>): Partial<DefaustNodeLimits> {
  const { mailboxBytes: _mailbox, ...rest } = limits;
  return rest;
}

/** Changes the editable limits, saves them in the home and applies them to `node` (connections: at the next start). */
export function applyLimits(home: Home, node: DefaustNode, patch: EditableLimits): LimitsView {
  const checked = editableLimitsRequestSchema.parse(patch);
  const saved = { ...savedLimits(home), ...checked };
  writeFileAtomic(join(home.dir, LIMITS_FILE), JSON.stringify(saved, null, 2) + '\n');
  const { mailboxBytes, ...nodeLimits } = checked;
  Object.assign(node.limits, nodeLimits);
  if (mailboxBytes !== undefined) node.mailbox?.setLimits({ totalBytes: mailboxBytes });
  node.traffic.setCaps(node.limits);
  return limitsView(node);
}
