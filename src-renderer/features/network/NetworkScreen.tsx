// Network: this device's peer node (running or why not, peer id, addresses, connections, routing table), the
// replicas of my archive and their health with "Publish now", what this device stores for others against
// its limit, usage over time as small charts, the editable limits, the connected peers, and the private
// networks of this home (NetworksCard.tsx). The browser has no push events, so the screen asks for the status
// every few seconds while it is shown.
import { useEffect, useId, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { NetStatus, PeerView } from '../../../src-preload/api/contract.ts';
import { networkStore } from '../../app/stores.ts';
import { formatTime, shortId } from '../../lib/format.ts';
import { Busy, Button, Card, CopyButton, ErrorNote, PageHeader } from '../../ui/primitives.tsx';
import { LimitsForm } from './LimitsForm.tsx';
import { NetworksCard } from './NetworksCard.tsx';
import type { PublishReport } from './store.ts';
import { elapsedWords } from '../import/stages.ts';
import { UsageChart } from './UsageChart.tsx';
import { KIB, formatDuration, formatShare, formatSize, replicaHealth, replicaState, sampleInterval, shortPeer, type Owner, type ReplicaState } from './model.ts';

/** How often the screen asks for the status while it is visible. */
export const POLL_MS = 3000;
/**
 * Polling stops this long after the last key press or pointer move: every call counts as activity for the
 * wallet's idle lock, and a screen left open must not keep the wallet unlocked for ever.
 */
export const POLL_WHILE_AWAY_MS = 5 * 60_000;
const INPUT_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;

/** Polls `load` while the tab is visible and someone is there; returns whether polling is paused. */
function usePolling(load: () => Promise<void>): boolean {
  const [paused, setPaused] = useState(false);
  useEffect(() => {
    let lastInput = Date.now();
    let away = false;
    const tick = () => {
      if (document.visibilityState !== 'visible') return;
      away = Date.now() - lastInput > POLL_WHILE_AWAY_MS;
      setPaused(away);
      if (!away) void load();
    };
    const onInput = () => {
      lastInput = Date.now();
      if (away) tick();
    };
    tick();
    const timer = setInterval(tick, POLL_MS);
    document.addEventListener('visibilitychange', tick);
    for (const name of INPUT_EVENTS) document.addEventListener(name, onInput, { passive: true });
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', tick);
      for (const name of INPUT_EVENTS) document.removeEventListener(name, onInput);
    };
  }, [load]);
  return paused;
}

function NodeCard({ running, reason, status }: { running: boolean; reason: string | null; status: NetStatus | null }) {
  if (!running || status === null) {
    return (
      <Card title="This device on the network">
        <p><span className="mark mark-unknown">Not running</span></p>
        <p className="note note-warning">{reason ?? 'The peer node is not running.'} Your wallet works without it; nothing is copied to other peers meanwhile.</p>
      </Card>
    );
  }
  const refused = Object.entries(status.rejections).filter(([, n]) => n > 0);
  return (
    <Card title="This device on the network">
      <dl className="facts">
        <dt>Node</dt>
        <dd><span className="mark mark-ok">Running</span></dd>
        <dt>Peer id</dt>
        <dd className="peer-id-row"><span className="mono break">{status.peerId}</span><CopyButton text={status.peerId} what="peer id" /></dd>
        <dt>Addresses</dt>
        <dd>
          {status.addrs.length === 0 ? <span className="muted">None: other peers cannot dial this device.</span> : (
            <ul className="plain addr-list">{status.addrs.map((a) => <li key={a} className="mono break small">{a}</li>)}</ul>
          )}
        </dd>
        <dt>Connections</dt>
        <dd className="num">{status.connections} open</dd>
        <dt>Routing table</dt>
        <dd className="num">{status.routingTable} {status.routingTable === 1 ? 'peer' : 'peers'} known in the DHT</dd>
        {refused.length > 0 ? (
          <>
            <dt>Refused</dt>
            <dd className="small">{refused.map(([rule, n]) => `${rule} × ${n}`).join(', ')}</dd>
          </>
        ) : null}
      </dl>
    </Card>
  );
}

const STATE_LABEL: Record<ReplicaState, string> = { current: 'Up to date', behind: 'Behind', gone: 'Gone' };
const STATE_MARK: Record<ReplicaState, string> = { current: 'mark-ok', behind: 'mark-warn', gone: 'mark-bad' };

function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return <span>{elapsedWords(now - since)} so far.</span>;
}

function PublishResult({ report }: { report: PublishReport }) {
  const good = report.replicas.length > 0 && report.failures.length === 0;
  return (
    <div className={`note ${good ? 'note-success' : 'note-warning'}`} role="status">
      <p>
        Published up to block #{report.seq}. The head record was accepted by {report.recordPeers} {report.recordPeers === 1 ? 'peer' : 'peers'};{' '}
        {report.replicas.length === 0 ? 'no peer took a copy of your archive.' : `${report.replicas.length} ${report.replicas.length === 1 ? 'replica holds' : 'replicas hold'} your archive.`}
      </p>
      {report.rebased === null ? null : (
        <p>
          Another of your devices had published first. Its {report.rebased.taken} {report.rebased.taken === 1 ? 'block was' : 'blocks were'} taken in from #{report.rebased.fork},
          and this device's {report.rebased.replayed} {report.rebased.replayed === 1 ? 'change was' : 'changes were'} signed again after them: one history, no fork.
        </p>
      )}
      {report.failures.length > 0 ? (
        <ul className="failures">
          {report.failures.map((f, i) => <li key={`${f.peer} ${i}`}><span className="mono" title={f.peer}>{shortPeer(f.peer)}</span>: {f.message}</li>)}
        </ul>
      ) : null}
    </div>
  );
}

function ArchiveCard({ owner, peers }: { owner: Owner; peers: PeerView[] }) {
  const { busy, error, failed, published, publish, publishStartedAt, stoppedWaiting, stopWaiting } = useStore(networkStore);
  const health = replicaHealth(owner);
  const connected = new Set(peers.map((p) => p.peerId));
  const unpublished = owner.publishedSeq !== null && owner.publishedSeq < owner.length - 1;
  const actions = useRef<HTMLSpanElement>(null);
  const run = async () => {
    await publish();
    // The button is disabled while it works, which drops the keyboard focus: give it back.
    if (document.activeElement === document.body) actions.current?.querySelector('button')?.focus();
  };
  return (
    <Card title="My archive" actions={<span ref={actions}><Button variant="primary" busy={busy === 'publish'} onClick={() => void run()}>Publish now</Button></span>}>
      <p className={`health health-${health.tone}`}>{health.text}</p>
      <dl className="facts">
        <dt>Length</dt>
        <dd className="num">{owner.length} {owner.length === 1 ? 'block' : 'blocks'}{owner.length > 0 ? `, the latest is #${owner.length - 1}` : ''}</dd>
        <dt>Published</dt>
        <dd>
          {owner.publishedSeq === null || owner.publishedAt === null
            ? 'Not yet. DeFaust publishes a few seconds after each change, or now with “Publish now”.'
            : `Up to block #${owner.publishedSeq}, ${formatTime(owner.publishedAt)}${unpublished ? ' — your latest change goes out in a few seconds' : ''}`}
        </dd>
      </dl>
      {publishStartedAt !== null ? (
        <div className="stack" data-testid="publish-progress">
          <p className="busy" role="status"><span className="spinner" aria-hidden="true" />Publishing: signing your head record, finding the peers closest to your id and pushing your archive to them… <Elapsed since={publishStartedAt} /></p>
          <div className="row"><Button onClick={stopWaiting}>Stop waiting</Button></div>
        </div>
      ) : null}
      {stoppedWaiting ? <p className="muted" role="status">You stopped waiting. The node finishes this publish by itself; this card shows what it reached.</p> : null}
      {published !== null ? <PublishResult report={published} /> : null}
      {owner.publishFailure !== null && failed !== 'publish' ? (
        <div className="note note-warning" role="status">
          <p>Your latest changes were not published ({formatTime(owner.publishFailure.at)}): {owner.publishFailure.message}</p>
        </div>
      ) : null}
      {failed === 'publish' ? <ErrorNote error={error} /> : null}
      {owner.replicas.length === 0 ? (
        <p className="muted">No replica yet. Replicas are the {owner.wanted} peers closest to your identity on the network; each keeps an encrypted copy it cannot read.</p>
      ) : (
        <table className="listing">
          <caption>Replicas ({owner.replicas.length} of {owner.wanted} wanted)</caption>
          <thead><tr><th scope="col">Peer</th><th scope="col">Holds</th><th scope="col">State</th><th scope="col">Connected</th></tr></thead>
          <tbody>
            {owner.replicas.map((r) => {
              const state = replicaState(r, owner.length);
              return (
                <tr key={r.peer}>
                  <th scope="row" title={r.peer}>{shortPeer(r.peer)}</th>
                  <td className="num">{r.length} of {owner.length} blocks</td>
                  <td><span className={`mark ${STATE_MARK[state]}`}>{STATE_LABEL[state]}</span></td>
                  <td>{connected.has(r.peer) ? 'Yes' : 'No'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Card>
  );
}

function Meter({ value, max, label }: { value: number; max: number; label: string }) {
  const id = useId();
  const share = max > 0 ? Math.min(1, value / max) : value > 0 ? 1 : 0;
  return (
    <div className="usage-meter-wrap">
      <p id={id}>{label}</p>
      <div className="usage-meter" role="meter" aria-labelledby={id} aria-valuemin={0} aria-valuemax={max} aria-valuenow={Math.min(value, max)}
        aria-valuetext={`${formatSize(value)} of ${formatSize(max)}`}>
        <div className={`usage-meter-bar${share >= 0.9 ? ' usage-meter-high' : ''}`} style={{ width: value > 0 ? `max(3px, ${share * 100}%)` : '0' }} />
      </div>
    </div>
  );
}

function HostedCard({ status }: { status: NetStatus }) {
  const { hosted, usage, limits } = status;
  const mail = usage.mailbox;
  return (
    <Card title="What I store for others">
      <div className="meters">
        <Meter value={usage.hostedBytes} max={limits.replicaStorageBytes}
          label={`Archives: ${formatSize(usage.hostedBytes)} of ${formatSize(limits.replicaStorageBytes)} (${formatShare(usage.hostedBytes, limits.replicaStorageBytes)})`} />
        <Meter value={mail.bytes} max={limits.mailboxBytes}
          label={`Mail: ${mail.count} ${mail.count === 1 ? 'message' : 'messages'}, ${formatSize(mail.bytes)} of ${formatSize(limits.mailboxBytes)} (${formatShare(mail.bytes, limits.mailboxBytes)})`} />
      </div>
      {hosted.length === 0 ? <p className="muted">You keep no one else’s archive yet. Peers send you copies when your device is among the closest to their identity.</p> : (
        <table className="listing">
          <caption className="sr-only">Archives kept for others</caption>
          <thead><tr><th scope="col">Identity</th><th scope="col">Blocks</th><th scope="col">Size</th><th scope="col">Of the per-person limit</th></tr></thead>
          <tbody>
            {hosted.map((h) => (
              <tr key={h.id}>
                <th scope="row" title={h.id}>{shortId(h.id)}</th>
                <td className="num">{h.length}</td>
                <td className="num">{formatSize(h.bytes)}</td>
                <td className="num">{formatShare(h.bytes, limits.quotaBytes)} of {formatSize(limits.quotaBytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted small">Each copy and each message is encrypted: you keep it and pass it on, but cannot read it.</p>
    </Card>
  );
}

const capText = (cap: number) => (cap > 0 ? `${formatSize(cap)} per minute` : 'no cap');

function UsageCard({ status }: { status: NetStatus }) {
  const { samples, thisMinute, hostedBytes } = status.usage;
  const { limits } = status;
  const every = sampleInterval(samples);
  const span = samples.length >= 2 ? samples[samples.length - 1]!.ts - samples[0]!.ts : 0;
  const last = samples[samples.length - 1];
  const ins = samples.map((s) => s.in);
  const outs = samples.map((s) => s.out);
  const conns = samples.map((s) => s.connections);
  const hostedSeries = samples.map((s) => s.hostedBytes);
  const mailSeries = samples.map((s) => s.mailboxBytes);
  const period = formatDuration(every);
  const trafficSummary = `${last === undefined ? 'No sample yet.' : `Last ${period}: ${formatSize(last.in)} in, ${formatSize(last.out)} out; the most in ${period}: ${formatSize(Math.max(...ins))} in, ${formatSize(Math.max(...outs))} out.`}`
    + ` This minute: ${formatSize(thisMinute.in)} in (${capText(limits.bandwidthInPerMinute)}), ${formatSize(thisMinute.out)} out (${capText(limits.bandwidthOutPerMinute)}).`;
  const connSummary = `${status.connections} now${conns.length > 0 ? `; between ${Math.min(...conns)} and ${Math.max(...conns)} over the samples` : ''}; the limit is ${limits.maxConnections}.`;
  const hostedSummary = `${formatSize(hostedBytes)} of archives kept for others now, of ${formatSize(limits.replicaStorageBytes)} (${formatShare(hostedBytes, limits.replicaStorageBytes)}).`;
  const mail = status.usage.mailbox;
  const mailSummary = `${mail.count} ${mail.count === 1 ? 'message' : 'messages'} (${formatSize(mail.bytes)}) waiting for others now, of ${formatSize(limits.mailboxBytes)} (${formatShare(mail.bytes, limits.mailboxBytes)}).`;
  return (
    <Card title="Usage over time">
      <p className="muted small">One sample every {period}; the last hour is kept. Traffic counts DeFaust’s own exchanges (copies of archives, messages), not the DHT’s background chatter.</p>
      <div className="charts">
        <UsageChart title={`Traffic per ${period}`} series={[{ label: 'In', values: ins, style: 'a' }, { label: 'Out', values: outs, style: 'b' }]}
          limit={null} limitLabel="" least={KIB} format={formatSize} span={span} summary={trafficSummary} />
        <UsageChart title="Connections" series={[{ label: 'Connections', values: conns, style: 'a' }]}
          limit={limits.maxConnections} limitLabel={`Limit ${limits.maxConnections}`} least={4} format={(n) => String(Math.round(n))} span={span} summary={connSummary} />
        <UsageChart title="Archives kept for others" series={[{ label: 'Archives', values: hostedSeries, style: 'a', area: true }]}
          limit={limits.replicaStorageBytes} limitLabel={`Limit ${formatSize(limits.replicaStorageBytes)}`} least={KIB} format={formatSize} span={span} summary={hostedSummary} />
        <UsageChart title="Mail kept for others" series={[{ label: 'Mail', values: mailSeries, style: 'a', area: true }]}
          limit={limits.mailboxBytes} limitLabel={`Limit ${formatSize(limits.mailboxBytes)}`} least={KIB} format={formatSize} span={span} summary={mailSummary} />
      </div>
    </Card>
  );
}

function PeersCard({ peers }: { peers: PeerView[] }) {
  return (
    <Card title={`Peers (${peers.length})`}>
      {peers.length === 0 ? <p className="muted">Not connected to any peer. The node keeps trying its bootstrap peers and the local network.</p> : (
        <table className="listing">
          <caption className="sr-only">Connected peers</caption>
          <thead><tr><th scope="col">Peer</th><th scope="col">Direction</th><th scope="col">Address</th><th scope="col">Since</th></tr></thead>
          <tbody>
            {peers.map((p) => (
              <tr key={p.peerId}>
                <th scope="row" title={p.peerId}>{shortPeer(p.peerId)}</th>
                <td>{p.direction === 'inbound' ? 'They called' : 'We called'}</td>
                <td className="mono small break">{p.addrs[0]?.replace(`/p2p/${p.peerId}`, '') ?? '—'}{p.addrs.length > 1 ? ` (+${p.addrs.length - 1})` : ''}</td>
                <td>{new Date(p.since).toLocaleTimeString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

export function NetworkScreen() {
  const { running, reason, status, peers, updatedAt, error, failed, load } = useStore(networkStore);
  const paused = usePolling(load);
  return (
    <>
      <PageHeader title="Network">
        <p className="small muted updated">
          {updatedAt === null ? '' : `Updated ${new Date(updatedAt).toLocaleTimeString()}`}
          {paused ? ' · paused while you are away (move the mouse or press a key)' : ''}
        </p>
      </PageHeader>
      {failed === 'load' ? <ErrorNote error={error} /> : null}
      {running === null ? <Busy label="Asking the node…" /> : (
        <>
          <NodeCard running={running} reason={reason} status={status} />
          {running && status !== null ? (
            <>
              {status.owner !== null ? <ArchiveCard owner={status.owner} peers={peers} /> : null}
              <HostedCard status={status} />
              <UsageCard status={status} />
              <Card title="Limits">
                <p className="muted">What this device gives the network. Saved on this device and used at once, except the number of connections.</p>
                <LimitsForm limits={status.limits} />
              </Card>
              <PeersCard peers={peers} />
            </>
          ) : null}
          <NetworksCard />
        </>
      )}
    </>
  );
}
