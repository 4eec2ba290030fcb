// The unlock screen's keychain parts: "Unlock with this computer's keychain" where it keeps the key, the
// choice to keep it where a real keychain exists, and, on Linux without one (basic_text), the one sentence
// that says why the passphrase is needed every time. Nothing shows where there is no keychain (a browser tab).
import { useEffect } from 'react';
import { useStore } from 'zustand';
import { keychainStore } from '../../app/stores.ts';
import { Button, ErrorNote } from '../../ui/primitives.tsx';

export const BASIC_TEXT_SENTENCE = 'This computer has no system keychain DeFaust can trust (Linux’s basic text store), so your passphrase is needed every time you unlock.';

/** Loads the keychain's state once for the unlock screen. */
export function useKeychain() {
  const state = useStore(keychainStore);
  useEffect(() => void keychainStore.getState().load(), []);
  return state;
}

/** Above the passphrase: the keychain unlock, or why there is none. */
export function KeychainUnlock() {
  const { status, busy, error, unlock, forget } = useKeychain();
  if (status?.state === 'basic-text') return <p className="note" role="note">{BASIC_TEXT_SENTENCE}</p>;
  if (status?.state !== 'ready' || !status.remembered) return error === null ? null : <ErrorNote error={error} />;
  return (
    <div className="stack">
      <div className="row">
        <Button variant="primary" busy={busy} onClick={() => void unlock()}>Unlock with this computer’s keychain</Button>
        <Button variant="ghost" onClick={() => void forget()}>Forget it on this computer</Button>
      </div>
      <ErrorNote error={error} />
      <p className="muted small">Or use your passphrase:</p>
    </div>
  );
}

/** Beside the passphrase, where a real keychain exists and keeps nothing yet: whether to keep the key. */
export function RememberChoice({ checked, onChange }: { checked: boolean; onChange(checked: boolean): void }) {
  const status = useStore(keychainStore, (s) => s.status);
  if (status?.state !== 'ready' || status.remembered) return null;
  return (
    <label className="check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} /> Remember on this computer: the system keychain keeps the key, for this user only
    </label>
  );
}
