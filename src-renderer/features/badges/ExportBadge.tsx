// "Export as Open Badge" on a feat card: the badge is previewed unsigned, the SignDialog shows what will be
// signed (the endorsers it names, the exact JSON) with the plain warning that a badge names its endorsers,
// unlike a proof; confirming signs it with the identity key and offers the file.
import { useStore } from 'zustand';
import type { FeatView } from '../../../src-preload/api/contract.ts';
import { badgesStore } from '../../app/stores.ts';
import { saveDownload } from '../../lib/download.ts';
import { formatTime } from '../../lib/format.ts';
import { Button, ErrorNote, SignDialog, SuccessNote } from '../../ui/primitives.tsx';
import { Person } from '../contacts/Person.tsx';

export function ExportBadge({ feat }: { feat: FeatView }) {
  const { preview, exported, busy, error, previewBadge, exportBadge, cancel } = useStore(badgesStore);
  const mine = preview?.claim === feat.cid ? preview : null;
  const made = exported?.claim === feat.cid ? exported : null;
  const failed = error?.claim === feat.cid ? error.error : null;
  const refuted = feat.status.refuted !== undefined;
  const ready = feat.status.met && !refuted;
  const sign = async () => {
    const file = await exportBadge();
    if (file !== null) saveDownload(file, 'application/json');
  };
  return (
    <section className="stack sub" aria-label={`Open Badge for “${feat.title}”`}>
      <h4>Share it as an Open Badge</h4>
      <p className="muted">
        An Open Badge (Open Badges 3.0, a W3C Verifiable Credential) is a file other badge wallets and sites can read. You sign it; it carries the
        signatures of the witnesses who said yes, so it <strong>names them</strong> — a proof does not say who.
      </p>
      {refuted ? <p className="note note-warning">This feat was refuted by a challenge you lost, so no badge is made for it. Badges made before show as revoked to anyone who checks them against your chain.</p> : null}
      {!refuted && !feat.status.met ? <p className="muted small">It can be exported once the feat is confirmed ({feat.status.have} of {feat.status.need} so far).</p> : null}
      {failed !== null ? <ErrorNote error={failed} /> : null}
      <div className="row">
        <Button onClick={() => void previewBadge(feat.cid)} disabled={!ready || busy !== null} busy={busy === 'preview' && mine === null}>Export as Open Badge</Button>
        {made !== null ? <Button onClick={() => saveDownload(made.file, 'application/json')}>Download the badge again</Button> : null}
      </div>
      {made !== null ? <SuccessNote>The badge is signed and saved as {made.file.name}. Anyone can check it with DeFaust’s Verify screen or <code>defaust badge verify</code>.</SuccessNote> : null}
      {mine !== null ? (
        <SignDialog title="Sign this Open Badge?" confirmLabel="Sign badge" busy={busy === 'export'} onConfirm={() => void sign()} onCancel={cancel}
          signs="Confirming signs this badge with your identity key (Ed25519, eddsa-jcs-2022). Nothing is written to your chain; the file is yours to hand out."
          facts={[
            ['Feat', feat.title],
            ['Issued by', 'you (your identity)'],
            ['Names', mine.endorsers.length === 0 ? 'nobody' : <>{mine.endorsers.map((d) => <span key={d} className="row"><Person did={d} add={false} /> <span className="mono small break">{d}</span></span>)}</>],
            ['Valid from', formatTime(mine.validFrom)],
          ]}>
          <p className="note note-warning">A badge reveals its endorsers: whoever you give it to sees who confirmed this feat, and can show it on. A zero-knowledge proof shows the same without naming them.</p>
          <details>
            <summary>Exactly what will be signed</summary>
            <pre className="mono signed-json" data-testid="badge-json">{mine.unsigned}</pre>
          </details>
        </SignDialog>
      ) : null}
    </section>
  );
}
