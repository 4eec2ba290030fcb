// The sign-in of a browser tab that was opened without the headless node's link (a second tab, a bookmark):
// the wallet's passphrase gets this tab the node's token; then the page starts over with it.
import { useState, type FormEvent } from 'react';
import type { ApiError } from '../../../src-preload/api/contract.ts';
import { signIn } from '../../lib/api.ts';
import { Busy, Button, ErrorNote, TextField } from '../../ui/primitives.tsx';
import { Frame } from './Onboarding.tsx';

export function SignIn() {
  const [pass, setPass] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (pass.length === 0 || busy) return;
    setBusy(true);
    void signIn(pass).then((refused) => {
      if (refused === null) {
        window.location.reload();
        return;
      }
      setBusy(false);
      setPass('');
      setError(refused);
    });
  };
  return (
    <Frame title="Sign in to DeFaust" lead="This tab was opened without the link DeFaust printed in its terminal. Your passphrase lets it in; it is checked here, on this device, and sent nowhere else.">
      <form onSubmit={submit} className="stack" noValidate>
        <TextField label="Passphrase" type="password" autoComplete="current-password" value={pass} onChange={(e) => setPass(e.target.value)} autoFocus />
        <ErrorNote error={error} />
        {busy ? <Busy label="Checking…" /> : null}
        <div className="row">
          <Button type="submit" variant="primary" disabled={pass.length === 0} busy={busy}>Sign in</Button>
        </div>
      </form>
    </Frame>
  );
}
