/**
 * A/B of thread counts on one process (for noisy machines): trains the brief's model on MNIST, switching between
 * the given thread counts every few steps, and reports each count's median step. Interleaving cancels slow drifts in
 * the load other processes put on the machine.
 *
 * With --gemm, the 512³ GEMM instead of training.
 *
 * Run: npm run bench:profile (to compile), then node node_modules/.cache/cnnlab-bench/bench/ab-threads.js [--counts 1,2] [--rounds 20] [--gemm]
 */
import '../src/backend/index.js';
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
    const gflops = (t: number): string => (2 * n ** 3 / t / 1e6).toFixed(1);
    console.log(`${count} thread(s): 512³ GEMM best ${gflops(Math.min(...ms))} GFLOP/s, median ${gflops(median(ms))} GFLOP/s (${ms.length} calls)`);
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
    await model.fit(x, y, { epochs: 1, batchSize: BATCH, verbose: 0, shuffle: false, callbacks: [{
      onBatchBegin: () => { samples.push(-performance.now()); },
      onBatchEnd: (batch) => { const at = samples.length - 1; samples[at] = (samples[at] ?? 0) + performance.now(); if (batch === 0 && round === 0) samples.pop(); },
    }] });
  }
}
for (const [count, samples] of times) {
  const ms = median(samples);
  console.log(`${count} thread(s): median step ${ms.toFixed(2)} ms = ${(BATCH / ms * 1000).toFixed(0)} images/s (${samples.length} steps)`);
}
process.exit(0);
