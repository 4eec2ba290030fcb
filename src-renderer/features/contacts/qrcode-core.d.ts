// The one function the renderer uses from the `qrcode` package: its pure encoder (lib/core/qrcode.js),
// typed here so that the renderer needs no Node types (@types/qrcode references them for its stream API).
declare module 'qrcode/lib/core/qrcode.js' {
  /** Encodes `text` as a QR symbol: `modules.get(row, col)` is 1 for a dark module. */
  export function create(text: string, options?: { errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H' }): {
    modules: { size: number; get(row: number, col: number): number };
  };
}
