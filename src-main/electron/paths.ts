// Every file and folder the Electron main process loads, forks or serves, from where its bundle is
// (dist/electron/main.cjs, inside app.asar when packaged). One function, so main.ts and the packaging test
// (test/packaging.test.ts, which checks each of these exists in the built output) agree.
import { join } from 'node:path';

export interface MainProcessPaths {
  /** The renderer's built files, served on app:// (dist/renderer). */
  renderer: string;
  /** The sandboxed preload script. */
  preload: string;
  /** The proving process's bundle, forked with utilityProcess. */
  zkWorker: string;
  /** The signature worker threads' bundle (adapters/fs/sibling-module.ts finds it beside main.cjs). */
  verifyWorker: string;
  /** The circuits folder with artifacts.lock.json: extra resources when packaged, the checkout's otherwise. */
  circuits: string;
}

/** `here`: the folder of main.cjs; `resourcesPath`: process.resourcesPath, used only when packaged. */
export function mainProcessPaths(here: string, packaged: boolean, resourcesPath: string): MainProcessPaths {
  return {
    renderer: join(here, '..', 'renderer'),
    preload: join(here, 'preload.cjs'),
    zkWorker: join(here, 'zk-worker.cjs'),
    verifyWorker: join(here, 'verify-worker.cjs'),
    circuits: packaged ? join(resourcesPath, 'circuits') : join(here, '..', '..', 'circuits'),
  };
}
