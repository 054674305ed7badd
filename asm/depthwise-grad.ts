// The two gradients of the depthwise convolution (formulas and layout in depthwise.ts), with sums in registers:
// - input gradient: per input pixel, over the (tap, output pixel) pairs that read it (a gather), into a row of C·M
//   sums that is then summed over m;
// - filter gradient: per tap, over a block of output rows; blocks of fixed size write partial sums that a K_SUM job
//   adds in block order.
import { gC, gDH, gDW, gH, gKH, gKW, gM, gN, gOH, gOW, gPL, gPT, gSH, gSW, gW, tapRange } from './depthwise-geometry';
import { f32at, imin, madd } from './simd';

/** Bytes of the tap lists at the start of an input-gradient part's scratch (whole cache lines). */
@inline
function tapListBytes(kh: i32, kw: i32, width: i32): usize {
  return (<usize>(kh * 8 + width * 4 + width * kw * 8) + 63) & ~63;
}

/**
 * Bytes of an input-gradient part's scratch: the (tap, output row) list of the current input row, each input column's
 * count and list of (tap, output column) pairs, then a row of C·M floats.
 */
export function depthwiseDxScratchBytes(kh: i32, kw: i32, width: i32, channels: i32): usize {
  return tapListBytes(kh, kw, width) + <usize>channels * 4;
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
 *   dxe[n, iy, ix, j] = Σ_{(ky, oy), (kx, ox) reading (iy, ix)} dy[n, oy, ox, j] · w[ky, kx, j],
 *   dx[…, c] = Σ_m dxe[…, c·M + m].
 * `scratch`: depthwiseDxScratchBytes of this part.
 */
export function depthwiseDxRows(dy: usize, w: usize, dx: usize, scratch: usize, r0: i32, r1: i32): void {
  const channels = gC * gM;
  const rowTaps = scratch;
  const colCounts = scratch + (<usize>gKH << 3);
  const colLists = colCounts + (<usize>gW << 2);
  const sums = scratch + tapListBytes(gKH, gKW, gW);
  // The columns' taps are the same on every row: found once per part.
  for (let ix = 0; ix < gW; ix++) {
    store<i32>(colCounts + (<usize>ix << 2), gatherTaps(colLists + <usize>(ix * gKW) * 8, ix, gKW, gSW, gDW, gPL, gOW));
  }
  for (let r = r0; r < r1; r++) {
    const n = r / gH;
    const iy = r - n * gH;
    const rowCount = gatherTaps(rowTaps, iy, gKH, gSH, gDH, gPT, gOH);
    for (let ix = 0; ix < gW; ix++) {
      const colCount = load<i32>(colCounts + (<usize>ix << 2));
      const colTaps = colLists + <usize>(ix * gKW) * 8;
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
