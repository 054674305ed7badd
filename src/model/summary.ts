/**
 * The Keras-style model summary table: layer (type), output shape, parameter count, multiply-adds per example (see
 * `Layer.multiplyAdds`), and for graph models Keras' "Connected to" column (the layer calls feeding each call), then
 * the totals.
 */
import type { Layer, SymbolicShape } from '../layers/layer.js';
import type { Variable } from '../tensor.js';

/** One line of the table: a layer call, its input and output shapes; `connectedTo` only in graph models. */
export interface SummaryRow {
  readonly layer: Layer;
  readonly inputShapes: readonly SymbolicShape[];
  readonly outputShape: SymbolicShape;
  readonly connectedTo?: readonly string[];
}

/** What the table reads from a model besides its rows. */
interface Summarized {
  readonly name: string;
  readonly trainableWeights: readonly Variable[];
  countParams(): number;
}

const COLUMNS = [34, 26, 12, 14, 30] as const;

function formatOutputShape(shape: SymbolicShape): string {
  return `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
}

function row(cells: readonly string[]): string {
  return cells
    .map((cell, i) => cell.padEnd(COLUMNS[i] ?? 0))
    .join(' ')
    .trimEnd();
}

const count = (n: number): string => (Number.isNaN(n) ? '?' : n.toLocaleString('en-US'));

/** Multiply-adds per example of the rows' calls together (every call of a shared layer computes). */
export function totalMultiplyAdds(rows: readonly SummaryRow[]): number {
  return rows.reduce((n, r) => n + r.layer.multiplyAdds(r.inputShapes, r.outputShape), 0);
}

/** The summary as lines of text; `model.summary()` prints them. */
export function summaryLines(model: Summarized, rows: readonly SummaryRow[]): string[] {
  const graph = rows.some((r) => r.connectedTo !== undefined);
  const columns = graph ? COLUMNS.length : COLUMNS.length - 1;
  const width = COLUMNS.slice(0, columns).reduce((a, b) => a + b + 1, 0);
  const header = ['Layer (type)', 'Output Shape', 'Param #', 'Mult-Adds', 'Connected to'].slice(0, columns);
  const lines = [`Model: "${model.name}"`, '_'.repeat(width), row(header), '='.repeat(width)];
  const counted = new Set<Layer>();
  for (const { layer, inputShapes, outputShape, connectedTo = [] } of rows) {
    // A shared layer's parameters are counted on its first call only, so the column sums to the total.
    const params = counted.has(layer) ? 0 : layer.countParams();
    counted.add(layer);
    const cells = [
      `${layer.name} (${layer.className})`,
      formatOutputShape(outputShape),
      count(params),
      count(layer.multiplyAdds(inputShapes, outputShape)),
    ];
    const [first = '', ...more] = connectedTo;
    lines.push(row(graph ? [...cells, first] : cells));
    for (const next of more) lines.push(row(['', '', '', '', next]));
  }
  const trainable = model.trainableWeights.reduce((n, w) => n + w.size, 0);
  const total = model.countParams();
  lines.push(
    '='.repeat(width),
    `Total params: ${count(total)}`,
    `Trainable params: ${count(trainable)}`,
    `Non-trainable params: ${count(total - trainable)}`,
    `Total mult-adds (per example): ${count(totalMultiplyAdds(rows))}`,
    '_'.repeat(width),
  );
  return lines;
}
