/**
 * evaluate and predict given what they cannot use (issue 13): no examples, or not a tensor or dataset at all. Each is
 * a ConfigError naming the call and the received value, never a TypeError from inside, nor a loss of 0 as a result.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, data, layers, type Sequential, sequential, type Tensor, tensor } from '../../src/index.js';

/** A value as a plain JavaScript caller passes it: the types do not stop it. */
function untyped(value: unknown): Tensor {
  return value as Tensor;
}

function model(): Sequential {
  const m = sequential({ layers: [layers.dense({ units: 3, inputShape: [4], activation: 'softmax' })] });
  m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

describe('evaluate with no examples', () => {
  it('is an error for empty tensors', () => {
    const m = model();
    const call = (): unknown => m.evaluate(tensor(new Float32Array(0), [0, 4]), tensor(new Float32Array(0), [0]));
    expect(call).toThrow(ConfigError);
    expect(call).toThrow(/evaluate: expected at least one example, received 0/);
  });

  it('is an error for an empty dataset', () => {
    const empty = data.createDataset({ x: new Float32Array(0), xShape: [0, 4], y: new Float32Array(0), numClasses: 3 });
    expect(() => model().evaluate(empty)).toThrow(/evaluate: expected at least one example, received 0/);
  });

  it('still evaluates one example', () => {
    const results = model().evaluate(tensor([1, 2, 3, 4], [1, 4]), tensor([2], [1]));
    expect(Number.isFinite(results.loss)).toBe(true);
    expect(results.loss).toBeGreaterThan(0);
  });
});

describe('predict and evaluate on what is not data', () => {
  it.each([null, undefined, 42, 'x.png', {}])('predict(%s) names the argument and the value', (value) => {
    const m = model();
    // The public signature takes Tensor | Dataset; plain JavaScript callers pass anything.
    const call = (): unknown => m.predict(untyped(value));
    expect(call).toThrow(ConfigError);
    expect(call).toThrow(
      /^predict: `x` (must be a Tensor, a list or an object of tensors, received |has no tensor for input )/,
    );
  });

  it('evaluate(null) names the value', () => {
    const m = model();
    expect(() => m.evaluate(untyped(null), untyped(null))).toThrow(
      'evaluate: expected a Tensor or a Dataset, received null',
    );
  });
});
