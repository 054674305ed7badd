// 2-D pooling over NHWC input, 4 channels at a time (TensorFlow semantics, as the js reference).
// Window of output (n, oy, ox): rows iy ∈ [oy·SH − PT, oy·SH − PT + PH) ∩ [0, H), columns likewise; padded positions
// are absent, so they never win a max and are not counted in an average.
// x[((n·H + iy)·W + ix)·C + c], y[((n·OH + oy)·OW + ox)·C + c].
import { f32at, imax, imin } from './simd';

let pH: i32 = 0;
let pW: i32 = 0;
let pC: i32 = 0;
let pOH: i32 = 0;
let pOW: i32 = 0;
let pPH: i32 = 0;
let pPW: i32 = 0;
let pSH: i32 = 0;
let pSW: i32 = 0;
let pPT: i32 = 0;
let pPL: i32 = 0;

/** Sets the pooling geometry used by the kernels below (per instance: each worker thread sets its own). */
export function setPoolGeometry(h: i32, w: i32, c: i32, oh: i32, ow: i32, ph: i32, pw: i32, sh: i32, sw: i32, pt: i32,
  pl: i32): void {
  pH = h; pW = w; pC = c; pOH = oh; pOW = ow; pPH = ph; pPW = pw; pSH = sh; pSW = sw; pPT = pt; pPL = pl;
}

// The current window: valid rows [wy0, wy1), columns [wx0, wx1), and x's element index of (n, 0, 0, 0).
let wy0: i32 = 0;
let wy1: i32 = 0;
let wx0: i32 = 0;
let wx1: i32 = 0;
let wImage: i32 = 0;

@inline
function setWindow(n: i32, oy: i32, ox: i32): void {
  const y = oy * pSH - pPT;
  const x = ox * pSW - pPL;
  wy0 = imax(y, 0);
  wy1 = imax(imin(y + pPH, pH), wy0);
  wx0 = imax(x, 0);
  wx1 = imax(imin(x + pPW, pW), wx0);
  wImage = n * pH * pW * pC;
}

@inline
function at(iy: i32, ix: i32, c: i32): i32 {
  return wImage + (iy * pW + ix) * pC + c;
}

/**
 * Flat x index of the first maximum (row-major scan; the first NaN wins) of the window for channel c, or −1 when
 * the window is empty. This is the scalar tail of the 4-channel loops.
 */
@inline
function argmax(x: usize, c: i32): i32 {
  let best: f32 = 0;
  let where = -1;
  for (let iy = wy0; iy < wy1; iy++) {
    for (let ix = wx0; ix < wx1; ix++) {
      const index = at(iy, ix, c);
      const v = load<f32>(f32at(x, index));
      if (where == -1 || v > best || (v != v && best == best)) {
        best = v;
        where = index;
      }
    }
  }
  return where;
}

/** Whether v replaces the running maximum: strictly larger, or the first NaN. */
@inline
function wins(v: v128, best: v128): v128 {
  return v128.or(f32x4.gt(v, best), v128.andnot(f32x4.ne(v, v), f32x4.ne(best, best)));
}

/** The maxima of channels c..c+3 over the (non-empty) window. */
@inline
function maxVec(x: usize, c: i32): v128 {
  let best = v128.load(f32at(x, at(wy0, wx0, c)));
  for (let iy = wy0; iy < wy1; iy++) {
    for (let ix = wx0; ix < wx1; ix++) {
      const v = v128.load(f32at(x, at(iy, ix, c)));
      best = v128.bitselect(v, best, wins(v, best));
    }
  }
  return best;
}

/** y = the maximum of each window (0 for an empty window), for images [n0, n1). */
export function maxPool(x: usize, y: usize, n0: i32, n1: i32): void {
  let out = n0 * pOH * pOW * pC;
  for (let n = n0; n < n1; n++) for (let oy = 0; oy < pOH; oy++) for (let ox = 0; ox < pOW; ox++) {
    setWindow(n, oy, ox);
    let c = 0;
    const empty = wy0 == wy1 || wx0 == wx1;
    for (; c + 4 <= pC; c += 4) v128.store(f32at(y, out + c), empty ? f32x4.splat(0) : maxVec(x, c));
    for (; c < pC; c++) {
      const where = argmax(x, c);
      store<f32>(f32at(y, out + c), where < 0 ? 0 : load<f32>(f32at(x, where)));
    }
    out += pC;
  }
}

/** dx (zeroed here) += dy routed to each window's first maximum, for images [n0, n1). */
export function maxPoolBackprop(dy: usize, x: usize, dx: usize, n0: i32, n1: i32): void {
  const image = pH * pW * pC;
  memory.fill(f32at(dx, n0 * image), 0, <usize>((n1 - n0) * image) << 2);
  // Windows that cannot overlap (stride ≥ window) give each dx element at most one contribution, so the winners' dy
  // is stored straight (as 0 + dy, matching the reference's sum) instead of scattered lane by lane.
  const disjoint = pSH >= pPH && pSW >= pPW;
  let out = n0 * pOH * pOW * pC;
  for (let n = n0; n < n1; n++) for (let oy = 0; oy < pOH; oy++) for (let ox = 0; ox < pOW; ox++) {
    setWindow(n, oy, ox);
    let c = 0;
    const empty = wy0 == wy1 || wx0 == wx1;
    for (; disjoint && c + 4 <= pC && !empty; c += 4) {
      // The winner is the first position equal to the maximum (or the first NaN, when the maximum is NaN).
      const best = maxVec(x, c);
      const bestNaN = f32x4.ne(best, best);
      const g = v128.load(f32at(dy, out + c));
      let taken = i32x4.splat(0);
      for (let iy = wy0; iy < wy1; iy++) {
        for (let ix = wx0; ix < wx1; ix++) {
          const p = at(iy, ix, c);
          const v = v128.load(f32at(x, p));
          const hit = v128.andnot(v128.or(f32x4.eq(v, best), v128.and(f32x4.ne(v, v), bestNaN)), taken);
          taken = v128.or(taken, hit);
          v128.store(f32at(dx, p), f32x4.add(f32x4.splat(0), v128.and(g, hit)));
        }
      }
    }
    for (; c + 4 <= pC && !empty; c += 4) {
      // Track the winning flat index of each lane beside the running maximum.
      const first = at(wy0, wx0, c);
      let best = v128.load(f32at(x, first));
      let where = i32x4.add(i32x4.splat(first), i32x4(0, 1, 2, 3));
      for (let iy = wy0; iy < wy1; iy++) {
        for (let ix = wx0; ix < wx1; ix++) {
          const index = at(iy, ix, c);
          const v = v128.load(f32at(x, index));
          const w = wins(v, best);
          best = v128.bitselect(v, best, w);
          where = v128.bitselect(i32x4.add(i32x4.splat(index), i32x4(0, 1, 2, 3)), where, w);
        }
      }
      const g = v128.load(f32at(dy, out + c));
      scatterAdd(dx, i32x4.extract_lane(where, 0), f32x4.extract_lane(g, 0));
      scatterAdd(dx, i32x4.extract_lane(where, 1), f32x4.extract_lane(g, 1));
      scatterAdd(dx, i32x4.extract_lane(where, 2), f32x4.extract_lane(g, 2));
      scatterAdd(dx, i32x4.extract_lane(where, 3), f32x4.extract_lane(g, 3));
    }
    if (empty) c = pC;
    for (; c < pC; c++) {
      const where = argmax(x, c);
      if (where >= 0) scatterAdd(dx, where, load<f32>(f32at(dy, out + c)));
    }
    out += pC;
  }
}

@inline
function scatterAdd(dx: usize, index: i32, value: f32): void {
  const p = f32at(dx, index);
  store<f32>(p, load<f32>(p) + value);
}

/** y = the mean of each window's valid positions (0 for an empty window), for images [n0, n1). */
export function avgPool(x: usize, y: usize, n0: i32, n1: i32): void {
  let out = n0 * pOH * pOW * pC;
  for (let n = n0; n < n1; n++) for (let oy = 0; oy < pOH; oy++) for (let ox = 0; ox < pOW; ox++) {
    setWindow(n, oy, ox);
    const count = (wy1 - wy0) * (wx1 - wx0);
    const divisor = f32x4.splat(<f32>count);
    let c = 0;
    for (; c + 4 <= pC; c += 4) {
      let sum = f32x4.splat(0);
      for (let iy = wy0; iy < wy1; iy++) for (let ix = wx0; ix < wx1; ix++) {
        sum = f32x4.add(sum, v128.load(f32at(x, at(iy, ix, c))));
      }
      v128.store(f32at(y, out + c), count > 0 ? f32x4.div(sum, divisor) : f32x4.splat(0));
    }
    for (; c < pC; c++) {
      let sum: f32 = 0;
      for (let iy = wy0; iy < wy1; iy++) for (let ix = wx0; ix < wx1; ix++) sum += load<f32>(f32at(x, at(iy, ix, c)));
      store<f32>(f32at(y, out + c), count > 0 ? sum / <f32>count : 0);
    }
    out += pC;
  }
}

/** dx (zeroed here) += dy / count spread over each window's valid positions, for images [n0, n1). */
export function avgPoolBackprop(dy: usize, dx: usize, n0: i32, n1: i32): void {
  const image = pH * pW * pC;
  memory.fill(f32at(dx, n0 * image), 0, <usize>((n1 - n0) * image) << 2);
  let out = n0 * pOH * pOW * pC;
  for (let n = n0; n < n1; n++) for (let oy = 0; oy < pOH; oy++) for (let ox = 0; ox < pOW; ox++) {
    setWindow(n, oy, ox);
    const count = (wy1 - wy0) * (wx1 - wx0);
    if (count > 0) {
      const inv = f32x4.splat(<f32>count);
      let c = 0;
      for (; c + 4 <= pC; c += 4) {
        const share = f32x4.div(v128.load(f32at(dy, out + c)), inv);
        for (let iy = wy0; iy < wy1; iy++) for (let ix = wx0; ix < wx1; ix++) {
          const p = f32at(dx, at(iy, ix, c));
          v128.store(p, f32x4.add(v128.load(p), share));
        }
      }
      for (; c < pC; c++) {
        const share = load<f32>(f32at(dy, out + c)) / <f32>count;
        for (let iy = wy0; iy < wy1; iy++) for (let ix = wx0; ix < wx1; ix++) scatterAdd(dx, at(iy, ix, c), share);
      }
    }
    out += pC;
  }
}
