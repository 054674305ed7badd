// Reductions over one contiguous block of axes: x viewed as [outer, mid, inner] → out [outer, inner].
// Each output element combines its inputs in increasing `mid` order, starting from the reference's initial value,
// so sums round exactly as the js reference's float32 running sum does.
import { R_MAX, R_MIN, R_SUM } from './protocol.generated';
import { f32at } from './simd';

// max/min keep the first NaN and otherwise take a strictly larger (smaller) value, as the reference does.
@inline
function combineVec(op: i32, acc: v128, v: v128): v128 {
  if (op == R_SUM) return f32x4.add(acc, v);
  const better = op == R_MAX ? f32x4.gt(v, acc) : f32x4.lt(v, acc);
  return v128.bitselect(v, acc, v128.or(better, f32x4.ne(v, v)));
}

@inline
function combine(op: i32, acc: f32, v: f32): f32 {
  if (op == R_SUM) return acc + v;
  const better = op == R_MAX ? v > acc : v < acc;
  return better || v != v ? v : acc;
}

@inline
function reduceLoop(op: i32, x: usize, out: usize, outer: i32, mid: i32, inner: i32): void {
  const initial: f32 = op == R_SUM ? 0 : op == R_MAX ? -Infinity : Infinity;
  const init = f32x4.splat(initial);
  for (let o = 0; o < outer; o++) {
    const row = f32at(out, o * inner);
    const block = f32at(x, o * mid * inner);
    if (inner >= 4) {
      // Accumulate whole rows of the block into the output row (which stays in cache).
      let j = 0;
      for (; j + 4 <= inner; j += 4) v128.store(f32at(row, j), init);
      for (; j < inner; j++) store<f32>(f32at(row, j), initial);
      for (let m = 0; m < mid; m++) {
        const src = f32at(block, m * inner);
        j = 0;
        for (; j + 4 <= inner; j += 4) {
          const at = f32at(row, j);
          v128.store(at, combineVec(op, v128.load(at), v128.load(f32at(src, j))));
        }
        for (; j < inner; j++) {
          const at = f32at(row, j);
          store<f32>(at, combine(op, load<f32>(at), load<f32>(f32at(src, j))));
        }
      }
    } else {
      for (let j = 0; j < inner; j++) {
        let acc = initial;
        for (let m = 0; m < mid; m++) acc = combine(op, acc, load<f32>(f32at(block, m * inner + j)));
        store<f32>(f32at(row, j), acc);
      }
    }
  }
}

/** out[o, j] = op over m of x[o, m, j]. */
export function reduce(op: i32, x: usize, out: usize, outer: i32, mid: i32, inner: i32): void {
  if (op == R_SUM) reduceLoop(R_SUM, x, out, outer, mid, inner);
  else if (op == R_MAX) reduceLoop(R_MAX, x, out, outer, mid, inner);
  else reduceLoop(R_MIN, x, out, outer, mid, inner);
}
