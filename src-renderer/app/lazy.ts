// The timeline is the heaviest screen; it is its own chunk, loaded when first opened.
import { lazy } from 'react';

export const ChainScreenLazy = lazy(() => import('../features/chain/TimelineScreen.tsx').then((m) => ({ default: m.TimelineScreen })));
