// The web-platform globals core may use: they exist in Node, Electron and browsers alike.
declare class TextEncoder {
  encode(input: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input: Uint8Array): string;
}
declare function structuredClone<T>(value: T): T;
