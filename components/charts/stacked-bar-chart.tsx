/**
 * A small stacked bar chart in plain SVG (no chart library): one column per category, one coloured
 * segment per series. Screen readers get a summary on the image and the full numbers as a table;
 * pointer users get a tooltip per column. Colours come from theme tokens via class names.
 */

export interface ChartSeries {
  key: string;
  label: string;
  /** Tailwind fill class of the segment, e.g. "fill-ok". */
  fill: string;
  /** Tailwind background class of the legend swatch, e.g. "bg-ok". */
  swatch: string;
}

export interface ChartColumn {
  /** Full label for tooltips and the table, e.g. "Sat 14 Mar". */
  label: string;
  /** Axis label, e.g. "14". */
  tick: string;
  values: Record<string, number>;
}

interface Props {
  id: string;
  title: string;
  series: ChartSeries[];
  columns: ChartColumn[];
  /** Drawing height in SVG units; the chart scales to its container's width. */
  height?: number;
  emptyText?: string;
}

const BAR = 16;
const GAP = 6;
const AXIS = 14;

const total = (c: ChartColumn, series: ChartSeries[]) => series.reduce((n, s) => n + (c.values[s.key] ?? 0), 0);

function describe(c: ChartColumn, series: ChartSeries[]): string {
  const parts = series.filter((s) => (c.values[s.key] ?? 0) > 0).map((s) => `${c.values[s.key]} ${s.label.toLowerCase()}`);
  return `${c.label}: ${parts.length ? parts.join(", ") : "nothing"}`;
}

export function StackedBarChart({ id, title, series, columns, height = 72, emptyText = "Nothing yet" }: Props) {
  const max = Math.max(1, ...columns.map((c) => total(c, series)));
  const width = columns.length * (BAR + GAP) - GAP;
  const plot = height - AXIS;
  const sums = series.map((s) => ({ ...s, sum: columns.reduce((n, c) => n + (c.values[s.key] ?? 0), 0) }));
  const grand = sums.reduce((n, s) => n + s.sum, 0);
  const summary = grand
    ? `${grand} in ${columns.length} days: ${sums.map((s) => `${s.sum} ${s.label.toLowerCase()}`).join(", ")}. Busiest day ${max}.`
    : `${emptyText}.`;

  return (
    <figure className="space-y-2">
      <svg viewBox={`0 0 ${width} ${height}`} className="block h-auto w-full" role="img" aria-labelledby={`${id}-title ${id}-desc`}>
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        <line x1={0} x2={width} y1={plot + 0.5} y2={plot + 0.5} className="stroke-line" strokeWidth={1} />
        {columns.map((c, i) => {
          const x = i * (BAR + GAP);
          let y = plot;
          return (
            <g key={c.label}>
              <title>{describe(c, series)}</title>
              {/* an invisible full-height target so the tooltip works on empty days too */}
              <rect x={x} y={0} width={BAR} height={plot} className="fill-transparent" />
              {series.map((s) => {
                const v = c.values[s.key] ?? 0;
                if (!v) return null;
                const h = Math.max(1, (v / max) * (plot - 2));
                y -= h;
                return <rect key={s.key} x={x} y={y} width={BAR} height={h} className={s.fill} />;
              })}
            </g>
          );
        })}
        {columns.map((c, i) =>
          i % 7 === 0 || i === columns.length - 1 ? (
            <text key={`t-${c.label}`} x={i * (BAR + GAP) + BAR / 2} y={height - 2} textAnchor="middle" className="fill-muted" fontSize={9}>
              {c.tick}
            </text>
          ) : null,
        )}
      </svg>
      <figcaption className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted" aria-hidden="true">
        {sums.map((s) => (
          <span key={s.key} className="inline-flex items-center gap-1.5">
            <span className={`h-2 w-2 rounded-sm ${s.swatch}`} />
            {s.label} <span className="tabular-nums text-ink">{s.sum}</span>
          </span>
        ))}
      </figcaption>
      {/* A table sizes itself to its content whatever its width says: the div keeps it off-screen for real. */}
      <div className="sr-only">
        <table className="sr-only">
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              {series.map((s) => (
                <th key={s.key} scope="col">
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {columns.map((c) => (
              <tr key={c.label}>
                <th scope="row">{c.label}</th>
                {series.map((s) => (
                  <td key={s.key}>{c.values[s.key] ?? 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
