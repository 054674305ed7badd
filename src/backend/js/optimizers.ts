/** Fused optimizer updates, in place, each step rounded to float32 as the composed ops (src/optimizers/) round it. */
import type { AdamUpdateInfo } from '../backend.js';

const f = Math.fround;

/**
 * Adam: m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  w ← w − ((m / c1) / (√(v / c2) + ε))·lr,
 * c1 = 1 − β1^t, c2 = 1 − β2^t; every scalar is rounded to float32 first, as a scalar tensor would be.
 */
export function adamUpdate(
  w: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  info: AdamUpdateInfo,
): void {
  const beta1 = f(info.beta1);
  const oneMinusBeta1 = f(1 - info.beta1);
  const beta2 = f(info.beta2);
  const oneMinusBeta2 = f(1 - info.beta2);
  const epsilon = f(info.epsilon);
  const lr = f(info.learningRate);
  const c1 = f(1 - info.beta1 ** info.step);
  const c2 = f(1 - info.beta2 ** info.step);
  for (let i = 0; i < w.length; i++) {
    const gi = g[i] ?? 0;
    const mi = f(f((m[i] ?? 0) * beta1) + f(gi * oneMinusBeta1));
    const vi = f(f((v[i] ?? 0) * beta2) + f(f(gi * gi) * oneMinusBeta2));
    m[i] = mi;
    v[i] = vi;
    w[i] = f((w[i] ?? 0) - f(f(f(mi / c1) / f(f(Math.sqrt(f(vi / c2))) + epsilon)) * lr));
  }
}
