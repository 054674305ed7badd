/**
 * End to end: the same small conv net, forward and every gradient, on the js and wasm backends (selected with
 * setBackend). The net exercises conv2d (same and strided-valid), biasAdd, relu, maxPool, batch norm, avgPool,
 * flatten, matMul and softmax cross-entropy, so the backward pass uses every gradient kernel.
 * Tolerance: after a dozen ops the float32 summation differences compound; each gradient must agree within
 * 2e-5 of its largest entry (seen: under 6e-7), and the loss within 1e-5 relative.
 */
import { describe, expect, it } from 'vitest';
import {
  avgPool,
  batchNormTraining,
  biasAdd,
  conv2d,
  flatten,
  grads,
  matMul,
  maxPool,
  mean,
  memory,
  Random,
  relu,
  setBackend,
  softmaxCrossEntropy,
  type Tensor,
  tensor,
  tidy,
  Variable,
} from '../../src/index.js';

interface NetResult {
  readonly loss: number;
  readonly gradients: Float32Array[];
}

function values(length: number, seed: number, scale: number): number[] {
  const random = new Random(seed);
  return Array.from({ length }, () => random.uniform(-scale, scale));
}

/** Builds the parameters from fixed seeds, runs forward and backward, returns copies (everything freed after). */
function runNet(backend: string): NetResult {
  setBackend(backend);
  try {
    // Variables copy their initial tensors, which the tidy then frees.
    const [x, ...params] = tidy(
      () =>
        [
          new Variable(tensor(values(2 * 12 * 12 * 3, 1, 1), [2, 12, 12, 3]), 'x'),
          new Variable(tensor(values(3 * 3 * 3 * 8, 2, 0.4), [3, 3, 3, 8]), 'w1'),
          new Variable(tensor(values(8, 3, 0.1), [8]), 'b1'),
          new Variable(tensor(values(3 * 3 * 8 * 12, 4, 0.3), [3, 3, 8, 12]), 'w2'),
          new Variable(
            tensor(
              values(12, 5, 0.5).map((v) => 1 + v),
              [12],
            ),
            'gamma',
          ),
          new Variable(tensor(values(12, 6, 0.1), [12]), 'beta'),
          new Variable(tensor(values(12 * 4, 7, 0.5), [12, 4]), 'w3'),
          new Variable(tensor(values(4, 8, 0.1), [4]), 'b3'),
        ] as const,
    );
    const [w1, b1, w2, gamma, beta, w3, b3] = params;
    const labels = tensor([1, 0, 0, 0, 0, 0, 1, 0], [2, 4]);
    const result = tidy(() => {
      let h: Tensor = relu(biasAdd(conv2d(x, w1, { padding: 'same' }), b1)); // [2, 12, 12, 8]
      h = maxPool(h, { poolSize: 2 }); // [2, 6, 6, 8]
      h = conv2d(h, w2, { strides: 2 }); // [2, 2, 2, 12]
      h = relu(batchNormTraining(h, gamma, beta, 1e-3).y);
      h = flatten(avgPool(h, { poolSize: 2 })); // [2, 12]
      const loss = mean(softmaxCrossEntropy(biasAdd(matMul(h, w3), b3), labels));
      const gradients = grads(loss, [x, ...params]).map((g) => g?.dataSync() ?? new Float32Array(0));
      return { loss: loss.dataSync()[0] ?? Number.NaN, gradients };
    });
    for (const t of [x, ...params, labels]) t.dispose();
    return result;
  } finally {
    setBackend('js');
  }
}

describe('a small conv net on the wasm backend', () => {
  it('computes the same loss and gradients as on the js backend, and leaves no memory behind', () => {
    setBackend('wasm');
    const wasmStart = memory();
    const wasm = runNet('wasm');
    setBackend('wasm');
    expect(memory()).toEqual(wasmStart);
    const js = runNet('js');

    expect(Number.isFinite(js.loss)).toBe(true);
    expect(Math.abs(wasm.loss - js.loss)).toBeLessThanOrEqual(1e-5 * Math.abs(js.loss));
    expect(wasm.gradients.length).toBe(8);
    js.gradients.forEach((expected, i) => {
      const actual = wasm.gradients[i] ?? new Float32Array(0);
      expect(actual.length).toBe(expected.length);
      const scale = Math.max(...Array.from(expected, Math.abs));
      expect(scale).toBeGreaterThan(0); // every parameter influences the loss
      const worst = Math.max(...Array.from(expected, (e, j) => Math.abs((actual[j] ?? Number.NaN) - e)));
      expect(worst).toBeLessThanOrEqual(2e-5 * scale);
    });
  });
});
