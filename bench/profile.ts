/**
 * Where a training step of the brief's model goes (batch 64, Adam, real MNIST): every backend kernel call is timed
 * by wrapping the backend's methods, so the table shows each kernel's share of the step; what is left over is
 * JS-side work (op bookkeeping, autograd, tidy, batch gathering, metrics).
 *
 * Run: npm run bench:profile -- [--backend wasm|js] [--threads n] [--steps 200]
 * With `node --cpu-prof` the same run gives a V8 profile to open in Chrome's DevTools.
 */
import '../src/backend/index.js';
import type { Backend } from '../src/backend/backend.js';
import { WasmBackend } from '../src/backend/wasm/index.js';
import { engine, setBackend } from '../src/engine.js';
import { briefModel } from '../src/models/zoo.js';
import { tensor } from '../src/ops/creation.js';
import { adam } from '../src/optimizers/adam.js';
import { loadMnist } from '../src/node/data/index.js';
import { argument, setThreadsOption } from './options.js';

const backendName = argument('--backend', 'wasm');
const steps = Number(argument('--steps', '200'));
const batchSize = 64;
setBackend(backendName);
await setThreadsOption(argument('--threads', ''));

/** Milliseconds and calls per kernel name. */
const totals = new Map<string, { ms: number; calls: number }>();
let timing = false;

/** Wraps every method of the backend with a timer (the kernels are synchronous, so the wall time is the kernel's). */
function instrument(backend: Backend): void {
  const target: object = backend;
  let proto = Reflect.getPrototypeOf(backend);
  const names = new Set<string>();
  while (proto !== null && proto !== Object.prototype) {
    for (const name of Object.getOwnPropertyNames(proto)) if (name !== 'constructor') names.add(name);
    proto = Reflect.getPrototypeOf(proto);
  }
  for (const name of names) {
    const method: unknown = Reflect.get(target, name);
    if (typeof method !== 'function') continue;
    Reflect.set(target, name, (...args: unknown[]): unknown => {
      const start = timing ? performance.now() : 0;
      const result: unknown = Reflect.apply(method, target, args);
      if (!timing) return result;
      const label =
        name === 'unary' || name === 'unaryGrad' || name === 'binary' || name === 'reduce'
          ? `${name} ${String(args[0])}`
          : name;
      const entry = totals.get(label) ?? { ms: 0, calls: 0 };
      entry.ms += performance.now() - start;
      entry.calls++;
      totals.set(label, entry);
      return result;
    });
  }
}

const data = await loadMnist({ split: 'train' });
const count = Math.min(data.xShape[0] ?? 0, batchSize * (steps + 20));
const x = tensor(data.x.subarray(0, count * 784), [count, 28, 28, 1]);
const y = tensor(data.y.subarray(0, count), [count]);
const model = briefModel({ seed: 1 });
model.compile({ optimizer: adam(), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });

// Warm-up: 20 steps, so V8 and the allocator's free lists reach their steady state.
const warm = batchSize * 20;
const xWarm = tensor(data.x.subarray(0, warm * 784), [warm, 28, 28, 1]);
const yWarm = tensor(data.y.subarray(0, warm), [warm]);
await model.fit(xWarm, yWarm, { epochs: 1, batchSize, verbose: 0 });
xWarm.dispose();
yWarm.dispose();

instrument(engine.backend);
const stepMs: number[] = [];
let stepStart = 0;
timing = true;
const start = performance.now();
await model.fit(x, y, {
  epochs: 1,
  batchSize,
  verbose: 0,
  callbacks: [
    {
      onBatchBegin: () => {
        stepStart = performance.now();
      },
      onBatchEnd: () => {
        stepMs.push(performance.now() - stepStart);
      },
    },
  ],
});
const wall = performance.now() - start;
timing = false;

stepMs.sort((a, b) => a - b);
const median = stepMs[Math.floor(stepMs.length / 2)] ?? Number.NaN;
const kernelMs = [...totals.values()].reduce((s, e) => s + e.ms, 0);
const perStep = (ms: number): string => (ms / stepMs.length).toFixed(3).padStart(8);
const threads =
  engine.backend instanceof WasmBackend
    ? `, ${engine.backend.threads} thread(s), ${engine.backend.relaxedSimd ? 'relaxed' : 'plain'} SIMD`
    : '';
console.log(
  `${engine.backend.name} backend${threads}, brief model, batch ${batchSize}, Adam: ${stepMs.length} steps, ` +
    `median step ${median.toFixed(2)} ms = ${((batchSize / median) * 1000).toFixed(0)} images/s ` +
    `(whole fit ${((count / wall) * 1000).toFixed(0)} images/s)`,
);
console.log(`${'kernel'.padEnd(28)} ${'ms/step'.padStart(8)} ${'calls/step'.padStart(10)}  share of fit time`);
const rows = [...totals.entries()].sort((a, b) => b[1].ms - a[1].ms);
for (const [name, { ms, calls }] of rows) {
  console.log(
    `${name.padEnd(28)} ${perStep(ms)} ${(calls / stepMs.length).toFixed(1).padStart(10)}  ${((ms / wall) * 100).toFixed(1).padStart(5)}%`,
  );
}
console.log(
  `${'all kernels'.padEnd(28)} ${perStep(kernelMs)} ${''.padStart(10)}  ${((kernelMs / wall) * 100).toFixed(1).padStart(5)}%`,
);
console.log(
  `${'outside kernels (JS)'.padEnd(28)} ${perStep(wall - kernelMs)} ${''.padStart(10)}  ${(((wall - kernelMs) / wall) * 100).toFixed(1).padStart(5)}%`,
);
