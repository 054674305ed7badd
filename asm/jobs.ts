// Parallel jobs: a kernel call split into parts that the main thread and the worker threads claim from one
// control block in the shared memory (src/backend/wasm/threads.ts writes it; offsets mirror CONTROL there).
//
// Control block at `ctl` (i32 words): 0 claim = seq << 16 | parts << 8 | next part, 1 parts done, 2 parts failed,
// 3 worker generation, 4 workers started, 16.. parts run per thread (statistics), JOB.. the job's arguments.
// A thread claims part `next` by compare-and-swap of the claim word, runs it, and counts it done; the thread that
// completes the last part wakes the main thread. Each part writes its own rows of the output and uses its own
// scratch (indexed by part, not by thread), so results are the same whichever thread runs a part and however many
// parts there are.
import { A_STRIDED, gemm, kSliceDepth } from './gemm';
import { col2im, setConvGeometry } from './im2col';
import { binary, MODE_COLUMN, MODE_FULL, unary, unaryGrad } from './elementwise';
import { avgPool, avgPoolBackprop, maxPool, maxPoolBackprop, setPoolGeometry } from './pool';
import { adamUpdate } from './optimizers';
import { biasRelu, biasReluGrad } from './bias-relu';
import { f32at, imin } from './simd';

const DONE: usize = 4;
const RUN_COUNTS: usize = 64;
const JOB: usize = 256;

export const K_GEMM: i32 = 1;
export const K_CONV_DX: i32 = 2;
export const K_MAX_POOL: i32 = 3;
export const K_MAX_POOL_GRAD: i32 = 4;
export const K_AVG_POOL: i32 = 5;
export const K_AVG_POOL_GRAD: i32 = 6;
export const K_UNARY: i32 = 7;
export const K_UNARY_GRAD: i32 = 8;
export const K_BINARY: i32 = 9;
export const K_ADAM: i32 = 10;
export const K_SUM: i32 = 11;
export const K_BIAS_RELU: i32 = 12;
export const K_BIAS_RELU_GRAD: i32 = 13;

/** Word `i` of the job. Words 17.. hold a convolution's or pooling's geometry. */
@inline
function arg(job: usize, i: i32): i32 {
  return load<i32>(job + (<usize>i << 2));
}

@inline
function argf(job: usize, i: i32): f32 {
  return load<f32>(job + (<usize>i << 2));
}

/** Start of part p of `parts` over `total` items, a multiple of `align` (or total). */
@inline
function bound(total: i32, parts: i32, p: i32, align: i32): i32 {
  const units = (<i64>total + align - 1) / align;
  return imin(<i32>(units * p / parts) * align, total);
}

const GEOMETRY = 17;

function convGeometry(job: usize): void {
  setConvGeometry(arg(job, GEOMETRY), arg(job, GEOMETRY + 1), arg(job, GEOMETRY + 2), arg(job, GEOMETRY + 3),
    arg(job, GEOMETRY + 4), arg(job, GEOMETRY + 5), arg(job, GEOMETRY + 6), arg(job, GEOMETRY + 7),
    arg(job, GEOMETRY + 8), arg(job, GEOMETRY + 9), arg(job, GEOMETRY + 10), arg(job, GEOMETRY + 11),
    arg(job, GEOMETRY + 12));
}

/** Sets the pooling geometry and returns the batch size. */
function poolGeometry(job: usize): i32 {
  setPoolGeometry(arg(job, GEOMETRY), arg(job, GEOMETRY + 1), arg(job, GEOMETRY + 2), arg(job, GEOMETRY + 3),
    arg(job, GEOMETRY + 4), arg(job, GEOMETRY + 5), arg(job, GEOMETRY + 6), arg(job, GEOMETRY + 7),
    arg(job, GEOMETRY + 8), arg(job, GEOMETRY + 9), arg(job, GEOMETRY + 10), arg(job, GEOMETRY + 11));
  return arg(job, GEOMETRY);
}

const SPLIT_COLUMNS = 1;
const SPLIT_K = 2;

/**
 * GEMM: words 1 m, 2 n, 3 k, 4 aMode, 5 a, 6 rsA, 7 csA, 8 b, 9 rsB, 10 csB, 11 c, 12 ldc, 13 accumulate,
 * 14 scratch, 15 scratch bytes per part, 16 split (0: rows of C, 1: columns, 2: k, into partials at c),
 * 17.. conv geometry (im2col modes).
 */
function gemmPart(job: usize, p: i32, parts: i32): void {
  const m = arg(job, 1); const n = arg(job, 2); const k = arg(job, 3); const aMode = arg(job, 4);
  const csB = arg(job, 10);
  const work = <usize>arg(job, 14) + <usize>p * <usize>arg(job, 15);
  if (aMode != A_STRIDED) convGeometry(job);
  const split = arg(job, 16);
  if (split == SPLIT_COLUMNS) {
    const c0 = bound(n, parts, p, 8);
    const c1 = bound(n, parts, p + 1, 8);
    if (c1 > c0) gemm(m, c1 - c0, k, aMode, arg(job, 5), arg(job, 6), arg(job, 7), f32at(arg(job, 8), c0 * csB),
      arg(job, 9), csB, f32at(arg(job, 11), c0), arg(job, 12), arg(job, 13) != 0, work, 0, 0);
  } else if (split == SPLIT_K) {
    // Part p computes gemm's slice p of k into its own partial C (m×n from c + p·m·n floats); parts = slices.
    const depth = kSliceDepth(k);
    const k0 = p * depth;
    gemm(m, n, imin(depth, k - k0), aMode, arg(job, 5), arg(job, 6), arg(job, 7), arg(job, 8), arg(job, 9), csB,
      f32at(arg(job, 11), p * m * n), n, false, work, 0, k0);
  } else {
    const r0 = bound(m, parts, p, 4);
    const r1 = bound(m, parts, p + 1, 4);
    if (r1 > r0) gemm(r1 - r0, n, k, aMode, arg(job, 5), arg(job, 6), arg(job, 7), arg(job, 8), arg(job, 9), csB,
      arg(job, 11), arg(job, 12), arg(job, 13) != 0, work, r0, 0);
  }
}

/**
 * Sum of partials: words 1 out, 2 partials, 3 how many, 4 values each; out = ((P0 + P1) + P2) + … in that order, the
 * order in which an unsplit gemm accumulates its slices, so splitting k changes no bit of the result.
 */
function sumPart(job: usize, p: i32, parts: i32): void {
  const n = arg(job, 4);
  const count = arg(job, 3);
  const i0 = bound(n, parts, p, 4);
  const i1 = bound(n, parts, p + 1, 4);
  const out = <usize>arg(job, 1);
  const partials = <usize>arg(job, 2);
  const stride = <usize>n << 2;
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    let src = f32at(partials, i);
    let acc = v128.load(src);
    for (let q = 1; q < count; q++) {
      src += stride;
      acc = f32x4.add(acc, v128.load(src));
    }
    v128.store(f32at(out, i), acc);
  }
  for (; i < i1; i++) {
    let src = f32at(partials, i);
    let acc = load<f32>(src);
    for (let q = 1; q < count; q++) {
      src += stride;
      acc += load<f32>(src);
    }
    store<f32>(f32at(out, i), acc);
  }
}

/**
 * Convolution input gradient for a range of images: dx = col2im(dy · wᵀ), a block of rows at a time. Words 1 batch,
 * 2 taps, 3 out channels, 4 dy, 5 w, 6 dx, 7 block rows, 8 scratch, 9 scratch bytes per part (block·taps floats,
 * then, from the next 64-byte line, the GEMM workspace), 10 output pixels per image, 11 dx values per image,
 * 17.. conv geometry.
 */
function convDxPart(job: usize, p: i32, parts: i32): void {
  convGeometry(job);
  const batch = arg(job, 1); const taps = arg(job, 2); const oc = arg(job, 3);
  const dy = <usize>arg(job, 4); const w = <usize>arg(job, 5); const dx = <usize>arg(job, 6);
  const block = arg(job, 7); const pixels = arg(job, 10); const image = arg(job, 11);
  const dcols = <usize>arg(job, 8) + <usize>p * <usize>arg(job, 9);
  const work = dcols + ((<usize>(block * taps) * 4 + 63) & ~63); // the GEMM workspace starts on the next cache line
  const i0 = bound(batch, parts, p, 1);
  const i1 = bound(batch, parts, p + 1, 1);
  memory.fill(f32at(dx, i0 * image), 0, <usize>((i1 - i0) * image) << 2);
  const end = i1 * pixels;
  for (let start = i0 * pixels; start < end; start += block) {
    const count = imin(block, end - start);
    // dcols[count, K] = dy[start.., OC] · wᵀ, where B(p = oc, j = tap) = w[tap·OC + oc].
    gemm(count, taps, oc, A_STRIDED, f32at(dy, start * oc), oc, 1, w, 1, oc, dcols, taps, false, work, 0, 0);
    col2im(dcols, start, count, dx);
  }
}

/** Pooling over a range of images: words 1, 2, 3 the kernel's pointers, 17.. pool geometry. */
function poolPart(kind: i32, job: usize, p: i32, parts: i32): void {
  const batch = poolGeometry(job);
  const n0 = bound(batch, parts, p, 1);
  const n1 = bound(batch, parts, p + 1, 1);
  if (kind == K_MAX_POOL) maxPool(arg(job, 1), arg(job, 2), n0, n1);
  else if (kind == K_MAX_POOL_GRAD) maxPoolBackprop(arg(job, 1), arg(job, 2), arg(job, 3), n0, n1);
  else if (kind == K_AVG_POOL) avgPool(arg(job, 1), arg(job, 2), n0, n1);
  else avgPoolBackprop(arg(job, 1), arg(job, 2), n0, n1);
}

/** Elementwise kernels over a range of elements (binary: of rows). */
function elementwisePart(kind: i32, job: usize, p: i32, parts: i32): void {
  if (kind == K_UNARY) {
    // 1 op, 2 x, 3 out, 4 n, 5 param.
    const i0 = bound(arg(job, 4), parts, p, 4);
    const i1 = bound(arg(job, 4), parts, p + 1, 4);
    unary(arg(job, 1), f32at(arg(job, 2), i0), f32at(arg(job, 3), i0), i1 - i0, argf(job, 5));
  } else if (kind == K_UNARY_GRAD) {
    // 1 op, 2 x (or y, for the ops whose derivative reads the output), 3 dy, 4 out, 5 n, 6 param.
    const i0 = bound(arg(job, 5), parts, p, 4);
    const i1 = bound(arg(job, 5), parts, p + 1, 4);
    unaryGrad(arg(job, 1), f32at(arg(job, 2), i0), f32at(arg(job, 3), i0), f32at(arg(job, 4), i0), i1 - i0, argf(job, 6));
  } else if (kind == K_BINARY) {
    // 1 op, 2 a, 3 aMode, 4 b, 5 bMode, 6 out, 7 outer, 8 inner: parts are ranges of outer rows.
    const inner = arg(job, 8);
    const r0 = bound(arg(job, 7), parts, p, 1);
    const r1 = bound(arg(job, 7), parts, p + 1, 1);
    binary(arg(job, 1), operandRows(arg(job, 2), arg(job, 3), r0, inner), arg(job, 3),
      operandRows(arg(job, 4), arg(job, 5), r0, inner), arg(job, 5), f32at(arg(job, 6), r0 * inner), r1 - r0, inner);
  } else {
    // Adam: 1 w, 2 g, 3 m, 4 v, 5 n, 6 lr, 7 β1, 8 1 − β1, 9 β2, 10 1 − β2, 11 ε, 12 1 − β1^t, 13 1 − β2^t.
    const i0 = bound(arg(job, 5), parts, p, 4);
    const i1 = bound(arg(job, 5), parts, p + 1, 4);
    adamUpdate(f32at(arg(job, 1), i0), f32at(arg(job, 2), i0), f32at(arg(job, 3), i0), f32at(arg(job, 4), i0), i1 - i0,
      argf(job, 6), argf(job, 7), argf(job, 8), argf(job, 9), argf(job, 10), argf(job, 11), argf(job, 12), argf(job, 13));
  }
}

/** Where row r0 of an operand starts, by its broadcast mode. */
@inline
function operandRows(base: usize, mode: i32, r0: i32, inner: i32): usize {
  if (mode == MODE_FULL) return f32at(base, r0 * inner);
  if (mode == MODE_COLUMN) return f32at(base, r0);
  return base;
}

/**
 * relu(x + bias): 1 x, 2 bias, 3 out, 4 rows, 5 channels; parts are ranges of rows.
 * Its gradient: 1 dy, 2 y, 3 dz, 4 partials, 5 rows, 6 channels, 7 rows per block; parts are ranges of fixed row
 * blocks, block b writing its column sums to partials + b·channels (added up in block order by a K_SUM job).
 */
function biasReluPart(kind: i32, job: usize, p: i32, parts: i32): void {
  if (kind == K_BIAS_RELU) {
    const channels = arg(job, 5);
    const r0 = bound(arg(job, 4), parts, p, 1);
    const r1 = bound(arg(job, 4), parts, p + 1, 1);
    biasRelu(f32at(arg(job, 1), r0 * channels), arg(job, 2), f32at(arg(job, 3), r0 * channels), r1 - r0, channels);
    return;
  }
  const rows = arg(job, 5);
  const channels = arg(job, 6);
  const blockRows = arg(job, 7);
  const blocks = (rows + blockRows - 1) / blockRows;
  const b1 = bound(blocks, parts, p + 1, 1);
  for (let b = bound(blocks, parts, p, 1); b < b1; b++) {
    const r0 = b * blockRows;
    const at = r0 * channels;
    biasReluGrad(f32at(arg(job, 1), at), f32at(arg(job, 2), at), f32at(arg(job, 3), at), f32at(arg(job, 4), b * channels),
      imin(blockRows, rows - r0), channels);
  }
}

/** Runs part p of `parts` of the job at `job`. */
export function runPart(job: usize, p: i32, parts: i32): void {
  const kind = arg(job, 0);
  if (kind == K_GEMM) gemmPart(job, p, parts);
  else if (kind == K_CONV_DX) convDxPart(job, p, parts);
  else if (kind >= K_MAX_POOL && kind <= K_AVG_POOL_GRAD) poolPart(kind, job, p, parts);
  else if (kind == K_SUM) sumPart(job, p, parts);
  else if (kind == K_BIAS_RELU || kind == K_BIAS_RELU_GRAD) biasReluPart(kind, job, p, parts);
  else elementwisePart(kind, job, p, parts);
}

/**
 * Claims and runs parts of the current job until none is left; returns how many this thread ran. Called by the main
 * thread after publishing a job, and by each worker when it sees one.
 */
export function work(ctl: usize, thread: i32): i32 {
  let ran = 0;
  let word = atomic.load<i32>(ctl);
  while ((word & 0xff) < ((word >>> 8) & 0xff)) {
    const parts = (word >>> 8) & 0xff;
    const next = word & 0xff;
    if (atomic.cmpxchg<i32>(ctl, word, word + 1) != word) {
      word = atomic.load<i32>(ctl);
      continue;
    }
    runPart(ctl + JOB, next, parts);
    ran++;
    atomic.add<i32>(ctl + RUN_COUNTS + (<usize>thread << 2), 1);
    if (atomic.add<i32>(ctl + DONE, 1) + 1 == parts) atomic.notify(ctl + DONE);
    word = atomic.load<i32>(ctl);
  }
  return ran;
}
