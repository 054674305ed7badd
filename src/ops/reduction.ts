/** Reductions over axes: sum, mean, max, min. */
import { engine } from '../engine.js';
import { ShapeError } from '../errors.js';
import { formatShape, normalizeAxes, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { div, equal, mul } from './arithmetic.js';
import { broadcastTo } from './broadcast.js';
import { assertSameBackend, recordGradient, wrap } from './op.js';
import { reshape } from './transform.js';

type Axes = number | readonly number[];

function resolveAxes(x: Tensor, axes: Axes | undefined, opName: string): number[] {
  return axes === undefined ? x.shape.map((_, i) => i) : normalizeAxes(axes, x.rank, opName);
}

/** The shape with reduced axes kept as size 1, for broadcasting a result back against the input. */
function keptShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.map((dim, axis) => (axes.includes(axis) ? 1 : dim));
}

function reduceForward(op: 'sum' | 'max' | 'min', x: Tensor, axes: readonly number[], keepDims: boolean): Tensor {
  assertSameBackend(op, x);
  const outShape = keepDims ? keptShape(x.shape, axes) : x.shape.filter((_, i) => !axes.includes(i));
  return wrap(engine.backend.reduce(op, x.storage, x.shape, axes), outShape);
}

/** Σ over axes (all by default). dL/dx = dy broadcast back over the reduced axes. */
export function sum(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  const ax = resolveAxes(x, axes, 'sum');
  const out = reduceForward('sum', x, ax, keepDims);
  return recordGradient('sum', out, [x], (dy) => [broadcastTo(reshape(dy, keptShape(x.shape, ax)), x.shape)]);
}

/** Mean over axes (all by default). */
export function mean(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  const ax = resolveAxes(x, axes, 'mean');
  const count = ax.reduce((n, axis) => n * (x.shape[axis] ?? 1), 1);
  return mul(sum(x, ax, keepDims), 1 / count);
}

function extremum(op: 'max' | 'min', x: Tensor, axes: Axes | undefined, keepDims: boolean): Tensor {
  const ax = resolveAxes(x, axes, op);
  if (ax.some((axis) => x.shape[axis] === 0))
    throw new ShapeError(op, `cannot reduce an empty axis of ${formatShape(x.shape)}`);
  const out = reduceForward(op, x, ax, keepDims);
  // The gradient goes to the positions holding the extremum, shared equally among ties (as TensorFlow does).
  return recordGradient(op, out, [x], (dy) => {
    const kept = keptShape(x.shape, ax);
    const isExtremum = equal(x, reshape(out, kept));
    const ties = reshape(sum(isExtremum, ax), kept);
    return [mul(isExtremum, div(reshape(dy, kept), ties))];
  });
}

export const max = (x: Tensor, axes?: Axes, keepDims = false): Tensor => extremum('max', x, axes, keepDims);
export const min = (x: Tensor, axes?: Axes, keepDims = false): Tensor => extremum('min', x, axes, keepDims);
