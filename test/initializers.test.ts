import { describe, expect, it } from 'vitest';
import {
  Dense,
  initializers,
  type LayersModel,
  modelFromTopology,
  modelToTopology,
  Random,
  Sequential,
} from '../src/index.js';
import { tf } from './helpers/tfjs.js';

const { computeFans } = initializers;

/** Sample mean, variance and fourth central moment, summed in float64. */
function moments(values: Float32Array): { mean: number; variance: number; m4: number } {
  const n = values.length;
  let mean = 0;
  for (const v of values) mean += v;
  mean /= n;
  let m2 = 0;
  let m4 = 0;
  for (const v of values) {
    const d = (v - mean) ** 2;
    m2 += d;
    m4 += d * d;
  }
  return { mean, variance: m2 / n, m4: m4 / n };
}

/**
 * Asserts the sample's mean and variance match theory within 5 standard errors: SE(mean) = sqrt(variance / n),
 * SE(sample variance) = sqrt((μ4 − σ⁴) / n) with μ4 and σ² estimated from the sample itself.
 */
function expectMoments(values: Float32Array, mean: number, variance: number): void {
  const n = values.length;
  const m = moments(values);
  expect(Math.abs(m.mean - mean)).toBeLessThan(5 * Math.sqrt(variance / n));
  expect(Math.abs(m.variance - variance)).toBeLessThan(5 * Math.sqrt((m.m4 - m.variance ** 2) / n));
}

const maxAbs = (values: Float32Array, center = 0): number =>
  values.reduce((m, v) => Math.max(m, Math.abs(v - center)), 0);

// Variance of a standard normal truncated at ±2: 1 − 4φ(2) / (2Φ(2) − 1), with φ(2) = e⁻² / √(2π) and
// 2Φ(2) − 1 = erf(√2) = 0.9544997361036416 (hand-computed; ≈ 0.7737, the square of Keras's 0.8796…).
const TRUNCATED_VARIANCE = 1 - (4 * Math.exp(-2)) / Math.sqrt(2 * Math.PI) / 0.9544997361036416;

// Fans by hand: dense [200, 300] → in 200, out 300; conv [3, 3, 64, 48] → in 3·3·64 = 576, out 3·3·48 = 432.
const SHAPES = [
  { label: 'dense [200, 300]', shape: [200, 300], fanIn: 200, fanOut: 300 },
  { label: 'conv [3, 3, 64, 48]', shape: [3, 3, 64, 48], fanIn: 576, fanOut: 432 },
] as const;

describe('computeFans', () => {
  it('matches hand-computed fans for dense, conv and other ranks (tfjs rules)', () => {
    expect(computeFans([200, 300])).toEqual([200, 300]);
    expect(computeFans([3, 3, 64, 48])).toEqual([576, 432]);
    expect(computeFans([5, 4, 7])).toEqual([20, 35]); // conv1d [k, in, out]: receptive field 5
    expect(computeFans([2, 3, 3, 4, 6])).toEqual([72, 108]); // conv3d: receptive field 18
    expect(computeFans([16])).toEqual([4, 4]); // rank 1: sqrt(size) for both, as tfjs
  });
});

describe('variance-scaling family: moments and bounds', () => {
  for (const { label, shape, fanIn, fanOut } of SHAPES) {
    const fanAvg = (fanIn + fanOut) / 2;
    const uniformCases = [
      ['glorotUniform', initializers.glorotUniform, 1 / fanAvg],
      ['heUniform', initializers.heUniform, 2 / fanIn],
      ['leCunUniform', initializers.leCunUniform, 1 / fanIn],
    ] as const;
    for (const [name, make, variance] of uniformCases) {
      it(`${name} on ${label}: U(±sqrt(3·scale/n)), variance scale/n`, () => {
        const values = make({ seed: 11 }).apply(shape).dataSync();
        const limit = Math.sqrt(3 * variance);
        expect(maxAbs(values)).toBeLessThanOrEqual(limit);
        expect(maxAbs(values)).toBeGreaterThan(0.99 * limit); // the limit is reached, not a smaller one
        expectMoments(values, 0, variance);
      });
    }
    // tfjs 4.22: truncated normal with stddev sqrt(scale/n) *before* truncation, hence variance 0.774·scale/n.
    const normalCases = [
      ['glorotNormal', initializers.glorotNormal, 1 / fanAvg],
      ['heNormal', initializers.heNormal, 2 / fanIn],
      ['leCunNormal', initializers.leCunNormal, 1 / fanIn],
    ] as const;
    for (const [name, make, scaleOverN] of normalCases) {
      it(`${name} on ${label}: normal truncated at 2·sqrt(scale/n), as tfjs`, () => {
        const values = make({ seed: 12 }).apply(shape).dataSync();
        const stddev = Math.sqrt(scaleOverN);
        expect(maxAbs(values)).toBeLessThanOrEqual(2 * stddev * (1 + 1e-6));
        expect(maxAbs(values)).toBeGreaterThan(1.95 * stddev);
        expectMoments(values, 0, TRUNCATED_VARIANCE * scaleOverN);
      });
    }
  }

  it("varianceScaling 'truncatedNormal' applies Keras's correction: variance scale/n exactly", () => {
    const init = initializers.varianceScaling({ scale: 3, mode: 'fanOut', distribution: 'truncatedNormal', seed: 1 });
    const values = init.apply([200, 300]).dataSync();
    const stddev = Math.sqrt(3 / 300) / 0.87962566103423978;
    expect(maxAbs(values)).toBeLessThanOrEqual(2 * stddev * (1 + 1e-6));
    expectMoments(values, 0, 3 / 300);
  });

  it("varianceScaling 'untruncatedNormal' is a plain normal with variance scale/n", () => {
    const values = initializers
      .varianceScaling({ scale: 0.5, mode: 'fanAvg', distribution: 'untruncatedNormal', seed: 2 })
      .apply([200, 300])
      .dataSync();
    const stddev = Math.sqrt(0.5 / 250);
    expect(maxAbs(values)).toBeGreaterThan(3 * stddev); // tails are kept (P(|z| > 3) · 60000 ≈ 160 values)
    expectMoments(values, 0, 0.5 / 250);
  });

  it('divides by at least 1 (tiny fans do not blow the scale up)', () => {
    const values = initializers.varianceScaling({ distribution: 'uniform', seed: 3 }).apply([1, 1, 1, 1000]).dataSync();
    expect(maxAbs(values)).toBeLessThanOrEqual(Math.sqrt(3)); // fanIn = 1 → limit sqrt(3)
  });
});

describe('plain initializers', () => {
  it('zeros, ones and constant fill the shape (hand-computed)', () => {
    expect(Array.from(initializers.zeros().apply([2, 2]).dataSync())).toEqual([0, 0, 0, 0]);
    expect(Array.from(initializers.ones().apply([3]).dataSync())).toEqual([1, 1, 1]);
    const c = initializers.constant({ value: 0.25 }).apply([2, 3]);
    expect(c.shape).toEqual([2, 3]);
    expect(Array.from(c.dataSync())).toEqual([0.25, 0.25, 0.25, 0.25, 0.25, 0.25]);
  });

  it('randomUniform: inside [minval, maxval), mean (a+b)/2, variance (b−a)²/12; defaults ±0.05', () => {
    const values = initializers.randomUniform({ minval: 1, maxval: 3, seed: 4 }).apply([200, 300]).dataSync();
    expect(Math.min(...values)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...values)).toBeLessThanOrEqual(3);
    expectMoments(values, 2, 4 / 12);
    expect(initializers.randomUniform().getConfig()).toEqual({ minval: -0.05, maxval: 0.05, seed: null });
    // minval 0 is kept (tfjs's `minval || -0.05` would replace it).
    const fromZero = initializers.randomUniform({ minval: 0, maxval: 1, seed: 5 }).apply([1000]).dataSync();
    expect(Math.min(...fromZero)).toBeGreaterThanOrEqual(0);
  });

  it('randomNormal: mean and variance of the requested normal', () => {
    const values = initializers.randomNormal({ mean: 0.5, stddev: 2, seed: 6 }).apply([200, 300]).dataSync();
    expectMoments(values, 0.5, 4);
  });

  it('truncatedNormal: never beyond 2 stddev of the mean, variance 0.774·stddev²', () => {
    const values = initializers.truncatedNormal({ mean: -1, stddev: 0.5, seed: 7 }).apply([3, 3, 64, 48]).dataSync();
    expect(maxAbs(values, -1)).toBeLessThanOrEqual(1 * (1 + 1e-6));
    expectMoments(values, -1, TRUNCATED_VARIANCE * 0.25);
    expect(initializers.truncatedNormal().getConfig()).toEqual({ mean: 0, stddev: 0.05, seed: null });
  });
});

describe('seeds', () => {
  const makers = [
    initializers.randomUniform,
    initializers.randomNormal,
    initializers.truncatedNormal,
    initializers.glorotUniform,
    initializers.heNormal,
  ] as const;

  it('the same seed gives identical values; another seed gives different ones', () => {
    for (const make of makers) {
      const a = make({ seed: 42 }).apply([20, 30]).dataSync();
      const b = make({ seed: 42 }).apply([20, 30]).dataSync();
      const c = make({ seed: 43 }).apply([20, 30]).dataSync();
      expect(Array.from(b)).toEqual(Array.from(a));
      expect(a.some((v, i) => v !== c[i])).toBe(true);
    }
  });

  it('unseeded initializers take a fresh seed per call from the generator they are given', () => {
    const init = initializers.heUniform();
    const first = init.apply([50]).dataSync();
    expect(first.some((v, i) => v !== init.apply([50]).dataSync()[i])).toBe(true); // Math.random seeds without one
    const seeds = new Random(9);
    const x = init.apply([50], seeds).dataSync();
    const y = init.apply([50], seeds).dataSync(); // the generator moved on, so another seed
    expect(x.some((v, i) => v !== y[i])).toBe(true);
    const again = new Random(9);
    expect(Array.from(init.apply([50], again).dataSync())).toEqual(Array.from(x));
    expect(Array.from(init.apply([50], again).dataSync())).toEqual(Array.from(y));
    // The seed taken is the generator's next 32-bit draw: the same values as an initializer given that seed.
    const expected = initializers
      .heUniform({ seed: new Random(9).nextUint32() })
      .apply([50])
      .dataSync();
    expect(Array.from(x)).toEqual(Array.from(expected));
  });

  it("an initializer's own seed wins over the generator it is given, which it leaves untouched", () => {
    const seeds = new Random(1);
    const own = initializers.glorotUniform({ seed: 42 }).apply([4, 3], seeds).dataSync();
    expect(Array.from(own)).toEqual(Array.from(initializers.glorotUniform({ seed: 42 }).apply([4, 3]).dataSync()));
    expect(seeds.nextUint32()).toBe(new Random(1).nextUint32());
  });

  it("a Sequential's seed fixes its weights, whatever was built before in the process", () => {
    const build = (seed?: number): Sequential =>
      new Sequential({
        seed,
        layers: [
          new Dense({ units: 5, inputShape: [3], biasInitializer: 'randomNormal' }),
          new Dense({ units: 2, kernelInitializer: initializers.heNormal() }),
        ],
      });
    const values = (model: LayersModel): number[][] => model.weights.map((w) => Array.from(w.dataSync()));
    const a = values(build(5));
    build(); // other unseeded models in between draw nothing from model 5's generator
    build(6);
    initializers.glorotUniform().apply([100]);
    expect(values(build(5))).toEqual(a);
    expect(values(build(6))).not.toEqual(a);
    // Independently: the model's generator is Random(seed), giving one seed per unseeded weight, in the order created.
    const seeds = new Random(5);
    const expected = [
      initializers.glorotUniform({ seed: seeds.nextUint32() }).apply([3, 5]),
      initializers.randomNormal({ seed: seeds.nextUint32() }).apply([5]),
      initializers.heNormal({ seed: seeds.nextUint32() }).apply([5, 2]),
      initializers.zeros().apply([2]),
    ].map((t) => Array.from(t.dataSync()));
    expect(a).toEqual(expected);
    expect(values(build())).not.toEqual(values(build()));
    // The CLI's model files (a Sequential config, a model.json topology) are built the same way from --seed.
    const model = build();
    expect(values(Sequential.fromConfig(model.getConfig(), 5))).toEqual(a);
    expect(values(modelFromTopology(modelToTopology(model), 'model.json', 5))).toEqual(a);
  });

  it('rejects a seed that is not a finite number', () => {
    expect(() => new Sequential({ name: 'm', seed: Number.NaN })).toThrow(
      /Sequential 'm': `seed` must be a finite number, received NaN/,
    );
  });
});

describe('validation', () => {
  it('rejects bad options, naming the initializer, the option and the value', () => {
    expect(() => initializers.randomNormal({ stddev: 0 })).toThrow(
      /initializers.randomNormal: `stddev` must be a positive finite number, received 0/,
    );
    expect(() => initializers.truncatedNormal({ stddev: -1 })).toThrow(/truncatedNormal: `stddev`.*received -1/);
    expect(() => initializers.randomUniform({ minval: 1, maxval: 1 })).toThrow(
      /randomUniform: `maxval` must be .*greater than minval \(1\), received 1/,
    );
    expect(() => initializers.varianceScaling({ scale: 0 })).toThrow(/varianceScaling: `scale` must be a positive/);
    expect(() => initializers.heNormal({ seed: Number.NaN })).toThrow(
      /initializers.heNormal: `seed` must be a finite number or null, received NaN/,
    );
    expect(() => initializers.constant({ value: Number.POSITIVE_INFINITY })).toThrow(
      /constant: `value` must be a finite number/,
    );
    expect(() => initializers.glorotUniform().apply([2, -1])).toThrow(
      /shape must hold non-negative integers, received \[2, -1\]/,
    );
  });
});

describe('registry and serialization', () => {
  it('finds initializers by tfjs, Keras and class names', () => {
    const heNormal = { scale: 2, mode: 'fanIn', distribution: 'normal', seed: null };
    for (const name of ['heNormal', 'he_normal', 'HeNormal']) {
      const init = initializers.getInitializer(name);
      expect(init.className).toBe('VarianceScaling');
      expect(init.getConfig()).toEqual(heNormal);
    }
    expect(initializers.getInitializer('glorot_uniform').getConfig()).toEqual({
      scale: 1,
      mode: 'fanAvg',
      distribution: 'uniform',
      seed: null,
    });
    expect(initializers.getInitializer('lecun_normal').getConfig()).toEqual({
      scale: 1,
      mode: 'fanIn',
      distribution: 'normal',
      seed: null,
    });
    expect(initializers.getInitializer('zeros').className).toBe('Zeros');
    expect(initializers.getInitializer('Ones').className).toBe('Ones');
    expect(initializers.getInitializer('random_uniform').className).toBe('RandomUniform');
    const own = initializers.leCunUniform({ seed: 1 });
    expect(initializers.getInitializer(own)).toBe(own);
  });

  it('an unknown name lists the known ones', () => {
    expect(() => initializers.getInitializer('xavier')).toThrow(
      /unknown initializer 'xavier'; known initializers: zeros, ones, constant, .*glorotUniform, .*leCunNormal/,
    );
    expect(() => initializers.getInitializer('constant')).toThrow(/Constant needs a numeric `value`/);
  });

  it('serializes as tfjs does (compared with tfjs 4.22 getClassName/getConfig)', () => {
    const pairs = [
      [initializers.glorotUniform({ seed: 3 }), tf.initializers.glorotUniform({ seed: 3 })],
      [initializers.glorotNormal({ seed: 3 }), tf.initializers.glorotNormal({ seed: 3 })],
      [initializers.heUniform({ seed: 3 }), tf.initializers.heUniform({ seed: 3 })],
      [initializers.heNormal({ seed: 3 }), tf.initializers.heNormal({ seed: 3 })],
      [initializers.leCunUniform({ seed: 3 }), tf.initializers.leCunUniform({ seed: 3 })],
      [initializers.leCunNormal({ seed: 3 }), tf.initializers.leCunNormal({ seed: 3 })],
      [
        initializers.varianceScaling({ scale: 2, mode: 'fanAvg', distribution: 'uniform', seed: 3 }),
        tf.initializers.varianceScaling({ scale: 2, mode: 'fanAvg', distribution: 'uniform', seed: 3 }),
      ],
      [initializers.zeros(), tf.initializers.zeros()],
      [initializers.ones(), tf.initializers.ones()],
      [initializers.constant({ value: 0.3 }), tf.initializers.constant({ value: 0.3 })],
      [
        initializers.randomUniform({ minval: -1, maxval: 2, seed: 3 }),
        tf.initializers.randomUniform({ minval: -1, maxval: 2, seed: 3 }),
      ],
      [
        initializers.randomNormal({ mean: 1, stddev: 2, seed: 3 }),
        tf.initializers.randomNormal({ mean: 1, stddev: 2, seed: 3 }),
      ],
      [
        initializers.truncatedNormal({ mean: 1, stddev: 2, seed: 3 }),
        tf.initializers.truncatedNormal({ mean: 1, stddev: 2, seed: 3 }),
      ],
    ] as const;
    for (const [ours, theirs] of pairs) {
      expect(initializers.serializeInitializer(ours)).toEqual({
        className: theirs.getClassName(),
        config: theirs.getConfig(),
      });
    }
  });

  it('round-trips every initializer through serialize → deserialize with an equal config', () => {
    const all = [
      initializers.zeros(),
      initializers.ones(),
      initializers.constant({ value: -2 }),
      initializers.randomUniform({ minval: 0, maxval: 4 }),
      initializers.randomNormal({ mean: 1, seed: 5 }),
      initializers.truncatedNormal({ stddev: 0.1, seed: 6 }),
      initializers.glorotNormal({ seed: 7 }),
      initializers.heUniform(),
      initializers.varianceScaling({ scale: 0.3, mode: 'fanOut', distribution: 'untruncatedNormal', seed: 8 }),
    ];
    for (const init of all) {
      const serialized = initializers.serializeInitializer(init);
      const json = JSON.parse(JSON.stringify(serialized)) as initializers.SerializedInput;
      expect(initializers.serializeInitializer(initializers.deserializeInitializer(json))).toEqual(serialized);
    }
  });

  it('reads the Keras / tfjs model-file form (class_name, snake_case keys and values)', () => {
    const fromFile = initializers.getInitializer({
      class_name: 'VarianceScaling',
      config: { scale: 2, mode: 'fan_avg', distribution: 'truncated_normal', seed: null },
    });
    expect(fromFile.getConfig()).toEqual({ scale: 2, mode: 'fanAvg', distribution: 'truncatedNormal', seed: null });
    // Keras 3 writes the helpers under their own names.
    expect(initializers.getInitializer({ class_name: 'GlorotUniform', config: { seed: 4 } }).getConfig()).toEqual({
      scale: 1,
      mode: 'fanAvg',
      distribution: 'uniform',
      seed: 4,
    });
    expect(() =>
      initializers.getInitializer({ className: 'VarianceScaling', config: { mode: 'fan_sideways' } }),
    ).toThrow(/`mode` must be one of fanIn, fanOut, fanAvg, received 'fanSideways'/);
    expect(() => initializers.getInitializer({ className: 'RandomNormal', config: { stddev: '1' } })).toThrow(
      /deserializeInitializer 'RandomNormal': `stddev` must be a number, received "1"/,
    );
  });
});
