/** cnnlab on the brief's model: model.fit on real MNIST, batch 64, Adam, each batch timed (gathering included). */
import '../src/backend/index.js';
import { WasmBackend } from '../src/backend/wasm/index.js';
import { engine, setBackend } from '../src/engine.js';
import type { TrainingControl } from '../src/model/callbacks/callback.js';
import { briefModel } from '../src/models/zoo.js';
import { tensor } from '../src/ops/creation.js';
import { adam } from '../src/optimizers/adam.js';
import { BATCH, median, mnistImages, type PeerResult, peakRssMiB, type StepBudget } from './mnist.js';
import { setThreadsOption } from './options.js';

export async function runCnnlab(backendName: 'wasm' | 'js', threads: string, budget: StepBudget): Promise<PeerResult> {
  setBackend(backendName);
  if (backendName === 'wasm') await setThreadsOption(threads);
  const backend = engine.backend;
  const name =
    backend instanceof WasmBackend
      ? `cnnlab wasm, ${backend.threads} thread${backend.threads === 1 ? '' : 's'}${backend.relaxedSimd ? '' : ' (plain SIMD)'}`
      : 'cnnlab js';
  // Up to 100 distinct batches, cycled through epochs, so the data's share of peak memory matches the other peers'.
  const batches = Math.min(budget.warmup + budget.steps, 100);
  const images = mnistImages(batches * BATCH);
  const x = tensor(images.x, [images.count, 28, 28, 1]);
  const y = tensor(images.y, [images.count]);
  const model = briefModel({ seed: 1 });
  model.compile({ optimizer: adam(), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const times: number[] = [];
  let control: TrainingControl | null = null;
  let start = 0;
  let deadline = performance.now() + budget.seconds * 1000;
  let step = 0;
  await model.fit(x, y, {
    epochs: Math.ceil((budget.warmup + budget.steps) / batches),
    batchSize: BATCH,
    verbose: 0,
    seed: 1,
    callbacks: [
      {
        setModel: (model) => {
          control = model;
        },
        onBatchBegin: () => {
          start = performance.now();
        },
        onBatchEnd: () => {
          const now = performance.now();
          if (++step <= budget.warmup) {
            deadline = now + budget.seconds * 1000;
            return;
          }
          times.push(now - start);
          const enough = times.length >= budget.steps || (times.length >= 3 && now > deadline);
          if (enough && control !== null) control.stopTraining = true;
        },
      },
    ],
  });
  const stepMs = median(times);
  return { name, imagesPerSecond: (BATCH / stepMs) * 1000, stepMs, timedSteps: times.length, peakRssMiB: peakRssMiB() };
}
