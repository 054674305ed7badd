/**
 * Parity of the wasm transcendental kernels (asm/transcendental.ts: exp, log, elu, selu, sigmoid, tanh, softplus,
 * swish, gelu and their gradients) with the js reference (float64 Math, rounded once to float32), on the relaxed-SIMD
 * build (fused multiply-adds) and the plain one, over wide and tiny ranges, specials and ragged lengths.
 *
 * Tolerances are stated per op in ulps: |wasm − js| ≤ ulps·2⁻²³·scale + floor, where scale is |js| (or, for a
 * gradient that is a sum of terms that cancel, the sum of the terms' magnitudes) and floor is one subnormal step
 * plus what the op states. A float32 rounding moves a value by at most ½ of this ulp, so each budget below counts
 * roundings: the reference's own final rounding (½) is in every one. NaN and ±Infinity must match exactly, and so
 * must the sign of a zero.
 */
import { describe, expect, it } from 'vitest';
import type { UnaryOp } from '../../src/backend/backend.js';
import { erf } from '../../src/backend/js/elementwise.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import { onBoth, plainWasmBackend, Random, wasmBackend } from './wasm-parity.js';

const ULP = 2 ** -23;
/** The smallest float32 subnormal: one step of the grid results below 2⁻¹²⁶ are rounded to. */
const SUBNORMAL_STEP = 2 ** -149;
const SELU_SCALE_ALPHA = 1.0507009873554805 * 1.6732632423543772;

/** Per-element allowance beside the ulps: x the input, dy the upstream gradient. */
type Floor = (x: number, dy: number) => number;
/** The scale a gradient's ulps are taken of, when it is a sum of terms that may cancel. */
type Scale = (x: number, dy: number) => number;

interface OpSpec {
  readonly op: UnaryOp;
  readonly param?: number;
  readonly forwardUlps: number;
  readonly gradUlps: number;
  readonly ranges: readonly (readonly [number, number])[];
  readonly forwardFloor?: Floor;
  readonly gradFloor?: Floor;
  readonly gradScale?: Scale;
}

const WIDE: readonly (readonly [number, number])[] = [
  [-20, 20],
  [-1e-3, 1e-3],
  [-1, 1],
];
const sigmoidOf = (x: number): number => 1 / (1 + Math.exp(-x));
const normalCdf = (x: number): number => 0.5 * (1 + erf(x / Math.SQRT2));
const normalDensity = (x: number): number => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

const SPECS: readonly OpSpec[] = [
  // exp: Cephes' expf, roundings included, measures 7.6e-8 (0.64) on the reduced range; 2ⁿ is exact; + the
  // reference's rounding (½). Its gradient dy·y is one float32 product, the float64 product rounded once: exact.
  { op: 'exp', forwardUlps: 1.5, gradUlps: 0, ranges: [...WIDE, [-104, 89]] },
  // log: s = f/(2 + f) (two roundings, 1) + series (0.3, rounded ½) + the reference's (½). Its gradient dy/x is
  // one division, the correctly rounded dy·(1/x) the reference computes: exact.
  {
    op: 'log',
    forwardUlps: 2,
    gradUlps: 0,
    ranges: [
      [0, 1e-30],
      [0.5, 2],
      [1 - 1e-3, 1 + 1e-3],
      [0, 3e38],
    ],
  },
  // elu: expm1 (polynomial 0.3, then 2ⁿ·q + (2ⁿ − 1): two roundings, 1) + α·(½) + ½. Gradient y + α (exact or ½,
  // alpha 1 being a float32), times dy (½), + ½.
  { op: 'elu', param: 1, forwardUlps: 2, gradUlps: 1.5, ranges: WIDE },
  // alpha 0.5 is a float32 too: the same budgets.
  { op: 'elu', param: 0.5, forwardUlps: 2, gradUlps: 1.5, ranges: WIDE },
  // alpha 0.3 reaches the kernel rounded to float32: ½ more forward, and where y + α cancels (x ≪ 0) the rounding
  // |fround(α) − α| of the float32 alpha, times dy, as a floor.
  {
    op: 'elu',
    param: 0.3,
    forwardUlps: 2.5,
    gradUlps: 1.5,
    ranges: WIDE,
    gradFloor: (_, dy) => Math.abs(dy) * Math.abs(Math.fround(0.3) - 0.3),
  },
  // selu: elu's budget + ½ for scale·alpha rounded to float32. Its gradient y + scale·alpha cancels as x → −∞:
  // the float32 constant's rounding, times dy, is the floor there.
  {
    op: 'selu',
    forwardUlps: 2.5,
    gradUlps: 1.5,
    ranges: WIDE,
    gradFloor: (_, dy) => Math.abs(dy) * Math.abs(Math.fround(SELU_SCALE_ALPHA) - SELU_SCALE_ALPHA),
  },
  // sigmoid: exp (1.3) + 1 + e (½) + the division (½), less what 1 + e dilutes, + ½. Gradient y·(1 − y)·dy: three
  // roundings (1 − y exact for y ≥ ½) + ½.
  { op: 'sigmoid', forwardUlps: 2.5, gradUlps: 2, ranges: WIDE },
  // tanh: expm1 (1.3) + t + 2 (diluted) + the division (½) + ½. Gradient (1 − y)(1 + y)·dy: three roundings + ½.
  { op: 'tanh', forwardUlps: 2.5, gradUlps: 2, ranges: WIDE },
  // softplus: exp (1.3, not amplified: d log1p(e)/de · e/log1p(e) ≤ 1) + log1p's series (1.3) + the final add (½)
  // − overlap. Its gradient is sigmoid's value: sigmoid's budget.
  { op: 'softplus', forwardUlps: 3, gradUlps: 2.5, ranges: WIDE },
  // swish: sigmoid (2.5) + the product (½). Gradient s + x·e/(1 + e)² cancels near x = −1.28: ulps of the terms'
  // magnitudes |s| + |x·s(1 − s)| (sigmoid's 2 + a product and the add). Below x = −87.3 e = e^x is subnormal and
  // carries only an absolute 2⁻¹⁵⁰, which x multiplies (the reference multiplies in float64 first): floors.
  {
    op: 'swish',
    forwardUlps: 3,
    gradUlps: 3,
    ranges: WIDE,
    forwardFloor: (x) => Math.abs(x) * 2 ** -150,
    gradScale: (x, dy) => Math.abs(dy) * (sigmoidOf(x) + Math.abs(x * sigmoidOf(x) * (1 - sigmoidOf(x)))),
    gradFloor: (x, dy) => Math.abs(dy) * (1 + Math.abs(x)) * 2 ** -150,
  },
  // gelu = x·Φ(x). |x| < 1: Φ's series (1) + the product (½) + ½. |x| ≥ 1: Numerical Recipes' erfc (1, measured 0.9)
  // + its exponential (1.3) + t's roundings through the fit (1) + ½: 4. The reference forms Φ = ½(1 + erf) in
  // float64, which cancels for x ≪ 0 (its Φ is off by up to 2⁻⁵⁰ there): a floor of |x|·2⁻⁵⁰.
  {
    op: 'gelu',
    forwardUlps: 4,
    gradUlps: 3,
    ranges: [...WIDE, [-16, -1], [1, 16]],
    forwardFloor: (x) => Math.abs(x) * 2 ** -50,
    // Φ + x·φ cancels near x = −0.75: ulps of |Φ| + |x·φ| (Φ's 2 + φ's exp 1.3 − overlap), floor as the forward's.
    gradScale: (x, dy) => Math.abs(dy) * (normalCdf(x) + Math.abs(x * normalDensity(x))),
    gradFloor: (_, dy) => Math.abs(dy) * 2 ** -50,
  },
];

const SPECIALS = [
  Number.NaN,
  Infinity,
  -Infinity,
  0,
  -0,
  2 ** -149,
  -(2 ** -149),
  1.1754942e-38,
  -1.1754942e-38,
  3.4e38,
  -3.4e38,
  1e-7,
  -1e-7,
  0.5,
  -0.5,
  1,
  -1,
  9,
  -9,
  15,
  -15,
  20,
  -20,
  30,
  -30,
  88.72,
  88.73,
  -87.33,
  -100,
  -103.9,
  -104,
  1e10,
  -1e10,
];

/** Lengths around the 4-lane vectors: empty, shorter than one, ragged tails. */
const LENGTHS = [0, 1, 2, 3, 4, 5, 7, 37];

/**
 * Fails naming the worst element unless every |actual − expected| ≤ ulps·2⁻²³·scale + floor (scale |expected| by
 * default); NaN, ±Infinity and signed zeros must match exactly.
 */
function expectWithin(
  actual: Float32Array | undefined,
  expected: Float32Array | undefined,
  x: Float32Array,
  dy: Float32Array,
  ulps: number,
  scale?: Scale,
  floor?: Floor,
): void {
  expect(actual?.length).toBe(expected?.length);
  let worst: { at: number; x: number; actual: number; expected: number; excess: number } | null = null;
  for (let i = 0; i < x.length; i++) {
    const a = actual?.[i] ?? 0;
    const e = expected?.[i] ?? 0;
    const xi = x[i] ?? 0;
    const d = dy[i] ?? 0;
    const bound = ulps * ULP * (scale?.(xi, d) ?? Math.abs(e)) + (floor?.(xi, d) ?? 0) + SUBNORMAL_STEP;
    const excess = Math.abs(a - e) - bound;
    // A zero's sign is a fact where x is ±0; elsewhere it is the sign of an underflowed intermediate.
    const exactly = !Number.isFinite(e) || (xi === 0 && e === 0 && a === 0);
    const wrong = exactly ? !Object.is(a, e) : !(excess <= 0);
    if (wrong && (worst === null || !(excess <= worst.excess)))
      worst = { at: i, x: xi, actual: a, expected: e, excess };
  }
  expect(worst).toBeNull();
}

/** Forward and gradient of spec.op on both kernels; the gradient gets the reference's y, as an op passes its own. */
function checkOp(spec: OpSpec, x: Float32Array, dy: Float32Array, backend: WasmBackend): void {
  const param = spec.param ?? 0;
  const y = onBoth([x], (b, [xs]) => b.unary(spec.op, xs ?? b.alloc(0), param), backend);
  expectWithin(y.wasm[0], y.js[0], x, dy, spec.forwardUlps, undefined, spec.forwardFloor);
  const grad = onBoth(
    [x, y.js[0] ?? [], dy],
    (b, [xs, ys, g]) => b.unaryGrad(spec.op, xs ?? b.alloc(0), ys ?? b.alloc(0), g ?? b.alloc(0), param),
    backend,
  );
  expectWithin(grad.wasm[0], grad.js[0], x, dy, spec.gradUlps, spec.gradScale, spec.gradFloor);
}

const uniform = (length: number, random: Random, lo: number, hi: number): Float32Array =>
  Float32Array.from({ length }, () => random.uniform(lo, hi));

for (const [build, backend] of [
  ['relaxed-SIMD', wasmBackend],
  ['plain-SIMD', plainWasmBackend],
] as const) {
  describe(`wasm transcendental kernels, ${build} build`, () => {
    for (const spec of SPECS) {
      const name = spec.param === undefined ? spec.op : `${spec.op} (alpha ${spec.param})`;
      it(`${name}: forward within ${spec.forwardUlps} ulp, gradient within ${spec.gradUlps} ulp of the reference`, () => {
        const random = new Random(spec.op.length * 101 + (spec.param ?? 0) * 7);
        for (const [lo, hi] of spec.ranges) {
          checkOp(spec, uniform(8192, random, lo, hi), uniform(8192, random, -2, 2), backend);
        }
        for (const length of LENGTHS)
          checkOp(spec, uniform(length, random, -20, 20), uniform(length, random, -2, 2), backend);
      });

      it(`${name}: NaN, ±Infinity, ±0, subnormals and extremes as the reference has them`, () => {
        // gelu at ±Infinity: see the hand-computed test below.
        const x = Float32Array.from(
          SPECIALS.filter((v) => spec.op !== 'gelu' || Number.isFinite(v) || Number.isNaN(v)),
        );
        checkOp(
          spec,
          x,
          Float32Array.from(x, (_, i) => (i % 2 === 0 ? 1.5 : -0.75)),
          backend,
        );
      });
    }

    it('gelu at ±Infinity evaluates x·Φ(x) and Φ + x·φ as IEEE arithmetic does (hand-computed)', () => {
      // Φ(∞) = 1, Φ(−∞) = 0, φ(±∞) = 0: ∞·1 = ∞, −∞·0 = NaN, 1 + ∞·0 = NaN, 0 + (−∞)·0 = NaN. (The reference's erf
      // returns NaN at ±Infinity, so its gelu(∞) is NaN; swish, whose formula has the same shape, agrees with this.)
      const { wasm } = onBoth([[Infinity, -Infinity]], (b, [xs]) => b.unary('gelu', xs ?? b.alloc(0), 0), backend);
      expect(Array.from(wasm[0] ?? [])).toEqual([Infinity, Number.NaN]);
      const grad = onBoth(
        [
          [Infinity, -Infinity],
          [Infinity, Number.NaN],
          [1, 1],
        ],
        (b, [xs, ys, g]) => b.unaryGrad('gelu', xs ?? b.alloc(0), ys ?? b.alloc(0), g ?? b.alloc(0), 0),
        backend,
      );
      expect(Array.from(grad.wasm[0] ?? [])).toEqual([Number.NaN, Number.NaN]);
    });

    it('exact values: exp(0) = 1, log(1) = 0, tanh and elu keep −0, sigmoid(0) = ½, Φ(0) = ½ (hand-computed)', () => {
      const ln2 = Math.fround(Math.LN2);
      const ops: [UnaryOp, number, number][] = [
        ['exp', 0, 1],
        ['exp', -0, 1],
        ['log', 1, 0],
        ['log', 2, ln2],
        ['tanh', -0, -0],
        ['elu', -0, -0],
        ['selu', -0, -0],
        ['sigmoid', 0, 0.5],
        ['gelu', 2 ** -100, 2 ** -101],
        ['softplus', 0, ln2],
      ];
      for (const [op, x, expected] of ops) {
        const { wasm } = onBoth([[x]], (b, [xs]) => b.unary(op, xs ?? b.alloc(0), 1), backend);
        expect(Object.is(wasm[0]?.[0], expected), `${op}(${x}) = ${wasm[0]?.[0]}, expected ${expected}`).toBe(true);
      }
    });

    it('elu with a negative alpha, whose sign of y no longer tells x > 0, takes the reference gradient', () => {
      const random = new Random(41);
      const x = uniform(37, random, -5, 5);
      const dy = uniform(37, random, -2, 2);
      const y = onBoth([x], (b, [xs]) => b.unary('elu', xs ?? b.alloc(0), -0.5), backend);
      const grad = onBoth(
        [x, y.js[0] ?? [], dy],
        (b, [xs, ys, g]) => b.unaryGrad('elu', xs ?? b.alloc(0), ys ?? b.alloc(0), g ?? b.alloc(0), -0.5),
        backend,
      );
      expect(Array.from(grad.wasm[0] ?? [])).toEqual(Array.from(grad.js[0] ?? [1]));
    });
  });
}
