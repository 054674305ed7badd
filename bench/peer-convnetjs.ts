/**
 * ConvNetJS 0.3.0 on the brief's model: the same layers (it puts dropout on the hidden fc layer), one example at a
 * time as ConvNetJS trains, with its trainer accumulating 64 examples per update. Version 0.3.0 has no Adam, so the
 * update is adadelta, an adaptive per-weight rule of the same cost; updates are a sliver of a step either way.
 */
import convnetjs from 'convnetjs';
import { BATCH, median, mnistImages, type PeerResult, peakRssMiB, type StepBudget, timeSteps } from './mnist.js';

export async function runConvnetjs(budget: StepBudget): Promise<PeerResult> {
  const images = mnistImages((budget.warmup + budget.steps) * BATCH);
  const net = new convnetjs.Net();
  net.makeLayers([
    { type: 'input', out_sx: 28, out_sy: 28, out_depth: 1 },
    { type: 'conv', sx: 3, filters: 32, stride: 1, pad: 0, activation: 'relu' },
    { type: 'pool', sx: 2, stride: 2 },
    { type: 'conv', sx: 3, filters: 64, stride: 1, pad: 0, activation: 'relu' },
    { type: 'pool', sx: 2, stride: 2 },
    { type: 'conv', sx: 3, filters: 64, stride: 1, pad: 0, activation: 'relu' },
    { type: 'fc', num_neurons: 64, activation: 'relu', drop_prob: 0.5 },
    { type: 'softmax', num_classes: 10 },
  ]);
  const trainer = new convnetjs.Trainer(net, { method: 'adadelta', batch_size: BATCH, l2_decay: 0 });
  const input = new convnetjs.Vol(28, 28, 1, 0);
  const step = (i: number): void => {
    const from = (i * BATCH) % (images.count - BATCH + 1);
    for (let e = from; e < from + BATCH; e++) {
      input.w.set(images.x.subarray(e * 784, (e + 1) * 784));
      trainer.train(input, images.y[e] ?? 0);
    }
  };
  const times = await timeSteps(budget, step);
  const stepMs = median(times);
  return {
    name: 'ConvNetJS 0.3.0 (adadelta)',
    imagesPerSecond: (BATCH / stepMs) * 1000,
    stepMs,
    timedSteps: times.length,
    peakRssMiB: peakRssMiB(),
  };
}
