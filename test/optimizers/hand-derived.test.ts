/**
 * Optimizers tfjs lacks or computes differently (adamw, nadam, amsgrad, adadelta), checked against values derived
 * by hand from the published update rules on a scalar w0 = 1 (ε = 1e-7 unless said; arithmetic in float64, shown
 * to the precision that matters against float32 results).
 */
import { describe, expect, it } from 'vitest';
import { Random, scalar, tensor, tidy, Variable } from '../../src/index.js';
import { adadelta, adam, adamw, nadam, type Optimizer } from '../../src/optimizers/index.js';
import { expectClose } from '../helpers/tfjs.js';
import { signedValues } from './trajectory.js';

/** Applies the gradients to a scalar variable starting at 1, returning w after each step. */
function scalarTrajectory(optimizer: Optimizer, gradients: readonly number[]): number[] {
  const w = tidy(() => new Variable(scalar(1), 'w'));
  const values = gradients.map((g) => {
    tidy(() => optimizer.applyGradients([{ variable: w, gradient: scalar(g) }]));
    return w.dataSync()[0] ?? Number.NaN;
  });
  optimizer.dispose();
  w.dispose();
  return values;
}

describe('adamw (decoupled weight decay, Keras 3)', () => {
  it('decays the weight by lr·λ·w, then takes the Adam step', () => {
    // lr = 0.1, λ = 0.5, β1 = 0.9, β2 = 0.999; gradients 2, −1.
    // t=1: decay w = 1 − 0.1·0.5·1 = 0.95; m = 0.2, v = 0.004; m̂ = 0.2/0.1 = 2, v̂ = 0.004/0.001 = 4;
    //      step = 0.1·2/(2 + 1e-7) = 0.099999995; w1 = 0.85000000500.
    // t=2: decay w = 0.850000005·0.95 = 0.80750000475; m = 0.18 − 0.1 = 0.08, v = 0.003996 + 0.001 = 0.004996;
    //      m̂ = 0.08/0.19 = 0.42105263, v̂ = 0.004996/0.001999 = 2.4992496, √v̂ = 1.5809015;
    //      step = 0.1·0.42105263/1.5809015 = 0.026633702; w2 = 0.78086630.
    const values = scalarTrajectory(adamw({ learningRate: 0.1, weightDecay: 0.5 }), [2, -1]);
    expectClose(values, [0.850000005, 0.7808663025], 1e-6, 1e-7);
  });

  it('with weightDecay 0 is Adam', () => {
    const gradients = [2, -1, 0.5];
    expectClose(
      scalarTrajectory(adamw({ learningRate: 0.1, weightDecay: 0 }), gradients),
      scalarTrajectory(adam({ learningRate: 0.1 }), gradients),
      0,
      0,
    );
  });
});

describe('nadam (Keras 3 formula)', () => {
  it('three steps by hand', () => {
    // lr = 0.1, β1 = 0.9, β2 = 0.999; μ_t = 0.9·(1 − ½·0.96^t): μ1 = 0.468, μ2 = 0.48528, μ3 = 0.5018688,
    // μ4 = 0.517794048. Π1 = 0.468, Π2 = 0.22711104, Π3 = 0.113979945.
    // m̂ = μ_{t+1}·m/(1 − Π_t·μ_{t+1}) + (1 − μ_t)·g/(1 − Π_t);  v̂ = v/(1 − β2^t);  w −= lr·m̂/(√v̂ + ε).
    // t=1, g=2:   m = 0.2, v = 0.004; m̂ = 0.48528·0.2/(1 − 0.22711104) + 0.532·2/0.532 = 0.12557561 + 2 = 2.12557561;
    //             v̂ = 4; w1 = 1 − 0.1·2.12557561/2 = 0.89372122.
    // t=2, g=−1:  m = 0.08, v = 0.004996; m̂ = 0.5018688·0.08/(1 − 0.113979945) − 0.51472/(1 − 0.22711104)
    //             = 0.04531449 − 0.66596894 = −0.62065445; v̂ = 2.49924962, √v̂ = 1.58090152; w2 = 0.93298075.
    // t=3, g=0.5: m = 0.122, v = 0.005241004; m̂ = 0.51779405·0.122/(1 − 0.05901814) + 0.4981312·0.5/(1 − 0.11397995)
    //             = 0.06713280 + 0.28110618 = 0.34823899; v̂ = 0.005241004/0.002997001 = 1.74874950, √v̂ = 1.32240293;
    //             w3 = 0.93298075 − 0.02633364 = 0.90664695.
    const values = scalarTrajectory(nadam({ learningRate: 0.1 }), [2, -1, 0.5]);
    expectClose(values, [0.893721225, 0.9329807485, 0.9066469471], 1e-6, 1e-7);
  });
});

describe('adam with amsgrad (Keras)', () => {
  it('divides by the running maximum of v, and only differs once v falls', () => {
    // lr = 0.1, β1 = 0.9, β2 = 0.5; gradients 2, 0.5, 3.
    // t=1: m = 0.2, v = 2, v̂max = 2; m̂ = 2, v̂ = 2/0.5 = 4; w1 = 1 − 0.1·2/2 = 0.9 (both variants).
    // t=2: m = 0.23, v = 1 + 0.125 = 1.125 < 2, so vmax stays 2; m̂ = 0.23/0.19 = 1.21052632;
    //      amsgrad: v̂ = 2/0.75 = 2.6667, w2 = 0.9 − 0.1·1.21052632/1.63299316 = 0.82587071;
    //      plain:   v̂ = 1.125/0.75 = 1.5,  w2 = 0.9 − 0.1·1.21052632/1.22474487 = 0.80116095.
    // t=3: m = 0.507, v = 0.5625 + 4.5 = 5.0625 = vmax; m̂ = 0.507/0.271 = 1.87084871, v̂ = 5.0625/0.875 = 5.78571429;
    //      step = 0.1·1.87084871/2.40535326 = 0.07777860 for both: w3 = 0.74809211 (amsgrad), 0.72338235 (plain).
    const withMax = scalarTrajectory(adam({ learningRate: 0.1, beta2: 0.5, amsgrad: true }), [2, 0.5, 3]);
    const plain = scalarTrajectory(adam({ learningRate: 0.1, beta2: 0.5 }), [2, 0.5, 3]);
    expectClose(withMax, [0.900000005, 0.8258707147, 0.748092108], 1e-6, 1e-7);
    expectClose(plain, [0.900000005, 0.8011609533, 0.7233823466], 1e-6, 1e-7);
  });

  it('keeps a third slot, vhat, after m and v', () => {
    const optimizer = adam({ amsgrad: true });
    const w = tidy(() => new Variable(tensor([1, 2]), 'k'));
    tidy(() => optimizer.applyGradients([{ variable: w, gradient: tensor([0.1, 0.2]) }]));
    const weights = optimizer.getWeights();
    expect(weights.map((x) => x.name)).toEqual(['iter', 'k/m', 'k/v', 'k/vhat']);
    weights[0]?.tensor.dispose();
    optimizer.dispose();
    w.dispose();
  });
});

describe('adadelta (Zeiler 2012, Algorithm 1, as Keras and TensorFlow)', () => {
  it('two steps by hand', () => {
    // lr = 1, ρ = 0.5, ε = 0.01 (large so the numbers are readable); gradients 2, −1.
    // t=1: E[g²] = 0.5·4 = 2; Δ = √(0 + 0.01)/√(2 + 0.01)·2 = 0.1/1.41774469·2 = 0.14106912;
    //      E[Δ²] = 0.5·0.01990050 = 0.00995025; w1 = 1 − 0.14106912 = 0.85893088.
    //      (tfjs divides by the previous E[g²] = 0 instead: Δ = 0.1/0.1·2 = 2, w1 = −1.)
    // t=2: E[g²] = 1 + 0.5 = 1.5; Δ = √(0.00995025 + 0.01)/√1.51·(−1) = 0.14124542/1.22882057·(−1) = −0.11494384;
    //      w2 = 0.85893088 + 0.11494384 = 0.97387471.
    const values = scalarTrajectory(adadelta({ learningRate: 1, rho: 0.5, epsilon: 0.01 }), [2, -1]);
    expectClose(values, [0.8589308768, 0.9738747121], 1e-6, 1e-7);
  });

  it('12 steps on a vector match a scalar-loop transcription of Algorithm 1', () => {
    const random = new Random(21);
    const rho = 0.9;
    const epsilon = 1e-6;
    const lr = 0.5;
    const initial = signedValues(5, random, 0, 1);
    const gradients = Array.from({ length: 12 }, () => signedValues(5, random, 0.1, 2));
    // The reference: per element, in float64.
    const expected = initial.map((w0, i) => {
      let w = w0;
      let eg = 0;
      let ex = 0;
      return gradients.map((step) => {
        const g = step[i] ?? 0;
        eg = rho * eg + (1 - rho) * g * g;
        const delta = (Math.sqrt(ex + epsilon) / Math.sqrt(eg + epsilon)) * g;
        ex = rho * ex + (1 - rho) * delta * delta;
        w -= lr * delta;
        return w;
      });
    });
    const optimizer = adadelta({ learningRate: lr, rho, epsilon });
    const w = tidy(() => new Variable(tensor(initial), 'v'));
    gradients.forEach((step, t) => {
      tidy(() => optimizer.applyGradients([{ variable: w, gradient: tensor(step) }]));
      expectClose(
        w.dataSync(),
        expected.map((trajectory) => trajectory[t] ?? Number.NaN),
        1e-5,
        1e-6,
      );
    });
    optimizer.dispose();
    w.dispose();
  });
});
