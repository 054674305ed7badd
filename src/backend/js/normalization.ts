/** Reference kernels for batch normalization and row-wise softmax. Arrays are viewed as [rows, channels]. */
/** Per-channel mean and biased variance over all rows (two passes, float64 sums, for accuracy). */
export function moments(x: Float32Array, channels: number): { mean: Float32Array; variance: Float32Array } {
  const rows = x.length / channels;
  const sum = new Float64Array(channels);
  for (let i = 0; i < x.length; i++) sum[i % channels] = (sum[i % channels] ?? 0) + (x[i] ?? 0);
  const mean = new Float32Array(channels);
  for (let c = 0; c < channels; c++) mean[c] = (sum[c] ?? 0) / rows;
  const squares = new Float64Array(channels);
  for (let i = 0; i < x.length; i++) {
    const d = (x[i] ?? 0) - (mean[i % channels] ?? 0);
    squares[i % channels] = (squares[i % channels] ?? 0) + d * d;
  }
  const variance = new Float32Array(channels);
  for (let c = 0; c < channels; c++) variance[c] = (squares[c] ?? 0) / rows;
  return { mean, variance };
}

/** y = gamma · (x − mean) / √(variance + ε) + beta, per channel. */
export function batchNorm(
  x: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
  gamma: Float32Array,
  beta: Float32Array,
  channels: number,
  epsilon: number,
): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const c = i % channels;
    const invStd = 1 / Math.sqrt((variance[c] ?? 0) + epsilon);
    out[i] = (gamma[c] ?? 0) * ((x[i] ?? 0) - (mean[c] ?? 0)) * invStd + (beta[c] ?? 0);
  }
  return out;
}

/**
 * Training-mode batch-norm gradients, where mean and variance are the batch's own (so they depend on x).
 * With x̂ = (x − μ)/σ over R rows: dβ = Σ dy, dγ = Σ dy·x̂, dx = γ/σ · (dy − dβ/R − x̂·dγ/R).
 */
export function batchNormGrad(
  dy: Float32Array,
  x: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
  gamma: Float32Array,
  channels: number,
  epsilon: number,
): { dx: Float32Array; dGamma: Float32Array; dBeta: Float32Array } {
  const rows = x.length / channels;
  const invStd = new Float64Array(channels);
  for (let c = 0; c < channels; c++) invStd[c] = 1 / Math.sqrt((variance[c] ?? 0) + epsilon);
  const dBeta64 = new Float64Array(channels);
  const dGamma64 = new Float64Array(channels);
  for (let i = 0; i < x.length; i++) {
    const c = i % channels;
    const xHat = ((x[i] ?? 0) - (mean[c] ?? 0)) * (invStd[c] ?? 0);
    dBeta64[c] = (dBeta64[c] ?? 0) + (dy[i] ?? 0);
    dGamma64[c] = (dGamma64[c] ?? 0) + (dy[i] ?? 0) * xHat;
  }
  const dx = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const c = i % channels;
    const xHat = ((x[i] ?? 0) - (mean[c] ?? 0)) * (invStd[c] ?? 0);
    dx[i] =
      (gamma[c] ?? 0) *
      (invStd[c] ?? 0) *
      ((dy[i] ?? 0) - (dBeta64[c] ?? 0) / rows - (xHat * (dGamma64[c] ?? 0)) / rows);
  }
  return { dx, dGamma: Float32Array.from(dGamma64), dBeta: Float32Array.from(dBeta64) };
}

/** Row-wise softmax, shifted by the row maximum so exp never overflows. */
export function softmax(logits: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(logits.length);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let max = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, logits[base + c] ?? 0);
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const e = Math.exp((logits[base + c] ?? 0) - max);
      out[base + c] = e;
      sum += e;
    }
    for (let c = 0; c < cols; c++) out[base + c] = (out[base + c] ?? 0) / sum;
  }
  return out;
}

/** Row-wise log-softmax: x − max − log Σ exp(x − max). */
export function logSoftmax(logits: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(logits.length);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let max = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, logits[base + c] ?? 0);
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += Math.exp((logits[base + c] ?? 0) - max);
    const logSum = max + Math.log(sum);
    for (let c = 0; c < cols; c++) out[base + c] = (logits[base + c] ?? 0) - logSum;
  }
  return out;
}
