// Depthwise 2-D convolution over NHWC input with a [KH, KW, C, M] filter (M the channel multiplier), and its two
// gradients. With iy = oy·SH + ky·DH − PT and ix = ox·SW + kx·DW − PL (taps outside the input are skipped: zero padding):
//   y[n, oy, ox, c·M + m] = Σ_{ky, kx} x[n, iy, ix, c] · w[ky, kx, c, m]
// x[((n·H + iy)·W + ix)·C + c], w[(ky·KW + kx)·C·M + c·M + m], y[((n·OH + oy)·OW + ox)·C·M + c·M + m].
// With M > 1 the input is first expanded to C·M channels (xe[…, c·M + m] = x[…, c], a separate job), which turns the
// op into a depthwise convolution with multiplier 1. Every kernel runs 16, then 4, then 1 of the C·M channels at a
// time with its sums held in registers and stored once:
// - forward: per output pixel, over its taps;
// - input gradient: per input pixel, over the (tap, output pixel) pairs that read it (a gather), into a row of C·M
//   sums that is then summed over m;
// - filter gradient: per tap, over a block of output rows; blocks of fixed size write partial sums that a K_SUM job
//   adds in block order.
// Each sum runs in an order fixed by the geometry, so results do not depend on how a job is split into parts.
// Geometry lives in globals that each part sets from its job (jobs.ts): every thread's instance has its own.
import { f32at, imin, madd } from './simd';

let gN: i32 = 0;
let gH: i32 = 0;
let gW: i32 = 0;
let gC: i32 = 0;
let gM: i32 = 0;
let gOH: i32 = 0;
let gOW: i32 = 0;
let gKH: i32 = 0;
let gKW: i32 = 0;
let gSH: i32 = 0;
let gSW: i32 = 0;
let gDH: i32 = 0;
let gDW: i32 = 0;
let gPT: i32 = 0;
let gPL: i32 = 0;

/** Sets the geometry the kernels below use (per instance: each worker thread sets its own). */
export function setDepthwiseGeometry(n: i32, h: i32, w: i32, c: i32, m: i32, oh: i32, ow: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32): void {
  gN = n; gH = h; gW = w; gC = c; gM = m; gOH = oh; gOW = ow; gKH = kh; gKW = kw;
  gSH = sh; gSW = sw; gDH = dh; gDW = dw; gPT = pt; gPL = pl;
}

/** xe[i·M + m] = x[i] for i in [i0, i1). */
export function depthwiseExpand(x: usize, out: usize, i0: i32, i1: i32, multiplier: i32): void {
  for (let i = i0; i < i1; i++) {
    const v = load<f32>(f32at(x, i));
    const row = f32at(out, i * multiplier);
    for (let m = 0; m < multiplier; m++) store<f32>(f32at(row, m), v);
  }
}

/** [k0, k1): the taps k < size with 0 ≤ base + k·step < extent, packed as k0 << 32 | k1. */
@inline
function tapRange(base: i32, step: i32, size: i32, extent: i32): i64 {
  let k0 = 0;
  while (k0 < size && base + k0 * step < 0) k0++;
  let k1 = k0;
  while (k1 < size && base + k1 * step < extent) k1++;
  return (<i64>k0 << 32) | <i64>k1;
}

// The taps of the current output pixel that lie inside the input: rows [ky0, ky1), columns [kx0, kx1).
let ky0: i32 = 0;
let ky1: i32 = 0;
let kx0: i32 = 0;
let kx1: i32 = 0;

/**
 * y row of output pixel (n, oy, ox) from the (expanded) input x, each sum held in registers over the taps (in the
 * reference's ky, kx order) and stored once.
 */
@inline
function forwardPixel(x: usize, w: usize, yRow: usize, image: i32, iyBase: i32, ixBase: i32, channels: i32): void {
  let c = 0;
  for (; c + 16 <= channels; c += 16) {
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    let a3 = f32x4.splat(0);
    for (let ky = ky0; ky < ky1; ky++) {
      const xLine = (image + iyBase + ky * gDH) * gW;
      for (let kx = kx0; kx < kx1; kx++) {
        const xp = f32at(x, (xLine + ixBase + kx * gDW) * channels + c);
        const wp = f32at(w, (ky * gKW + kx) * channels + c);
        a0 = madd(v128.load(xp), v128.load(wp), a0);
        a1 = madd(v128.load(xp, 16), v128.load(wp, 16), a1);
        a2 = madd(v128.load(xp, 32), v128.load(wp, 32), a2);
        a3 = madd(v128.load(xp, 48), v128.load(wp, 48), a3);
      }
    }
    const yp = f32at(yRow, c);
    v128.store(yp, a0);
    v128.store(yp, a1, 16);
    v128.store(yp, a2, 32);
    v128.store(yp, a3, 48);
  }
  for (; c + 4 <= channels; c += 4) {
    let a = f32x4.splat(0);
    for (let ky = ky0; ky < ky1; ky++) {
      const xLine = (image + iyBase + ky * gDH) * gW;
      for (let kx = kx0; kx < kx1; kx++) {
        a = madd(v128.load(f32at(x, (xLine + ixBase + kx * gDW) * channels + c)), v128.load(f32at(w, (ky * gKW + kx) * channels + c)), a);
      }
    }
    v128.store(f32at(yRow, c), a);
  }
  for (; c < channels; c++) {
    let a: f32 = 0;
    for (let ky = ky0; ky < ky1; ky++) {
      const xLine = (image + iyBase + ky * gDH) * gW;
      for (let kx = kx0; kx < kx1; kx++) {
        a += load<f32>(f32at(x, (xLine + ixBase + kx * gDW) * channels + c)) * load<f32>(f32at(w, (ky * gKW + kx) * channels + c));
      }
    }
    store<f32>(f32at(yRow, c), a);
  }
}

/** Output rows [r0, r1) (r = n·OH + oy) of y [N, OH, OW, C·M] from x (expanded to C·M channels when M > 1) and w. */
export function depthwiseRows(x: usize, w: usize, y: usize, r0: i32, r1: i32): void {
  const channels = gC * gM;
  for (let r = r0; r < r1; r++) {
    const n = r / gOH;
    const oy = r - n * gOH;
    const iyBase = oy * gSH - gPT;
    const rows = tapRange(iyBase, gDH, gKH, gH);
    ky0 = <i32>(rows >> 32);
    ky1 = <i32>rows;
    for (let ox = 0; ox < gOW; ox++) {
      const ixBase = ox * gSW - gPL;
      const cols = tapRange(ixBase, gDW, gKW, gW);
      kx0 = <i32>(cols >> 32);
      kx1 = <i32>cols;
      forwardPixel(x, w, f32at(y, (r * gOW + ox) * channels), n * gH, iyBase, ixBase, channels);
    }
  }
}

/** Bytes of an input-gradient part's scratch: the tap lists (8 bytes a tap), then a row of C·M floats. */
export function depthwiseDxScratchBytes(kh: i32, kw: i32, channels: i32): usize {
  return ((<usize>(kh + kw) * 8 + 63) & ~63) + <usize>channels * 4;
}

/**
 * Writes to `list` the (tap k, output position o) pairs with o·stride + k·dilation − pad = i, 0 ≤ o < outSize, in k
 * order, as (k, o) i32 pairs; returns how many.
 */
@inline
function gatherTaps(list: usize, i: i32, size: i32, stride: i32, dilation: i32, pad: i32, outSize: i32): i32 {
  let count = 0;
  for (let k = 0; k < size; k++) {
    const t = i + pad - k * dilation;
    if (t < 0) break;
    const o = t / stride;
    if (o * stride != t || o >= outSize) continue;
    store<i32>(list + (<usize>count << 3), k);
    store<i32>(list + (<usize>count << 3), o, 4);
    count++;
  }
  return count;
}

/**
 * Input rows [r0, r1) (r = n·H + iy) of dx [N, H, W, C] from dy [N, OH, OW, C·M] and w:
 *   dxe[n, iy, ix, j] = Σ_{(ky, oy), (kx, ox) reading (iy, ix)} dy[n, oy, ox, j] · w[ky, kx, j],  dx[…, c] = Σ_m dxe[…, c·M + m].
 * `scratch`: depthwiseDxScratchBytes of this part.
 */
export function depthwiseDxRows(dy: usize, w: usize, dx: usize, scratch: usize, r0: i32, r1: i32): void {
  const channels = gC * gM;
  const rowTaps = scratch;
  const colTaps = scratch + (<usize>gKH << 3);
  const sums = scratch + ((<usize>(gKH + gKW) * 8 + 63) & ~63);
  for (let r = r0; r < r1; r++) {
    const n = r / gH;
    const iy = r - n * gH;
    const rowCount = gatherTaps(rowTaps, iy, gKH, gSH, gDH, gPT, gOH);
    for (let ix = 0; ix < gW; ix++) {
      const colCount = gatherTaps(colTaps, ix, gKW, gSW, gDW, gPL, gOW);
      const target = gM == 1 ? f32at(dx, (r * gW + ix) * gC) : sums;
      let c = 0;
      for (; c + 16 <= channels; c += 16) {
        let a0 = f32x4.splat(0);
        let a1 = f32x4.splat(0);
        let a2 = f32x4.splat(0);
        let a3 = f32x4.splat(0);
        for (let i = 0; i < rowCount; i++) {
          const ky = load<i32>(rowTaps + (<usize>i << 3));
          const yLine = (n * gOH + load<i32>(rowTaps + (<usize>i << 3), 4)) * gOW;
          for (let k = 0; k < colCount; k++) {
            const kx = load<i32>(colTaps + (<usize>k << 3));
            const dp = f32at(dy, (yLine + load<i32>(colTaps + (<usize>k << 3), 4)) * channels + c);
            const wp = f32at(w, (ky * gKW + kx) * channels + c);
            a0 = madd(v128.load(dp), v128.load(wp), a0);
            a1 = madd(v128.load(dp, 16), v128.load(wp, 16), a1);
            a2 = madd(v128.load(dp, 32), v128.load(wp, 32), a2);
            a3 = madd(v128.load(dp, 48), v128.load(wp, 48), a3);
          }
        }
        const tp = f32at(target, c);
        v128.store(tp, a0);
        v128.store(tp, a1, 16);
        v128.store(tp, a2, 32);
        v128.store(tp, a3, 48);
      }
      for (; c + 4 <= channels; c += 4) {
        let a = f32x4.splat(0);
        for (let i = 0; i < rowCount; i++) {
          const ky = load<i32>(rowTaps + (<usize>i << 3));
          const yLine = (n * gOH + load<i32>(rowTaps + (<usize>i << 3), 4)) * gOW;
          for (let k = 0; k < colCount; k++) {
            const kx = load<i32>(colTaps + (<usize>k << 3));
            a = madd(v128.load(f32at(dy, (yLine + load<i32>(colTaps + (<usize>k << 3), 4)) * channels + c)),
              v128.load(f32at(w, (ky * gKW + kx) * channels + c)), a);
          }
        }
        v128.store(f32at(target, c), a);
      }
      for (; c < channels; c++) {
        let a: f32 = 0;
        for (let i = 0; i < rowCount; i++) {
          const ky = load<i32>(rowTaps + (<usize>i << 3));
          const yLine = (n * gOH + load<i32>(rowTaps + (<usize>i << 3), 4)) * gOW;
          for (let k = 0; k < colCount; k++) {
            const kx = load<i32>(colTaps + (<usize>k << 3));
            a += load<f32>(f32at(dy, (yLine + load<i32>(colTaps + (<usize>k << 3), 4)) * channels + c))
              * load<f32>(f32at(w, (ky * gKW + kx) * channels + c));
          }
        }
        store<f32>(f32at(target, c), a);
      }
      if (gM == 1) continue;
      // dx[c] = Σ_m dxe[c·M + m], in m order.
      const out = f32at(dx, (r * gW + ix) * gC);
      for (let ci = 0; ci < gC; ci++) {
        const row = f32at(sums, ci * gM);
        let sum: f32 = 0;
        for (let m = 0; m < gM; m++) sum += load<f32>(f32at(row, m));
        store<f32>(f32at(out, ci), sum);
      }
    }
  }
}

/**
 * The filter gradient's sums over output rows [r0, r1) (r = n·OH + oy), written (not added) to dw [KH, KW, C·M]:
 *   dw[ky, kx, j] = Σ_{r, ox} xe[n, iy, ix, j] · dy[n, oy, ox, j], in r then ox order.
 * x is expanded to C·M channels when M > 1.
 */
export function depthwiseDwRows(x: usize, dy: usize, dw: usize, r0: i32, r1: i32): void {
  const channels = gC * gM;
  const rowBytes = <usize>channels << 2;
  for (let ky = 0; ky < gKH; ky++) {
    for (let kx = 0; kx < gKW; kx++) {
      const cols = tapRange(kx * gDW - gPL, gSW, gOW, gW);
      const ox0 = <i32>(cols >> 32);
      const ox1 = <i32>cols;
      const xStep = rowBytes * <usize>gSW;
      const wp = f32at(dw, (ky * gKW + kx) * channels);
      let c = 0;
      for (; c + 16 <= channels; c += 16) {
        let a0 = f32x4.splat(0);
        let a1 = f32x4.splat(0);
        let a2 = f32x4.splat(0);
        let a3 = f32x4.splat(0);
        for (let r = r0; r < r1; r++) {
          const n = r / gOH;
          const iy = (r - n * gOH) * gSH + ky * gDH - gPT;
          if (iy < 0 || iy >= gH) continue;
          let xp = f32at(x, ((n * gH + iy) * gW + ox0 * gSW + kx * gDW - gPL) * channels + c);
          let dp = f32at(dy, (r * gOW + ox0) * channels + c);
          for (let ox = ox0; ox < ox1; ox++) {
            a0 = madd(v128.load(xp), v128.load(dp), a0);
            a1 = madd(v128.load(xp, 16), v128.load(dp, 16), a1);
            a2 = madd(v128.load(xp, 32), v128.load(dp, 32), a2);
            a3 = madd(v128.load(xp, 48), v128.load(dp, 48), a3);
            xp += xStep;
            dp += rowBytes;
          }
        }
        const p = f32at(wp, c);
        v128.store(p, a0);
        v128.store(p, a1, 16);
        v128.store(p, a2, 32);
        v128.store(p, a3, 48);
      }
      for (; c + 4 <= channels; c += 4) {
        let a = f32x4.splat(0);
        for (let r = r0; r < r1; r++) {
          const n = r / gOH;
          const iy = (r - n * gOH) * gSH + ky * gDH - gPT;
          if (iy < 0 || iy >= gH) continue;
          let xp = f32at(x, ((n * gH + iy) * gW + ox0 * gSW + kx * gDW - gPL) * channels + c);
          let dp = f32at(dy, (r * gOW + ox0) * channels + c);
          for (let ox = ox0; ox < ox1; ox++) {
            a = madd(v128.load(xp), v128.load(dp), a);
            xp += xStep;
            dp += rowBytes;
          }
        }
        v128.store(f32at(wp, c), a);
      }
      for (; c < channels; c++) {
        let a: f32 = 0;
        for (let r = r0; r < r1; r++) {
          const n = r / gOH;
          const iy = (r - n * gOH) * gSH + ky * gDH - gPT;
          if (iy < 0 || iy >= gH) continue;
          let xp = f32at(x, ((n * gH + iy) * gW + ox0 * gSW + kx * gDW - gPL) * channels + c);
          let dp = f32at(dy, (r * gOW + ox0) * channels + c);
          for (let ox = ox0; ox < ox1; ox++) {
            a += load<f32>(xp) * load<f32>(dp);
            xp += xStep;
            dp += rowBytes;
          }
        }
        store<f32>(f32at(wp, c), a);
      }
    }
  }
}

/** Blocks of `blockRows` output rows the filter gradient is summed in: N·OH / blockRows, rounded up. */
@inline
export function depthwiseDwBlocks(blockRows: i32): i32 {
  return (gN * gOH + blockRows - 1) / blockRows;
}

/** Block b's rows: [b·blockRows, min((b + 1)·blockRows, N·OH)). */
export function depthwiseDwBlock(x: usize, dy: usize, partials: usize, blockRows: i32, b: i32): void {
  const r0 = b * blockRows;
  depthwiseDwRows(x, dy, f32at(partials, b * gKH * gKW * gC * gM), r0, imin(r0 + blockRows, gN * gOH));
}
