/**
 * TensorFlow.js 4.22 on the brief's model (the same layers, Glorot-uniform kernels, Adam, batch 64) with its cpu
 * (pure JavaScript) or wasm backend, trained with model.trainOnBatch. The wasm backend registers no
 * Conv2DBackpropFilter kernel, so training a conv net there fails; that failure is the reported result.
 */
import * as tf from '@tensorflow/tfjs';
import { BATCH, median, mnistImages, type PeerResult, peakRssMiB, type StepBudget, timeSteps } from './mnist.js';

function briefModel(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 64, activation: 'relu' }),
      tf.layers.dropout({ rate: 0.5 }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

export async function runTfjs(backend: 'cpu' | 'wasm', budget: StepBudget): Promise<PeerResult> {
  if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend(backend);
  await tf.ready();
  const name = `TensorFlow.js ${tf.version.tfjs} ${backend}`;
  const images = mnistImages((budget.warmup + budget.steps) * BATCH);
  const model = briefModel();
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const step = async (i: number): Promise<void> => {
    const from = (i * BATCH) % (images.count - BATCH + 1);
    const [xs, ys] = tf.tidy(() => [
      tf.tensor4d(images.x.subarray(from * 784, (from + BATCH) * 784), [BATCH, 28, 28, 1]),
      tf.tensor1d(images.y.subarray(from, from + BATCH)),
    ]);
    try {
      await model.trainOnBatch(xs, ys);
    } finally {
      xs.dispose();
      ys.dispose();
    }
  };
  try {
    const times = await timeSteps(budget, step);
    const stepMs = median(times);
    return {
      name,
      imagesPerSecond: (BATCH / stepMs) * 1000,
      stepMs,
      timedSteps: times.length,
      peakRssMiB: peakRssMiB(),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      name,
      imagesPerSecond: null,
      stepMs: null,
      timedSteps: 0,
      peakRssMiB: peakRssMiB(),
      note: `cannot train: ${message}`,
    };
  }
}
