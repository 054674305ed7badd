/**
 * Layer normalization (https://arxiv.org/abs/1607.06450) over the last axis, as Keras' LayerNormalization with its
 * default axis: each sample's features are normalized by their own mean and variance, then scaled and shifted.
 */
import { engine } from '../engine.js';
import { ConfigError, ShapeError } from '../errors.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { assertSameBackend, recordGradient, wrap } from './op.js';

const OP = 'layerNorm';

export interface LayerNormOptions {
  /** The axis normalized over; only the last (−1 or rank − 1) is supported. Default −1. */
  readonly axis?: number;
  /** Added to the variance before the square root. Default 1e-3 (Keras'). */
  readonly epsilon?: number;
}

/**
 * y = gamma · (x − μ) / √(σ² + ε) + beta, with μ and σ² (biased) over the last axis of x, separately for every
 * position of the other axes. x: [..., C], gamma and beta: [C].
 */
export function layerNorm(x: Tensor, gamma: Tensor, beta: Tensor, options: LayerNormOptions = {}): Tensor {
  assertSameBackend(OP, x, gamma, beta);
  const axis = options.axis ?? -1;
  const epsilon = options.epsilon ?? 1e-3;
  if (x.rank < 1 || x.size === 0)
    throw new ShapeError(OP, `expected a non-empty tensor of rank ≥ 1, received shape ${formatShape(x.shape)}`);
  if (axis !== -1 && axis !== x.rank - 1) {
    throw new ConfigError(OP, `only the last axis (-1 or ${x.rank - 1}) can be normalized over, received axis ${axis}`);
  }
  if (!(Number.isFinite(epsilon) && epsilon >= 0)) {
    throw new ConfigError(OP, `\`epsilon\` must be a non-negative finite number, received ${epsilon}`);
  }
  const cols = x.shape[x.rank - 1] ?? 0;
  for (const [name, t] of [
    ['gamma', gamma],
    ['beta', beta],
  ] as const) {
    if (t.rank !== 1 || t.shape[0] !== cols) {
      throw new ShapeError(
        OP,
        `\`${name}\` must have shape [${cols}] (the last axis of x ${formatShape(x.shape)}), received ${formatShape(t.shape)}`,
      );
    }
  }
  const out = wrap(engine.backend.layerNorm(x.storage, gamma.storage, beta.storage, cols, epsilon), x.shape);
  return recordGradient(OP, out, [x, gamma, beta], (dy) => {
    const { dx, dGamma, dBeta } = engine.backend.layerNormGrad(dy.storage, x.storage, gamma.storage, cols, epsilon);
    return [wrap(dx, x.shape), wrap(dGamma, gamma.shape), wrap(dBeta, beta.shape)];
  });
}
