/**
 * fit / evaluate / predict on a host Dataset (batches gathered from its arrays) against the same calls on tensors:
 * the tensor form is the reference (its own tests are in sequential.test.ts), so the dataset form must give the same
 * history bit for bit; evaluate and predict are also checked against hand-computed values.
 */
import { describe, expect, it } from 'vitest';
import {
  data,
  type FitArgs,
  initializers,
  layers,
  memory,
  optimizers,
  Random,
  type Sequential,
  sequential,
  tensor,
  type Tensor,
} from '../../src/index.js';

type Dataset = data.Dataset;

/** `n` random 6×6×1 images with labels cycling through 3 classes; class c brightens row c (so it is learnable). */
function images(n: number, seed: number): Dataset {
  const random = new Random(seed);
  const x = new Float32Array(n * 36);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    for (let j = 0; j < 36; j++) x[i * 36 + j] = random.uniform(0, 0.5) + (Math.floor(j / 6) === i % 3 ? 0.5 : 0);
  }
  return data.createDataset({ x, xShape: [n, 6, 6, 1], y, numClasses: 3 });
}

const asTensors = (ds: Dataset): [Tensor, Tensor] => [tensor(ds.x, ds.xShape), tensor(ds.y, [ds.y.length])];

/** A small CNN with dropout, so the shared generator drives shuffling, dropout and (when asked) augmentation. */
function cnn(seed: number): Sequential {
  const model = sequential({
    layers: [
      layers.conv2d({
        filters: 2,
        kernelSize: 3,
        activation: 'relu',
        inputShape: [6, 6, 1],
        kernelInitializer: initializers.glorotUniform({ seed }),
      }),
      layers.flatten(),
      layers.dropout({ rate: 0.2 }),
      layers.dense({
        units: 3,
        activation: 'softmax',
        kernelInitializer: initializers.glorotUniform({ seed: seed + 1 }),
      }),
    ],
  });
  model.compile({
    optimizer: optimizers.adam({ learningRate: 0.01 }),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

/** The history and final weights of one run on tensors or on the dataset itself. */
async function run(
  ds: Dataset,
  form: 'tensors' | 'dataset',
  args: FitArgs,
): Promise<{ history: Record<string, number[]>; weights: number[][] }> {
  const model = cnn(3);
  const [x, y] = asTensors(ds);
  const history = form === 'tensors' ? await model.fit(x, y, args) : await model.fit(ds, args);
  x.dispose();
  y.dispose();
  return { history: history.history, weights: model.getWeights().map((w) => Array.from(w.dataSync())) };
}

describe('fit, evaluate and predict on a Dataset', () => {
  const ds = images(40, 1);

  it('draws the same batches as the tensor form: the same history and weights, bit for bit', async () => {
    const args: FitArgs = {
      epochs: 2,
      batchSize: 7,
      validationSplit: 0.2,
      seed: 9,
      augment: { shift: 1, horizontalFlip: true },
      classWeight: { 0: 1, 1: 2, 2: 0.5 },
    };
    const viaTensors = await run(ds, 'tensors', args);
    const viaDataset = await run(ds, 'dataset', args);
    expect(viaDataset.history).toEqual(viaTensors.history);
    expect(viaDataset.weights).toEqual(viaTensors.weights);
    expect(Object.keys(viaDataset.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    // The comparison is not vacuous: another seed shuffles, drops and shifts differently.
    const otherSeed = await run(ds, 'dataset', { ...args, seed: 10 });
    expect(otherSeed.history.loss).not.toEqual(viaTensors.history.loss);
  });

  it('accepts validationData as a Dataset, with the same results as tensors', async () => {
    const validation = images(9, 2);
    const [xVal, yVal] = asTensors(validation);
    const viaTensors = await run(ds, 'tensors', { epochs: 1, batchSize: 8, seed: 4, validationData: [xVal, yVal] });
    const viaDataset = await run(ds, 'dataset', { epochs: 1, batchSize: 8, seed: 4, validationData: validation });
    xVal.dispose();
    yVal.dispose();
    expect(viaDataset.history).toEqual(viaTensors.history);
    expect(viaDataset.history.val_loss?.length).toBe(1);
  });

  it('holds out the last fraction for validation, as Keras does', async () => {
    const model = cnn(5);
    let samples = -1;
    // 40 · 0.25 = 10 held out: the last 10, so training sees 30 samples.
    const history = await model.fit(ds, {
      epochs: 1,
      batchSize: 8,
      validationSplit: 0.25,
      seed: 1,
      callbacks: [
        {
          setParams: (params) => {
            samples = params.samples;
          },
        },
      ],
    });
    expect(samples).toBe(30);
    const last = model.evaluate(
      data.subset(
        ds,
        Array.from({ length: 10 }, (_, i) => 30 + i),
      ),
      { batchSize: 4 },
    );
    const first = model.evaluate(
      data.subset(
        ds,
        Array.from({ length: 10 }, (_, i) => i),
      ),
      { batchSize: 4 },
    );
    expect(history.history.val_loss?.[0]).toBeCloseTo(last.loss ?? Number.NaN, 6);
    expect(history.history.val_loss?.[0]).not.toBeCloseTo(first.loss ?? Number.NaN, 6);
  });

  it('resumes from a checkpointed generator exactly: 1 + 1 epochs equal 2 epochs', async () => {
    const whole = cnn(7);
    const wholeHistory = await whole.fit(ds, { epochs: 2, batchSize: 8, seed: 2 });
    const parts = cnn(7);
    const random = new Random(2);
    const firstPart = await parts.fit(ds, { epochs: 1, batchSize: 8, random });
    const secondPart = await parts.fit(ds, { epochs: 2, initialEpoch: 1, batchSize: 8, random });
    expect([...(firstPart.history.loss ?? []), ...(secondPart.history.loss ?? [])]).toEqual(wholeHistory.history.loss);
    expect(parts.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(
      whole.getWeights().map((w) => Array.from(w.dataSync())),
    );
  });

  it('keeps only batches, never the whole set, in backend memory during fit', async () => {
    const big = images(600, 3); // 600 · 36 · 4 bytes = 86,400 bytes of images; a batch of 10 is 1,440
    const model = cnn(1);
    const before = memory().numBytes;
    let peak = 0;
    await model.fit(big, {
      epochs: 1,
      batchSize: 10,
      validationSplit: 0.5,
      callbacks: [
        {
          onBatchEnd: () => {
            peak = Math.max(peak, memory().numBytes - before);
          },
        },
      ],
    });
    // Adam's two moments and the weights are 3 · 77 floats; a training step frees its tensors.
    expect(peak).toBeLessThan(big.x.byteLength / 10);
  });

  /**
   * A one-input model with known weights: logits [x, −x] (kernel [[1, −1]], bias 0), so by hand
   * p(class 0) = σ(2x), loss(label 0) = ln(1 + e^(−2x)), loss(label 1) = ln(1 + e^(2x)).
   */
  function logistic(): Sequential {
    const model = sequential({ layers: [layers.dense({ units: 2, activation: 'softmax', inputShape: [1] })] });
    model.setWeights([tensor([[1, -1]]), tensor([0, 0])]);
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    return model;
  }
  const points = data.createDataset({
    x: new Float32Array([0.5, -1, 2, 0.25, -0.5]),
    xShape: [5, 1],
    y: new Float32Array([0, 1, 1, 0, 0]),
    numClasses: 2,
  });

  it('evaluates a dataset batch by batch (a partial last batch weighted by its size), matching the hand computation', () => {
    const results = logistic().evaluate(points, { batchSize: 2 });
    const losses = [0.5, -1, 2, 0.25, -0.5].map((x, i) =>
      Math.log1p(Math.exp([0, 1, 1, 0, 0][i] === 0 ? -2 * x : 2 * x)),
    );
    expect(results.loss).toBeCloseTo(losses.reduce((a, b) => a + b, 0) / 5, 5);
    // Predicted class 0 where x > 0: right for 0.5, −1, 0.25; wrong for 2 and −0.5.
    expect(results.accuracy).toBeCloseTo(3 / 5, 6);
  });

  it("predicts a dataset's samples as tensors, matching the hand computation", () => {
    const out = logistic().predict(points, { batchSize: 3 });
    expect(out.shape).toEqual([5, 2]);
    const expected = [0.5, -1, 2, 0.25, -0.5].flatMap((x) => [1 / (1 + Math.exp(-2 * x)), 1 / (1 + Math.exp(2 * x))]);
    Array.from(out.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i] ?? Number.NaN, 5));
    out.dispose();
  });

  it('checks the dataset once, naming the array and the flat index of a non-finite value', async () => {
    const model = cnn(1);
    const x = ds.x.slice();
    x[41] = Number.NaN;
    const bad: Dataset = { ...ds, x };
    await expect(model.fit(bad, { epochs: 1 })).rejects.toThrow(
      'fit: dataset.x must hold finite numbers, received NaN at flat index 41',
    );
    expect(() => model.evaluate(bad)).toThrow(
      'evaluate: dataset.x must hold finite numbers, received NaN at flat index 41',
    );
    const y = ds.y.slice();
    y[3] = Number.POSITIVE_INFINITY;
    await expect(model.fit(ds, { validationData: { ...ds, y } })).rejects.toThrow(
      'fit validationData: dataset.y must hold finite numbers, received Infinity at flat index 3',
    );
    await expect(model.fit({ ...ds, y: ds.y.subarray(1) })).rejects.toThrow(
      /must hold 1440 values in x and 40 labels in y, received 1440 and 39/,
    );
  });

  it('rejects calls that mix the two forms, naming the method', async () => {
    const model = cnn(1);
    const [x, y] = asTensors(ds);
    // @ts-expect-error: a dataset carries its labels
    await expect(model.fit(ds, y)).rejects.toThrow(
      'fit: a Dataset carries its labels: call fit(dataset, args), not fit(dataset, y)',
    );
    // @ts-expect-error: tensors need their labels
    await expect(model.fit(x, { epochs: 1 })).rejects.toThrow(
      /fit: expected \(x, y, args\) with tensors x and y, received y = /,
    );
    // @ts-expect-error: the same for evaluate
    expect(() => model.evaluate(ds, y)).toThrow('evaluate: a Dataset carries its labels');
    x.dispose();
    y.dispose();
  });
});
