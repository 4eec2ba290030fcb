// The few building blocks every screen uses: buttons, labelled fields, notes for errors and progress, a copy button.
import { useEffect, useId, useLayoutEffect, useRef, useState, type ButtonHTMLAttributes, type DragEvent, type FormEvent, type InputHTMLAttributes, type ReactNode, type Ref } from 'react';
import type { ApiError } from '../../src-preload/api/contract.ts';

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost';

export function Button({ variant = 'secondary', busy = false, children, ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; busy?: boolean; ref?: Ref<HTMLButtonElement> }) {
  return (
    <button type="button" {...rest} className={`btn btn-${variant} ${rest.className ?? ''}`} disabled={rest.disabled === true || busy} aria-busy={busy || undefined}>
      {busy ? <span className="spinner" aria-hidden="true" /> : null}
      {children}
    </button>
  );
}

export function TextField({ label, hint, error, ...input }: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: ReactNode; error?: string | null }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined} aria-invalid={error ? true : undefined} {...input} />
      {hint ? <p className="hint" id={hintId}>{hint}</p> : null}
      {error ? <p className="field-error" id={errorId}>{error}</p> : null}
    </div>
  );
}

/** Plain words for the failures a person meets most; other messages are shown as the wallet wrote them. */
const PLAIN: Record<string, string> = {
  'wrong-passphrase': 'That passphrase is not right. Check it and try again.',
  'invalid-mnemonic': 'These words are not a valid recovery phrase. Check each word and their order.',
  offline: 'DeFaust is not reachable. Is it still running?',
  internal: 'Something went wrong inside DeFaust. Nothing was changed.',
  'network/no-peers': 'No peer answered: this device could not reach anyone on the network. Check the connection, or use an archive file.',
  'invalid-did': 'That is not a DeFaust identity. An identity looks like did:key:z6Mk… — ask the person to copy theirs again.',
};

export function plainMessage(error: ApiError): string {
  const text = PLAIN[error.code] ?? error.message;
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/u.test(sentence) ? sentence : `${sentence}.`;
}

/** A failure in plain words; announced to screen readers. */
export function ErrorNote({ error }: { error: ApiError | null }) {
  if (error === null) return null;
  return (
    <div className="note note-error" role="alert">
      {plainMessage(error)}
    </div>
  );
}

/** A success in plain words; with `focus`, it takes the keyboard focus when shown (the result of an action). */
export function SuccessNote({ children, focus = false }: { children: ReactNode; focus?: boolean }) {
  const note = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focus) note.current?.focus();
  }, [focus]);
  return (
    <div ref={note} className="note note-success" role="status" tabIndex={focus ? -1 : undefined}>
      {children}
    </div>
  );
}

/** Progress for anything that takes a moment. */
export function Busy({ label }: { label: string }) {
  return (
    <div className="busy" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function Card({ title, actions, children, labelledBy }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; labelledBy?: string }) {
  const id = useId();
  return (
    <section className="card" aria-labelledby={title ? (labelledBy ?? id) : undefined}>
      {title || actions ? (
        <header className="card-header">
          {title ? <h2 id={labelledBy ?? id}>{title}</h2> : <span />}
          {actions}
        </header>
      ) : null}
      {children}
    </section>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <header className="page-header">
      <h1 tabIndex={-1} id="page-title">{title}</h1>
      {children ? <div className="page-header-extra">{children}</div> : null}
    </header>
  );
}

/**
 * A modal question with a plain statement of the consequences. The safe choice has the focus; Escape
 * cancels. Used before anything that cannot be undone (revoking access, a device, a service).
 */
export function ConfirmDialog({ title, children, confirmLabel, busy = false, variant = 'danger', signs = false, onConfirm, onCancel }: {
  title: string; children: ReactNode; confirmLabel: string; busy?: boolean; variant?: 'primary' | 'danger';
  /** The confirmation signs a block: marked so that a test can count dialogs against signatures. */
  signs?: boolean;
  onConfirm(): void; onCancel(): void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const id = useId();
  // A layout effect: its cleanup closes the dialog before React removes it from the page (removing an open
  // modal dialog sends the focus to the page body).
  useLayoutEffect(() => {
    const d = dialog.current;
    if (d !== null && !d.open) d.showModal();
    // Before a signature the safe choice has the focus, whatever else the dialog shows.
    if (signs) cancel.current?.focus();
    return () => {
      // Closing a modal dialog puts the focus back where it was opened, even when that element is gone (the
      // focus then falls to the page). A result that took the focus meanwhile keeps it.
      const kept = document.activeElement;
      d?.close();
      if (kept instanceof HTMLElement && kept.isConnected && d !== null && !d.contains(kept)) kept.focus();
    };
  }, [signs]);
  return (
    <dialog ref={dialog} className="confirm" data-signs={signs ? 'true' : undefined} aria-labelledby={`${id}-title`} aria-describedby={`${id}-body`} onClose={onCancel}>
      <h2 id={`${id}-title`}>{title}</h2>
      <div id={`${id}-body`} className="stack">{children}</div>
      <div className="row confirm-actions">
        <Button ref={cancel} onClick={onCancel} autoFocus disabled={busy}>Cancel</Button>
        <Button variant={variant} onClick={onConfirm} busy={busy}>{confirmLabel}</Button>
      </div>
    </dialog>
  );
}

/**
 * The dialog before a signature: exactly what will be signed, as facts (who, what, until when, the diff),
 * then "Sign" — with Cancel focused and Escape cancelling, like every ConfirmDialog.
 */
export function SignDialog({ title, facts, confirmLabel, busy = false, onConfirm, onCancel, children, signs = 'Confirming signs this, in your name, as a new block of your chain.' }: {
  title: string; facts: [string, ReactNode][]; confirmLabel: string; busy?: boolean; onConfirm(): void; onCancel(): void; children?: ReactNode;
  /** What confirming signs, in words (a block of the chain unless said otherwise). */
  signs?: string;
}) {
  return (
    <ConfirmDialog title={title} confirmLabel={confirmLabel} variant="primary" signs busy={busy} onConfirm={onConfirm} onCancel={onCancel}>
      <dl className="facts">
        {facts.map(([label, value]) => <div key={label} className="fact"><dt>{label}</dt><dd>{value}</dd></div>)}
      </dl>
      <p className="muted small">{signs}</p>
      {children}
    </ConfirmDialog>
  );
}

/**
 * A card with one file input and a submit button: checks the size before reading the file, hands its bytes
 * to `onBytes`, and clears the choice when that succeeds. `notes` shows the caller's error or success.
 */
export function FileForm({ title, id, label, hint, maxBytes, tooLarge, submitLabel, busy, onBytes, notes }: {
  title: string;
  id: string;
  label: string;
  hint: string;
  maxBytes: number;
  /** What to say when the chosen file is larger than `maxBytes`. */
  tooLarge: string;
  submitLabel: string;
  busy: boolean;
  onBytes: (bytes: Uint8Array) => Promise<boolean>;
  notes?: ReactNode;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (file === null) return;
    if (file.size > maxBytes) return setProblem(tooLarge);
    setProblem(null);
    if (await onBytes(new Uint8Array(await file.arrayBuffer()))) {
      setFile(null);
      if (input.current) input.current.value = '';
    }
  };
  return (
    <Card title={title}>
      <form className="stack" onSubmit={(e) => void submit(e)} noValidate aria-label={title}>
        <div className="field">
          <label htmlFor={id}>{label}</label>
          <input id={id} ref={input} type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} aria-describedby={`${id}-hint`} />
          <p className="hint" id={`${id}-hint`}>{hint}</p>
        </div>
        {problem ? <div className="note note-error" role="alert">{problem}</div> : null}
        {notes}
        <div className="row">
          <Button type="submit" variant="primary" disabled={file === null} busy={busy}>{submitLabel}</Button>
        </div>
      </form>
    </Card>
  );
}

/** A file to check on this device (a JSON proof unless `accept` says otherwise): dropped on the zone or chosen; the hint names the chosen file. */
export function FileDrop({ id, label, hint, file, onFile, accept = '.json,application/json' }: {
  id: string; label: string; hint: string; file: File | null; onFile: (file: File | null) => void;
  /** The file types the picker offers; null: any (the sealed documents people pass on have no extension). */
  accept?: string | null;
}) {
  const [over, setOver] = useState(false);
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const dropped = e.dataTransfer.files[0];
    if (dropped) onFile(dropped);
  };
  return (
    <div className={`dropzone${over ? ' dropzone-over' : ''}`} onDragOver={(e) => { e.preventDefault(); setOver(true); }} onDragLeave={() => setOver(false)} onDrop={drop}>
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <input id={id} type="file" accept={accept ?? undefined} onChange={(e) => onFile(e.target.files?.[0] ?? null)} aria-describedby={`${id}-hint`} />
        <p className="hint" id={`${id}-hint`}>{file ? `Chosen: ${file.name}` : hint}</p>
      </div>
    </div>
  );
}

/** Copies `text` to the clipboard, and says so (or how to copy by hand when the clipboard is refused). */
export function CopyButton({ text, what }: { text: string; what: string }) {
  const [state, setState] = useState<'copied' | 'failed' | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (timer.current !== null) clearTimeout(timer.current);
  }, []);
  const copy = async () => {
    // No clipboard outside a secure context, or permission refused: say how to do it by hand.
    const ok = await Promise.resolve().then(() => navigator.clipboard.writeText(text)).then(() => true, () => false);
    setState(ok ? 'copied' : 'failed');
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = setTimeout(() => setState(null), 2500);
  };
  return (
    <span className="copy-inline">
      <Button variant="ghost" onClick={() => void copy()} aria-label={`Copy ${what}`}>Copy</Button>
      <span role="status" className="small muted copy-note">{state === 'copied' ? 'Copied.' : state === 'failed' ? 'Could not copy: select it and copy it by hand.' : ''}</span>
    </span>
  );
}
