/** The Keras-style model summary table: layer (type), output shape, parameter count, and the totals. */
import type { SymbolicShape } from '../layers/layer.js';
import type { Sequential } from './sequential.js';

const COLUMNS = [34, 26, 12] as const;

function formatOutputShape(shape: SymbolicShape): string {
  return `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
}

function row(cells: readonly string[]): string {
  return cells
    .map((cell, i) => cell.padEnd(COLUMNS[i] ?? 0))
    .join(' ')
    .trimEnd();
}

const count = (n: number): string => n.toLocaleString('en-US');

/** The summary as lines of text; `model.summary()` prints them. */
export function summaryLines(model: Sequential): string[] {
  const width = COLUMNS.reduce((a, b) => a + b + 1, 0);
  const lines = [
    `Model: "${model.name}"`,
    '_'.repeat(width),
    row(['Layer (type)', 'Output Shape', 'Param #']),
    '='.repeat(width),
  ];
  model.layers.forEach((layer, i) => {
    const shape = model.layerOutputShapes[i] ?? [];
    lines.push(row([`${layer.name} (${layer.className})`, formatOutputShape(shape), count(layer.countParams())]));
  });
  const trainable = model.trainableWeights.reduce((n, w) => n + w.size, 0);
  const total = model.countParams();
  lines.push(
    '='.repeat(width),
    `Total params: ${count(total)}`,
    `Trainable params: ${count(trainable)}`,
    `Non-trainable params: ${count(total - trainable)}`,
    '_'.repeat(width),
  );
  return lines;
}
