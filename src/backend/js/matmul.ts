/** Reference matrix kernels. */
import type { MatMulInfo } from '../backend.js';

/**
 * c[i, j] = Σ_p A[i, p] · B[p, j],
 * where A = a ([m, k]) or aᵀ (a stored [k, m]), B = b ([k, n]) or bᵀ (b stored [n, k]).
 * Accumulates in float64, so it is a fair reference for float32 kernels.
 */
export function matmul(
  a: Float32Array,
  b: Float32Array,
  { m, k, n, transposeA, transposeB }: MatMulInfo,
): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) {
        const av = transposeA ? a[p * m + i] : a[i * k + p];
        const bv = transposeB ? b[j * k + p] : b[p * n + j];
        sum += (av ?? 0) * (bv ?? 0);
      }
      c[i * n + j] = sum;
    }
  }
  return c;
}

/** out[r, c] = max(0, x[r, c] + bias[c]) over x viewed as [rows, channels]; NaN becomes 0, as relu sends it. */
export function biasRelu(x: Float32Array, bias: Float32Array, channels: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const sum = Math.fround((x[i] ?? 0) + (bias[i % channels] ?? 0));
    out[i] = sum > 0 ? sum : 0;
  }
  return out;
}

/** For y = relu(x + bias): dz[r, c] = y[r, c] > 0 ? dy[r, c] : 0, and dBias[c] = Σ_r dz[r, c] (in float64). */
export function biasReluGrad(dy: Float32Array, y: Float32Array, channels: number): [Float32Array, Float32Array] {
  const dz = new Float32Array(dy.length);
  const sums = new Float64Array(channels);
  for (let i = 0; i < dy.length; i++) {
    const g = (y[i] ?? 0) > 0 ? (dy[i] ?? 0) : 0;
    dz[i] = g;
    sums[i % channels] = (sums[i % channels] ?? 0) + g;
  }
  return [dz, Float32Array.from(sums)];
}

/** out[r, c] = x[r, c] + bias[c] over x viewed as [rows, channels]. */
export function biasAdd(x: Float32Array, bias: Float32Array, channels: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i] ?? 0) + (bias[i % channels] ?? 0);
  return out;
}
