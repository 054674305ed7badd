/** Reference layout kernels: transpose, pad and slice over row-major arrays of any rank. */
import { type Shape, sizeOf, stridesOf } from '../../shape.js';

/** Calls visit(flatIndex, multiIndex) for every element of shape, in row-major order. */
function forEachIndex(shape: Shape, visit: (flat: number, index: readonly number[]) => void): void {
  const size = sizeOf(shape);
  const index = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < size; flat++) {
    visit(flat, index);
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      index[axis] = (index[axis] ?? 0) + 1;
      if ((index[axis] ?? 0) < (shape[axis] ?? 0)) break;
      index[axis] = 0;
    }
  }
}

/** out[i_perm[0], …, i_perm[r-1]] = x[i_0, …, i_{r-1}]: output axis j is input axis perm[j]. */
export function transpose(x: Float32Array, shape: Shape, perm: readonly number[]): Float32Array {
  const outShape = perm.map((axis) => shape[axis] ?? 0);
  const inStrides = stridesOf(shape);
  const out = new Float32Array(x.length);
  forEachIndex(outShape, (flat, index) => {
    let source = 0;
    for (let j = 0; j < perm.length; j++) source += (index[j] ?? 0) * (inStrides[perm[j] ?? 0] ?? 0);
    out[flat] = x[source] ?? 0;
  });
  return out;
}

export function pad(x: Float32Array, shape: Shape, paddings: readonly (readonly [number, number])[]): Float32Array {
  const outShape = shape.map((dim, axis) => dim + (paddings[axis]?.[0] ?? 0) + (paddings[axis]?.[1] ?? 0));
  const outStrides = stridesOf(outShape);
  const out = new Float32Array(sizeOf(outShape));
  forEachIndex(shape, (flat, index) => {
    let target = 0;
    for (let axis = 0; axis < shape.length; axis++) {
      target += ((index[axis] ?? 0) + (paddings[axis]?.[0] ?? 0)) * (outStrides[axis] ?? 0);
    }
    out[target] = x[flat] ?? 0;
  });
  return out;
}

export function slice(x: Float32Array, shape: Shape, begin: readonly number[], size: readonly number[]): Float32Array {
  const inStrides = stridesOf(shape);
  const out = new Float32Array(sizeOf(size));
  forEachIndex(size, (flat, index) => {
    let source = 0;
    for (let axis = 0; axis < shape.length; axis++) {
      source += ((index[axis] ?? 0) + (begin[axis] ?? 0)) * (inStrides[axis] ?? 0);
    }
    out[flat] = x[source] ?? 0;
  });
  return out;
}
