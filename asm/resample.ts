// Integer-factor upsampling of NHWC input (nearest and bilinear), its gradient, and the strided row copy concat is
// made of. These reproduce the js reference (src/backend/js/resample.ts) bit for bit: every value is accumulated in
// float64 from zero, over the same source taps with the same weights in the same order, then rounded to float32.
//   nearest:  y[n, oy, ox, c] = x[n, ⌊oy / SH⌋, ⌊ox / SW⌋, c]
//   bilinear: source row fy = (H / OH)·oy, read between rows ⌊fy⌋ and min(⌈fy⌉, H − 1) with weights 1 − frac and
//             frac (frac = fy − ⌊fy⌋); columns likewise; output = Σ over the 4 (row, column) taps of wy·wx·x.
// x[((n·H + iy)·W + ix)·C + c], y[((n·OH + oy)·OW + ox)·C + c] with OH = H·SH, OW = W·SW.
import { f32at } from './simd';

let uH: i32 = 0;
let uW: i32 = 0;
let uC: i32 = 0;
let uSH: i32 = 0;
let uSW: i32 = 0;
let uBilinear = false;

/** Sets the geometry the kernels below use (per instance: each worker thread sets its own). */
export function setUpSampleGeometry(h: i32, w: i32, c: i32, sh: i32, sw: i32, bilinear: bool): void {
  uH = h; uW = w; uC = c; uSH = sh; uSW = sw; uBilinear = bilinear;
}

// The taps of the current position along one axis: indices and weights (one tap, weight 1, when nearest).
let tapLow: i32 = 0;
let tapHigh: i32 = 0;
let weightLow: f64 = 1;
let weightHigh: f64 = 0;

/** Sets the taps of output position o along an axis of inSize scaled by factor, as the reference's axisTaps. */
@inline
function axisTaps(o: i32, inSize: i32, factor: i32): void {
  if (!uBilinear) {
    tapLow = o / factor;
    weightLow = 1;
    return;
  }
  const source = (<f64>inSize / <f64>(inSize * factor)) * <f64>o;
  const low = Math.floor(source);
  tapLow = <i32>low;
  tapHigh = <i32>Math.min(<f64>(inSize - 1), Math.ceil(source));
  const frac = source - low;
  weightLow = 1 - frac;
  weightHigh = frac;
}

/** Two floats at p widened to an f64x2. */
@inline
function load2(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

/** acc[0..C) (float64) += weight · src[0..C) (float32). */
@inline
function addScaled(acc: usize, src: usize, weight: f64): void {
  const w = f64x2.splat(weight);
  let c = 0;
  for (; c + 2 <= uC; c += 2) {
    const a = acc + (<usize>c << 3);
    v128.store(a, f64x2.add(v128.load(a), f64x2.mul(w, load2(f32at(src, c)))));
  }
  for (; c < uC; c++) {
    const a = acc + (<usize>c << 3);
    store<f64>(a, load<f64>(a) + weight * <f64>load<f32>(f32at(src, c)));
  }
}

/** dst[0..count) (float32) = acc[0..count) (float64), rounded. */
@inline
function narrow(dst: usize, acc: usize, count: i32): void {
  let i = 0;
  for (; i + 2 <= count; i += 2) {
    v128.store64_lane(f32at(dst, i), f32x4.demote_f64x2_zero(v128.load(acc + (<usize>i << 3))), 0);
  }
  for (; i < count; i++) store<f32>(f32at(dst, i), <f32>load<f64>(acc + (<usize>i << 3)));
}

/**
 * Output rows [r0, r1) (r = n·OH + oy) of y. Nearest copies (x + 0: the reference's 0 + 1·x, which turns −0 into +0);
 * bilinear sums its four taps in float64 from zero in the reference's order, two channels at a time in registers.
 */
export function upSampleRows(x: usize, y: usize, r0: i32, r1: i32): void {
  const oh = uH * uSH;
  const ow = uW * uSW;
  for (let r = r0; r < r1; r++) {
    const n = r / oh;
    const oy = r - n * oh;
    axisTaps(oy, uH, uSH);
    const lowLine = (n * uH + tapLow) * uW;
    const highLine = (n * uH + tapHigh) * uW;
    const rowWeightLow = weightLow;
    const rowWeightHigh = weightHigh;
    for (let ox = 0; ox < ow; ox++) {
      axisTaps(ox, uW, uSW);
      const out = f32at(y, (r * ow + ox) * uC);
      if (!uBilinear) {
        const src = f32at(x, (lowLine + tapLow) * uC);
        const zero = f32x4.splat(0);
        let c = 0;
        for (; c + 4 <= uC; c += 4) v128.store(f32at(out, c), f32x4.add(v128.load(f32at(src, c)), zero));
        for (; c < uC; c++) store<f32>(f32at(out, c), load<f32>(f32at(src, c)) + 0);
        continue;
      }
      const p00 = f32at(x, (lowLine + tapLow) * uC);
      const p01 = f32at(x, (lowLine + tapHigh) * uC);
      const p10 = f32at(x, (highLine + tapLow) * uC);
      const p11 = f32at(x, (highLine + tapHigh) * uC);
      const w00 = rowWeightLow * weightLow;
      const w01 = rowWeightLow * weightHigh;
      const w10 = rowWeightHigh * weightLow;
      const w11 = rowWeightHigh * weightHigh;
      const v00 = f64x2.splat(w00);
      const v01 = f64x2.splat(w01);
      const v10 = f64x2.splat(w10);
      const v11 = f64x2.splat(w11);
      let c = 0;
      for (; c + 2 <= uC; c += 2) {
        let a = f64x2.add(f64x2.splat(0), f64x2.mul(v00, load2(f32at(p00, c))));
        a = f64x2.add(a, f64x2.mul(v01, load2(f32at(p01, c))));
        a = f64x2.add(a, f64x2.mul(v10, load2(f32at(p10, c))));
        a = f64x2.add(a, f64x2.mul(v11, load2(f32at(p11, c))));
        v128.store64_lane(f32at(out, c), f32x4.demote_f64x2_zero(a), 0);
      }
      for (; c < uC; c++) {
        let a: f64 = 0 + w00 * <f64>load<f32>(f32at(p00, c));
        a += w01 * <f64>load<f32>(f32at(p01, c));
        a += w10 * <f64>load<f32>(f32at(p10, c));
        a += w11 * <f64>load<f32>(f32at(p11, c));
        store<f32>(f32at(out, c), <f32>a);
      }
    }
  }
}

/** acc[(line + col)·C ..] += weight · dy[..] when the row `line / W` lies in [u0, u1). */
@inline
function scatter(acc: usize, line: i32, col: i32, dyPixel: usize, weight: f64, u0: i32, u1: i32): void {
  const row = line / uW;
  if (row < u0 || row >= u1) return;
  addScaled(acc + (<usize>((line + col) * uC) << 3), dyPixel, weight);
}

/**
 * Input rows [u0, u1) (u = n·H + iy) of dx: the reference's scatter of weight·dy over every output position, in its
 * order, keeping only the contributions to these rows, summed in float64 at acc (8 bytes per value of dx; the part
 * uses its own rows) and then rounded into dx.
 */
export function upSampleGradRows(dy: usize, dx: usize, acc: usize, u0: i32, u1: i32): void {
  if (u1 <= u0) return;
  const oh = uH * uSH;
  const ow = uW * uSW;
  const rowValues = uW * uC;
  const accRows = acc + (<usize>(u0 * rowValues) << 3);
  memory.fill(accRows, 0, <usize>((u1 - u0) * rowValues) << 3);
  for (let n = u0 / uH; n <= (u1 - 1) / uH; n++) {
    for (let oy = 0; oy < oh; oy++) {
      axisTaps(oy, uH, uSH);
      const lowLine = (n * uH + tapLow) * uW;
      const highLine = (n * uH + tapHigh) * uW;
      const rowWeightLow = weightLow;
      const rowWeightHigh = weightHigh;
      const lowIn = n * uH + tapLow >= u0 && n * uH + tapLow < u1;
      const highIn = uBilinear && n * uH + tapHigh >= u0 && n * uH + tapHigh < u1;
      if (!lowIn && !highIn) continue;
      for (let ox = 0; ox < ow; ox++) {
        axisTaps(ox, uW, uSW);
        const dyPixel = f32at(dy, ((n * oh + oy) * ow + ox) * uC);
        if (!uBilinear) {
          scatter(acc, lowLine, tapLow, dyPixel, 1, u0, u1);
          continue;
        }
        scatter(acc, lowLine, tapLow, dyPixel, rowWeightLow * weightLow, u0, u1);
        scatter(acc, lowLine, tapHigh, dyPixel, rowWeightLow * weightHigh, u0, u1);
        scatter(acc, highLine, tapLow, dyPixel, rowWeightHigh * weightLow, u0, u1);
        scatter(acc, highLine, tapHigh, dyPixel, rowWeightHigh * weightHigh, u0, u1);
      }
    }
  }
  narrow(f32at(dx, u0 * rowValues), accRows, (u1 - u0) * rowValues);
}

/** Rows [r0, r1) of a strided copy: row r of `length` floats from src + r·length to dst + r·dstStride (floats). */
export function copyRows(src: usize, dst: usize, length: i32, dstStride: i32, r0: i32, r1: i32): void {
  const bytes = <usize>length << 2;
  for (let r = r0; r < r1; r++) memory.copy(f32at(dst, r * dstStride), f32at(src, r * length), bytes);
}
