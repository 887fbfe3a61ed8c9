import { graphql, readFragment, type FragmentOf } from '@/lib/graphql';

export const RunCharts_Run = graphql(`
  fragment RunCharts_Run on Run {
    id
    historyLineCount
    history(samples: 500)
  }
`);

interface Series {
  name: string;
  points: { step: number; value: number }[];
}

/** One series per numeric metric of the history rows, over `_step` (or the row's place). */
export function seriesOf(rows: readonly string[]): Series[] {
  const byName = new Map<string, Series>();
  rows.forEach((text, index) => {
    let row: unknown;
    try {
      row = JSON.parse(text);
    } catch {
      return;
    }
    if (!row || typeof row !== 'object') return;
    const record = row as Record<string, unknown>;
    const step = typeof record._step === 'number' ? record._step : index;
    for (const [name, value] of Object.entries(record)) {
      if (name.startsWith('_') || typeof value !== 'number' || !Number.isFinite(value)) continue;
      let series = byName.get(name);
      if (!series) byName.set(name, (series = { name, points: [] }));
      series.points.push({ step, value });
    }
  });
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

const WIDTH = 320;
const HEIGHT = 160;
const PAD = { left: 8, right: 8, top: 10, bottom: 10 };

const short = (value: number) =>
  Math.abs(value) >= 1000 || Number.isInteger(value) ? String(Math.round(value * 100) / 100) : value.toPrecision(3);

function Chart({ series }: { series: Series }) {
  const steps = series.points.map((p) => p.step);
  const values = series.points.map((p) => p.value);
  const [minX, maxX] = [Math.min(...steps), Math.max(...steps)];
  const [minY, maxY] = [Math.min(...values), Math.max(...values)];
  const x = (step: number) => PAD.left + (maxX === minX ? 0.5 : (step - minX) / (maxX - minX)) * (WIDTH - PAD.left - PAD.right);
  const y = (value: number) => PAD.top + (maxY === minY ? 0.5 : 1 - (value - minY) / (maxY - minY)) * (HEIGHT - PAD.top - PAD.bottom);
  const points = series.points.map((p) => `${x(p.step).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const last = series.points.at(-1);
  const description = `${series.name} over steps ${minX} to ${maxX}: from ${short(values[0] ?? 0)} to ${short(last?.value ?? 0)}, between ${short(minY)} and ${short(maxY)}.`;
  return (
    <figure className="run-chart">
      <figcaption className="run-chart__title">
        <span className="mono">{series.name}</span>
        <span className="muted">last {short(last?.value ?? 0)}</span>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={description} className="run-chart__svg" preserveAspectRatio="none">
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={HEIGHT - PAD.bottom} y2={HEIGHT - PAD.bottom} className="run-chart__axis" />
        {series.points.length === 1 ? (
          <circle cx={x(series.points[0]!.step)} cy={y(series.points[0]!.value)} r={3} className="run-chart__dot" />
        ) : (
          <polyline points={points} className="run-chart__line" vectorEffect="non-scaling-stroke" />
        )}
      </svg>
      <div className="run-chart__scale muted" aria-hidden="true">
        <span>
          {short(minY)} – {short(maxY)}
        </span>
        <span>
          step {minX} – {maxX}
        </span>
      </div>
    </figure>
  );
}

/** A chart per logged metric over steps (inline SVG), from evenly sampled history rows. */
export function RunCharts({ run }: { run: FragmentOf<typeof RunCharts_Run> }) {
  const r = readFragment(RunCharts_Run, run);
  const series = seriesOf(r.history);
  return (
    <section aria-labelledby="charts-heading" className="run-section">
      <h3 id="charts-heading">Charts</h3>
      {series.length === 0 ? (
        <p className="muted">No metrics logged.</p>
      ) : (
        <div className="run-charts">
          {series.map((s) => (
            <Chart key={s.name} series={s} />
          ))}
        </div>
      )}
    </section>
  );
}
