// relu(x + bias) and its gradient, each in one pass: Conv2D's and Dense's usual ending (the brief's model ends four
// of its five weighted layers so). Unfused, the forward pass reads and writes the activations twice (bias add, then
// relu) and the backward pass three times (relu gradient, then a single-threaded column sum for the bias gradient).
import { f32at } from './simd';

const ZERO = f32x4.splat(0);

/** out[r, c] = max(0, x[r, c] + bias[c]) for rows r of [rows, channels]; NaN goes to 0 as in relu. */
export function biasRelu(x: usize, bias: usize, out: usize, rows: i32, channels: i32): void {
  for (let r = 0; r < rows; r++) {
    const row = r * channels;
    let c = 0;
    for (; c + 4 <= channels; c += 4) {
      const sum = f32x4.add(v128.load(f32at(x, row + c)), v128.load(f32at(bias, c)));
      v128.store(f32at(out, row + c), f32x4.pmax(ZERO, sum));
    }
    for (; c < channels; c++) {
      const sum = load<f32>(f32at(x, row + c)) + load<f32>(f32at(bias, c));
      store<f32>(f32at(out, row + c), sum > 0 ? sum : 0);
    }
  }
}

/**
 * For y = relu(x + bias): dz[r, c] = y[r, c] > 0 ? dy[r, c] : 0 over rows r of [rows, channels], and
 * partial[c] = Σ_r dz[r, c] over these rows, summed in row order (the caller adds the partials of fixed row blocks
 * in block order, so the bias gradient does not depend on how many threads ran the blocks).
 */
export function biasReluGrad(dy: usize, y: usize, dz: usize, partial: usize, rows: i32, channels: i32): void {
  let c = 0;
  for (; c + 4 <= channels; c += 4) v128.store(f32at(partial, c), ZERO);
  for (; c < channels; c++) store<f32>(f32at(partial, c), 0);
  for (let r = 0; r < rows; r++) {
    const row = r * channels;
    c = 0;
    for (; c + 4 <= channels; c += 4) {
      const g = v128.and(v128.load(f32at(dy, row + c)), f32x4.gt(v128.load(f32at(y, row + c)), ZERO));
      v128.store(f32at(dz, row + c), g);
      v128.store(f32at(partial, c), f32x4.add(v128.load(f32at(partial, c)), g));
    }
    for (; c < channels; c++) {
      const g: f32 = load<f32>(f32at(y, row + c)) > 0 ? load<f32>(f32at(dy, row + c)) : 0;
      store<f32>(f32at(dz, row + c), g);
      store<f32>(f32at(partial, c), load<f32>(f32at(partial, c)) + g);
    }
  }
}
