/**
 * Batch normalization (https://arxiv.org/abs/1502.03167) over the last (channel) axis: statistics are taken over
 * every other axis, so x: [N, C] (after a dense layer) and x: [N, H, W, C] (after a convolution) both work.
 */
import { engine } from '../engine.js';
import { ConfigError, ShapeError } from '../errors.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add, mul, neg, reciprocal, sqrt, square, sub } from './arithmetic.js';
import { broadcastTo } from './broadcast.js';
import { assertSameBackend, recordGradient, wrap } from './op.js';
import { sum } from './reduction.js';

/** The channel count C of x (its last axis), after checking x has one. */
function channelsOf(opName: string, x: Tensor): number {
  if (x.rank < 1 || x.size === 0) {
    throw new ShapeError(opName, `expected a non-empty tensor of rank ≥ 1, received shape ${formatShape(x.shape)}`);
  }
  return x.shape[x.rank - 1] ?? 0;
}

function assertPerChannel(opName: string, x: Tensor, params: Readonly<Record<string, Tensor>>): void {
  const channels = x.shape[x.rank - 1] ?? 0;
  for (const [name, t] of Object.entries(params)) {
    if (t.rank !== 1 || t.shape[0] !== channels) {
      throw new ShapeError(
        opName,
        `\`${name}\` must have shape [${channels}] (the last axis of x ${formatShape(x.shape)}), ` +
          `received ${formatShape(t.shape)}`,
      );
    }
  }
}

function assertEpsilon(opName: string, epsilon: number): void {
  if (!(Number.isFinite(epsilon) && epsilon >= 0)) {
    throw new ConfigError(opName, `\`epsilon\` must be a non-negative finite number, received ${epsilon}`);
  }
}

/** Sums over every axis but the last: [..., C] → [C]. */
const sumPerChannel = (t: Tensor): Tensor =>
  sum(
    t,
    t.shape.slice(0, -1).map((_, i) => i),
  );

/**
 * Per-channel mean and biased variance over all axes but the last: x: [..., C] → mean, variance: [C].
 * Gradients over R = size / C rows: dx = dMean / R + dVariance · 2(x − mean) / R (the variance's dependence on the
 * mean drops out because Σ (x − mean) = 0).
 */
export function moments(x: Tensor): { mean: Tensor; variance: Tensor } {
  assertSameBackend('moments', x);
  const channels = channelsOf('moments', x);
  const rows = x.size / channels;
  const m = engine.backend.moments(x.storage, channels);
  const mean = wrap(m.mean, [channels]);
  const variance = wrap(m.variance, [channels]);
  recordGradient('moments.mean', mean, [x], (dy) => [broadcastTo(mul(dy, 1 / rows), x.shape)]);
  // The mean is recomputed so this backward does not depend on the caller keeping `mean` alive.
  recordGradient('moments.variance', variance, [x], (dy) => [
    mul(sub(x, mul(sumPerChannel(x), 1 / rows)), mul(dy, 2 / rows)),
  ]);
  return { mean, variance };
}

/**
 * Training-mode batch normalization: normalizes x: [..., C] with its own per-channel moments,
 * y = gamma · (x − mean) / √(variance + ε) + beta, and returns those moments for the moving statistics.
 * Gradients flow to x, gamma and beta through the batch statistics; mean and variance outputs take none.
 */
export function batchNormTraining(
  x: Tensor,
  gamma: Tensor,
  beta: Tensor,
  epsilon: number,
): { y: Tensor; mean: Tensor; variance: Tensor } {
  const opName = 'batchNormTraining';
  assertSameBackend(opName, x, gamma, beta);
  const channels = channelsOf(opName, x);
  assertPerChannel(opName, x, { gamma, beta });
  assertEpsilon(opName, epsilon);
  const backend = engine.backend;
  const m = backend.moments(x.storage, channels);
  const mean = wrap(m.mean, [channels]);
  const variance = wrap(m.variance, [channels]);
  const y = wrap(
    backend.batchNorm(x.storage, m.mean, m.variance, gamma.storage, beta.storage, channels, epsilon),
    x.shape,
  );
  recordGradient(opName, y, [x, gamma, beta], (dy) => {
    // Recomputed from x (cheap, and bit-identical) so the backward pass does not depend on the caller keeping the
    // returned mean and variance alive.
    const stats = backend.moments(x.storage, channels);
    const g = backend.batchNormGrad(
      dy.storage,
      x.storage,
      stats.mean,
      stats.variance,
      gamma.storage,
      channels,
      epsilon,
    );
    backend.free(stats.mean);
    backend.free(stats.variance);
    return [wrap(g.dx, x.shape), wrap(g.dGamma, [channels]), wrap(g.dBeta, [channels])];
  });
  return { y, mean, variance };
}

/**
 * Inference-mode batch normalization with given statistics: y = gamma · (x − mean) / √(variance + ε) + beta.
 * With s = 1/√(variance + ε) and x̂ = (x − mean)·s: dx = dy·gamma·s, dgamma = Σ dy·x̂, dbeta = Σ dy,
 * dmean = −Σ dy·gamma·s, dvariance = −½ Σ dy·gamma·x̂·s².
 */
export function batchNormInference(
  x: Tensor,
  mean: Tensor,
  variance: Tensor,
  gamma: Tensor,
  beta: Tensor,
  epsilon: number,
): Tensor {
  const opName = 'batchNormInference';
  assertSameBackend(opName, x, mean, variance, gamma, beta);
  const channels = channelsOf(opName, x);
  assertPerChannel(opName, x, { mean, variance, gamma, beta });
  assertEpsilon(opName, epsilon);
  const y = wrap(
    engine.backend.batchNorm(x.storage, mean.storage, variance.storage, gamma.storage, beta.storage, channels, epsilon),
    x.shape,
  );
  return recordGradient(opName, y, [x, mean, variance, gamma, beta], (dy) => {
    const s = reciprocal(sqrt(add(variance, epsilon)));
    const xHat = mul(sub(x, mean), s);
    const dxHat = mul(dy, gamma);
    return [
      mul(dxHat, s),
      neg(mul(sumPerChannel(dxHat), s)),
      mul(sumPerChannel(mul(dxHat, xHat)), mul(square(s), -0.5)),
      sumPerChannel(mul(dy, xHat)),
      sumPerChannel(dy),
    ];
  });
}
