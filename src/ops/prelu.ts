/** Parametric ReLU (https://arxiv.org/abs/1502.01852), Keras' PReLU as an op. */
import { ShapeError } from '../errors.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { relu } from './activations.js';
import { add, minimum, mul } from './arithmetic.js';

/**
 * y = x where x > 0, else alpha · x; alpha: x's shape without the batch axis, with 1 on axes that share one alpha.
 * Written as relu(x) + alpha · min(x, 0), whose gradients are TensorFlow.js': dy where x > 0, else alpha·dy for x
 * (alpha at x = 0), and Σ dy·x over x ≤ 0 for alpha.
 */
export function prelu(x: Tensor, alpha: Tensor): Tensor {
  const perSample = x.shape.slice(1);
  const fits = alpha.rank === perSample.length && alpha.shape.every((d, i) => d === 1 || d === perSample[i]);
  if (!fits) {
    throw new ShapeError(
      'prelu',
      `\`alpha\` must have shape ${formatShape(perSample)} (x ${formatShape(x.shape)} without the batch ` +
        `axis), or 1 on shared axes, received ${formatShape(alpha.shape)}`,
    );
  }
  return add(relu(x), mul(alpha, minimum(x, 0)));
}
