/**
 * GEMM micro-benchmark of the wasm backend: GFLOP/s (median of timed runs, after warm-up so V8 has tiered the
 * kernels up to its optimizing compiler) for a square 512³ product in every transpose combination, and for the
 * GEMMs of this conv net at batch 64 — forward, input gradient and filter gradient of each layer:
 *   Conv2D(32, 3×3) on 28×28×1 → Conv2D(64, 3×3) on 13×13×32 → Conv2D(64, 3×3) on 5×5×64 (valid padding).
 * A conv's FLOPs are 2·M·K·OC with M = N·OH·OW output pixels and K = 3·3·C taps, the same for all three kernels.
 *
 * Run: npx tsc -p bench && node node_modules/.cache/cnnlab-bench/bench/gemm.js [--seconds 0.5]
 */
import type { Conv2DInfo } from '../src/backend/backend.js';
import type { Storage } from '../src/backend/storage.js';
import { WasmBackend } from '../src/backend/wasm/index.js';

const secondsArg = process.argv.indexOf('--seconds');
const SECONDS = secondsArg === -1 ? 0.5 : Number(process.argv[secondsArg + 1]);

const backend = new WasmBackend();

function random(length: number, seed: number): Storage {
  let state = seed;
  const values = Array.from({ length }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  });
  return backend.fromValues(values);
}

/** Median seconds per call of fn (which returns a storage to free), after warming up. */
function time(fn: () => Storage): number {
  for (let i = 0; i < 3; i++) backend.free(fn());
  const samples: number[] = [];
  const deadline = performance.now() + SECONDS * 1000;
  while (samples.length < 5 || (performance.now() < deadline && samples.length < 1000)) {
    const start = performance.now();
    const out = fn();
    samples.push((performance.now() - start) / 1000);
    backend.free(out);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? Number.NaN;
}

function report(label: string, flops: number, seconds: number): void {
  const gflops = flops / seconds / 1e9;
  console.log(`${label.padEnd(44)} ${gflops.toFixed(1).padStart(6)} GFLOP/s  ${(seconds * 1000).toFixed(3).padStart(9)} ms`);
}

console.log(`wasm backend GEMM benchmark (single thread, median per call, ≥${SECONDS}s per case)`);
const size = 512;
const a = random(size * size, 1);
const b = random(size * size, 2);
for (const transposeA of [false, true]) {
  for (const transposeB of [false, true]) {
    const info = { m: size, k: size, n: size, transposeA, transposeB };
    const seconds = time(() => backend.matmul(a, b, info));
    report(`matmul 512³ ${transposeA ? 'Aᵀ' : 'A'}·${transposeB ? 'Bᵀ' : 'B'}`, 2 * size ** 3, seconds);
  }
}

function convInfo(batch: number, size: number, inChannels: number, outChannels: number): Conv2DInfo {
  const out = size - 2;
  return {
    batch, inHeight: size, inWidth: size, inChannels, outHeight: out, outWidth: out, outChannels, filterHeight: 3,
    filterWidth: 3, strideHeight: 1, strideWidth: 1, dilationHeight: 1, dilationWidth: 1, padTop: 0, padLeft: 0,
  };
}

const layers: [string, Conv2DInfo][] = [
  ['conv1 28×28×1→32', convInfo(64, 28, 1, 32)],
  ['conv2 13×13×32→64', convInfo(64, 13, 32, 64)],
  ['conv3 5×5×64→64', convInfo(64, 5, 64, 64)],
];
for (const [name, info] of layers) {
  const rows = info.batch * info.outHeight * info.outWidth;
  const taps = 9 * info.inChannels;
  const flops = 2 * rows * taps * info.outChannels;
  const x = random(info.batch * info.inHeight * info.inWidth * info.inChannels, 3);
  const w = random(taps * info.outChannels, 4);
  const dy = random(rows * info.outChannels, 5);
  const shape = `M=${rows} K=${taps} N=${info.outChannels}`;
  report(`${name} forward   ${shape}`, flops, time(() => backend.conv2d(x, w, info)));
  report(`${name} dInput    `, flops, time(() => backend.conv2dBackpropInput(dy, w, info)));
  report(`${name} dFilter   `, flops, time(() => backend.conv2dBackpropFilter(x, dy, info)));
  for (const s of [x, w, dy]) backend.free(s);
}
