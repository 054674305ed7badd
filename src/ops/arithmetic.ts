/** Elementwise arithmetic with NumPy broadcasting, and the elementwise functions of one tensor. */
import type { BinaryOp, UnaryOp } from '../backend/backend.js';
import { engine } from '../engine.js';
import { ConfigError } from '../errors.js';
import { broadcastShapes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { sumToShape } from './broadcast.js';
import { scalar } from './creation.js';
import { assertSameBackend, recordGradient, wrap } from './op.js';

function binaryForward(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  assertSameBackend(op, a, b);
  const outShape = broadcastShapes(a.shape, b.shape, op);
  return wrap(engine.backend.binary(op, a.storage, a.shape, b.storage, b.shape, outShape), outShape);
}

/** A number becomes a scalar tensor so arithmetic can mix tensors and constants. */
const asTensor = (v: Tensor | number): Tensor => (typeof v === 'number' ? scalar(v) : v);

/** a + b. */
export function add(a: Tensor | number, b: Tensor | number): Tensor {
  const [ta, tb] = [asTensor(a), asTensor(b)];
  return recordGradient('add', binaryForward('add', ta, tb), [ta, tb], (dy) => [
    sumToShape(dy, ta.shape),
    sumToShape(dy, tb.shape),
  ]);
}

/** a − b. */
export function sub(a: Tensor | number, b: Tensor | number): Tensor {
  const [ta, tb] = [asTensor(a), asTensor(b)];
  return recordGradient('sub', binaryForward('sub', ta, tb), [ta, tb], (dy) => [
    sumToShape(dy, ta.shape),
    sumToShape(neg(dy), tb.shape),
  ]);
}

/** a · b. */
export function mul(a: Tensor | number, b: Tensor | number): Tensor {
  const [ta, tb] = [asTensor(a), asTensor(b)];
  return recordGradient('mul', binaryForward('mul', ta, tb), [ta, tb], (dy) => [
    sumToShape(mul(dy, tb), ta.shape),
    sumToShape(mul(dy, ta), tb.shape),
  ]);
}

/** a / b. d/da = 1/b, d/db = −a/b². */
export function div(a: Tensor | number, b: Tensor | number): Tensor {
  const [ta, tb] = [asTensor(a), asTensor(b)];
  return recordGradient('div', binaryForward('div', ta, tb), [ta, tb], (dy) => [
    sumToShape(div(dy, tb), ta.shape),
    sumToShape(neg(div(mul(dy, ta), square(tb))), tb.shape),
  ]);
}

/** Elementwise max; the gradient goes to a where a ≥ b, else to b. */
export function maximum(a: Tensor | number, b: Tensor | number): Tensor {
  const [ta, tb] = [asTensor(a), asTensor(b)];
  return recordGradient('maximum', binaryForward('maximum', ta, tb), [ta, tb], (dy) => {
    const bWins = binaryForward('greater', tb, ta);
    const aWins = sub(1, bWins);
    return [sumToShape(mul(dy, aWins), ta.shape), sumToShape(mul(dy, bWins), tb.shape)];
  });
}

/** Elementwise min; the gradient goes to a where a ≤ b, else to b. */
export function minimum(a: Tensor | number, b: Tensor | number): Tensor {
  const [ta, tb] = [asTensor(a), asTensor(b)];
  return recordGradient('minimum', binaryForward('minimum', ta, tb), [ta, tb], (dy) => {
    const aWins = sub(1, binaryForward('greater', ta, tb));
    return [sumToShape(mul(dy, aWins), ta.shape), sumToShape(mul(dy, sub(1, aWins)), tb.shape)];
  });
}

/** 1 where a = b, else 0 (not differentiable). */
export function equal(a: Tensor | number, b: Tensor | number): Tensor {
  return binaryForward('equal', asTensor(a), asTensor(b));
}

/** 1 where a > b, else 0 (not differentiable). */
export function greater(a: Tensor | number, b: Tensor | number): Tensor {
  return binaryForward('greater', asTensor(a), asTensor(b));
}

/**
 * An elementwise function f(x) of one tensor; its gradient is dy · f'(x), computed by the backend's unaryGrad
 * kernel from x and y = f(x). `param` is leakyRelu's or elu's alpha.
 */
export function unary(op: UnaryOp, x: Tensor, param = 0): Tensor {
  assertSameBackend(op, x);
  const y = wrap(engine.backend.unary(op, x.storage, param), x.shape);
  return recordGradient(op, y, [x], (dy) => [
    wrap(engine.backend.unaryGrad(op, x.storage, y.storage, dy.storage, param), x.shape),
  ]);
}

export const neg = (x: Tensor): Tensor => unary('neg', x);
export const abs = (x: Tensor): Tensor => unary('abs', x);
export const sign = (x: Tensor): Tensor => unary('sign', x);
export const square = (x: Tensor): Tensor => unary('square', x);
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x);
export const exp = (x: Tensor): Tensor => unary('exp', x);
export const log = (x: Tensor): Tensor => unary('log', x);
export const reciprocal = (x: Tensor): Tensor => unary('reciprocal', x);

/** min(max(x, lo), hi); the gradient passes where lo < x < hi. */
export function clipByValue(x: Tensor, lo: number, hi: number): Tensor {
  assertSameBackend('clipByValue', x);
  if (!(lo <= hi)) throw new ConfigError('clipByValue', `lo must be ≤ hi, received lo=${lo}, hi=${hi}`);
  const y = wrap(engine.backend.clip(x.storage, lo, hi), x.shape);
  return recordGradient('clipByValue', y, [x], (dy) => [mul(dy, mul(greater(x, lo), greater(hi, x)))]);
}
