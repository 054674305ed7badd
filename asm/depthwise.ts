// Depthwise 2-D convolution over NHWC input with a [KH, KW, C, M] filter (M the channel multiplier), and its two
// gradients. With iy = oy·SH + ky·DH − PT and ix = ox·SW + kx·DW − PL (taps outside the input are skipped: zero
// padding):
//   y[n, oy, ox, c·M + m] = Σ_{ky, kx} x[n, iy, ix, c] · w[ky, kx, c, m]
// x[((n·H + iy)·W + ix)·C + c], w[(ky·KW + kx)·C·M + c·M + m], y[((n·OH + oy)·OW + ox)·C·M + c·M + m].
// With M > 1 the input is first expanded to C·M channels (xe[…, c·M + m] = x[…, c], a separate job), which turns the
// op into a depthwise convolution with multiplier 1. Every kernel runs 16, then 4, then 1 of the C·M channels at a
// time with its sums held in registers and stored once:
// the forward pass (here) per output pixel, over its taps; the gradients as depthwise-grad.ts says. Each sum runs in
// an order fixed by the geometry, so results do not depend on how a job is split into parts.
import { gC, gDH, gDW, gH, gKH, gKW, gM, gOH, gOW, gPL, gPT, gSH, gSW, gW, tapRange } from './depthwise-geometry';
import { f32at, madd } from './simd';

/** xe[i·M + m] = x[i] for i in [i0, i1). */
export function depthwiseExpand(x: usize, out: usize, i0: i32, i1: i32, multiplier: i32): void {
  for (let i = i0; i < i1; i++) {
    const v = load<f32>(f32at(x, i));
    const row = f32at(out, i * multiplier);
    for (let m = 0; m < multiplier; m++) store<f32>(f32at(row, m), v);
  }
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
        a = madd(v128.load(f32at(x, (xLine + ixBase + kx * gDW) * channels + c)),
          v128.load(f32at(w, (ky * gKW + kx) * channels + c)), a);
      }
    }
    v128.store(f32at(yRow, c), a);
  }
  for (; c < channels; c++) {
    let a: f32 = 0;
    for (let ky = ky0; ky < ky1; ky++) {
      const xLine = (image + iyBase + ky * gDH) * gW;
      for (let kx = kx0; kx < kx1; kx++) {
        a += load<f32>(f32at(x, (xLine + ixBase + kx * gDW) * channels + c)) *
          load<f32>(f32at(w, (ky * gKW + kx) * channels + c));
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
