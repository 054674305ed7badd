/**
 * GEMM micro-benchmark of the wasm backend: GFLOP/s (median of timed runs, after warm-up so V8 has tiered the
 * kernels up to its optimizing compiler) for a square 512³ product, and for the GEMMs of the brief's model at batch
 * 64 — forward, input gradient and filter gradient of each conv (valid padding):
 *   Conv2D(32, 3×3) on 28×28×1 → Conv2D(64, 3×3) on 13×13×32 → Conv2D(64, 3×3) on 5×5×64.
 * A conv's FLOPs are 2·M·K·OC with M = N·OH·OW output pixels and K = 3·3·C taps, the same for all three kernels.
 * The first conv's input gradient is listed though training never computes it (its input is the data).
 */
import type { Conv2DInfo } from '../src/backend/backend.js';
import type { Storage } from '../src/backend/storage.js';
import { WasmBackend } from '../src/backend/wasm/index.js';
import { enableRelaxedSimd } from '../src/node/relaxed-simd.js';
import { useNodeThreads } from '../src/node/threads.js';
import { threadsStarted } from './options.js';

export interface GemmCase {
  readonly name: string;
  /** m×k·k×n of the GEMM. */
  readonly shape: string;
  readonly gflops: number;
  readonly ms: number;
}

function random(backend: WasmBackend, length: number, seed: number): Storage {
  let state = seed;
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    values[i] = state / 2147483648 - 0.5;
  }
  return backend.fromValues(values);
}

/** Median seconds per call of fn (which returns a storage to free), after warming up. */
function time(backend: WasmBackend, seconds: number, fn: () => Storage): number {
  for (let i = 0; i < 3; i++) backend.free(fn());
  const samples: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  while (samples.length < 5 || (performance.now() < deadline && samples.length < 1000)) {
    const start = performance.now();
    const out = fn();
    samples.push((performance.now() - start) / 1000);
    backend.free(out);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? Number.NaN;
}

function convInfo(batch: number, size: number, inChannels: number, outChannels: number): Conv2DInfo {
  const out = size - 2;
  return {
    batch,
    inHeight: size,
    inWidth: size,
    inChannels,
    outHeight: out,
    outWidth: out,
    outChannels,
    filterHeight: 3,
    filterWidth: 3,
    strideHeight: 1,
    strideWidth: 1,
    dilationHeight: 1,
    dilationWidth: 1,
    padTop: 0,
    padLeft: 0,
  };
}

/**
 * Runs every case on a fresh wasm backend with `threads` threads, about `seconds` per case; `relaxedSimd` false runs
 * the plain SIMD build (multiply then add) instead of the fused multiply-adds of the relaxed-SIMD build.
 */
export async function gemmBenchmark(threads: number, seconds: number, relaxedSimd = true): Promise<GemmCase[]> {
  useNodeThreads();
  enableRelaxedSimd();
  const backend = new WasmBackend({ threads, relaxedSimd });
  await threadsStarted(backend);
  const cases: GemmCase[] = [];
  const add = (name: string, shape: string, flops: number, secondsPerCall: number): void => {
    cases.push({ name, shape, gflops: flops / secondsPerCall / 1e9, ms: secondsPerCall * 1000 });
  };
  const size = 512;
  const a = random(backend, size * size, 1);
  const b = random(backend, size * size, 2);
  for (const [transposeA, transposeB] of [
    [false, false],
    [true, false],
    [false, true],
  ] as const) {
    const info = { m: size, k: size, n: size, transposeA, transposeB };
    add(
      `matmul ${transposeA ? 'Aᵀ' : 'A'}·${transposeB ? 'Bᵀ' : 'B'}`,
      '512×512·512×512',
      2 * size ** 3,
      time(backend, seconds, () => backend.matmul(a, b, info)),
    );
  }
  backend.free(a);
  backend.free(b);

  const layers: [string, Conv2DInfo][] = [
    ['conv1', convInfo(64, 28, 1, 32)],
    ['conv2', convInfo(64, 13, 32, 64)],
    ['conv3', convInfo(64, 5, 64, 64)],
  ];
  for (const [name, info] of layers) {
    const rows = info.batch * info.outHeight * info.outWidth;
    const taps = 9 * info.inChannels;
    const oc = info.outChannels;
    const flops = 2 * rows * taps * oc;
    const x = random(backend, info.batch * info.inHeight * info.inWidth * info.inChannels, 3);
    const w = random(backend, taps * oc, 4);
    const dy = random(backend, rows * oc, 5);
    add(
      `${name} forward`,
      `${rows}×${taps}·${taps}×${oc}`,
      flops,
      time(backend, seconds, () => backend.conv2d(x, w, info)),
    );
    add(
      `${name} input gradient`,
      `${rows}×${oc}·${oc}×${taps}`,
      flops,
      time(backend, seconds, () => backend.conv2dBackpropInput(dy, w, info)),
    );
    add(
      `${name} filter gradient`,
      `${taps}×${rows}·${rows}×${oc}`,
      flops,
      time(backend, seconds, () => backend.conv2dBackpropFilter(x, dy, info)),
    );
    for (const s of [x, w, dy]) backend.free(s);
  }
  backend.setThreads(1);
  return cases;
}
