// Fused optimizer updates: one pass over a variable and its slots instead of a dozen elementwise kernels.
// Each follows the composed ops of src/optimizers/ in the same float32 order, so it matches them bit for bit.
import { f32at } from './simd';

/**
 * Adam, in place: m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g·g;  w ← w − (m / c1) / (√(v / c2) + ε) · lr,
 * with c1 = 1 − β1^t and c2 = 1 − β2^t. `oneMinusBeta1` and `oneMinusBeta2` come rounded from the caller, as the
 * composed ops' scalars are.
 */
export function adamUpdate(w: usize, g: usize, m: usize, v: usize, n: i32, lr: f32, beta1: f32, oneMinusBeta1: f32,
  beta2: f32, oneMinusBeta2: f32, epsilon: f32, c1: f32, c2: f32): void {
  const vLr = f32x4.splat(lr); const vB1 = f32x4.splat(beta1); const vOmb1 = f32x4.splat(oneMinusBeta1);
  const vB2 = f32x4.splat(beta2); const vOmb2 = f32x4.splat(oneMinusBeta2); const vEps = f32x4.splat(epsilon);
  const vC1 = f32x4.splat(c1); const vC2 = f32x4.splat(c2);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const gi = v128.load(f32at(g, i));
    const mi = f32x4.add(f32x4.mul(v128.load(f32at(m, i)), vB1), f32x4.mul(gi, vOmb1));
    const vi = f32x4.add(f32x4.mul(v128.load(f32at(v, i)), vB2), f32x4.mul(f32x4.mul(gi, gi), vOmb2));
    v128.store(f32at(m, i), mi);
    v128.store(f32at(v, i), vi);
    const step = f32x4.mul(f32x4.div(f32x4.div(mi, vC1), f32x4.add(f32x4.sqrt(f32x4.div(vi, vC2)), vEps)), vLr);
    v128.store(f32at(w, i), f32x4.sub(v128.load(f32at(w, i)), step));
  }
  for (; i < n; i++) {
    const gi = load<f32>(f32at(g, i));
    const mi = load<f32>(f32at(m, i)) * beta1 + gi * oneMinusBeta1;
    const vi = load<f32>(f32at(v, i)) * beta2 + gi * gi * oneMinusBeta2;
    store<f32>(f32at(m, i), mi);
    store<f32>(f32at(v, i), vi);
    const step = mi / c1 / (Mathf.sqrt(vi / c2) + epsilon) * lr;
    store<f32>(f32at(w, i), load<f32>(f32at(w, i)) - step);
  }
}
