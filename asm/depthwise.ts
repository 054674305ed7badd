// Depthwise 2-D convolution over NHWC input with a [KH, KW, C, M] filter (M the channel multiplier), and its two
// gradients. With iy = oy·SH + ky·DH − PT and ix = ox·SW + kx·DW − PL (taps outside the input are skipped: zero padding):
//   y[n, oy, ox, c·M + m] = Σ_{ky, kx} x[n, iy, ix, c] · w[ky, kx, c, m]
// x[((n·H + iy)·W + ix)·C + c], w[(ky·KW + kx)·C·M + c·M + m], y[((n·OH + oy)·OW + ox)·C·M + c·M + m].
// All three kernels walk the taps (n, oy, ox, ky, kx) in the js reference's order and accumulate into their zeroed
// output row by row, 4 lanes at a time along the C·M output channels. With M > 1 the input is first expanded to
// C·M channels (xe[…, c·M + m] = x[…, c], in a scratch block), which turns the op into a depthwise convolution
// with multiplier 1; the input gradient is taken on that expanded input and then summed over m.
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

const FORWARD: i32 = 0;
const INPUT_GRAD: i32 = 1;
const FILTER_GRAD: i32 = 2;

/**
 * Walks every tap inside the input over an input of C·M channels (expanded when M > 1). Per tap, with rows of C·M
 * values: FORWARD y += x·w; INPUT_GRAD x += y·w (x is the input gradient, y is dy); FILTER_GRAD w += x·y (w is dw).
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
            if (kind == FORWARD) rowMadd(yRow, xRow, wRow, channels);
            else if (kind == INPUT_GRAD) rowMadd(xRow, yRow, wRow, channels);
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

/** y [N, OH, OW, C·M] from x [N, H, W, C] and w [KH, KW, C, M]. `scratch`: N·H·W·C·M floats when M > 1. */
export function depthwiseConv2d(x: usize, w: usize, y: usize, scratch: usize): void {
  memory.fill(y, 0, <usize>(gN * gOH * gOW * gC * gM) << 2);
  walk(FORWARD, expanded(x, scratch), w, y);
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
