// Depthwise 2-D convolution over NHWC input with a [KH, KW, C, M] filter (M the channel multiplier), and its two
// gradients. With iy = oy·SH + ky·DH − PT and ix = ox·SW + kx·DW − PL (taps outside the input are skipped: zero padding):
//   y[n, oy, ox, c·M + m] = Σ_{ky, kx} x[n, iy, ix, c] · w[ky, kx, c, m]
// x[((n·H + iy)·W + ix)·C + c], w[(ky·KW + kx)·C·M + c·M + m], y[((n·OH + oy)·OW + ox)·C·M + c·M + m].
// All three kernels walk the taps (n, oy, ox, ky, kx) in the js reference's order, 4 lanes at a time along the C·M
// output channels: the forward pass holds each output pixel's sums in registers; the gradients accumulate into their
// zeroed output row by row. With M > 1 the input is first expanded to C·M channels (xe[…, c·M + m] = x[…, c], in a
// scratch block), which turns the op into a depthwise convolution with multiplier 1; the input gradient is taken on
// that expanded input and then summed over m. Geometry lives in globals set by setDepthwiseGeometry (as asm/pool.ts).
import { f32at, madd } from './simd';

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

/** Sets the geometry the kernels below use (per instance: each worker thread would set its own). */
export function setDepthwiseGeometry(n: i32, h: i32, w: i32, c: i32, m: i32, oh: i32, ow: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32): void {
  gN = n; gH = h; gW = w; gC = c; gM = m; gOH = oh; gOW = ow; gKH = kh; gKW = kw;
  gSH = sh; gSW = sw; gDH = dh; gDW = dw; gPT = pt; gPL = pl;
}

/** dst[j] += a[j]·b[j] for j < length. */
@inline
function rowMadd(dst: usize, a: usize, b: usize, length: i32): void {
  let j = 0;
  for (; j + 4 <= length; j += 4) {
    const p = f32at(dst, j);
    v128.store(p, madd(v128.load(f32at(a, j)), v128.load(f32at(b, j)), v128.load(p)));
  }
  for (; j < length; j++) {
    const p = f32at(dst, j);
    store<f32>(p, load<f32>(p) + load<f32>(f32at(a, j)) * load<f32>(f32at(b, j)));
  }
}

const INPUT_GRAD: i32 = 0;
const FILTER_GRAD: i32 = 1;

/**
 * Walks every tap inside the input over an input of C·M channels (expanded when M > 1). Per tap, with rows of C·M
 * values: INPUT_GRAD x += y·w (x is the input gradient, y is dy); FILTER_GRAD w += x·y (w is dw).
 */
@inline
function walk(kind: i32, x: usize, w: usize, y: usize): void {
  const channels = gC * gM;
  for (let n = 0; n < gN; n++) {
    for (let oy = 0; oy < gOH; oy++) {
      for (let ox = 0; ox < gOW; ox++) {
        const yRow = f32at(y, ((n * gOH + oy) * gOW + ox) * channels);
        for (let ky = 0; ky < gKH; ky++) {
          const iy = oy * gSH + ky * gDH - gPT;
          if (iy < 0 || iy >= gH) continue;
          for (let kx = 0; kx < gKW; kx++) {
            const ix = ox * gSW + kx * gDW - gPL;
            if (ix < 0 || ix >= gW) continue;
            const xRow = f32at(x, ((n * gH + iy) * gW + ix) * channels);
            const wRow = f32at(w, (ky * gKW + kx) * channels);
            if (kind == INPUT_GRAD) rowMadd(xRow, yRow, wRow, channels);
            else rowMadd(wRow, xRow, yRow, channels);
          }
        }
      }
    }
  }
}

/** Input values: N·H·W·C. */
@inline
function inputLength(): i32 {
  return gN * gH * gW * gC;
}

/** x itself when M = 1; else x expanded into `scratch` (N·H·W·C·M floats): xe[i·M + m] = x[i]. */
function expanded(x: usize, scratch: usize): usize {
  if (gM == 1) return x;
  const count = inputLength();
  for (let i = 0; i < count; i++) {
    const v = load<f32>(f32at(x, i));
    const row = f32at(scratch, i * gM);
    for (let m = 0; m < gM; m++) store<f32>(f32at(row, m), v);
  }
  return scratch;
}

// The taps of the current output pixel that lie inside the input: rows [ky0, ky1), columns [kx0, kx1).
let ky0: i32 = 0;
let ky1: i32 = 0;
let kx0: i32 = 0;
let kx1: i32 = 0;

/** [k0, k1): the taps k < size with 0 ≤ base + k·step < extent. */
@inline
function tapRange(base: i32, step: i32, size: i32, extent: i32): i64 {
  let k0 = 0;
  while (k0 < size && base + k0 * step < 0) k0++;
  let k1 = k0;
  while (k1 < size && base + k1 * step < extent) k1++;
  return (<i64>k0 << 32) | <i64>k1;
}

/**
 * y row of output pixel (n, oy, ox) from the (expanded) input x, 16 then 4 channels at a time, each sum held in
 * registers over the taps (in the reference's ky, kx order) and stored once.
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

/** y [N, OH, OW, C·M] from x [N, H, W, C] and w [KH, KW, C, M]. `scratch`: N·H·W·C·M floats when M > 1. */
export function depthwiseConv2d(x: usize, w: usize, y: usize, scratch: usize): void {
  const source = expanded(x, scratch);
  const channels = gC * gM;
  for (let n = 0; n < gN; n++) {
    const image = n * gH;
    for (let oy = 0; oy < gOH; oy++) {
      const iyBase = oy * gSH - gPT;
      const rows = tapRange(iyBase, gDH, gKH, gH);
      ky0 = <i32>(rows >> 32);
      ky1 = <i32>rows;
      for (let ox = 0; ox < gOW; ox++) {
        const ixBase = ox * gSW - gPL;
        const cols = tapRange(ixBase, gDW, gKW, gW);
        kx0 = <i32>(cols >> 32);
        kx1 = <i32>cols;
        forwardPixel(source, w, f32at(y, ((n * gOH + oy) * gOW + ox) * channels), image, iyBase, ixBase, channels);
      }
    }
  }
}

/** dx [N, H, W, C] from dy [N, OH, OW, C·M] and w. `scratch`: N·H·W·C·M floats when M > 1. */
export function depthwiseConv2dBackpropInput(dy: usize, w: usize, dx: usize, scratch: usize): void {
  const count = inputLength();
  const target = gM == 1 ? dx : scratch;
  memory.fill(target, 0, <usize>(count * gM) << 2);
  walk(INPUT_GRAD, target, w, dy);
  if (gM == 1) return;
  // dx[i] = Σ_m dxe[i·M + m], in m order.
  for (let i = 0; i < count; i++) {
    const row = f32at(scratch, i * gM);
    let sum: f32 = 0;
    for (let m = 0; m < gM; m++) sum += load<f32>(f32at(row, m));
    store<f32>(f32at(dx, i), sum);
  }
}

/** dw [KH, KW, C, M] from x and dy. `scratch`: N·H·W·C·M floats when M > 1. */
export function depthwiseConv2dBackpropFilter(x: usize, dy: usize, dw: usize, scratch: usize): void {
  memory.fill(dw, 0, <usize>(gKH * gKW * gC * gM) << 2);
  walk(FILTER_GRAD, expanded(x, scratch), dw, dy);
}
