// Elementwise kernels over float32 arrays: unary functions and their gradients, broadcast binary ops, clip.
// Each loop does 4 lanes at a time and finishes the ragged tail one element at a time. Ops are chosen by a constant
// passed to an @inline loop, so the optimizer folds the op switch out of every specialized loop.
import { f32at } from './simd';

export const U_NEG: i32 = 0;
export const U_ABS: i32 = 1;
export const U_SQUARE: i32 = 2;
export const U_SQRT: i32 = 3;
export const U_RECIPROCAL: i32 = 4;
export const U_RELU: i32 = 5;
export const U_RELU6: i32 = 6;
export const U_LEAKY_RELU: i32 = 7;

const ZERO = f32x4.splat(0);
const ONE = f32x4.splat(1);
const SIX = f32x4.splat(6);

@inline
function unaryVec(op: i32, x: v128, param: v128): v128 {
  switch (op) {
    case U_NEG: return f32x4.neg(x);
    case U_ABS: return f32x4.abs(x);
    case U_SQUARE: return f32x4.mul(x, x);
    case U_SQRT: return f32x4.sqrt(x);
    case U_RECIPROCAL: return f32x4.div(ONE, x);
    // pmax(0, x) = 0 < x ? x : 0, which sends NaN to 0 exactly as `x > 0 ? x : 0` does.
    case U_RELU: return f32x4.pmax(ZERO, x);
    case U_RELU6: return f32x4.min(f32x4.max(x, ZERO), SIX);
    default: return v128.bitselect(x, f32x4.mul(param, x), f32x4.gt(x, ZERO)); // leakyRelu
  }
}

@inline
function unaryScalar(op: i32, x: f32, param: f32): f32 {
  return f32x4.extract_lane(unaryVec(op, f32x4.splat(x), f32x4.splat(param)), 0);
}

@inline
function unaryLoop(op: i32, x: usize, out: usize, n: i32, param: f32): void {
  const p = f32x4.splat(param);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(f32at(out, i), unaryVec(op, v128.load(f32at(x, i)), p));
  for (; i < n; i++) store<f32>(f32at(out, i), unaryScalar(op, load<f32>(f32at(x, i)), param));
}

/** out[i] = f(x[i]) for the unary ops above. */
export function unary(op: i32, x: usize, out: usize, n: i32, param: f32): void {
  switch (op) {
    case U_NEG: unaryLoop(U_NEG, x, out, n, param); break;
    case U_ABS: unaryLoop(U_ABS, x, out, n, param); break;
    case U_SQUARE: unaryLoop(U_SQUARE, x, out, n, param); break;
    case U_SQRT: unaryLoop(U_SQRT, x, out, n, param); break;
    case U_RECIPROCAL: unaryLoop(U_RECIPROCAL, x, out, n, param); break;
    case U_RELU: unaryLoop(U_RELU, x, out, n, param); break;
    case U_RELU6: unaryLoop(U_RELU6, x, out, n, param); break;
    default: unaryLoop(U_LEAKY_RELU, x, out, n, param);
  }
}

/** f'(x) as a vector; masks become 1.0 / 0.0 so that dy · f'(x) is a true product, as the reference computes it. */
@inline
function derivativeVec(op: i32, x: v128, param: v128): v128 {
  switch (op) {
    case U_NEG: return f32x4.neg(ONE);
    case U_SQUARE: return f32x4.add(x, x);
    case U_RELU: return v128.and(f32x4.gt(x, ZERO), ONE);
    case U_RELU6: return v128.and(v128.and(f32x4.gt(x, ZERO), f32x4.lt(x, SIX)), ONE);
    default: return v128.bitselect(ONE, param, f32x4.gt(x, ZERO)); // leakyRelu
  }
}

@inline
function gradLoop(op: i32, x: usize, dy: usize, out: usize, n: i32, param: f32): void {
  const p = f32x4.splat(param);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    v128.store(f32at(out, i), f32x4.mul(v128.load(f32at(dy, i)), derivativeVec(op, v128.load(f32at(x, i)), p)));
  }
  for (; i < n; i++) {
    const d = f32x4.extract_lane(derivativeVec(op, f32x4.splat(load<f32>(f32at(x, i))), p), 0);
    store<f32>(f32at(out, i), load<f32>(f32at(dy, i)) * d);
  }
}

/** out[i] = dy[i] · f'(x[i]) for neg, square, relu, relu6 and leakyRelu. */
export function unaryGrad(op: i32, x: usize, dy: usize, out: usize, n: i32, param: f32): void {
  switch (op) {
    case U_NEG: gradLoop(U_NEG, x, dy, out, n, param); break;
    case U_SQUARE: gradLoop(U_SQUARE, x, dy, out, n, param); break;
    case U_RELU: gradLoop(U_RELU, x, dy, out, n, param); break;
    case U_RELU6: gradLoop(U_RELU6, x, dy, out, n, param); break;
    default: gradLoop(U_LEAKY_RELU, x, dy, out, n, param);
  }
}

export const B_ADD: i32 = 0;
export const B_SUB: i32 = 1;
export const B_MUL: i32 = 2;
export const B_DIV: i32 = 3;
export const B_MAXIMUM: i32 = 4;
export const B_MINIMUM: i32 = 5;
export const B_EQUAL: i32 = 6;
export const B_GREATER: i32 = 7;

@inline
function binaryVec(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case B_ADD: return f32x4.add(a, b);
    case B_SUB: return f32x4.sub(a, b);
    case B_MUL: return f32x4.mul(a, b);
    case B_DIV: return f32x4.div(a, b);
    // Wasm max/min propagate NaN and order −0 < +0, exactly like Math.max / Math.min.
    case B_MAXIMUM: return f32x4.max(a, b);
    case B_MINIMUM: return f32x4.min(a, b);
    case B_EQUAL: return v128.and(f32x4.eq(a, b), ONE);
    default: return v128.and(f32x4.gt(a, b), ONE); // greater
  }
}

@inline
function binaryScalar(op: i32, a: f32, b: f32): f32 {
  return f32x4.extract_lane(binaryVec(op, f32x4.splat(a), f32x4.splat(b)), 0);
}

// How an operand is read in a [outer, inner] iteration: its own element, element j, element i, or element 0.
export const MODE_FULL: i32 = 0;
export const MODE_ROW: i32 = 1;
export const MODE_COLUMN: i32 = 2;
export const MODE_SCALAR: i32 = 3;

@inline
function operandStart(base: usize, mode: i32, i: i32, inner: i32): usize {
  if (mode == MODE_FULL) return f32at(base, i * inner);
  if (mode == MODE_COLUMN) return f32at(base, i);
  return base;
}

@inline
function binaryLoop(op: i32, a: usize, aMode: i32, b: usize, bMode: i32, out: usize, outer: i32, inner: i32): void {
  const aVector = aMode == MODE_FULL || aMode == MODE_ROW;
  const bVector = bMode == MODE_FULL || bMode == MODE_ROW;
  for (let i = 0; i < outer; i++) {
    const pa = operandStart(a, aMode, i, inner);
    const pb = operandStart(b, bMode, i, inner);
    const po = f32at(out, i * inner);
    let j = 0;
    if (aVector && bVector) {
      for (; j + 4 <= inner; j += 4) v128.store(f32at(po, j), binaryVec(op, v128.load(f32at(pa, j)), v128.load(f32at(pb, j))));
      for (; j < inner; j++) store<f32>(f32at(po, j), binaryScalar(op, load<f32>(f32at(pa, j)), load<f32>(f32at(pb, j))));
    } else if (aVector) {
      const s = load<f32>(pb);
      const sv = f32x4.splat(s);
      for (; j + 4 <= inner; j += 4) v128.store(f32at(po, j), binaryVec(op, v128.load(f32at(pa, j)), sv));
      for (; j < inner; j++) store<f32>(f32at(po, j), binaryScalar(op, load<f32>(f32at(pa, j)), s));
    } else if (bVector) {
      const s = load<f32>(pa);
      const sv = f32x4.splat(s);
      for (; j + 4 <= inner; j += 4) v128.store(f32at(po, j), binaryVec(op, sv, v128.load(f32at(pb, j))));
      for (; j < inner; j++) store<f32>(f32at(po, j), binaryScalar(op, s, load<f32>(f32at(pb, j))));
    } else {
      const value = f32x4.splat(binaryScalar(op, load<f32>(pa), load<f32>(pb)));
      for (; j + 4 <= inner; j += 4) v128.store(f32at(po, j), value);
      for (; j < inner; j++) store<f32>(f32at(po, j), f32x4.extract_lane(value, 0));
    }
  }
}

/** out[i, j] = a(i, j) ∘ b(i, j) over an [outer, inner] iteration, each operand read through its mode. */
export function binary(op: i32, a: usize, aMode: i32, b: usize, bMode: i32, out: usize, outer: i32, inner: i32): void {
  switch (op) {
    case B_ADD: binaryLoop(B_ADD, a, aMode, b, bMode, out, outer, inner); break;
    case B_SUB: binaryLoop(B_SUB, a, aMode, b, bMode, out, outer, inner); break;
    case B_MUL: binaryLoop(B_MUL, a, aMode, b, bMode, out, outer, inner); break;
    case B_DIV: binaryLoop(B_DIV, a, aMode, b, bMode, out, outer, inner); break;
    case B_MAXIMUM: binaryLoop(B_MAXIMUM, a, aMode, b, bMode, out, outer, inner); break;
    case B_MINIMUM: binaryLoop(B_MINIMUM, a, aMode, b, bMode, out, outer, inner); break;
    case B_EQUAL: binaryLoop(B_EQUAL, a, aMode, b, bMode, out, outer, inner); break;
    default: binaryLoop(B_GREATER, a, aMode, b, bMode, out, outer, inner);
  }
}

/** out[i] = min(max(x[i], lo), hi), NaN staying NaN. */
export function clip(x: usize, out: usize, n: i32, lo: f32, hi: f32): void {
  const l = f32x4.splat(lo);
  const h = f32x4.splat(hi);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(f32at(out, i), f32x4.min(f32x4.max(v128.load(f32at(x, i)), l), h));
  for (; i < n; i++) store<f32>(f32at(out, i), f32x4.extract_lane(f32x4.min(f32x4.max(f32x4.splat(load<f32>(f32at(x, i))), l), h), 0));
}
