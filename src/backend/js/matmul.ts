/** Reference matrix kernels. */
import type { MatMulInfo } from '../backend.js';

/**
 * c[i, j] = Σ_p A[i, p] · B[p, j], where A = a ([m, k]) or aᵀ (a stored [k, m]), B = b ([k, n]) or bᵀ (b stored [n, k]).
 * Accumulates in float64, so it is a fair reference for float32 kernels.
 */
export function matmul(a: Float32Array, b: Float32Array, { m, k, n, transposeA, transposeB }: MatMulInfo): Float32Array {
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

/** out[r, c] = x[r, c] + bias[c] over x viewed as [rows, channels]. */
export function biasAdd(x: Float32Array, bias: Float32Array, channels: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i] ?? 0) + (bias[i % channels] ?? 0);
  return out;
}
