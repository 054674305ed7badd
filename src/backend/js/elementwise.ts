/** Reference elementwise kernels: unary functions and their derivatives, broadcast binary ops, clip. */
import { type Shape, sizeOf, stridesOf } from '../../shape.js';
import type { BinaryOp, UnaryOp } from '../backend.js';

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** Numerically stable log(1 + exp(x)). */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Standard normal CDF Φ via erf (gelu is x·Φ(x), the exact form Keras uses by default). */
function normalCdf(x: number): number {
  return 0.5 * (1 + erf(x / Math.SQRT2));
}

/** erf by Abramowitz–Stegun 7.1.26 is too coarse for gradient checks; this uses a series / continued fraction. */
export function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  if (a === Infinity) return sign; // the continued fraction below would multiply ∞ by 0
  if (a < 2.5) {
    // Maclaurin series: erf(a) = 2/√π Σ (-1)^n a^(2n+1) / (n! (2n+1)); converges quickly for a < 2.5.
    let term = a;
    let sum = a;
    for (let n = 1; n < 60; n++) {
      term *= (-a * a) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return sign * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // Continued fraction for erfc, accurate for a ≥ 2.5 (Lentz's algorithm).
  const tiny = 1e-300;
  let f = a;
  let c = a;
  let d = 0;
  for (let n = 1; n < 200; n++) {
    const an = n / 2;
    d = a + an * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = a + an / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-a * a) / (f * Math.sqrt(Math.PI));
  return sign * (1 - erfc);
}

/** f(x) for each unary op. */
export function unaryScalar(op: UnaryOp, x: number, param: number): number {
  switch (op) {
    case 'neg':
      return -x;
    case 'abs':
      return Math.abs(x);
    case 'sign':
      return Math.sign(x);
    case 'square':
      return x * x;
    case 'sqrt':
      return Math.sqrt(x);
    case 'exp':
      return Math.exp(x);
    case 'log':
      return Math.log(x);
    case 'reciprocal':
      return 1 / x;
    case 'relu':
      return x > 0 ? x : 0;
    case 'relu6':
      return Math.min(Math.max(x, 0), 6);
    case 'leakyRelu':
      return x > 0 ? x : param * x;
    case 'elu':
      return x > 0 ? x : param * Math.expm1(x);
    case 'selu':
      return x > 0 ? SELU_SCALE * x : SELU_SCALE * SELU_ALPHA * Math.expm1(x);
    case 'sigmoid':
      return sigmoid(x);
    case 'hardSigmoid':
      return Math.min(Math.max(0.2 * x + 0.5, 0), 1);
    case 'tanh':
      return Math.tanh(x);
    case 'softplus':
      return softplus(x);
    case 'softsign':
      return x / (1 + Math.abs(x));
    case 'swish':
      return x * sigmoid(x);
    case 'gelu':
      return x * normalCdf(x);
  }
}

/**
 * f'(x) for each unary op, given x and y = f(x). Kinks take the derivative of the right-hand piece at 0 only for
 * abs/sign (0).
 */
export function unaryDerivative(op: UnaryOp, x: number, y: number, param: number): number {
  switch (op) {
    case 'neg':
      return -1;
    case 'abs':
      return Math.sign(x);
    case 'sign':
      return 0;
    case 'square':
      return 2 * x;
    case 'sqrt':
      return 0.5 / y;
    case 'exp':
      return y;
    case 'log':
      return 1 / x;
    case 'reciprocal':
      return -y * y;
    case 'relu':
      return x > 0 ? 1 : 0;
    case 'relu6':
      return x > 0 && x < 6 ? 1 : 0;
    case 'leakyRelu':
      return x > 0 ? 1 : param;
    case 'elu':
      return x > 0 ? 1 : y + param;
    case 'selu':
      return x > 0 ? SELU_SCALE : y + SELU_SCALE * SELU_ALPHA;
    case 'sigmoid':
      return y * (1 - y);
    case 'hardSigmoid':
      return x > -2.5 && x < 2.5 ? 0.2 : 0;
    case 'tanh':
      return 1 - y * y;
    case 'softplus':
      return sigmoid(x);
    case 'softsign': {
      const d = 1 + Math.abs(x);
      return 1 / (d * d);
    }
    case 'swish': {
      const s = sigmoid(x);
      return s + x * s * (1 - s);
    }
    case 'gelu':
      return normalCdf(x) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI);
  }
}

export function unary(op: UnaryOp, x: Float32Array, param: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = unaryScalar(op, x[i] ?? 0, param);
  return out;
}

export function unaryGrad(
  op: UnaryOp,
  x: Float32Array,
  y: Float32Array,
  dy: Float32Array,
  param: number,
): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (dy[i] ?? 0) * unaryDerivative(op, x[i] ?? 0, y[i] ?? 0, param);
  return out;
}

function binaryScalar(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case 'add':
      return a + b;
    case 'sub':
      return a - b;
    case 'mul':
      return a * b;
    case 'div':
      return a / b;
    case 'maximum':
      return Math.max(a, b);
    case 'minimum':
      return Math.min(a, b);
    case 'pow':
      return Math.pow(a, b);
    case 'equal':
      return a === b ? 1 : 0;
    case 'greater':
      return a > b ? 1 : 0;
  }
}

/** Strides of `shape` seen from a broadcast output of rank `rank`: 0 along broadcast (size-1 or missing) axes. */
function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const strides = stridesOf(shape);
  const offset = outShape.length - shape.length;
  return outShape.map((_, axis) => {
    const own = axis - offset;
    return own < 0 || shape[own] === 1 ? 0 : (strides[own] ?? 0);
  });
}

export function binary(
  op: BinaryOp,
  a: Float32Array,
  aShape: Shape,
  b: Float32Array,
  bShape: Shape,
  outShape: Shape,
): Float32Array {
  const out = new Float32Array(sizeOf(outShape));
  const aStrides = broadcastStrides(aShape, outShape);
  const bStrides = broadcastStrides(bShape, outShape);
  const index = new Array<number>(outShape.length).fill(0);
  let ia = 0;
  let ib = 0;
  for (let flat = 0; flat < out.length; flat++) {
    out[flat] = binaryScalar(op, a[ia] ?? 0, b[ib] ?? 0);
    // Odometer increment, moving the input offsets along with the output index.
    for (let axis = outShape.length - 1; axis >= 0; axis--) {
      index[axis] = (index[axis] ?? 0) + 1;
      ia += aStrides[axis] ?? 0;
      ib += bStrides[axis] ?? 0;
      if ((index[axis] ?? 0) < (outShape[axis] ?? 0)) break;
      ia -= (aStrides[axis] ?? 0) * (outShape[axis] ?? 0);
      ib -= (bStrides[axis] ?? 0) * (outShape[axis] ?? 0);
      index[axis] = 0;
    }
  }
  return out;
}

export function clip(x: Float32Array, lo: number, hi: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.min(Math.max(x[i] ?? 0, lo), hi);
  return out;
}
