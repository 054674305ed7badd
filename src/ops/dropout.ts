/** Inverted dropout (https://jmlr.org/papers/v15/srivastava14a.html) with a mask drawn from a seeded generator. */
import { ConfigError, ShapeError } from '../errors.js';
import type { Random } from '../random.js';
import { formatShape, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { mul } from './arithmetic.js';
import { tensor } from './creation.js';

/**
 * Zeroes each element with probability `rate` and scales the kept ones by 1/(1 − rate), so the expected value is
 * unchanged: y = x · mask / (1 − rate), mask ~ Bernoulli(1 − rate). Gradient: dx = dy · mask / (1 − rate).
 *
 * The mask has shape `noiseShape` (default x's shape) and is broadcast against x: a 1 shares one draw along that
 * axis, so `[N, 1, 1, C]` on x: [N, H, W, C] drops whole channels (spatial dropout). Mask element i (row-major) is
 * kept when the i-th `random.next()` is ≥ rate (the Keras rule), so the same seed gives the same mask.
 * Rate 0 returns x itself and draws nothing.
 */
export function dropout(x: Tensor, rate: number, random: Random, noiseShape?: readonly number[]): Tensor {
  if (!(Number.isFinite(rate) && rate >= 0 && rate < 1)) {
    throw new ConfigError('dropout', `\`rate\` must be a number in [0, 1), received ${rate}`);
  }
  const shape = noiseShape ?? x.shape;
  const fits = shape.length === x.rank && shape.every((d, i) => d === x.shape[i] || d === 1);
  if (!fits) {
    throw new ShapeError(
      'dropout',
      `\`noiseShape\` must have x's rank and each dimension equal to x's or 1, for x ` +
        `${formatShape(x.shape)}, received ${formatShape(shape)}`,
    );
  }
  if (rate === 0) return x;
  const scale = 1 / (1 - rate);
  const mask = new Float32Array(sizeOf(shape));
  for (let i = 0; i < mask.length; i++) mask[i] = random.next() >= rate ? scale : 0;
  return mul(x, tensor(mask, shape));
}
