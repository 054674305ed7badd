import { describe, expect, it } from 'vitest';
import {
  initializers,
  layers,
  memory,
  optimizers,
  Random,
  Sequential,
  sequential,
  StateError,
  tensor,
  withSaveHandler,
} from '../../src/index.js';
import { jsonCopy } from '../helpers/json.js';

/** Two Gaussian blobs in 4-D, linearly separable: class = sign of the first coordinate's mean. */
function blobs(n: number, seed: number): { x: ReturnType<typeof tensor>; y: ReturnType<typeof tensor> } {
  const random = new Random(seed);
  const x = new Float32Array(n * 4);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const cls = i % 2;
    y[i] = cls;
    for (let j = 0; j < 4; j++) x[i * 4 + j] = random.normal() * 0.5 + (j === 0 ? (cls === 1 ? 1.5 : -1.5) : 0);
  }
  return { x: tensor(x, [n, 4]), y: tensor(y, [n]) };
}

function smallModel(seed: number, name?: string): Sequential {
  return sequential({
    ...(name === undefined ? {} : { name }),
    layers: [
      layers.dense({
        units: 8,
        activation: 'relu',
        inputShape: [4],
        kernelInitializer: initializers.glorotUniform({ seed }),
      }),
      layers.dropout({ rate: 0.1 }),
      layers.dense({
        units: 2,
        activation: 'softmax',
        kernelInitializer: initializers.glorotUniform({ seed: seed + 1 }),
      }),
    ],
  });
}

describe('Sequential', () => {
  it('checks layer shapes as they are added, naming both layers', () => {
    const model = sequential({ layers: [layers.flatten({ inputShape: [4, 4, 1], name: 'flat' })] });
    expect(() => model.add(layers.zeroPadding2d({ padding: 1, name: 'pad' }))).toThrow(
      /layer 'pad' cannot be added after 'flat' \(output \[null, 16\]\): .*rank 4/,
    );
    expect(() => sequential({ layers: [layers.dense({ units: 2 })] })).toThrow(
      /first layer .* must declare `inputShape`/,
    );
  });

  it('prints a Keras-style summary with hand-counted parameters', () => {
    const model = smallModel(1);
    const lines: string[] = [];
    model.summary((line) => lines.push(line));
    expect(lines.join('\n')).toMatch(/dense(_\d+)? \(Dense\) +\(None, 8\) +40/);
    // 4·8 + 8 = 40; 8·2 + 2 = 18.
    expect(lines).toContain('Total params: 58');
    expect(lines).toContain('Trainable params: 58');
    expect(lines).toContain('Non-trainable params: 0');
  });

  it('fits a separable problem to high accuracy with adam and reports history per epoch', async () => {
    const { x, y } = blobs(256, 3);
    const model = smallModel(2);
    model.compile({
      optimizer: optimizers.adam({ learningRate: 0.05 }),
      loss: 'sparseCategoricalCrossentropy',
      metrics: ['accuracy'],
    });
    const history = await model.fit(x, y, { epochs: 8, batchSize: 32, validationSplit: 0.25, seed: 5 });
    expect(history.epoch).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(Object.keys(history.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    const losses = history.history.loss ?? [];
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] ?? 0);
    const test = blobs(200, 99);
    const result = model.evaluate(test.x, test.y);
    // The blobs are 3 standard deviations apart along one axis; a trained classifier gets nearly all right.
    expect(result.accuracy).toBeGreaterThan(0.95);
    expect(model.predict(test.x, { batchSize: 64 }).shape).toEqual([200, 2]);
  });

  it('same seeds → the same loss history, bit for bit', async () => {
    const run = async (): Promise<number[]> => {
      const { x, y } = blobs(128, 4);
      const model = smallModel(7);
      model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
      return (await model.fit(x, y, { epochs: 3, batchSize: 16, seed: 11 })).history.loss ?? [];
    };
    expect(await run()).toEqual(await run());
  });

  it('keeps memory flat across epochs', async () => {
    const { x, y } = blobs(128, 5);
    const model = smallModel(3);
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    await model.fit(x, y, { epochs: 1, batchSize: 16 });
    const after1 = memory();
    await model.fit(x, y, { epochs: 3, batchSize: 16 });
    expect(memory()).toEqual(after1);
  });

  it('freezing a layer keeps its weights unchanged through fit', async () => {
    const { x, y } = blobs(64, 6);
    const model = smallModel(4);
    const first = model.layers[0];
    if (first === undefined) throw new Error('no layer');
    first.trainable = false;
    const before = first.getWeights().map((w) => Array.from(w.dataSync()));
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    await model.fit(x, y, { epochs: 2, batchSize: 16 });
    expect(first.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    expect(model.trainableWeights).toHaveLength(2);
  });

  it('round-trips its config through JSON', () => {
    const model = smallModel(5);
    const copy = Sequential.fromConfig(jsonCopy(model.getConfig()));
    expect(copy.getConfig()).toEqual(model.getConfig());
    expect(copy.countParams()).toBe(58);
  });

  it('rejects mismatched inputs and uncompiled training with clear messages', async () => {
    const model = smallModel(6);
    await expect(model.fit(tensor([[1, 2, 3, 4]]), tensor([0]))).rejects.toThrow(/call compile\(\) before fit\(\)/);
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    await expect(
      model.fit(
        tensor([
          [1, 2, 3, 4],
          [1, 2, 3, 4],
        ]),
        tensor([0]),
      ),
    ).rejects.toThrow(/same number of examples/);
    await expect(model.fit(tensor([[1, 2, 3, Number.NaN]]), tensor([0]))).rejects.toThrow(
      /x must hold finite numbers, received NaN at flat index 3/,
    );
    expect(() => model.predict(tensor([[1, 2, 3]]))).toThrow(/expected input of shape \[null, 4\], received \[1, 3\]/);
  });

  it('dispose frees the weights and optimizer slots, and any later use throws a StateError naming the model', async () => {
    const { x, y } = blobs(32, 6);
    const before = memory().numTensors;
    const model = smallModel(4, 'gone');
    // 4 weights (two kernels, two biases) and adam's 2 slots for each once it has taken a step.
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    await model.fit(x, y, { epochs: 1, batchSize: 16 });
    expect(memory().numTensors - before).toBe(4 + 4 * 2);
    model.dispose();
    expect(memory().numTensors).toBe(before);
    const uses: [string, () => unknown][] = [
      ['predict', () => model.predict(x)],
      ['evaluate', () => model.evaluate(x, y)],
      ['getWeights', () => model.getWeights()],
      ['trainOnBatch', () => model.trainOnBatch(x, y)],
      ['weights', () => model.weights],
      ['optimizer', () => model.optimizer],
      ['compile', () => model.compile({ optimizer: 'sgd', loss: 'mse' })],
    ];
    for (const [what, use] of uses) {
      expect(use).toThrow(StateError);
      expect(use).toThrow(`Sequential 'gone': ${what}: the model was disposed`);
    }
    await expect(model.fit(x, y)).rejects.toThrow("Sequential 'gone': fit: the model was disposed");
    await expect(model.save(withSaveHandler(() => undefined))).rejects.toThrow(
      "Sequential 'gone': save: the model was disposed",
    );
    model.dispose(); // a second dispose does nothing
    expect(memory().numTensors).toBe(before);
  });

  it('dispose keeps the weights of layers another live model still holds', () => {
    const base = smallModel(7);
    const reused = sequential({ name: 'head', layers: [...base.layers.slice(0, 2), layers.dense({ units: 3 })] });
    const x = tensor([[1, 2, 3, 4]]);
    const expected = reused.predict(x).dataSync();
    base.dispose();
    expect(reused.predict(x).dataSync()).toEqual(expected);
    const before = memory().numTensors;
    reused.dispose();
    // reused held the shared dense layer's kernel and bias, and its own dense layer's kernel and bias.
    expect(before - memory().numTensors).toBe(4);
  });
});
