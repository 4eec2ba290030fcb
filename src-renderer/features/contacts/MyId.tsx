// "My id": the full did of this identity (or of this device, for pairing), with Copy and a QR code, so that
// another person or device can take it without typing 56 characters.
import { CopyButton } from '../../ui/primitives.tsx';
import { QrCode } from './QrCode.tsx';

export function MyId({ did, title = 'My id', what = 'my id' }: { did: string; title?: string; what?: string }) {
  return (
    <section className="my-id stack" aria-label={title}>
      <h3>{title}</h3>
      <p className="mono small my-id-did" data-testid="my-id">{did}</p>
      <div className="row wrap">
        <CopyButton text={did} what={what} />
      </div>
      <QrCode text={did} label={`QR code of ${what}`} />
    </section>
  );
}
