/**
 * A small SVG line chart: a few series of (x, y) points, axes with round ticks, a legend. The playground draws three
 * charts of a few hundred points each and redraws them a few times a second, which SVG polylines do easily; a
 * charting library would add more code than this file for features the page does not use. SVG text stays sharp at
 * any zoom and is read by screen readers.
 */

export interface Series {
  readonly name: string;
  /** A CSS colour. */
  readonly color: string;
  readonly dashed?: boolean;
  readonly points: readonly (readonly [number, number])[];
}

export interface ChartOptions {
  readonly xLabel: string;
  /** Fixed y range (accuracy: [0, 1]); otherwise from the data, starting at 0. */
  readonly yRange?: readonly [number, number];
  readonly formatY: (value: number) => string;
}

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 400;
const HEIGHT = 200;
const MARGIN = { left: 44, right: 10, top: 22, bottom: 30 } as const;

/** About `count` round tick values (1, 2 or 5 × 10^k apart) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

function element<K extends keyof SVGElementTagNameMap>(
  name: K,
  attributes: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Redraws `svg` with the series; the x axis runs from 0 to the largest x (at least 1). */
export function drawChart(svg: SVGSVGElement, series: readonly Series[], options: ChartOptions): void {
  const all = series.flatMap((s) => s.points);
  const xMax = Math.max(1, ...all.map(([x]) => x));
  const finite = all.map(([, y]) => y).filter(Number.isFinite);
  const [yMin, yMax] = options.yRange ?? [0, finite.length === 0 ? 1 : Math.max(1e-6, ...finite) * 1.05];
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const px = (x: number): number => MARGIN.left + (x / xMax) * plotW;
  const py = (y: number): number =>
    MARGIN.top + plotH - ((Math.min(Math.max(y, yMin), yMax) - yMin) / (yMax - yMin)) * plotH;

  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  svg.replaceChildren();
  for (const y of niceTicks(yMin, yMax, 4)) {
    svg.append(element('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: py(y), y2: py(y), class: 'grid' }));
    svg.append(
      element('text', { x: MARGIN.left - 4, y: py(y) + 3, 'text-anchor': 'end', class: 'tick' }, options.formatY(y)),
    );
  }
  for (const x of niceTicks(0, xMax, 5)) {
    svg.append(
      element('text', { x: px(x), y: HEIGHT - MARGIN.bottom + 13, 'text-anchor': 'middle', class: 'tick' }, String(x)),
    );
  }
  svg.append(
    element(
      'text',
      { x: MARGIN.left + plotW / 2, y: HEIGHT - 4, 'text-anchor': 'middle', class: 'axis-label' },
      options.xLabel,
    ),
  );
  svg.append(element('rect', { x: MARGIN.left, y: MARGIN.top, width: plotW, height: plotH, class: 'frame' }));

  let legendX = MARGIN.left;
  for (const s of series) {
    const points = s.points
      .filter(([, y]) => Number.isFinite(y))
      .map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`);
    const style = { stroke: s.color, 'stroke-dasharray': s.dashed === true ? '5 3' : 'none' };
    if (points.length === 1) {
      const [cx, cy] = (points[0] ?? '0,0').split(',');
      svg.append(element('circle', { cx: cx ?? 0, cy: cy ?? 0, r: 2.5, fill: s.color }));
    } else if (points.length > 1) {
      svg.append(element('polyline', { points: points.join(' '), class: 'line', ...style }));
    }
    svg.append(element('line', { x1: legendX, x2: legendX + 16, y1: 10, y2: 10, class: 'line', ...style }));
    svg.append(element('text', { x: legendX + 20, y: 13, class: 'legend' }, s.name));
    legendX += 28 + s.name.length * 6;
  }
}
