/** A random job id: the wallet keeps a long task's stages under it, and the renderer asks for them by it. */
export function newJobId(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  return 'job-' + [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
