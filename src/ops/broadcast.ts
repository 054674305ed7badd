/** Broadcasting and its adjoint, shared by the arithmetic and reduction ops. */
import { engine } from '../engine.js';
import { type Shape, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { wrap } from './op.js';
import { reshape } from './transform.js';

/**
 * Sums a gradient of broadcast shape back to the operand's `shape`: over leading extra axes and over axes where
 * the operand had size 1. Not differentiable itself (it only runs inside backward passes).
 */
export function sumToShape(x: Tensor, shape: Shape): Tensor {
  if (shapesEqual(x.shape, shape)) return x;
  const offset = x.rank - shape.length;
  const axes: number[] = [];
  for (let axis = 0; axis < x.rank; axis++) {
    if (axis < offset || (shape[axis - offset] === 1 && x.shape[axis] !== 1)) axes.push(axis);
  }
  const summed = wrap(
    engine.backend.reduce('sum', x.storage, x.shape, axes),
    x.shape.filter((_, i) => !axes.includes(i)),
  );
  return reshape(summed, shape);
}

/** Repeats x along broadcast axes to `shape` (not differentiable; used inside backward passes). */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  if (shapesEqual(x.shape, shape)) return x;
  const backend = engine.backend;
  const zero = backend.alloc(1);
  const out = wrap(backend.binary('add', x.storage, x.shape, zero, [], shape), shape);
  backend.free(zero);
  return out;
}
