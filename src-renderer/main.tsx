// Entry point of the renderer: mounts the app, or the sign-in when a browser tab has no token yet. No inline
// script or style anywhere (strict CSP).
import { StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { ErrorBoundary } from './app/ErrorBoundary.tsx';
import { SignIn } from './features/session/SignIn.tsx';
import { hasAccess } from './lib/api.ts';
import { Busy } from './ui/primitives.tsx';
import './styles.css';

const root = document.getElementById('root');
if (root !== null) {
  createRoot(root).render(
    <StrictMode>
      <ErrorBoundary>
        <Suspense fallback={<Busy label="Loading…" />}>
          {hasAccess() ? <App /> : <SignIn />}
        </Suspense>
      </ErrorBoundary>
    </StrictMode>,
  );
}
