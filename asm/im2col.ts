// The im2col view of a 2-D convolution, read directly by the GEMM packers (no column matrix is materialized).
//
// Geometry (set by setConvGeometry): x [N, H, W, C], filter [KH, KW, C, OC], y [N, OH, OW, OC].
// Column matrix cols[M, K] with M = N·OH·OW output pixels and K = KH·KW·C taps:
//   cols[(n·OH + oy)·OW + ox, (ky·KW + kx)·C + ci] = x[n, iy, ix, ci], iy = oy·SH + ky·DH − PT, ix = ox·SW + kx·DW − PL,
// and 0 where (iy, ix) falls in the padding. Then y = cols · w, dw = colsᵀ · dy, and dx = col2im(dy · wᵀ).
// The geometry lives in this instance's globals; each worker thread (later) has its own instance and sets its own.
import { f32at, imin, storeTransposed4 } from './simd';

let gH: i32 = 0;
let gW: i32 = 0;
let gC: i32 = 0;
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

/** Sets the convolution geometry for the im2col packers and col2im (batch is implied by the row count). */
export function setConvGeometry(h: i32, w: i32, c: i32, oh: i32, ow: i32, kh: i32, kw: i32, sh: i32, sw: i32, dh: i32,
  dw: i32, pt: i32, pl: i32): void {
  gH = h; gW = w; gC = c; gOH = oh; gOW = ow; gKH = kh; gKW = kw; gSH = sh; gSW = sw; gDH = dh; gDW = dw; gPT = pt; gPL = pl;
}

/** One output pixel's decoded position: the top-left input tap and the image's first element. */
let pixN: i32 = 0;
let pixOy: i32 = 0;
let pixOx: i32 = 0;

/** Decodes output pixel `row` = (n·OH + oy)·OW + ox into pixN, pixOy, pixOx. */
@inline
function decodePixel(row: i32): void {
  const pixels = gOH * gOW;
  pixN = row / pixels;
  const rest = row - pixN * pixels;
  pixOy = rest / gOW;
  pixOx = rest - pixOy * gOW;
}

/** Advances pixN, pixOy, pixOx to the next output pixel. */
@inline
function nextPixel(): void {
  if (++pixOx == gOW) {
    pixOx = 0;
    if (++pixOy == gOH) {
      pixOy = 0;
      pixN++;
    }
  }
}

/** Element index of x[n, iy, ix, 0] for a pixel's tap (ky, kx), or −1 where the tap reads padding. */
@inline
function tapIndex(n: i32, oy: i32, ox: i32, ky: i32, kx: i32): i32 {
  const iy = oy * gSH + ky * gDH - gPT;
  const ix = ox * gSW + kx * gDW - gPL;
  if (iy < 0 || iy >= gH || ix < 0 || ix >= gW) return -1;
  return ((n * gH + iy) * gW + ix) * gC;
}

/**
 * Packs cols(ic..ic+mc, pc..pc+kc) as 4-row panels pa[panel][p][r], rows past mc zero.
 * Walks p one tap at a time: within a tap the channels of each pixel are contiguous in x, so 4 pixels × 4 channels
 * move as one 4×4 transpose. Padding and missing rows read the zeroed 16-byte block `zero` without advancing.
 * With one channel, 4 pixels of one output row at stride 1 are 4 contiguous inputs: one vector per tap.
 */
export function packIm2col(x: usize, ic: i32, mc: i32, pc: i32, kc: i32, pa: usize, zero: usize): void {
  const firstTap = pc / gC;
  for (let i0 = 0; i0 < mc; i0 += 4) {
    const mr = imin(4, mc - i0);
    const dst = pa + (<usize>(i0 * kc) << 2);
    decodePixel(ic + i0);
    const n0 = pixN; const oy0 = pixOy; const ox0 = pixOx;
    nextPixel();
    const n1 = pixN; const oy1 = pixOy; const ox1 = pixOx;
    nextPixel();
    const n2 = pixN; const oy2 = pixOy; const ox2 = pixOx;
    nextPixel();
    const n3 = pixN; const oy3 = pixOy; const ox3 = pixOx;
    const contiguous = gC == 1 && gSW == 1 && mr == 4 && n3 == n0 && oy3 == oy0;
    let ky = firstTap / gKW;
    let kx = firstTap - ky * gKW;
    let ci = pc - firstTap * gC;
    let q = 0;
    while (q < kc) {
      const len = imin(gC - ci, kc - q);
      let d = dst + (<usize>q << 4);
      if (contiguous) {
        // One channel: the tap of 4 neighbouring pixels is 4 neighbouring inputs (unless padding cuts in).
        const iy = oy0 * gSH + ky * gDH - gPT;
        const ix = ox0 + kx * gDW - gPL;
        if (iy >= 0 && iy < gH && ix >= 0 && ix + 3 < gW) {
          v128.store(d, v128.load(f32at(x, (n0 * gH + iy) * gW + ix)));
          q++;
          if (++kx == gKW) { kx = 0; ky++; }
          continue;
        }
      }
      const t0 = tapIndex(n0, oy0, ox0, ky, kx);
      const t1 = mr > 1 ? tapIndex(n1, oy1, ox1, ky, kx) : -1;
      const t2 = mr > 2 ? tapIndex(n2, oy2, ox2, ky, kx) : -1;
      const t3 = mr > 3 ? tapIndex(n3, oy3, ox3, ky, kx) : -1;
      let s0 = t0 < 0 ? zero : f32at(x, t0 + ci);
      let s1 = t1 < 0 ? zero : f32at(x, t1 + ci);
      let s2 = t2 < 0 ? zero : f32at(x, t2 + ci);
      let s3 = t3 < 0 ? zero : f32at(x, t3 + ci);
      const v0: usize = t0 < 0 ? 0 : 1;
      const v1: usize = t1 < 0 ? 0 : 1;
      const v2: usize = t2 < 0 ? 0 : 1;
      const v3: usize = t3 < 0 ? 0 : 1;
      let t = 0;
      for (; t + 4 <= len; t += 4) {
        storeTransposed4(d, v128.load(s0), v128.load(s1), v128.load(s2), v128.load(s3));
        s0 += v0 << 4; s1 += v1 << 4; s2 += v2 << 4; s3 += v3 << 4;
        d += 64;
      }
      for (; t < len; t++) {
        store<f32>(d, load<f32>(s0));
        store<f32>(d, load<f32>(s1), 4);
        store<f32>(d, load<f32>(s2), 8);
        store<f32>(d, load<f32>(s3), 12);
        s0 += v0 << 2; s1 += v1 << 2; s2 += v2 << 2; s3 += v3 << 2;
        d += 16;
      }
      q += len;
      ci = 0;
      if (++kx == gKW) { kx = 0; ky++; }
    }
  }
}

/**
 * Writes one tap's values for `count` consecutive output pixels starting at (n, oy, ox) — all in one output row — as
 * floats `lanes` wide apart in the packed panel: `width` floats each (4 channels as one vector, or one float).
 * Positions that read padding get zeros.
 */
@inline
function copyTapRun(x: usize, n: i32, oy: i32, ox: i32, count: i32, ky: i32, kx: i32, ci: i32, dst: usize, vector: bool): void {
  const iy = oy * gSH + ky * gDH - gPT;
  const stride: usize = vector ? 16 : 16; // panel rows are 4 floats apart either way
  if (iy < 0 || iy >= gH) {
    for (let t = 0; t < count; t++) {
      if (vector) v128.store(dst + <usize>t * stride, f32x4.splat(0));
      else store<f32>(dst + <usize>t * stride, 0);
    }
    return;
  }
  const ix0 = ox * gSW + kx * gDW - gPL;
  const row = f32at(x, ((n * gH + iy) * gW) * gC + ci);
  for (let t = 0; t < count; t++) {
    const ix = ix0 + t * gSW;
    const src = row + (<usize>(ix * gC) << 2);
    const inside = ix >= 0 && ix < gW;
    if (vector) v128.store(dst + <usize>t * stride, inside ? v128.load(src) : f32x4.splat(0));
    else store<f32>(dst + <usize>t * stride, inside ? load<f32>(src) : 0);
  }
}

/**
 * Packs colsᵀ(ic..ic+mc, pc..pc+kc) — rows are taps, columns output pixels — as 4-row panels pa[panel][p][r].
 * Walks the pixels one output row at a time, so each tap is a strided run through one input row. When C is a
 * multiple of 4 a panel's 4 taps are 4 consecutive channels of one (ky, kx): one vector per pixel.
 */
export function packIm2colT(x: usize, ic: i32, mc: i32, pc: i32, kc: i32, pa: usize): void {
  for (let i0 = 0; i0 < mc; i0 += 4) {
    const mr = imin(4, mc - i0);
    const dst = pa + (<usize>(i0 * kc) << 2);
    const first = ic + i0;
    const vector = (gC & 3) == 0 && mr == 4;
    const lanes = vector ? 1 : 4;
    for (let r = 0; r < lanes; r++) {
      const lane = dst + (<usize>r << 2);
      if (r >= mr) {
        for (let p = 0; p < kc; p++) store<f32>(lane + (<usize>p << 4), 0);
        continue;
      }
      const tap = (first + r) / gC;
      const ci = first + r - tap * gC;
      const ky = tap / gKW;
      const kx = tap - ky * gKW;
      decodePixel(pc);
      let p = 0;
      while (p < kc) {
        const count = imin(gOW - pixOx, kc - p);
        if (vector) copyTapRun(x, pixN, pixOy, pixOx, count, ky, kx, ci, lane + (<usize>p << 4), true);
        else copyTapRun(x, pixN, pixOy, pixOx, count, ky, kx, ci, lane + (<usize>p << 4), false);
        p += count;
        pixOx += count;
        if (pixOx == gOW) {
          pixOx = 0;
          if (++pixOy == gOH) { pixOy = 0; pixN++; }
        }
      }
    }
  }
}

/**
 * dx[n, iy, ix, ci] += dcols[row − rowStart, (ky·KW + kx)·C + ci] for rows rowStart..rowStart+rowCount: the adjoint of
 * im2col, scattering a block of column-gradient rows back onto the input gradient (which the caller zeroed).
 */
export function col2im(dcols: usize, rowStart: i32, rowCount: i32, dx: usize): void {
  const k = gKH * gKW * gC;
  decodePixel(rowStart);
  for (let r = 0; r < rowCount; r++) {
    for (let ky = 0; ky < gKH; ky++) {
      for (let kx = 0; kx < gKW; kx++) {
        const t = tapIndex(pixN, pixOy, pixOx, ky, kx);
        if (t < 0) continue;
        const dst = f32at(dx, t);
        const src = f32at(dcols, r * k + (ky * gKW + kx) * gC);
        let c = 0;
        for (; c + 4 <= gC; c += 4) {
          const at = dst + (<usize>c << 2);
          v128.store(at, f32x4.add(v128.load(at), v128.load(src + (<usize>c << 2))));
        }
        for (; c < gC; c++) {
          const at = dst + (<usize>c << 2);
          store<f32>(at, load<f32>(at) + load<f32>(src + (<usize>c << 2)));
        }
      }
    }
    nextPixel();
  }
}
