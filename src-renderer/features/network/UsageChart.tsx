// A small usage chart drawn by hand in SVG: one or two lines (or a filled area) over the samples, with an
// optional limit drawn as a dashed line. The SVG is an image with a <title> and <desc>; the same facts are
// written below it in words, so nothing is only in the picture. Its height is fixed: polling never moves
// the page.
import { useId } from 'react';
import { areaPoints, chartScale, formatDuration, linePoints } from './model.ts';

export interface Series {
  label: string;
  values: readonly number[];
  /** `a` (accent, solid) or `b` (second colour, dashed), so the two differ without colour too. */
  style: 'a' | 'b';
  area?: boolean;
}

const W = 300;
const H = 80;

export function UsageChart({ title, series, limit, limitLabel, least, format, span, summary }: {
  title: string;
  series: readonly Series[];
  /** The limit in the same unit as the values; null or 0 when there is none. */
  limit: number | null;
  limitLabel: string;
  /** The lowest top of the axis (1 KiB for bytes), so a quiet node does not draw noise at full height. */
  least: number;
  format(value: number): string;
  /** Time the samples cover, in ms. */
  span: number;
  /** The chart's facts in a sentence. */
  summary: string;
}) {
  const id = useId();
  const enough = series.some((s) => s.values.length >= 2);
  const scale = chartScale(series.flatMap((s) => s.values), limit, least);
  const limitY = scale.limitShown && limit !== null ? H - (limit / scale.top) * H : null;
  return (
    <figure className="chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`} className="chart-title">{title}</figcaption>
      <div className="chart-frame">
        {enough ? (
          <>
            <span className="chart-top" aria-hidden="true">{format(scale.top)}</span>
            <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-labelledby={`${id}-title`} aria-describedby={`${id}-desc`} className="chart-svg">
              <title id={`${id}-title`}>{title}</title>
              <desc id={`${id}-desc`}>{summary}</desc>
              <line x1="0" y1={H / 2} x2={W} y2={H / 2} className="chart-grid" vectorEffect="non-scaling-stroke" />
              {series.map((s) => (s.area ? <polygon key={`${s.label}-area`} points={areaPoints(s.values, scale.top, W, H)} className={`chart-area chart-${s.style}`} /> : null))}
              {series.map((s) => <polyline key={s.label} points={linePoints(s.values, scale.top, W, H)} className={`chart-line chart-${s.style}`} vectorEffect="non-scaling-stroke" />)}
              {limitY !== null ? <line x1="0" y1={limitY} x2={W} y2={limitY} className="chart-limit" vectorEffect="non-scaling-stroke" /> : null}
            </svg>
            <span className="chart-span" aria-hidden="true">last {formatDuration(span)}</span>
          </>
        ) : (
          <p className="chart-empty muted small">Collecting samples: the chart appears after the second one.</p>
        )}
      </div>
      <p className="chart-legend" aria-hidden="true">
        {series.map((s) => <span key={s.label} className={`chart-key chart-key-${s.style}`}>{s.label}</span>)}
        {limit !== null && limit > 0 ? <span className="chart-key chart-key-limit">{scale.limitShown ? limitLabel : `${limitLabel}, above this scale`}</span> : null}
      </p>
      <p className="chart-summary small muted">{summary}</p>
    </figure>
  );
}
