// Elementwise kernels over float32 arrays: unary functions and their gradients, broadcast binary ops, clip.
// Each loop does 4 lanes at a time and finishes the ragged tail with one partly filled vector. Ops are chosen by a
// constant passed to an @inline loop, so the optimizer folds the op switch out of every specialized loop; the unary
// loops sit in one small function per op, because inlined side by side into one switch the optimizer merged them
// back into a single loop that dispatched on the op for every vector.
import { B_ADD, B_DIV, B_EQUAL, B_GREATER, B_MAXIMUM, B_MINIMUM, B_MUL, B_SUB, MODE_COLUMN, MODE_FULL, MODE_ROW, U_ABS,
  U_ELU, U_EXP, U_GELU, U_LEAKY_RELU, U_LOG, U_NEG, U_RECIPROCAL, U_RELU, U_RELU6, U_SELU, U_SIGMOID, U_SOFTPLUS,
  U_SQRT, U_SQUARE, U_SWISH, U_TANH } from './protocol.generated';
import { f32at, madd } from './simd';
import { clampNormal, exp, expm1NonPositive, log, normalCdf, normalDensity, sigmoid, softplus, swishDerivative,
  tanh } from './transcendental';

const ZERO = f32x4.splat(0);
const ONE = f32x4.splat(1);
const SIX = f32x4.splat(6);
// selu's constants (Klambauer et al. 2017), as the js reference has them, rounded to float32.
const SELU_SCALE = f32x4.splat(1.0507009873554805);
const SELU_SCALE_ALPHA = f32x4.splat(1.0507009873554805 * 1.6732632423543772);

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
    case U_LEAKY_RELU: return v128.bitselect(x, f32x4.mul(param, x), f32x4.gt(x, ZERO));
    case U_EXP: return exp(x);
    case U_LOG: return log(x);
    case U_ELU: return v128.bitselect(x, f32x4.mul(param, expm1NonPositive(x)), f32x4.gt(x, ZERO));
    case U_SELU: return v128.bitselect(f32x4.mul(SELU_SCALE, x), f32x4.mul(SELU_SCALE_ALPHA, expm1NonPositive(x)),
      f32x4.gt(x, ZERO));
    case U_SIGMOID: return sigmoid(x);
    case U_TANH: return tanh(x);
    case U_SOFTPLUS: return softplus(x);
    case U_SWISH: return f32x4.mul(x, sigmoid(x));
    default: return f32x4.mul(x, normalCdf(clampNormal(x))); // gelu
  }
}

/** Lanes 0..count−1 (count 1 to 3) loaded from p; the other lanes repeat lane 0 and are never stored. */
@inline
function loadPartial(p: usize, count: i32): v128 {
  let v = f32x4.splat(load<f32>(p));
  if (count > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (count > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

@inline
function storePartial(p: usize, v: v128, count: i32): void {
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (count > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (count > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

@inline
function unaryLoop(op: i32, x: usize, out: usize, n: i32, param: f32): void {
  const p = f32x4.splat(param);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(f32at(out, i), unaryVec(op, v128.load(f32at(x, i)), p));
  // The tail runs the same vector code on a partial vector, so every element gets the same bits wherever it falls.
  if (i < n) storePartial(f32at(out, i), unaryVec(op, loadPartial(f32at(x, i), n - i), p), n - i);
}

function unaryNeg(x: usize, out: usize, n: i32, param: f32): void { unaryLoop(U_NEG, x, out, n, param); }
function unaryAbs(x: usize, out: usize, n: i32, param: f32): void { unaryLoop(U_ABS, x, out, n, param); }
function unarySquare(x: usize, out: usize, n: i32, param: f32): void { unaryLoop(U_SQUARE, x, out, n, param); }
function unarySqrt(x: usize, out: usize, n: i32, param: f32): void { unaryLoop(U_SQRT, x, out, n, param); }
function unaryReciprocal(x: usize, out: usize, n: i32, param: f32): void { unaryLoop(U_RECIPROCAL, x, out, n, param); }
function unaryRelu(x: usize, out: usize, n: i32, param: f32): void { unaryLoop(U_RELU, x, out, n, param); }
function unaryRelu6(x: usize, out: usize, n: i32, param: f32): void { unaryLoop(U_RELU6, x, out, n, param); }
function unaryLeakyRelu(x: usize, out: usize, n: i32, param: f32): void { unaryLoop(U_LEAKY_RELU, x, out, n, param); }
function unaryExp(x: usize, out: usize, n: i32, param: f32): void { unaryLoop(U_EXP, x, out, n, param); }
function unaryLog(x: usize, out: usize, n: i32, param: f32): void { unaryLoop(U_LOG, x, out, n, param); }
function unaryElu(x: usize, out: usize, n: i32, param: f32): void { unaryLoop(U_ELU, x, out, n, param); }
function unarySelu(x: usize, out: usize, n: i32, param: f32): void { unaryLoop(U_SELU, x, out, n, param); }
function unarySigmoid(x: usize, out: usize, n: i32, param: f32): void { unaryLoop(U_SIGMOID, x, out, n, param); }
function unaryTanh(x: usize, out: usize, n: i32, param: f32): void { unaryLoop(U_TANH, x, out, n, param); }
function unarySoftplus(x: usize, out: usize, n: i32, param: f32): void { unaryLoop(U_SOFTPLUS, x, out, n, param); }
function unarySwish(x: usize, out: usize, n: i32, param: f32): void { unaryLoop(U_SWISH, x, out, n, param); }
function unaryGelu(x: usize, out: usize, n: i32, param: f32): void { unaryLoop(U_GELU, x, out, n, param); }

/** out[i] = f(x[i]) for the unary ops above. */
export function unary(op: i32, x: usize, out: usize, n: i32, param: f32): void {
  switch (op) {
    case U_NEG: unaryNeg(x, out, n, param); break;
    case U_ABS: unaryAbs(x, out, n, param); break;
    case U_SQUARE: unarySquare(x, out, n, param); break;
    case U_SQRT: unarySqrt(x, out, n, param); break;
    case U_RECIPROCAL: unaryReciprocal(x, out, n, param); break;
    case U_RELU: unaryRelu(x, out, n, param); break;
    case U_RELU6: unaryRelu6(x, out, n, param); break;
    case U_LEAKY_RELU: unaryLeakyRelu(x, out, n, param); break;
    case U_EXP: unaryExp(x, out, n, param); break;
    case U_LOG: unaryLog(x, out, n, param); break;
    case U_ELU: unaryElu(x, out, n, param); break;
    case U_SELU: unarySelu(x, out, n, param); break;
    case U_SIGMOID: unarySigmoid(x, out, n, param); break;
    case U_TANH: unaryTanh(x, out, n, param); break;
    case U_SOFTPLUS: unarySoftplus(x, out, n, param); break;
    case U_SWISH: unarySwish(x, out, n, param); break;
    default: unaryGelu(x, out, n, param);
  }
}

/**
 * f'(v) as a vector, where v is what the reference's derivative reads: y = f(x) for exp, elu, selu, sigmoid and tanh
 * (elu and selu tell x > 0 by y > 0, the same test for alpha ≥ 0), x for the others. Masks become 1.0 / 0.0 so that
 * dy · f' is a true product, as the reference computes it.
 */
@inline
function derivativeVec(op: i32, v: v128, param: v128): v128 {
  switch (op) {
    case U_NEG: return f32x4.neg(ONE);
    case U_SQUARE: return f32x4.add(v, v);
    case U_RELU: return v128.and(f32x4.gt(v, ZERO), ONE);
    case U_RELU6: return v128.and(v128.and(f32x4.gt(v, ZERO), f32x4.lt(v, SIX)), ONE);
    case U_LEAKY_RELU: return v128.bitselect(ONE, param, f32x4.gt(v, ZERO));
    case U_EXP: return v;
    case U_ELU: return v128.bitselect(ONE, f32x4.add(v, param), f32x4.gt(v, ZERO));
    case U_SELU: return v128.bitselect(SELU_SCALE, f32x4.add(v, SELU_SCALE_ALPHA), f32x4.gt(v, ZERO));
    // y(1 − y) and 1 − y² = (1 − y)(1 + y): 1 − y is exact for y ≥ 1/2, where 1 − y·y would cancel.
    case U_SIGMOID: return f32x4.mul(v, f32x4.sub(ONE, v));
    case U_TANH: return f32x4.mul(f32x4.sub(ONE, v), f32x4.add(ONE, v));
    case U_SOFTPLUS: return sigmoid(v);
    case U_SWISH: return swishDerivative(v);
    default: { // gelu: Φ(x) + x·φ(x)
      const c = clampNormal(v);
      return madd(v, normalDensity(c), normalCdf(c));
    }
  }
}

/** dy · f'(v); log divides (dy / x is dy · (1/x) rounded once, as the reference's float64 product rounds). */
@inline
function gradVec(op: i32, v: v128, dy: v128, param: v128): v128 {
  if (op == U_LOG) return f32x4.div(dy, v);
  return f32x4.mul(dy, derivativeVec(op, v, param));
}

@inline
function gradLoop(op: i32, v: usize, dy: usize, out: usize, n: i32, param: f32): void {
  const p = f32x4.splat(param);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    v128.store(f32at(out, i), gradVec(op, v128.load(f32at(v, i)), v128.load(f32at(dy, i)), p));
  }
  if (i < n) {
    const count = n - i;
    storePartial(f32at(out, i),
      gradVec(op, loadPartial(f32at(v, i), count), loadPartial(f32at(dy, i), count), p), count);
  }
}

function gradNeg(v: usize, dy: usize, out: usize, n: i32, param: f32): void {
  gradLoop(U_NEG, v, dy, out, n, param);
}
function gradSquare(v: usize, dy: usize, out: usize, n: i32, param: f32): void {
  gradLoop(U_SQUARE, v, dy, out, n, param);
}
function gradRelu(v: usize, dy: usize, out: usize, n: i32, param: f32): void {
  gradLoop(U_RELU, v, dy, out, n, param);
}
function gradRelu6(v: usize, dy: usize, out: usize, n: i32, param: f32): void {
  gradLoop(U_RELU6, v, dy, out, n, param);
}
function gradLeakyRelu(v: usize, dy: usize, out: usize, n: i32, param: f32): void {
  gradLoop(U_LEAKY_RELU, v, dy, out, n, param);
}
function gradExp(v: usize, dy: usize, out: usize, n: i32, param: f32): void {
  gradLoop(U_EXP, v, dy, out, n, param);
}
function gradLog(v: usize, dy: usize, out: usize, n: i32, param: f32): void {
  gradLoop(U_LOG, v, dy, out, n, param);
}
function gradElu(v: usize, dy: usize, out: usize, n: i32, param: f32): void {
  gradLoop(U_ELU, v, dy, out, n, param);
}
function gradSelu(v: usize, dy: usize, out: usize, n: i32, param: f32): void {
  gradLoop(U_SELU, v, dy, out, n, param);
}
function gradSigmoid(v: usize, dy: usize, out: usize, n: i32, param: f32): void {
  gradLoop(U_SIGMOID, v, dy, out, n, param);
}
function gradTanh(v: usize, dy: usize, out: usize, n: i32, param: f32): void {
  gradLoop(U_TANH, v, dy, out, n, param);
}
function gradSoftplus(v: usize, dy: usize, out: usize, n: i32, param: f32): void {
  gradLoop(U_SOFTPLUS, v, dy, out, n, param);
}
function gradSwish(v: usize, dy: usize, out: usize, n: i32, param: f32): void {
  gradLoop(U_SWISH, v, dy, out, n, param);
}
function gradGelu(v: usize, dy: usize, out: usize, n: i32, param: f32): void {
  gradLoop(U_GELU, v, dy, out, n, param);
}

/** out[i] = dy[i] · f'(v[i]) (v: x or y, see derivativeVec) for every op above but abs, sqrt and reciprocal. */
export function unaryGrad(op: i32, v: usize, dy: usize, out: usize, n: i32, param: f32): void {
  switch (op) {
    case U_NEG: gradNeg(v, dy, out, n, param); break;
    case U_SQUARE: gradSquare(v, dy, out, n, param); break;
    case U_RELU: gradRelu(v, dy, out, n, param); break;
    case U_RELU6: gradRelu6(v, dy, out, n, param); break;
    case U_LEAKY_RELU: gradLeakyRelu(v, dy, out, n, param); break;
    case U_EXP: gradExp(v, dy, out, n, param); break;
    case U_LOG: gradLog(v, dy, out, n, param); break;
    case U_ELU: gradElu(v, dy, out, n, param); break;
    case U_SELU: gradSelu(v, dy, out, n, param); break;
    case U_SIGMOID: gradSigmoid(v, dy, out, n, param); break;
    case U_TANH: gradTanh(v, dy, out, n, param); break;
    case U_SOFTPLUS: gradSoftplus(v, dy, out, n, param); break;
    case U_SWISH: gradSwish(v, dy, out, n, param); break;
    default: gradGelu(v, dy, out, n, param);
  }
}

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
      for (; j + 4 <= inner; j += 4) {
        v128.store(f32at(po, j), binaryVec(op, v128.load(f32at(pa, j)), v128.load(f32at(pb, j))));
      }
      for (; j < inner; j++) {
        store<f32>(f32at(po, j), binaryScalar(op, load<f32>(f32at(pa, j)), load<f32>(f32at(pb, j))));
      }
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
  for (; i < n; i++) {
    store<f32>(f32at(out, i), f32x4.extract_lane(f32x4.min(f32x4.max(f32x4.splat(load<f32>(f32at(x, i))), l), h), 0));
  }
}
