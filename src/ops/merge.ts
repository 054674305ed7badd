/** Joining tensors: concat along an axis (Keras' Concatenate). */
import { engine } from '../engine.js';
import { ShapeError } from '../errors.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { assertSameBackend, recordGradient, wrap } from './op.js';
import { slice } from './transform.js';

/** A possibly negative axis of a rank-`rank` tensor as an index in [0, rank), or −1 when out of range. */
function normalizeAxis(axis: number, rank: number): number {
  const resolved = axis < 0 ? axis + rank : axis;
  return Number.isInteger(resolved) && resolved >= 0 && resolved < rank ? resolved : -1;
}

/**
 * Joins tensors along `axis` (negative counts from the end; default the last). Every other dimension must agree.
 * The gradient of each input is its slice of dy.
 */
export function concat(tensors: readonly Tensor[], axis = -1): Tensor {
  const first = tensors[0];
  if (first === undefined) throw new ShapeError('concat', 'expected at least one tensor, received none');
  assertSameBackend('concat', ...tensors);
  const rank = first.rank;
  const at = normalizeAxis(axis, rank);
  if (at === -1) throw new ShapeError('concat', `\`axis\` must be an integer in [${-rank}, ${rank}), received ${axis}`);
  tensors.forEach((t, i) => {
    const fits = t.rank === rank && t.shape.every((d, k) => k === at || d === first.shape[k]);
    if (!fits) {
      throw new ShapeError(
        'concat',
        `tensor ${i} has shape ${formatShape(t.shape)}, which does not match tensor 0's ` +
          `${formatShape(first.shape)} on every axis but ${at}`,
      );
    }
  });
  const outShape = first.shape.map((d, k) => (k === at ? tensors.reduce((n, t) => n + (t.shape[k] ?? 0), 0) : d));
  const shapes = tensors.map((t) => t.shape);
  const out = wrap(
    engine.backend.concat(
      tensors.map((t) => t.storage),
      shapes,
      at,
    ),
    outShape,
  );
  return recordGradient('concat', out, tensors, (dy) => {
    let offset = 0;
    return tensors.map((t) => {
      const begin = t.shape.map((_, k) => (k === at ? offset : 0));
      offset += t.shape[at] ?? 0;
      return t.requiresGrad ? slice(dy, begin, t.shape) : null;
    });
  });
}
