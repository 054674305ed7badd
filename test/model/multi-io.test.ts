/**
 * Models with several inputs and outputs (Keras / tfjs `fit([xa, xb], { reg: y1, cls: y2 })`). Expected losses are
 * computed on the host from each output's predictions by plain loops, independently of the loss code.
 */
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  input,
  layers,
  type Model,
  model,
  optimizers,
  Random,
  ShapeError,
  type Tensor,
  tensor,
} from '../../src/index.js';

const values = (t: Tensor): number[] => Array.from(t.dataSync());
/** Rows [start, start + count) of t. */
function rows(t: Tensor, start: number, count: number): Tensor {
  const size = t.shape.slice(1).reduce((n, d) => n * d, 1);
  return tensor(values(t).slice(start * size, (start + count) * size), [count, ...t.shape.slice(1)]);
}
/** Column 0 of a [N, k] tensor, as [N, 1]. */
const firstColumn = (t: Tensor): Tensor =>
  tensor(
    values(t).filter((_, i) => i % (t.shape[1] ?? 1) === 0),
    [t.shape[0] ?? 0, 1],
  );
const init = (seed: number) => ({ className: 'GlorotUniform' as const, config: { seed } });

/** Inputs a [3] and b [2]; outputs `reg` = dense2(concat(a, b)) and `cls` = softmax(dense3(b)). */
function twoByTwo(): Model {
  const a = input({ shape: [3], name: 'a' });
  const b = input({ shape: [2], name: 'b' });
  const reg = layers
    .dense({ units: 2, name: 'reg', kernelInitializer: init(1) })
    .apply(layers.concatenate().apply([a, b]));
  const cls = layers.dense({ units: 3, name: 'cls', activation: 'softmax', kernelInitializer: init(2) }).apply(b);
  return model({ inputs: [a, b], outputs: [reg, cls], name: 'two' });
}

function data(n: number, seed: number) {
  const random = new Random(seed);
  const normal = (count: number) => Array.from({ length: count }, () => random.normal());
  return {
    a: tensor(normal(n * 3), [n, 3]),
    b: tensor(normal(n * 2), [n, 2]),
    yReg: tensor(normal(n * 2), [n, 2]),
    yCls: tensor(
      Array.from({ length: n }, (_, i) => (i * 7) % 3),
      [n],
    ),
  };
}

/** Mean over rows of the mean squared error of each row. */
function hostMse(pred: number[], target: number[], cols: number): number {
  let sum = 0;
  for (let i = 0; i < pred.length; i++) sum += ((pred[i] ?? 0) - (target[i] ?? 0)) ** 2;
  return sum / cols / (pred.length / cols);
}

/** Mean of −log p[label], and the fraction of rows whose argmax is the label. */
function hostCrossentropy(probs: number[], labels: number[], k: number): { loss: number; accuracy: number } {
  let loss = 0;
  let hits = 0;
  labels.forEach((label, n) => {
    const row = probs.slice(n * k, (n + 1) * k);
    loss -= Math.log(Math.max(row[label] ?? 0, 1e-7));
    if (row.indexOf(Math.max(...row)) === label) hits++;
  });
  return { loss: loss / labels.length, accuracy: hits / labels.length };
}

describe('several inputs and outputs', () => {
  it('evaluates to the weighted sum of each output loss, computed on each output separately', () => {
    const net = twoByTwo();
    expect(net.inputNames).toEqual(['a', 'b']);
    expect(net.outputNames).toEqual(['reg', 'cls']);
    net.compile({
      optimizer: 'sgd',
      loss: { reg: 'mse', cls: 'sparseCategoricalCrossentropy' },
      metrics: { cls: ['accuracy'] },
      lossWeights: { reg: 0.5, cls: 2 },
    });
    const d = data(10, 1);
    const [pReg, pCls] = net.predictAll([d.a, d.b]);
    const mse = hostMse(values(pReg ?? d.a), values(d.yReg), 2);
    const ce = hostCrossentropy(values(pCls ?? d.a), values(d.yCls), 3);
    const results = net.evaluate({ b: d.b, a: d.a }, [d.yReg, d.yCls], { batchSize: 4 });
    expect(Object.keys(results)).toEqual(['loss', 'reg_loss', 'cls_loss', 'cls_accuracy']);
    expect(results.reg_loss).toBeCloseTo(mse, 5);
    expect(results.cls_loss).toBeCloseTo(ce.loss, 5);
    expect(results.cls_accuracy).toBeCloseTo(ce.accuracy, 6);
    expect(results.loss).toBeCloseTo(0.5 * mse + 2 * ce.loss, 5);
  });

  it('takes one step on Σ weight · loss: the weights of an output alone move as a one-output model with lr · weight', () => {
    const d = data(6, 2);
    const net = twoByTwo();
    net.compile({
      optimizer: optimizers.sgd({ learningRate: 0.1 }),
      loss: ['mse', 'sparseCategoricalCrossentropy'],
      lossWeights: [0.5, 3],
    });
    // `cls` depends on b and its own weights only, so its gradient under the total is 3 × its own loss's gradient.
    const b = input({ shape: [2], name: 'b' });
    const clsAlone = layers.dense({ units: 3, name: 'cls', activation: 'softmax', kernelInitializer: init(2) });
    const alone = model({ inputs: b, outputs: clsAlone.apply(b) });
    alone.compile({ optimizer: optimizers.sgd({ learningRate: 0.3 }), loss: 'sparseCategoricalCrossentropy' });
    const [pReg, pCls] = net.predictAll([d.a, d.b]);
    const expectedLoss =
      0.5 * hostMse(values(pReg ?? d.a), values(d.yReg), 2) +
      3 * hostCrossentropy(values(pCls ?? d.a), values(d.yCls), 3).loss;
    const logs = net.trainOnBatch([d.a, d.b], { reg: d.yReg, cls: d.yCls });
    alone.trainOnBatch(d.b, d.yCls);
    expect(logs.loss).toBeCloseTo(expectedLoss, 5);
    expect(Object.keys(logs)).toEqual(['loss', 'reg_loss', 'cls_loss']);
    const got = net.getLayer('cls').getWeights().flatMap(values);
    const want = alone.getWeights().flatMap(values);
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i] ?? Number.NaN, 6));
  });

  it('keeps inputs and outputs aligned through shuffling and the validation split', async () => {
    // out = a + b, target a + b: any misalignment of rows between a, b and y makes the loss non-zero.
    const a = input({ shape: [2], name: 'a' });
    const b = input({ shape: [2], name: 'b' });
    const sum = layers.add({ name: 'sum' }).apply([a, b]);
    const side = layers.dense({ units: 1, name: 'side', kernelInitializer: init(3) }).apply(b);
    const net = model({ inputs: [a, b], outputs: [sum, side] });
    net.compile({ optimizer: 'adam', loss: 'mse', metrics: [['accuracy'], []] });
    const d = data(13, 3);
    const other = data(13, 7).b;
    const target = tensor(
      values(other).map((v, i) => v + (values(d.b)[i] ?? 0)),
      [13, 2],
    );
    const history = await net.fit({ a: other, b: d.b }, [target, firstColumn(d.yReg)], {
      epochs: 3,
      batchSize: 3,
      validationSplit: 0.25,
      seed: 5,
      verbose: 0,
    });
    expect(Object.keys(history.history)).toEqual([
      'loss',
      'sum_loss',
      'side_loss',
      'sum_accuracy',
      'val_loss',
      'val_sum_loss',
      'val_side_loss',
      'val_sum_accuracy',
    ]);
    expect(history.history.sum_loss).toEqual([0, 0, 0]);
    expect(history.history.val_sum_loss).toEqual([0, 0, 0]);
    expect(history.history.side_loss?.[0]).toBeGreaterThan(0);
  });

  it('reports val_ figures equal to evaluate on the held-out examples, and lists equal objects', async () => {
    const d = data(12, 4);
    const histories = [];
    const evaluations = [];
    for (const asObject of [false, true]) {
      const net = twoByTwo();
      net.compile({ optimizer: 'adam', loss: ['mse', 'sparseCategoricalCrossentropy'], metrics: [[], ['accuracy']] });
      const x = asObject ? { a: d.a, b: d.b } : [d.a, d.b];
      const y = asObject ? { cls: d.yCls, reg: d.yReg } : [d.yReg, d.yCls];
      const history = await net.fit(x, y, { epochs: 1, batchSize: 4, validationSplit: 0.25, seed: 1, verbose: 0 });
      histories.push(history.history);
      const held = (t: Tensor) => rows(t, 9, 3);
      evaluations.push(net.evaluate([held(d.a), held(d.b)], [held(d.yReg), held(d.yCls)]));
    }
    expect(histories[1]).toEqual(histories[0]);
    const [history, evaluation] = [histories[0], evaluations[0]];
    for (const name of ['loss', 'reg_loss', 'cls_loss', 'cls_accuracy']) {
      expect(history?.[`val_${name}`]?.[0]).toBeCloseTo(evaluation?.[name] ?? Number.NaN, 6);
    }
  });

  it('predict gives one tensor, predictAll one per output; a one-output model takes lists and objects too', () => {
    const net = twoByTwo();
    const d = data(5, 5);
    expect(() => net.predict([d.a, d.b])).toThrow(/has 2 outputs \('reg', 'cls'\).*predictAll/);
    expect(net.predictAll({ a: d.a, b: d.b }).map((t) => t.shape)).toEqual([
      [5, 2],
      [5, 3],
    ]);
    const x = input({ shape: [2], name: 'x' });
    const one = model({
      inputs: x,
      outputs: layers.dense({ units: 1, name: 'y', kernelInitializer: init(4) }).apply(x),
    });
    one.compile({ optimizer: 'sgd', loss: { y: 'mse' } });
    const target = firstColumn(d.yReg);
    expect(one.evaluate({ x: d.b }, { y: target })).toEqual(one.evaluate(d.b, target));
    expect(values(one.predict([d.b]))).toEqual(values(one.predict(d.b)));
  });

  it('names the input or output, the expected and the received counts, names and shapes in its errors', async () => {
    const net = twoByTwo();
    const d = data(4, 6);
    expect(() => net.compile({ optimizer: 'sgd', loss: ['mse'] })).toThrow(
      "compile: `loss` must hold one entry per output (2: 'reg', 'cls'), received 1",
    );
    expect(() => net.compile({ optimizer: 'sgd', loss: { reg: 'mse' } })).toThrow(
      "compile: `loss` has no entry for output 'cls'; its outputs: 'reg', 'cls'",
    );
    expect(() => net.compile({ optimizer: 'sgd', loss: 'mse', lossWeights: { regg: 1 } })).toThrow(
      "compile: `lossWeights` names output 'regg', which the model lacks; its outputs: 'reg', 'cls'",
    );
    const metric = { name: 'm', reset: () => undefined, update: () => undefined, result: () => 0 };
    expect(() => net.compile({ optimizer: 'sgd', loss: 'mse', metrics: [metric] })).toThrow(ConfigError);
    net.compile({ optimizer: 'sgd', loss: 'mse' });
    const y = [d.yReg, firstColumn(d.yReg)];
    expect(() => net.evaluate(d.a, y)).toThrow(
      "evaluate: `x` must hold one tensor per input (2: 'a', 'b'), received one tensor",
    );
    expect(() => net.evaluate({ a: d.a, c: d.b }, y)).toThrow(
      "evaluate: `x` names input 'c', which the model lacks; its inputs: 'a', 'b'",
    );
    expect(() => net.evaluate({ a: d.a }, y)).toThrow(
      "evaluate: `x` has no tensor for input 'b'; its inputs: 'a', 'b'",
    );
    expect(() => net.evaluate([d.a, d.a], y)).toThrow(ShapeError);
    expect(() => net.evaluate([d.a, d.a], y)).toThrow(
      "Model 'two': evaluate: input 'b' expected shape [null, 2], received [4, 3]",
    );
    expect(() => net.evaluate([d.a, rows(d.b, 0, 3)], y)).toThrow(
      "evaluate: x['a'] and x['b'] must have the same number of examples (first dimension), received [4, 3] and [3, 2]",
    );
    await expect(
      net.fit({ xShape: [4, 3], x: new Float32Array(12), y: new Float32Array(4), numClasses: 3 }, { verbose: 0 }),
    ).rejects.toThrow(/a Dataset feeds a model with one input and one output; Model 'two' has 2 input\(s\)/);
    await expect(net.fit([d.a, d.b], y, { classWeight: { 0: 2 }, verbose: 0 })).rejects.toThrow(
      '`classWeight` needs a model with one output, received 2 outputs',
    );
  });
});
