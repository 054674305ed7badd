/**
 * A/B of thread counts on one process (for noisy machines): trains the brief's model on MNIST, switching between
 * the given thread counts every few steps, and reports each count's median step. Interleaving cancels slow drifts in
 * the load other processes put on the machine.
 *
 * With --gemm, the 512³ GEMM instead of training; with --conv2, the three GEMMs of the brief's second convolution
 * (forward, input gradient, filter gradient: 7744×288·288×64 each at batch 64).
 *
 * Run: npm run bench:profile (to compile), then
 *   node node_modules/.cache/cnnlab-bench/bench/ab-threads.js [--counts 1,2] [--rounds 20] [--gemm | --conv2]
 */
import '../src/backend/index.js';
import type { Conv2DInfo } from '../src/backend/backend.js';
import type { Storage } from '../src/backend/storage.js';
import { WasmBackend } from '../src/backend/wasm/index.js';
import { engine, setBackend } from '../src/engine.js';
import { briefModel } from '../src/models/zoo.js';
import { tensor } from '../src/ops/creation.js';
import { adam } from '../src/optimizers/adam.js';
import { BATCH, median, mnistImages } from './mnist.js';
import { argument, threadsStarted } from './options.js';
import { enableRelaxedSimd } from '../src/node/relaxed-simd.js';
import { useNodeThreads } from '../src/node/threads.js';

useNodeThreads();
enableRelaxedSimd();
setBackend('wasm');
const backend = engine.backend;
if (!(backend instanceof WasmBackend)) throw new Error('ab-threads: the wasm backend did not start');
const counts = argument('--counts', '1,2').split(',').map(Number);
const rounds = Number(argument('--rounds', '20'));

/** `rounds` calls of each kernel per thread count, interleaved call by call; prints median GFLOP/s and speed-ups. */
const interleaved = async (kernels: Record<string, () => Storage>, flops: number): Promise<void> => {
  const samples = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    for (const [name, kernel] of Object.entries(kernels)) {
      for (const count of counts) {
        backend.setThreads(count);
        await threadsStarted(backend);
        const start = performance.now();
        backend.free(kernel());
        const key = `${name}@${count}`;
        samples.set(key, [...(samples.get(key) ?? []), performance.now() - start]);
      }
    }
  }
  for (const name of Object.keys(kernels)) {
    const ms = counts.map((count) => median(samples.get(`${name}@${count}`) ?? []));
    const cells = counts.map(
      (count, i) => `${count} thread(s) ${(flops / (ms[i] ?? Number.NaN) / 1e6).toFixed(1)} GFLOP/s`,
    );
    console.log(
      `${name}: ${cells.join(', ')}; speed-up ${((ms[0] ?? Number.NaN) / (ms[ms.length - 1] ?? Number.NaN)).toFixed(2)}× (${rounds} calls each)`,
    );
  }
};

if (process.argv.includes('--conv2')) {
  const info: Conv2DInfo = {
    batch: 64,
    inHeight: 13,
    inWidth: 13,
    inChannels: 32,
    outHeight: 11,
    outWidth: 11,
    outChannels: 64,
    filterHeight: 3,
    filterWidth: 3,
    strideHeight: 1,
    strideWidth: 1,
    dilationHeight: 1,
    dilationWidth: 1,
    padTop: 0,
    padLeft: 0,
  };
  const values = (n: number, seed: number): Storage =>
    backend.fromValues(new Float32Array(n).map((_, i) => Math.sin(i * 12.9898 + seed) * 0.5));
  const x = values(64 * 13 * 13 * 32, 1);
  const w = values(288 * 64, 2);
  const dy = values(7744 * 64, 3);
  await interleaved(
    {
      'conv2 forward': () => backend.conv2d(x, w, info),
      'conv2 input gradient': () => backend.conv2dBackpropInput(dy, w, info),
      'conv2 filter gradient': () => backend.conv2dBackpropFilter(x, dy, info),
    },
    2 * 7744 * 288 * 64,
  );
  process.exit(0);
}

if (process.argv.includes('--gemm')) {
  // The 512³ GEMM instead of training: `rounds` calls per count, interleaved; best and median GFLOP/s.
  const n = 512;
  const values = new Float32Array(n * n).map((_, i) => Math.sin(i * 12.9898) * 0.5);
  const a = backend.fromValues(values);
  const info = { m: n, k: n, n, transposeA: false, transposeB: false };
  const samples = new Map<number, number[]>(counts.map((c) => [c, []]));
  for (let round = 0; round < rounds; round++) {
    for (const count of counts) {
      backend.setThreads(count);
      await threadsStarted(backend);
      const start = performance.now();
      backend.free(backend.matmul(a, a, info));
      samples.get(count)?.push(performance.now() - start);
    }
  }
  for (const [count, ms] of samples) {
    const gflops = (t: number): string => ((2 * n ** 3) / t / 1e6).toFixed(1);
    console.log(
      `${count} thread(s): 512³ GEMM best ${gflops(Math.min(...ms))} GFLOP/s, median ${gflops(median(ms))} GFLOP/s (${ms.length} calls)`,
    );
  }
  process.exit(0);
}
const per = 8;
const images = mnistImages(BATCH * per);
const x = tensor(images.x, [images.count, 28, 28, 1]);
const y = tensor(images.y, [images.count]);
const model = briefModel({ seed: 1 });
model.compile({ optimizer: adam(), loss: 'sparseCategoricalCrossentropy' });
const times = new Map<number, number[]>(counts.map((c) => [c, []]));
for (let round = 0; round < rounds; round++) {
  for (const count of counts) {
    backend.setThreads(count);
    await threadsStarted(backend);
    const samples = times.get(count) ?? [];
    await model.fit(x, y, {
      epochs: 1,
      batchSize: BATCH,
      verbose: 0,
      shuffle: false,
      callbacks: [
        {
          onBatchBegin: () => {
            samples.push(-performance.now());
          },
          onBatchEnd: (batch) => {
            const at = samples.length - 1;
            samples[at] = (samples[at] ?? 0) + performance.now();
            if (batch === 0 && round === 0) samples.pop();
          },
        },
      ],
    });
  }
}
for (const [count, samples] of times) {
  const ms = median(samples);
  console.log(
    `${count} thread(s): median step ${ms.toFixed(2)} ms = ${((BATCH / ms) * 1000).toFixed(0)} images/s (${samples.length} steps)`,
  );
}
process.exit(0);
