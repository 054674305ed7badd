// Depthwise 2-D convolution over NHWC input with a [KH, KW, C, M] filter (M the channel multiplier), and its two
// gradients. With iy = oy·SH + ky·DH − PT and ix = ox·SW + kx·DW − PL (taps outside the input are skipped: zero padding):
//   y[n, oy, ox, c·M + m] = Σ_{ky, kx} x[n, iy, ix, c] · w[ky, kx, c, m]
// x[((n·H + iy)·W + ix)·C + c], w[(ky·KW + kx)·C·M + c·M + m], y[((n·OH + oy)·OW + ox)·C·M + c·M + m].
// All three kernels walk the taps (n, oy, ox, ky, kx) in the js reference's order and accumulate into their zeroed
// output row by row, 4 lanes at a time: along the channels when M = 1, along the multiplier otherwise.
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

/** dst[j] += s·b[j] for j < length. */
@inline
function rowScaleAdd(dst: usize, s: f32, b: usize, length: i32): void {
  const sv = f32x4.splat(s);
  let j = 0;
  for (; j + 4 <= length; j += 4) {
    const p = f32at(dst, j);
    v128.store(p, madd(sv, v128.load(f32at(b, j)), v128.load(p)));
  }
  for (; j < length; j++) {
    const p = f32at(dst, j);
    store<f32>(p, load<f32>(p) + s * load<f32>(f32at(b, j)));
  }
}

/** Σ_{j < length} a[j]·b[j]. */
@inline
function dot(a: usize, b: usize, length: i32): f32 {
  let acc = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= length; j += 4) acc = madd(v128.load(f32at(a, j)), v128.load(f32at(b, j)), acc);
  let sum = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
  for (; j < length; j++) sum += load<f32>(f32at(a, j)) * load<f32>(f32at(b, j));
  return sum;
}

const FORWARD: i32 = 0;
const INPUT_GRAD: i32 = 1;
const FILTER_GRAD: i32 = 2;

/**
 * One tap's contribution: x row (C values), filter row and output row (C·M values) as byte pointers.
 *   FORWARD:     y[c·M + m] += x[c]·w[c·M + m]
 *   INPUT_GRAD:  dx[c] += Σ_m dy[c·M + m]·w[c·M + m]
 *   FILTER_GRAD: dw[c·M + m] += x[c]·dy[c·M + m]
 */
@inline
function tap(kind: i32, xRow: usize, wRow: usize, yRow: usize): void {
  if (gM == 1) {
    if (kind == FORWARD) rowMadd(yRow, xRow, wRow, gC);
    else if (kind == INPUT_GRAD) rowMadd(xRow, yRow, wRow, gC);
    else rowMadd(wRow, xRow, yRow, gC);
    return;
  }
  for (let c = 0; c < gC; c++) {
    const j = c * gM;
    const xc = f32at(xRow, c);
    if (kind == FORWARD) rowScaleAdd(f32at(yRow, j), load<f32>(xc), f32at(wRow, j), gM);
    else if (kind == INPUT_GRAD) store<f32>(xc, load<f32>(xc) + dot(f32at(yRow, j), f32at(wRow, j), gM));
    else rowScaleAdd(f32at(wRow, j), load<f32>(xc), f32at(yRow, j), gM);
  }
}

/** Walks every tap inside the input; x, w, y play the roles the tap kind gives them (one of them accumulates). */
@inline
function walk(kind: i32, x: usize, w: usize, y: usize): void {
  const outChannels = gC * gM;
  for (let n = 0; n < gN; n++) {
    for (let oy = 0; oy < gOH; oy++) {
      for (let ox = 0; ox < gOW; ox++) {
        const yRow = f32at(y, ((n * gOH + oy) * gOW + ox) * outChannels);
        for (let ky = 0; ky < gKH; ky++) {
          const iy = oy * gSH + ky * gDH - gPT;
          if (iy < 0 || iy >= gH) continue;
          for (let kx = 0; kx < gKW; kx++) {
            const ix = ox * gSW + kx * gDW - gPL;
            if (ix < 0 || ix >= gW) continue;
            tap(kind, f32at(x, ((n * gH + iy) * gW + ix) * gC), f32at(w, (ky * gKW + kx) * outChannels), yRow);
          }
        }
      }
    }
  }
}

/** y [N, OH, OW, C·M] from x [N, H, W, C] and w [KH, KW, C, M]. */
export function depthwiseConv2d(x: usize, w: usize, y: usize): void {
  memory.fill(y, 0, <usize>(gN * gOH * gOW * gC * gM) << 2);
  walk(FORWARD, x, w, y);
}

/** dx [N, H, W, C] from dy [N, OH, OW, C·M] and w. */
export function depthwiseConv2dBackpropInput(dy: usize, w: usize, dx: usize): void {
  memory.fill(dx, 0, <usize>(gN * gH * gW * gC) << 2);
  walk(INPUT_GRAD, dx, w, dy);
}

/** dw [KH, KW, C, M] from x and dy. */
export function depthwiseConv2dBackpropFilter(x: usize, dy: usize, dw: usize): void {
  memory.fill(dw, 0, <usize>(gKH * gKW * gC * gM) << 2);
  walk(FILTER_GRAD, x, dw, dy);
}
