// Layer normalization over the rows of x viewed as [rows, cols], with each row's mean μ and biased variance σ²:
//   y[r, j] = gamma[j]·(x[r, j] − μ_r)·invStd_r + beta[j],  invStd_r = 1 / √(σ²_r + ε)
// These follow the js reference operation for operation in float64: the row sums run in its order (scalar), the
// per-element passes two lanes at a time with f64x2, whose lanes round exactly as scalar float64 does; so the
// results equal the reference's bit for bit. Jobs split the forward pass and the input gradient by rows, and the
// parameter gradients (sums over rows, in row order) by columns, so no split changes a bit either.
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

let rowMean: f64 = 0;
let rowInvStd: f64 = 0;

/** Sets rowMean and rowInvStd for the row at `row` (two passes, as the reference). */
@inline
function rowStats(row: usize, cols: i32, epsilon: f64): void {
  let sum: f64 = 0;
  for (let j = 0; j < cols; j++) sum += <f64>load<f32>(f32at(row, j));
  const mean = sum / <f64>cols;
  let squares: f64 = 0;
  for (let j = 0; j < cols; j++) {
    const d = <f64>load<f32>(f32at(row, j)) - mean;
    squares += d * d;
  }
  rowMean = mean;
  rowInvStd = 1 / Math.sqrt(squares / <f64>cols + epsilon);
}

/** Rows [r0, r1) of y. */
export function layerNormRows(x: usize, cols: i32, gamma: usize, beta: usize, epsilon: f64, y: usize, r0: i32,
  r1: i32): void {
  for (let r = r0; r < r1; r++) {
    const row = f32at(x, r * cols);
    const out = f32at(y, r * cols);
    rowStats(row, cols, epsilon);
    const mean = f64x2.splat(rowMean);
    const invStd = f64x2.splat(rowInvStd);
    let j = 0;
    for (; j + 2 <= cols; j += 2) {
      const scaled = f64x2.mul(f64x2.mul(load2(f32at(gamma, j)), f64x2.sub(load2(f32at(row, j)), mean)), invStd);
      store2(f32at(out, j), f64x2.add(scaled, load2(f32at(beta, j))));
    }
    for (; j < cols; j++) {
      const scaled = <f64>load<f32>(f32at(gamma, j)) * (<f64>load<f32>(f32at(row, j)) - rowMean) * rowInvStd;
      store<f32>(f32at(out, j), <f32>(scaled + <f64>load<f32>(f32at(beta, j))));
    }
  }
}

/**
 * Rows [r0, r1) of the input gradient, with x̂ = (x − μ)·invStd and g = dy·gamma per row:
 *   dx = invStd·(g − Σg/cols − x̂·Σ(g·x̂)/cols)
 * Row r's μ and invStd go to stats + 16·r bytes (two float64s) for layerNormParamColumns.
 */
export function layerNormGradRows(dy: usize, x: usize, cols: i32, gamma: usize, epsilon: f64, dx: usize, stats: usize,
  r0: i32, r1: i32): void {
  const count = <f64>cols;
  for (let r = r0; r < r1; r++) {
    const row = f32at(x, r * cols);
    const dyRow = f32at(dy, r * cols);
    const dxRow = f32at(dx, r * cols);
    rowStats(row, cols, epsilon);
    const mean = rowMean;
    const invStd = rowInvStd;
    store<f64>(f64at(stats, 2 * r), mean);
    store<f64>(f64at(stats, 2 * r + 1), invStd);
    let sumG: f64 = 0;
    let sumGXHat: f64 = 0;
    for (let j = 0; j < cols; j++) {
      const xHat = (<f64>load<f32>(f32at(row, j)) - mean) * invStd;
      const g = <f64>load<f32>(f32at(dyRow, j)) * <f64>load<f32>(f32at(gamma, j));
      sumG += g;
      sumGXHat += g * xHat;
    }
    const meanV = f64x2.splat(mean);
    const invStdV = f64x2.splat(invStd);
    const meanG = f64x2.splat(sumG / count);
    const meanGXHat = f64x2.splat(sumGXHat);
    const countV = f64x2.splat(count);
    let j = 0;
    for (; j + 2 <= cols; j += 2) {
      const xHat = f64x2.mul(f64x2.sub(load2(f32at(row, j)), meanV), invStdV);
      const g = f64x2.mul(load2(f32at(dyRow, j)), load2(f32at(gamma, j)));
      const inner = f64x2.sub(f64x2.sub(g, meanG), f64x2.div(f64x2.mul(xHat, meanGXHat), countV));
      store2(f32at(dxRow, j), f64x2.mul(invStdV, inner));
    }
    for (; j < cols; j++) {
      const xHat = (<f64>load<f32>(f32at(row, j)) - mean) * invStd;
      const g = <f64>load<f32>(f32at(dyRow, j)) * <f64>load<f32>(f32at(gamma, j));
      store<f32>(f32at(dxRow, j), <f32>(invStd * (g - sumG / count - xHat * sumGXHat / count)));
    }
  }
}

/**
 * Columns [j0, j1) of dGamma = Σ_rows dy·x̂ and dBeta = Σ_rows dy, summed in float64 in row order from the rows'
 * stats (layerNormGradRows). `sums`: 2·cols float64s (dGamma's sums, then dBeta's); each part uses its own columns.
 */
export function layerNormParamColumns(dy: usize, x: usize, stats: usize, rows: i32, cols: i32, dGamma: usize,
  dBeta: usize, sums: usize, j0: i32, j1: i32): void {
  const sumDyXHat = sums;
  const sumDy = f64at(sums, cols);
  memory.fill(f64at(sumDyXHat, j0), 0, <usize>(j1 - j0) << 3);
  memory.fill(f64at(sumDy, j0), 0, <usize>(j1 - j0) << 3);
  for (let r = 0; r < rows; r++) {
    const row = f32at(x, r * cols);
    const dyRow = f32at(dy, r * cols);
    const mean = load<f64>(f64at(stats, 2 * r));
    const invStd = load<f64>(f64at(stats, 2 * r + 1));
    const meanV = f64x2.splat(mean);
    const invStdV = f64x2.splat(invStd);
    let j = j0;
    for (; j + 2 <= j1; j += 2) {
      const d = load2(f32at(dyRow, j));
      const xHat = f64x2.mul(f64x2.sub(load2(f32at(row, j)), meanV), invStdV);
      const a = f64at(sumDyXHat, j);
      const b = f64at(sumDy, j);
      v128.store(a, f64x2.add(v128.load(a), f64x2.mul(d, xHat)));
      v128.store(b, f64x2.add(v128.load(b), d));
    }
    for (; j < j1; j++) {
      const d = <f64>load<f32>(f32at(dyRow, j));
      const xHat = (<f64>load<f32>(f32at(row, j)) - mean) * invStd;
      store<f64>(f64at(sumDyXHat, j), load<f64>(f64at(sumDyXHat, j)) + d * xHat);
      store<f64>(f64at(sumDy, j), load<f64>(f64at(sumDy, j)) + d);
    }
  }
  for (let j = j0; j < j1; j++) {
    store<f32>(f32at(dGamma, j), <f32>load<f64>(f64at(sumDyXHat, j)));
    store<f32>(f32at(dBeta, j), <f32>load<f64>(f64at(sumDy, j)));
  }
}
