// Where a worker's module is, next to the module that starts it: the `.ts` source when running from the
// checkout (Node strips the types), the built `.cjs` bundle when the caller is itself a bundle in
// dist/electron (scripts/build-electron.mjs emits every worker there, beside main.cjs).

/** The module `stem` beside `base` (an import.meta.url): `stem.cjs` when `base` is a .cjs bundle, else `stem.ts`. */
export function siblingModule(base: string, stem: string): URL {
  return new URL(`./${stem}${base.endsWith('.cjs') ? '.cjs' : '.ts'}`, base);
}
