/**
 * The fused Adam kernel (Backend.adamUpdate) against the composed ops it replaces, on the backend under test: the
 * kernel rounds every step to float32 in the composition's order, so weights and slots must agree bit for bit, over
 * several steps, for odd lengths (a SIMD tail) and lengths large enough to split across threads. Adam's trajectory
 * against TensorFlow.js is checked by the optimizer oracle tests, which now run the fused path.
 */
import { describe, expect, it } from 'vitest';
import { engine, noGrad, Random, tensor, tidy, Variable } from '../../src/index.js';
import { adamParams, adamUpdate, composedAdamUpdate } from '../../src/optimizers/adam.js';

function values(length: number, random: Random, scale: number): Float32Array {
  return Float32Array.from({ length }, () => random.uniform(-scale, scale));
}

function bits(v: Variable): Uint32Array {
  return new Uint32Array(v.dataSync().slice().buffer);
}

describe(`fused Adam on the ${engine.backend.name} backend`, () => {
  it('has the fused kernel', () => {
    expect(typeof engine.backend.adamUpdate).toBe('function');
  });

  it.each([[1], [7], [4099], [300_003]])('matches the composed ops bit for bit over 4 steps (%i values)', (length) => {
    const random = new Random(length);
    const params = adamParams('test', { beta1: 0.85, beta2: 0.995, epsilon: 1e-6 });
    const start = values(length, random, 1);
    const make = (): { w: Variable; m: Variable; v: Variable } => ({
      w: new Variable(tensor(start, [length]), 'w'),
      m: new Variable(tensor(new Float32Array(length), [length]), 'w/m', false),
      v: new Variable(tensor(new Float32Array(length), [length]), 'w/v', false),
    });
    const fused = make();
    const composed = make();
    for (let step = 1; step <= 4; step++) {
      // Gradients spanning several magnitudes, including zeros, exercise m, v and the ε term.
      const g = values(length, random, 10 ** (step - 3)).map((x, i) => (i % 5 === 4 ? 0 : x));
      const info = { learningRate: 0.003 * step, step };
      noGrad(() =>
        tidy(() => {
          const gradient = tensor(g, [length]);
          adamUpdate(params, fused.w, gradient, { m: fused.m, v: fused.v }, info);
          composedAdamUpdate(params, composed.w, gradient, { m: composed.m, v: composed.v }, info);
        }),
      );
    }
    for (const key of ['w', 'm', 'v'] as const) {
      const a = bits(fused[key]);
      const b = bits(composed[key]);
      let first = -1;
      for (let i = 0; i < a.length && first === -1; i++) if (a[i] !== b[i]) first = i;
      expect(first, `${key} differs first at ${first}`).toBe(-1);
    }
    // The update moved the weights (a fused kernel that did nothing would match nothing above, but say so plainly).
    expect(bits(fused.w)).not.toEqual(new Uint32Array(start.buffer));
    for (const set of [fused, composed]) for (const v of Object.values(set)) v.dispose();
  });
});
