/**
 * Reference layer normalization over the last axis of x viewed as [rows, cols]. Each row has its own mean μ and
 * biased variance σ² (two passes, float64 sums); gamma and beta have length cols.
 *   y[r, j] = gamma[j] · (x[r, j] − μ_r) / √(σ²_r + ε) + beta[j]
 */

/** μ and 1/√(σ² + ε) of row r (float64). */
function rowStats(x: Float32Array, r: number, cols: number, epsilon: number): { mean: number; invStd: number } {
  const base = r * cols;
  let sum = 0;
  for (let j = 0; j < cols; j++) sum += x[base + j] ?? 0;
  const mean = sum / cols;
  let squares = 0;
  for (let j = 0; j < cols; j++) {
    const d = (x[base + j] ?? 0) - mean;
    squares += d * d;
  }
  return { mean, invStd: 1 / Math.sqrt(squares / cols + epsilon) };
}

export function layerNorm(
  x: Float32Array,
  gamma: Float32Array,
  beta: Float32Array,
  cols: number,
  epsilon: number,
): Float32Array {
  const rows = cols === 0 ? 0 : x.length / cols;
  const y = new Float32Array(x.length);
  for (let r = 0; r < rows; r++) {
    const { mean, invStd } = rowStats(x, r, cols, epsilon);
    for (let j = 0; j < cols; j++) {
      const i = r * cols + j;
      y[i] = (gamma[j] ?? 0) * ((x[i] ?? 0) - mean) * invStd + (beta[j] ?? 0);
    }
  }
  return y;
}

/**
 * With x̂ = (x − μ)·invStd and g = dy·gamma per row: dx = invStd · (g − mean(g) − x̂·mean(g·x̂)),
 * dGamma[j] = Σ_r dy·x̂, dBeta[j] = Σ_r dy.
 */
export function layerNormGrad(
  dy: Float32Array,
  x: Float32Array,
  gamma: Float32Array,
  cols: number,
  epsilon: number,
): { dx: Float32Array; dGamma: Float32Array; dBeta: Float32Array } {
  const rows = cols === 0 ? 0 : x.length / cols;
  const dx = new Float32Array(x.length);
  const dGamma = new Float64Array(cols);
  const dBeta = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const { mean, invStd } = rowStats(x, r, cols, epsilon);
    let sumG = 0;
    let sumGXHat = 0;
    for (let j = 0; j < cols; j++) {
      const d = dy[base + j] ?? 0;
      const xHat = ((x[base + j] ?? 0) - mean) * invStd;
      const g = d * (gamma[j] ?? 0);
      sumG += g;
      sumGXHat += g * xHat;
      dGamma[j] = (dGamma[j] ?? 0) + d * xHat;
      dBeta[j] = (dBeta[j] ?? 0) + d;
    }
    for (let j = 0; j < cols; j++) {
      const xHat = ((x[base + j] ?? 0) - mean) * invStd;
      const g = (dy[base + j] ?? 0) * (gamma[j] ?? 0);
      dx[base + j] = invStd * (g - sumG / cols - (xHat * sumGXHat) / cols);
    }
  }
  return { dx, dGamma: Float32Array.from(dGamma), dBeta: Float32Array.from(dBeta) };
}
