// A QR code as an inline SVG element drawn from the encoder's module matrix: the page's CSP forbids inline
// styles and the image is drawn from the text itself, so no data: URL or canvas is needed.
import { useMemo } from 'react';
import { create } from 'qrcode/lib/core/qrcode.js';

/** One path of unit squares, one per dark module, inside a quiet zone of 4 modules. */
export function qrPath(text: string): { size: number; d: string } {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const parts: string[] = [];
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) if (modules.get(row, col) === 1) parts.push(`M${col + 4} ${row + 4}h1v1h-1z`);
  }
  return { size: modules.size + 8, d: parts.join('') };
}

export function QrCode({ text, label }: { text: string; label: string }) {
  const { size, d } = useMemo(() => qrPath(text), [text]);
  return (
    <svg className="qr" role="img" aria-label={label} viewBox={`0 0 ${size} ${size}`} width="192" height="192" shapeRendering="crispEdges">
      <rect width={size} height={size} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
