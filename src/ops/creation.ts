/** Creating tensors from values and by filling. */
import { engine } from '../engine.js';
import { ShapeError } from '../errors.js';
import { assertValidShape, formatShape, type Shape, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { wrap } from './op.js';

/** Nested arrays of numbers, as users write literal tensors. */
export type TensorLike = number | readonly TensorLike[];

function flatten(values: TensorLike, into: number[]): void {
  if (typeof values === 'number') into.push(values);
  else for (const v of values) flatten(v, into);
}

function inferShape(values: TensorLike): number[] {
  const shape: number[] = [];
  let level: TensorLike = values;
  while (typeof level !== 'number') {
    shape.push(level.length);
    const first: TensorLike | undefined = level[0];
    if (first === undefined) break;
    level = first;
  }
  return shape;
}

/**
 * A tensor from values: a flat array (or Float32Array) with an explicit shape, or nested arrays whose shape is
 * inferred. `tensor([1, 2, 3, 4], [2, 2])`.
 */
export function tensor(values: TensorLike | Float32Array, shape?: Shape): Tensor {
  const flat: ArrayLike<number> =
    values instanceof Float32Array
      ? values
      : typeof values === 'number'
        ? [values]
        : (() => {
            const out: number[] = [];
            flatten(values, out);
            return out;
          })();
  const resolved = shape ?? (values instanceof Float32Array ? [values.length] : inferShape(values));
  assertValidShape(resolved, 'tensor');
  if (sizeOf(resolved) !== flat.length) {
    throw new ShapeError(
      'tensor',
      `shape ${formatShape(resolved)} needs ${sizeOf(resolved)} values, received ${flat.length}`,
    );
  }
  return wrap(engine.backend.fromValues(flat), resolved);
}

export function scalar(value: number): Tensor {
  return tensor([value], []);
}

export function fill(shape: Shape, value: number): Tensor {
  assertValidShape(shape, 'fill');
  const storage = engine.backend.alloc(sizeOf(shape));
  if (value !== 0) storage.view().fill(value);
  return wrap(storage, shape);
}

export const zeros = (shape: Shape): Tensor => fill(shape, 0);
export const ones = (shape: Shape): Tensor => fill(shape, 1);
export const zerosLike = (t: Tensor): Tensor => fill(t.shape, 0);
export const onesLike = (t: Tensor): Tensor => fill(t.shape, 1);
