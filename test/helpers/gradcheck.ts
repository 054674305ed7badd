/**
 * Gradient checking by central differences.
 *
 * For f(inputs) → y, a random probe r (seeded) defines the scalar L = Σ y·r, so a gradient landing in the wrong
 * position changes L's derivative and is caught. The analytic dL/dx comes from `grads(y, inputs, r)`; the numeric
 * one from (L(x + ε) − L(x − ε)) / 2ε, with L summed in float64 on the JS side to keep rounding noise low.
 * Large inputs are checked at a random sample of positions.
 * Tolerance (stated once): |a − n| ≤ atol + rtol·max(|a|, |n|).
 */
import { expect } from 'vitest';
import { grads, noGrad, Random, type Tensor, tensor, tidy } from '../../src/index.js';

export interface GradcheckOptions {
  /** Step for central differences. */
  readonly epsilon?: number;
  readonly rtol?: number;
  readonly atol?: number;
  /** At most this many positions are checked per input. */
  readonly maxSamples?: number;
  readonly seed?: number;
}

export const GRADCHECK_DEFAULTS = { epsilon: 1e-3, rtol: 2e-2, atol: 2e-3, maxSamples: 40, seed: 7 } as const;

function probeLoss(y: Float32Array, probe: Float32Array): number {
  let loss = 0;
  for (let i = 0; i < y.length; i++) loss += (y[i] ?? 0) * (probe[i] ?? 0);
  return loss;
}

/**
 * Checks dL/d(input) for every input tensor (inputs or layer variables: each must have requiresGrad set).
 * `f` must be deterministic (seeded randomness only). Returns the number of positions checked.
 */
export function gradcheck(f: () => Tensor, inputs: readonly Tensor[], options: GradcheckOptions = {}): number {
  const { epsilon, rtol, atol, maxSamples, seed } = { ...GRADCHECK_DEFAULTS, ...options };
  const random = new Random(seed);
  for (const input of inputs) {
    if (!input.requiresGrad) throw new Error(`gradcheck: input ${input.toString()} does not require gradients`);
  }
  let checked = 0;
  tidy(() => {
    const y = f();
    const probe = Float32Array.from({ length: y.size }, () => random.uniform(-1, 1));
    const analytic = grads(y, inputs, tensor(probe, y.shape)).map((g) => g.dataSync());
    const lossAt = (): number => noGrad(() => tidy(() => probeLoss(f().dataSync(), probe)));

    inputs.forEach((input, k) => {
      const positions =
        input.size <= maxSamples
          ? Array.from({ length: input.size }, (_, i) => i)
          : Array.from({ length: maxSamples }, () => random.int(input.size));
      for (const i of positions) {
        const original = input.storage.view()[i] ?? 0;
        input.storage.view()[i] = original + epsilon;
        const plus = lossAt();
        input.storage.view()[i] = original - epsilon;
        const minus = lossAt();
        input.storage.view()[i] = original;
        const numeric = (plus - minus) / (2 * epsilon);
        const a = analytic[k]?.[i] ?? Number.NaN;
        const tolerance = atol + rtol * Math.max(Math.abs(a), Math.abs(numeric));
        if (!(Math.abs(a - numeric) <= tolerance)) {
          expect.fail(
            `gradient of input ${k} ${input.toString()} at flat index ${i}: analytic ${a}, numeric ${numeric}`,
          );
        }
        checked++;
      }
    });
  });
  return checked;
}

/** A tensor of uniform random values in [lo, hi) that requires gradients (a gradcheck input). */
export function randomInput(shape: readonly number[], seed: number, lo = -1, hi = 1): Tensor {
  const random = new Random(seed);
  const size = shape.reduce((n, d) => n * d, 1);
  const t = tensor(
    Float32Array.from({ length: size }, () => random.uniform(lo, hi)),
    shape,
  );
  t.requiresGrad = true;
  return t;
}
