// Line plots in plain SVG: one <path> per series (M then one L per further point), a dot with a
// tooltip per point, axes with a few ticks and a legend. Colours go through the CSSOM (style
// properties accept var(--vscode-…), presentation attributes would not).
import { h, svg } from './dom';

export interface Series {
  name: string;
  color: string;
  points: Array<[number, number]>;
}

export interface PlotOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  yMin?: number;
  yMax?: number;
  /** labels for x values (e.g. version names); default: the numbers */
  xTickLabel?: (x: number) => string;
  /** an id for tests and styling */
  id?: string;
}

const M = { left: 46, right: 12, top: 26, bottom: 38 };

function niceTicks(min: number, max: number, count: number): number[] {
  if (max <= min) return [min];
  const raw = (max - min) / count;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toFixed(10)));
  return out;
}

function fmt(v: number): string {
  return Math.abs(v) >= 100 || Number.isInteger(v) ? String(Math.round(v)) : v.toFixed(Math.abs(v) < 1 ? 2 : 1);
}

export function linePlot(series: Series[], o: PlotOptions): HTMLElement {
  const W = o.width ?? 420;
  const H = o.height ?? 220;
  const all = series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const figure = h('figure', { class: W > 480 ? 'plot wide' : 'plot', attrs: { 'data-plot': o.id } });
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': o.title, class: 'plot-svg' });
  root.append(svg('text', { x: M.left, y: 16, class: 'plot-title' }, o.title));
  if (all.length === 0) {
    root.append(svg('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'plot-empty' }, 'no data yet'));
    figure.append(root);
    return figure;
  }
  let xMin = Math.min(...all.map((p) => p[0]));
  let xMax = Math.max(...all.map((p) => p[0]));
  let yMin = o.yMin ?? Math.min(...all.map((p) => p[1]));
  let yMax = o.yMax ?? Math.max(...all.map((p) => p[1]));
  if (xMax === xMin) {
    xMin -= 1;
    xMax += 1;
  }
  if (yMax === yMin) {
    yMin -= yMin === 0 ? 0 : Math.abs(yMin) * 0.1;
    yMax += yMax === 0 ? 1 : Math.abs(yMax) * 0.1;
  }
  const px = (x: number): number => M.left + ((x - xMin) / (xMax - xMin)) * (W - M.left - M.right);
  const py = (y: number): number => H - M.bottom - ((y - yMin) / (yMax - yMin)) * (H - M.top - M.bottom);
  const axes = svg('g', { class: 'plot-axes' });
  axes.append(svg('line', { x1: M.left, y1: H - M.bottom, x2: W - M.right, y2: H - M.bottom }));
  axes.append(svg('line', { x1: M.left, y1: M.top, x2: M.left, y2: H - M.bottom }));
  for (const t of niceTicks(yMin, yMax, 4)) {
    axes.append(svg('line', { x1: M.left, y1: py(t), x2: W - M.right, y2: py(t), class: 'plot-grid' }));
    axes.append(svg('text', { x: M.left - 6, y: py(t) + 4, 'text-anchor': 'end' }, fmt(t)));
  }
  const xs = [...new Set(all.map((p) => p[0]))].sort((a, b) => a - b);
  const xt = xs.length <= 12 ? xs : niceTicks(xMin, xMax, 6).filter((x) => Number.isInteger(x));
  for (const t of xt)
    axes.append(
      svg('text', { x: px(t), y: H - M.bottom + 14, 'text-anchor': 'middle' }, o.xTickLabel ? o.xTickLabel(t) : fmt(t)),
    );
  axes.append(
    svg(
      'text',
      { x: (M.left + W - M.right) / 2, y: H - 6, 'text-anchor': 'middle', class: 'plot-axis-label' },
      o.xLabel,
    ),
  );
  axes.append(
    svg(
      'text',
      {
        x: 12,
        y: (M.top + H - M.bottom) / 2,
        'text-anchor': 'middle',
        transform: `rotate(-90 12 ${(M.top + H - M.bottom) / 2})`,
        class: 'plot-axis-label',
      },
      o.yLabel,
    ),
  );
  root.append(axes);
  for (const s of series) {
    const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (pts.length === 0) continue;
    const d = pts.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${px(x).toFixed(1)} ${py(y).toFixed(1)}`).join(' ');
    const g = svg('g', { class: 'plot-series' });
    const path = svg('path', { d, class: 'plot-line', 'data-series': s.name, 'data-points': pts.length });
    path.style.setProperty('stroke', s.color);
    g.append(path);
    for (const [x, y] of pts) {
      const dot = svg(
        'circle',
        { cx: px(x).toFixed(1), cy: py(y).toFixed(1), r: 2.5, class: 'plot-dot' },
        svg('title', {}, `${s.name}: ${o.xTickLabel ? o.xTickLabel(x) : fmt(x)} → ${fmt(y)}`),
      );
      dot.style.setProperty('fill', s.color);
      g.append(dot);
    }
    root.append(g);
  }
  figure.append(root);
  if (series.length > 1 || series[0]?.name) {
    const legend = h('figcaption', { class: 'plot-legend' });
    for (const s of series.filter((x) => x.points.some(([a, b]) => Number.isFinite(a) && Number.isFinite(b))))
      legend.append(
        h(
          'span',
          { class: 'legend-item' },
          h('span', { class: 'swatch', style: { 'background-color': s.color } }),
          s.name,
        ),
      );
    figure.append(legend);
  }
  return figure;
}
