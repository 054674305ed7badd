/**
 * Activation functions. The elementwise ones are `unary` kernels (whose gradient kernel computes dy · f'(x));
 * softmax and logSoftmax act on rows of the last axis.
 */
import { engine } from '../engine.js';
import { ConfigError, ShapeError } from '../errors.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { exp, mul, sub, unary } from './arithmetic.js';
import { assertSameBackend, recordGradient, wrap } from './op.js';
import { sum } from './reduction.js';

/** max(x, 0). */
export const relu = (x: Tensor): Tensor => unary('relu', x);

/** min(max(x, 0), 6). */
export const relu6 = (x: Tensor): Tensor => unary('relu6', x);

/** x for x > 0, alpha·x otherwise. Default alpha 0.3, as Keras' and TensorFlow.js' LeakyReLU layers. */
export function leakyRelu(x: Tensor, alpha = 0.3): Tensor {
  if (!Number.isFinite(alpha))
    throw new ConfigError('leakyRelu', `\`alpha\` must be a finite number, received ${alpha}`);
  return unary('leakyRelu', x, alpha);
}

/** x for x > 0, alpha·(eˣ − 1) otherwise (https://arxiv.org/abs/1511.07289). */
export function elu(x: Tensor, alpha = 1): Tensor {
  if (!Number.isFinite(alpha)) throw new ConfigError('elu', `\`alpha\` must be a finite number, received ${alpha}`);
  return unary('elu', x, alpha);
}

/** scale·elu(x, alpha) with the self-normalizing constants (https://arxiv.org/abs/1706.02515). */
export const selu = (x: Tensor): Tensor => unary('selu', x);

/** 1 / (1 + e⁻ˣ). */
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', x);

/** clip(0.2·x + 0.5, 0, 1), as TensorFlow.js and Keras 2 define it (Keras 3 uses relu6(x + 3) / 6). */
export const hardSigmoid = (x: Tensor): Tensor => unary('hardSigmoid', x);

export const tanh = (x: Tensor): Tensor => unary('tanh', x);

/** log(1 + eˣ), computed without overflow. */
export const softplus = (x: Tensor): Tensor => unary('softplus', x);

/** x / (1 + |x|). */
export const softsign = (x: Tensor): Tensor => unary('softsign', x);

/** x · sigmoid(x) (also called SiLU; https://arxiv.org/abs/1710.05941). */
export const swish = (x: Tensor): Tensor => unary('swish', x);

/** x · Φ(x) with Φ the standard normal CDF: the exact form, Keras' default (https://arxiv.org/abs/1606.08415). */
export const gelu = (x: Tensor): Tensor => unary('gelu', x);

/** The identity (returns x itself). */
export const linear = (x: Tensor): Tensor => x;

/** x viewed as [rows, cols] rows of its last axis. */
function rowsOf(x: Tensor, opName: string): { rows: number; cols: number } {
  assertSameBackend(opName, x);
  if (x.rank < 1) throw new ShapeError(opName, `expected a tensor of rank ≥ 1, received shape ${formatShape(x.shape)}`);
  const cols = x.shape[x.rank - 1] ?? 0;
  return { rows: cols === 0 ? 0 : x.size / cols, cols };
}

/**
 * softmax(x)ᵢ = e^xᵢ / Σⱼ e^xⱼ over the last axis (any rank ≥ 1).
 * Gradient: dx = y · (dy − Σ dy·y), the sum over the last axis.
 */
export function softmax(x: Tensor): Tensor {
  const { rows, cols } = rowsOf(x, 'softmax');
  const y = wrap(engine.backend.softmax(x.storage, rows, cols), x.shape);
  return recordGradient('softmax', y, [x], (dy) => [mul(y, sub(dy, sum(mul(dy, y), -1, true)))]);
}

/**
 * logSoftmax(x)ᵢ = xᵢ − log Σⱼ e^xⱼ over the last axis, computed stably.
 * Gradient: dx = dy − softmax(x) · Σ dy, with softmax(x) = e^y.
 */
export function logSoftmax(x: Tensor): Tensor {
  const { rows, cols } = rowsOf(x, 'logSoftmax');
  const y = wrap(engine.backend.logSoftmax(x.storage, rows, cols), x.shape);
  return recordGradient('logSoftmax', y, [x], (dy) => [sub(dy, mul(exp(y), sum(dy, -1, true)))]);
}
