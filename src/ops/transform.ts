/** Ops that move values without arithmetic: reshape, flatten, transpose, pad, slice. */
import { engine } from '../engine.js';
import { ShapeError } from '../errors.js';
import { formatShape, type Shape, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { assertSameBackend, recordGradient, wrap } from './op.js';

/**
 * The same values under another shape; one dimension may be -1 (inferred). The result shares x's storage, so a
 * reshape costs no copy.
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const inferred = shape.filter((d) => d === -1).length;
  if (inferred > 1) throw new ShapeError('reshape', `at most one dimension may be -1, received ${formatShape(shape)}`);
  const known = shape.reduce((n, d) => (d === -1 ? n : n * d), 1);
  const resolved = shape.map((d) => (d === -1 ? (known === 0 ? 0 : x.size / known) : d));
  if (resolved.some((d) => !Number.isInteger(d) || d < 0) || sizeOf(resolved) !== x.size) {
    throw new ShapeError(
      'reshape',
      `cannot reshape ${formatShape(x.shape)} (${x.size} values) to ${formatShape(shape)}`,
    );
  }
  const out = new Tensor(x.storage, resolved, x.backend);
  return recordGradient('reshape', out, [x], (dy) => [reshape(dy, x.shape)]);
}

/** [N, ...rest] → [N, prod(rest)]. */
export function flatten(x: Tensor): Tensor {
  if (x.rank < 1)
    throw new ShapeError('flatten', `expected a tensor of rank ≥ 1, received shape ${formatShape(x.shape)}`);
  return reshape(x, [x.shape[0] ?? 0, sizeOf(x.shape.slice(1))]);
}

/** Permutes axes: output axis j is input axis perm[j] (default: reversed axes). */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  assertSameBackend('transpose', x);
  const p = perm ?? x.shape.map((_, i) => x.rank - 1 - i);
  const sorted = [...p].sort((a, b) => a - b);
  if (p.length !== x.rank || sorted.some((axis, i) => axis !== i)) {
    throw new ShapeError('transpose', `perm must be a permutation of 0..${x.rank - 1}, received [${p.join(', ')}]`);
  }
  const outShape = p.map((axis) => x.shape[axis] ?? 0);
  const out = wrap(engine.backend.transpose(x.storage, x.shape, p), outShape);
  const inverse = new Array<number>(p.length);
  p.forEach((axis, j) => {
    inverse[axis] = j;
  });
  return recordGradient('transpose', out, [x], (dy) => [transpose(dy, inverse)]);
}

/** Zero padding; paddings[i] = [before, after] for axis i. dL/dx is the matching slice of dy. */
export function pad(x: Tensor, paddings: readonly (readonly [number, number])[]): Tensor {
  assertSameBackend('pad', x);
  if (
    paddings.length !== x.rank ||
    paddings.some(([a, b]) => !Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0)
  ) {
    throw new ShapeError(
      'pad',
      `expected ${x.rank} pairs of non-negative integers, received ${JSON.stringify(paddings)}`,
    );
  }
  const outShape = x.shape.map((d, i) => d + (paddings[i]?.[0] ?? 0) + (paddings[i]?.[1] ?? 0));
  const out = wrap(engine.backend.pad(x.storage, x.shape, paddings), outShape);
  return recordGradient('pad', out, [x], (dy) => [
    slice(
      dy,
      paddings.map(([before]) => before),
      x.shape,
    ),
  ]);
}

/** The block of `size` starting at `begin`. dL/dx is dy placed back with zeros around it. */
export function slice(x: Tensor, begin: readonly number[], size: readonly number[]): Tensor {
  assertSameBackend('slice', x);
  const valid =
    begin.length === x.rank &&
    size.length === x.rank &&
    begin.every(
      (b, i) =>
        Number.isInteger(b) &&
        b >= 0 &&
        Number.isInteger(size[i]) &&
        (size[i] ?? 0) >= 0 &&
        b + (size[i] ?? 0) <= (x.shape[i] ?? 0),
    );
  if (!valid) {
    throw new ShapeError(
      'slice',
      `begin [${begin.join(', ')}] and size [${size.join(', ')}] do not fit in ${formatShape(x.shape)}`,
    );
  }
  const out = wrap(engine.backend.slice(x.storage, x.shape, begin, size), size);
  return recordGradient('slice', out, [x], (dy) => [
    pad(
      dy,
      x.shape.map((d, i) => [begin[i] ?? 0, d - (begin[i] ?? 0) - (size[i] ?? 0)] as const),
    ),
  ]);
}
