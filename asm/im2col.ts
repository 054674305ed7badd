// The im2col view of a 2-D convolution, read directly by the GEMM packers (no column matrix is materialized).
//
// Geometry (set by setConvGeometry): x [N, H, W, C], filter [KH, KW, C, OC], y [N, OH, OW, OC].
// Column matrix cols[M, K] with M = N·OH·OW output pixels and K = KH·KW·C taps:
//   cols[(n·OH + oy)·OW + ox, (ky·KW + kx)·C + ci] = x[n, iy, ix, ci],
//   iy = oy·SH + ky·DH − PT, ix = ox·SW + kx·DW − PL,
// and 0 where (iy, ix) falls in the padding. Then y = cols · w, dw = colsᵀ · dy, and dx = col2im(dy · wᵀ).
// The geometry lives in this instance's globals; each worker thread has its own instance and sets its own per job.
import { f32at, imax, imin, storeTransposed4 } from './simd';

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
  gH = h; gW = w; gC = c; gOH = oh; gOW = ow; gKH = kh; gKW = kw;
  gSH = sh; gSW = sw; gDH = dh; gDW = dw; gPT = pt; gPL = pl;
}

/** The output pixel (n, oy, ox) a packer or col2im is at. */
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

/**
 * Packs cols(ic..ic+mc, pc..pc+kc) as 4-row panels pa[panel][p][r], rows past mc zero.
 * Walks p one tap at a time: within a tap the channels of each pixel are contiguous in x, so 4 pixels × 4 channels
 * move as one 4×4 transpose. Padding and missing rows read the zeroed 16-byte block `zero` without advancing.
 * With one channel, 4 pixels of one output row at stride 1 are 4 contiguous inputs: one vector per tap.
 * The geometry is copied into locals: the optimizer cannot keep globals in registers across the loops.
 */
export function packIm2col(x: usize, ic: i32, mc: i32, pc: i32, kc: i32, pa: usize, zero: usize): void {
  const H = gH; const W = gW; const C = gC; const OH = gOH; const OW = gOW; const KW = gKW;
  const SH = gSH; const SW = gSW; const DH = gDH; const DW = gDW; const PT = gPT; const PL = gPL;
  const firstTap = pc / C;
  const firstKy = firstTap / KW;
  const firstKx = firstTap - firstKy * KW;
  const firstCi = pc - firstTap * C;
  // The output pixel of the panel's first row, stepped from panel to panel.
  let n = ic / (OH * OW);
  let oy = (ic - n * OH * OW) / OW;
  let ox = ic - (n * OH + oy) * OW;
  for (let i0 = 0; i0 < mc; i0 += 4) {
    const mr = imin(4, mc - i0);
    const dst = pa + (<usize>(i0 * kc) << 2);
    // Per row r: input row and column of tap (0, 0) (before dilation offsets), and the image's first input row.
    let y0 = 0; let x0 = 0; let img0 = 0; let y1 = 0; let x1 = 0; let img1 = 0;
    let y2 = 0; let x2 = 0; let img2 = 0; let y3 = 0; let x3 = 0; let img3 = 0;
    for (let r = 0; r < 4; r++) {
      const yy = oy * SH - PT; const xx = ox * SW - PL; const im = n * H;
      if (r == 0) { y0 = yy; x0 = xx; img0 = im; } else if (r == 1) { y1 = yy; x1 = xx; img1 = im; }
      else if (r == 2) { y2 = yy; x2 = xx; img2 = im; } else { y3 = yy; x3 = xx; img3 = im; }
      if (++ox == OW) { ox = 0; if (++oy == OH) { oy = 0; n++; } }
    }
    // Rows past mc read padding: an input row that never exists.
    if (mr < 2) y1 = -0x40000000;
    if (mr < 3) y2 = -0x40000000;
    if (mr < 4) y3 = -0x40000000;
    const contiguous = C == 1 && SW == 1 && mr == 4 && img3 == img0 && y3 == y0;
    let ky = firstKy;
    let kx = firstKx;
    let ci = firstCi;
    let q = 0;
    while (q < kc) {
      const len = imin(C - ci, kc - q);
      const dy = ky * DH;
      const dx = kx * DW;
      let d = dst + (<usize>q << 4);
      if (contiguous && <u32>(y0 + dy) < <u32>H && x0 + dx >= 0 && x0 + dx + 3 < W) {
        // One channel: the tap of 4 neighbouring pixels is 4 neighbouring inputs.
        v128.store(d, v128.load(f32at(x, (img0 + y0 + dy) * W + x0 + dx)));
      } else {
        let s0 = zero; let s1 = zero; let s2 = zero; let s3 = zero;
        let v0: usize = 0; let v1: usize = 0; let v2: usize = 0; let v3: usize = 0;
        if (<u32>(y0 + dy) < <u32>H && <u32>(x0 + dx) < <u32>W) {
          s0 = f32at(x, ((img0 + y0 + dy) * W + x0 + dx) * C + ci);
          v0 = 1;
        }
        if (<u32>(y1 + dy) < <u32>H && <u32>(x1 + dx) < <u32>W) {
          s1 = f32at(x, ((img1 + y1 + dy) * W + x1 + dx) * C + ci);
          v1 = 1;
        }
        if (<u32>(y2 + dy) < <u32>H && <u32>(x2 + dx) < <u32>W) {
          s2 = f32at(x, ((img2 + y2 + dy) * W + x2 + dx) * C + ci);
          v2 = 1;
        }
        if (<u32>(y3 + dy) < <u32>H && <u32>(x3 + dx) < <u32>W) {
          s3 = f32at(x, ((img3 + y3 + dy) * W + x3 + dx) * C + ci);
          v3 = 1;
        }
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
      }
      q += len;
      ci = 0;
      if (++kx == KW) { kx = 0; ky++; }
    }
  }
}

/**
 * Writes one tap (ky, kx, channel ci) of `count` consecutive output pixels starting at (n, oy, ox), all in one output
 * row, into every 4th float of a packed panel from dst: 4 channels as one vector, or one float. Padding reads 0.
 * The pixels whose input column lies inside the image form one range [inLo, inHi), copied without checks.
 */
@inline
function copyTapRun(x: usize, n: i32, oy: i32, ox: i32, count: i32, ky: i32, kx: i32, ci: i32, dst: usize,
  vector: bool): void {
  const iy = oy * gSH + ky * gDH - gPT;
  const ix0 = ox * gSW + kx * gDW - gPL;
  let inLo = count;
  let inHi = count;
  if (iy >= 0 && iy < gH) {
    // ix0 + t·SW ≥ 0 ⇔ t ≥ ⌈−ix0 / SW⌉;  ix0 + t·SW < W ⇔ t < ⌈(W − ix0) / SW⌉.
    inLo = ix0 >= 0 ? 0 : imin((-ix0 + gSW - 1) / gSW, count);
    inHi = ix0 >= gW ? inLo : imax(imin((gW - ix0 + gSW - 1) / gSW, count), inLo);
  }
  let t = 0;
  for (; t < inLo; t++) {
    if (vector) v128.store(dst + (<usize>t << 4), f32x4.splat(0));
    else store<f32>(dst + (<usize>t << 4), 0);
  }
  const step = <usize>(gSW * gC) << 2;
  let src = f32at(x, ((n * gH + iy) * gW + ix0 + t * gSW) * gC + ci);
  for (; t < inHi; t++) {
    if (vector) v128.store(dst + (<usize>t << 4), v128.load(src));
    else store<f32>(dst + (<usize>t << 4), load<f32>(src));
    src += step;
  }
  for (; t < count; t++) {
    if (vector) v128.store(dst + (<usize>t << 4), f32x4.splat(0));
    else store<f32>(dst + (<usize>t << 4), 0);
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
 * Walks the rows one output-row run at a time, so each tap of a run adds along one input row without bounds checks.
 */
export function col2im(dcols: usize, rowStart: i32, rowCount: i32, dx: usize): void {
  const C = gC;
  const k = gKH * gKW * C;
  decodePixel(rowStart);
  let r = 0;
  while (r < rowCount) {
    const count = imin(gOW - pixOx, rowCount - r);
    for (let ky = 0; ky < gKH; ky++) {
      const iy = pixOy * gSH + ky * gDH - gPT;
      if (iy < 0 || iy >= gH) continue;
      for (let kx = 0; kx < gKW; kx++) {
        const ix0 = pixOx * gSW + kx * gDW - gPL;
        // The run's pixels t whose input column lies inside the row: ix0 + t·SW ∈ [0, W).
        const lo = ix0 >= 0 ? 0 : imin((-ix0 + gSW - 1) / gSW, count);
        const hi = ix0 >= gW ? lo : imax(imin((gW - ix0 + gSW - 1) / gSW, count), lo);
        if (lo == hi) continue;
        let dst = f32at(dx, ((pixN * gH + iy) * gW + ix0 + lo * gSW) * C);
        let src = f32at(dcols, (r + lo) * k + (ky * gKW + kx) * C);
        const dstStep = <usize>(gSW * C) << 2;
        const srcStep = <usize>k << 2;
        for (let t = lo; t < hi; t++) {
          let c = 0;
          for (; c + 4 <= C; c += 4) {
            const at = dst + (<usize>c << 2);
            v128.store(at, f32x4.add(v128.load(at), v128.load(src + (<usize>c << 2))));
          }
          for (; c < C; c++) {
            const at = dst + (<usize>c << 2);
            store<f32>(at, load<f32>(at) + load<f32>(src + (<usize>c << 2)));
          }
          dst += dstStep;
          src += srcStep;
        }
      }
    }
    r += count;
    pixOx += count;
    if (pixOx == gOW) {
      pixOx = 0;
      if (++pixOy == gOH) { pixOy = 0; pixN++; }
    }
  }
}
