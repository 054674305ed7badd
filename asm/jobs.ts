// Parallel jobs: a kernel call split into parts that the main thread and the worker threads claim from one
// control block in the shared memory (src/backend/wasm/threads.ts writes it). The block's layout, the job kinds and
// each kind's arguments are declared once in asm/protocol.json; protocol.generated.ts reads them here.
//
// Control block at `ctl`: claim = seq << 16 | parts << 8 | next part, parts done, parts failed, worker generation,
// workers started, parts run per thread (statistics), then the job: its kind, its arguments, maybe a geometry.
// A thread claims part `next` by compare-and-swap of the claim word, runs it, and counts it done; the thread that
// completes the last part wakes the main thread. Each part writes its own rows of the output and uses its own
// scratch (indexed by part, not by thread), so results are the same whichever thread runs a part and however many
// parts there are.
import { gemm, kSliceDepth } from './gemm';
import { col2im, setConvGeometry } from './im2col';
import { binary, unary, unaryGrad } from './elementwise';
import { avgPool, avgPoolBackprop, maxPool, maxPoolBackprop, setPoolGeometry } from './pool';
import { adamUpdate } from './optimizers';
import { biasRelu, biasReluGrad } from './bias-relu';
import { A_STRIDED, AdamJob, AvgPoolGradJob, AvgPoolJob, BiasReluGradJob, BiasReluJob, BinaryJob, ConvDxJob,
  ConvGeometry, CTL_DONE, CTL_JOB, CTL_RUN_COUNTS, GemmJob, GEOMETRY, K_ADAM, K_AVG_POOL, K_AVG_POOL_GRAD, K_BIAS_RELU,
  K_BIAS_RELU_GRAD, K_BINARY, K_CONV_DX, K_GEMM, K_MAX_POOL, K_MAX_POOL_GRAD, K_SUM, K_UNARY, K_UNARY_GRAD,
  MaxPoolGradJob, MaxPoolJob, MODE_COLUMN, MODE_FULL, PoolGeometry, SPLIT_COLUMNS, SPLIT_K, SumJob, UnaryGradJob,
  UnaryJob } from './protocol.generated';
import { blocksPart, isBlocksJob } from './blocks-jobs';
import { bound, f32at, imin } from './simd';

function convGeometry(job: usize): void {
  const g = changetype<ConvGeometry>(job + GEOMETRY);
  setConvGeometry(g.inHeight, g.inWidth, g.inChannels, g.outHeight, g.outWidth, g.filterHeight, g.filterWidth,
    g.strideHeight, g.strideWidth, g.dilationHeight, g.dilationWidth, g.padTop, g.padLeft);
}

/** Sets the pooling geometry and returns the batch size. */
function poolGeometry(job: usize): i32 {
  const g = changetype<PoolGeometry>(job + GEOMETRY);
  setPoolGeometry(g.inHeight, g.inWidth, g.channels, g.outHeight, g.outWidth, g.poolHeight, g.poolWidth, g.strideHeight,
    g.strideWidth, g.padTop, g.padLeft);
  return g.batch;
}

/** GEMM: rows of C, columns, or slices of k into partials at c; the im2col modes read the conv geometry. */
function gemmPart(job: usize, p: i32, parts: i32): void {
  const j = changetype<GemmJob>(job);
  const m = j.m; const n = j.n; const k = j.k; const aMode = j.aMode;
  const csB = j.csB;
  const work = j.scratch + <usize>p * j.scratchPerPart;
  if (aMode != A_STRIDED) convGeometry(job);
  const split = j.split;
  if (split == SPLIT_COLUMNS) {
    const c0 = bound(n, parts, p, 8);
    const c1 = bound(n, parts, p + 1, 8);
    if (c1 > c0) gemm(m, c1 - c0, k, aMode, j.a, j.rsA, j.csA, f32at(j.b, c0 * csB), j.rsB, csB, f32at(j.c, c0), j.ldc,
      j.accumulate != 0, work, 0, 0);
  } else if (split == SPLIT_K) {
    // Part p computes gemm's slice p of k into its own partial C (m×n from c + p·m·n floats); parts = slices.
    const depth = kSliceDepth(k);
    const k0 = p * depth;
    gemm(m, n, imin(depth, k - k0), aMode, j.a, j.rsA, j.csA, j.b, j.rsB, csB, f32at(j.c, p * m * n), n, false,
      work, 0, k0);
  } else {
    const r0 = bound(m, parts, p, 4);
    const r1 = bound(m, parts, p + 1, 4);
    if (r1 > r0) gemm(r1 - r0, n, k, aMode, j.a, j.rsA, j.csA, j.b, j.rsB, csB, j.c, j.ldc,
      j.accumulate != 0, work, r0, 0);
  }
}

/**
 * Sum of partials: out = ((P0 + P1) + P2) + … in that order, the order in which an unsplit gemm accumulates its
 * slices, so splitting k changes no bit of the result.
 */
function sumPart(job: usize, p: i32, parts: i32): void {
  const j = changetype<SumJob>(job);
  const n = j.n;
  const count = j.count;
  const i0 = bound(n, parts, p, 4);
  const i1 = bound(n, parts, p + 1, 4);
  const out = j.out;
  const partials = j.partials;
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

/** Convolution input gradient for a range of images: dx = col2im(dy · wᵀ), a block of rows at a time. */
function convDxPart(job: usize, p: i32, parts: i32): void {
  convGeometry(job);
  const j = changetype<ConvDxJob>(job);
  const batch = j.batch; const taps = j.taps; const oc = j.outChannels;
  const dy = j.dy; const w = j.w; const dx = j.dx;
  const block = j.blockRows; const pixels = j.pixels; const image = j.imageValues;
  const dcols = j.scratch + <usize>p * j.scratchPerPart;
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

/** Pooling over a range of images. */
function poolPart(kind: i32, job: usize, p: i32, parts: i32): void {
  const batch = poolGeometry(job);
  const n0 = bound(batch, parts, p, 1);
  const n1 = bound(batch, parts, p + 1, 1);
  if (kind == K_MAX_POOL) {
    const j = changetype<MaxPoolJob>(job);
    maxPool(j.x, j.y, n0, n1);
  } else if (kind == K_MAX_POOL_GRAD) {
    const j = changetype<MaxPoolGradJob>(job);
    maxPoolBackprop(j.dy, j.x, j.dx, n0, n1);
  } else if (kind == K_AVG_POOL) {
    const j = changetype<AvgPoolJob>(job);
    avgPool(j.x, j.y, n0, n1);
  } else {
    const j = changetype<AvgPoolGradJob>(job);
    avgPoolBackprop(j.dy, j.dx, n0, n1);
  }
}

/** Elementwise kernels over a range of elements (binary: of outer rows). */
function elementwisePart(kind: i32, job: usize, p: i32, parts: i32): void {
  if (kind == K_UNARY) {
    const j = changetype<UnaryJob>(job);
    const i0 = bound(j.n, parts, p, 4);
    const i1 = bound(j.n, parts, p + 1, 4);
    unary(j.op, f32at(j.x, i0), f32at(j.out, i0), i1 - i0, j.param);
  } else if (kind == K_UNARY_GRAD) {
    const j = changetype<UnaryGradJob>(job);
    const i0 = bound(j.n, parts, p, 4);
    const i1 = bound(j.n, parts, p + 1, 4);
    unaryGrad(j.op, f32at(j.input, i0), f32at(j.dy, i0), f32at(j.out, i0), i1 - i0, j.param);
  } else if (kind == K_BINARY) {
    const j = changetype<BinaryJob>(job);
    const inner = j.inner;
    const r0 = bound(j.outer, parts, p, 1);
    const r1 = bound(j.outer, parts, p + 1, 1);
    binary(j.op, operandRows(j.a, j.aMode, r0, inner), j.aMode, operandRows(j.b, j.bMode, r0, inner), j.bMode,
      f32at(j.out, r0 * inner), r1 - r0, inner);
  } else { // K_ADAM
    const j = changetype<AdamJob>(job);
    const i0 = bound(j.n, parts, p, 4);
    const i1 = bound(j.n, parts, p + 1, 4);
    adamUpdate(f32at(j.w, i0), f32at(j.g, i0), f32at(j.m, i0), f32at(j.v, i0), i1 - i0, j.learningRate, j.beta1,
      j.oneMinusBeta1, j.beta2, j.oneMinusBeta2, j.epsilon, j.biasCorrection1, j.biasCorrection2);
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
 * relu(x + bias), parts ranges of rows; its gradient, parts ranges of fixed row blocks, block b writing its column
 * sums to partials + b·channels (added up in block order by a K_SUM job).
 */
function biasReluPart(kind: i32, job: usize, p: i32, parts: i32): void {
  if (kind == K_BIAS_RELU) {
    const j = changetype<BiasReluJob>(job);
    const channels = j.channels;
    const r0 = bound(j.rows, parts, p, 1);
    const r1 = bound(j.rows, parts, p + 1, 1);
    biasRelu(f32at(j.x, r0 * channels), j.bias, f32at(j.out, r0 * channels), r1 - r0, channels);
    return;
  }
  const j = changetype<BiasReluGradJob>(job);
  const rows = j.rows;
  const channels = j.channels;
  const blockRows = j.blockRows;
  const blocks = (rows + blockRows - 1) / blockRows;
  const b1 = bound(blocks, parts, p + 1, 1);
  for (let b = bound(blocks, parts, p, 1); b < b1; b++) {
    const r0 = b * blockRows;
    const at = r0 * channels;
    biasReluGrad(f32at(j.dy, at), f32at(j.y, at), f32at(j.dz, at), f32at(j.partials, b * channels),
      imin(blockRows, rows - r0), channels);
  }
}

/** Runs part p of `parts` of the job at `job`. */
export function runPart(job: usize, p: i32, parts: i32): void {
  const kind = load<i32>(job);
  if (kind == K_GEMM) gemmPart(job, p, parts);
  else if (kind == K_CONV_DX) convDxPart(job, p, parts);
  else if (kind == K_MAX_POOL || kind == K_MAX_POOL_GRAD || kind == K_AVG_POOL || kind == K_AVG_POOL_GRAD) {
    poolPart(kind, job, p, parts);
  } else if (kind == K_SUM) sumPart(job, p, parts);
  else if (kind == K_BIAS_RELU || kind == K_BIAS_RELU_GRAD) biasReluPart(kind, job, p, parts);
  else if (kind == K_UNARY || kind == K_UNARY_GRAD || kind == K_BINARY || kind == K_ADAM) {
    elementwisePart(kind, job, p, parts);
  } else if (isBlocksJob(kind)) blocksPart(kind, job, p, parts);
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
    runPart(ctl + CTL_JOB, next, parts);
    ran++;
    atomic.add<i32>(ctl + CTL_RUN_COUNTS + (<usize>thread << 2), 1);
    if (atomic.add<i32>(ctl + CTL_DONE, 1) + 1 == parts) atomic.notify(ctl + CTL_DONE);
    word = atomic.load<i32>(ctl);
  }
  return ran;
}
