// Batch normalization and row-wise softmax. Arrays are [rows, C] (channels last).
// These follow the js reference operation for operation in float64 (two lanes at a time with f64x2), so their
// results match it to the last bit or within an ulp; they are memory-bound, so the wider arithmetic costs little.
import { f32at } from './simd';

@inline
function f64at(base: usize, index: i32): usize {
  return base + (<usize>index << 3);
}

/** Two floats at p widened to an f64x2. */
@inline
function load2(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

/** An f64x2 narrowed and stored as two floats at p. */
@inline
function store2(p: usize, v: v128): void {
  v128.store64_lane(p, f32x4.demote_f64x2_zero(v), 0);
}

/** acc[c] (float64, zeroed here) = Σ_r f(x[r, c]) where f subtracts `center[c]` (when given) and squares. */
function channelSums(x: usize, rows: i32, channels: i32, acc: usize, center: usize): void {
  memory.fill(acc, 0, <usize>channels << 3);
  for (let r = 0; r < rows; r++) {
    const row = f32at(x, r * channels);
    let c = 0;
    for (; c + 2 <= channels; c += 2) {
      let v = load2(f32at(row, c));
      if (center != 0) {
        v = f64x2.sub(v, load2(f32at(center, c)));
        v = f64x2.mul(v, v);
      }
      const a = f64at(acc, c);
      v128.store(a, f64x2.add(v128.load(a), v));
    }
    for (; c < channels; c++) {
      let v = <f64>load<f32>(f32at(row, c));
      if (center != 0) {
        v -= <f64>load<f32>(f32at(center, c));
        v *= v;
      }
      const a = f64at(acc, c);
      store<f64>(a, load<f64>(a) + v);
    }
  }
}

/** mean[c] = Σ_r x / rows, variance[c] = Σ_r (x − mean)² / rows (two passes). `acc` holds C float64s of scratch. */
export function moments(x: usize, rows: i32, channels: i32, mean: usize, variance: usize, acc: usize): void {
  channelSums(x, rows, channels, acc, 0);
  for (let c = 0; c < channels; c++) store<f32>(f32at(mean, c), <f32>(load<f64>(f64at(acc, c)) / <f64>rows));
  channelSums(x, rows, channels, acc, mean);
  for (let c = 0; c < channels; c++) store<f32>(f32at(variance, c), <f32>(load<f64>(f64at(acc, c)) / <f64>rows));
}

/** invStd[c] (float64) = 1 / √(variance[c] + ε). */
function inverseStd(variance: usize, channels: i32, epsilon: f64, invStd: usize): void {
  for (let c = 0; c < channels; c++) {
    store<f64>(f64at(invStd, c), 1 / Math.sqrt(<f64>load<f32>(f32at(variance, c)) + epsilon));
  }
}

/** y = gamma · (x − mean) · invStd + beta per channel. `scratch` holds C float64s. */
export function batchNorm(x: usize, rows: i32, channels: i32, mean: usize, variance: usize, gamma: usize, beta: usize,
  epsilon: f64, y: usize, scratch: usize): void {
  inverseStd(variance, channels, epsilon, scratch);
  for (let r = 0; r < rows; r++) {
    const offset = r * channels;
    let c = 0;
    for (; c + 2 <= channels; c += 2) {
      const centered = f64x2.sub(load2(f32at(x, offset + c)), load2(f32at(mean, c)));
      const scaled = f64x2.mul(f64x2.mul(load2(f32at(gamma, c)), centered), v128.load(f64at(scratch, c)));
      store2(f32at(y, offset + c), f64x2.add(scaled, load2(f32at(beta, c))));
    }
    for (; c < channels; c++) {
      const centered = <f64>load<f32>(f32at(x, offset + c)) - <f64>load<f32>(f32at(mean, c));
      const scaled = <f64>load<f32>(f32at(gamma, c)) * centered * load<f64>(f64at(scratch, c));
      store<f32>(f32at(y, offset + c), <f32>(scaled + <f64>load<f32>(f32at(beta, c))));
    }
  }
}

/**
 * Training-mode gradients with x̂ = (x − μ)·invStd over R rows: dβ = Σ dy, dγ = Σ dy·x̂,
 * dx = γ·invStd · (dy − dβ/R − x̂·dγ/R). `scratch` holds 3·C float64s (invStd, dβ, dγ).
 */
export function batchNormGrad(dy: usize, x: usize, rows: i32, channels: i32, mean: usize, variance: usize, gamma: usize,
  epsilon: f64, dx: usize, dGamma: usize, dBeta: usize, scratch: usize): void {
  const invStd = scratch;
  const sumDy = f64at(scratch, channels);
  const sumDyXHat = f64at(scratch, 2 * channels);
  inverseStd(variance, channels, epsilon, invStd);
  memory.fill(sumDy, 0, <usize>(2 * channels) << 3);
  for (let r = 0; r < rows; r++) {
    const offset = r * channels;
    for (let c = 0; c < channels; c++) {
      const g = <f64>load<f32>(f32at(dy, offset + c));
      const xHat = (<f64>load<f32>(f32at(x, offset + c)) - <f64>load<f32>(f32at(mean, c))) *
        load<f64>(f64at(invStd, c));
      store<f64>(f64at(sumDy, c), load<f64>(f64at(sumDy, c)) + g);
      store<f64>(f64at(sumDyXHat, c), load<f64>(f64at(sumDyXHat, c)) + g * xHat);
    }
  }
  const count = <f64>rows;
  for (let r = 0; r < rows; r++) {
    const offset = r * channels;
    for (let c = 0; c < channels; c++) {
      const g = <f64>load<f32>(f32at(dy, offset + c));
      const s = load<f64>(f64at(invStd, c));
      const xHat = (<f64>load<f32>(f32at(x, offset + c)) - <f64>load<f32>(f32at(mean, c))) * s;
      const value = <f64>load<f32>(f32at(gamma, c)) * s
        * (g - load<f64>(f64at(sumDy, c)) / count - xHat * load<f64>(f64at(sumDyXHat, c)) / count);
      store<f32>(f32at(dx, offset + c), <f32>value);
    }
  }
  for (let c = 0; c < channels; c++) {
    store<f32>(f32at(dGamma, c), <f32>load<f64>(f64at(sumDyXHat, c)));
    store<f32>(f32at(dBeta, c), <f32>load<f64>(f64at(sumDy, c)));
  }
}

/** Row-wise softmax (log = 0) or log-softmax (log = 1), shifted by the row maximum so exp never overflows. */
export function softmax(x: usize, rows: i32, cols: i32, out: usize, log: bool): void {
  for (let r = 0; r < rows; r++) {
    const row = f32at(x, r * cols);
    const dst = f32at(out, r * cols);
    let max: f64 = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, <f64>load<f32>(f32at(row, c)));
    let sum: f64 = 0;
    for (let c = 0; c < cols; c++) {
      const e = Math.exp(<f64>load<f32>(f32at(row, c)) - max);
      if (!log) store<f32>(f32at(dst, c), <f32>e);
      sum += e;
    }
    if (log) {
      const logSum = max + Math.log(sum);
      for (let c = 0; c < cols; c++) store<f32>(f32at(dst, c), <f32>(<f64>load<f32>(f32at(row, c)) - logSum));
    } else {
      for (let c = 0; c < cols; c++) store<f32>(f32at(dst, c), <f32>(<f64>load<f32>(f32at(dst, c)) / sum));
    }
  }
}
