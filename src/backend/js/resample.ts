/**
 * Reference kernels that resample or join NHWC tensors: integer-factor upsampling (nearest and bilinear) and concat.
 *
 * Upsampling [N, H, W, C] by [SH, SW] gives [N, OH, OW, C] with OH = H·SH, OW = W·SW:
 *   nearest:  y[n, oy, ox, c] = x[n, ⌊oy / SH⌋, ⌊ox / SW⌋, c]
 *   bilinear: the source row is fy = (H / OH)·oy (TensorFlow.js' resizeBilinear without alignCorners or
 *             halfPixelCenters), read between rows ⌊fy⌋ and min(⌈fy⌉, H − 1) with weight fy − ⌊fy⌋; columns likewise.
 * Flat indices: x[((n·H + iy)·W + ix)·C + c], y[((n·OH + oy)·OW + ox)·C + c].
 */
import { type Shape, sizeOf } from '../../shape.js';
import type { UpSample2DInfo } from '../backend.js';

/** One source tap of an output position along one axis: index and weight. */
interface Tap {
  readonly index: number;
  readonly weight: number;
}

/** The (at most two) source taps of output position `o` along an axis of `inSize` scaled by `factor`. */
function axisTaps(o: number, inSize: number, factor: number, interpolation: UpSample2DInfo['interpolation']): Tap[] {
  if (interpolation === 'nearest') return [{ index: Math.floor(o / factor), weight: 1 }];
  // The same float64 arithmetic as tfjs' cpu kernel, so positions match it exactly.
  const source = (inSize / (inSize * factor)) * o;
  const low = Math.floor(source);
  const high = Math.min(inSize - 1, Math.ceil(source));
  const frac = source - low;
  return [
    { index: low, weight: 1 - frac },
    { index: high, weight: frac },
  ];
}

/**
 * Calls visit(xBase, yBase, weight) for every output position (n, oy, ox) and each of its source positions, where
 * xBase and yBase are the flat indices of channel 0.
 */
function forEachSource(info: UpSample2DInfo, visit: (xBase: number, yBase: number, weight: number) => void): void {
  const { batch, inHeight, inWidth, channels, sizeHeight, sizeWidth, interpolation } = info;
  const outHeight = inHeight * sizeHeight;
  const outWidth = inWidth * sizeWidth;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const rows = axisTaps(oy, inHeight, sizeHeight, interpolation);
      for (let ox = 0; ox < outWidth; ox++) {
        const cols = axisTaps(ox, inWidth, sizeWidth, interpolation);
        const yBase = ((n * outHeight + oy) * outWidth + ox) * channels;
        for (const row of rows) {
          for (const col of cols) {
            visit(((n * inHeight + row.index) * inWidth + col.index) * channels, yBase, row.weight * col.weight);
          }
        }
      }
    }
  }
}

/** y = Σ_sources weight · x over the source positions of each output position. */
export function upSample2d(x: Float32Array, info: UpSample2DInfo): Float32Array {
  const acc = new Float64Array(
    info.batch * info.inHeight * info.sizeHeight * info.inWidth * info.sizeWidth * info.channels,
  );
  forEachSource(info, (xBase, yBase, weight) => {
    for (let c = 0; c < info.channels; c++) acc[yBase + c] = (acc[yBase + c] ?? 0) + weight * (x[xBase + c] ?? 0);
  });
  return Float32Array.from(acc);
}

/** dx[source] = Σ over the outputs reading it of weight · dy[output]. */
export function upSample2dBackprop(dy: Float32Array, info: UpSample2DInfo): Float32Array {
  const acc = new Float64Array(info.batch * info.inHeight * info.inWidth * info.channels);
  forEachSource(info, (xBase, yBase, weight) => {
    for (let c = 0; c < info.channels; c++) acc[xBase + c] = (acc[xBase + c] ?? 0) + weight * (dy[yBase + c] ?? 0);
  });
  return Float32Array.from(acc);
}

/**
 * Joins xs along `axis`. Viewing each x_i as [outer, inner_i] with outer = Π shape[:axis] and
 * inner_i = Π shape_i[axis:], the output row o is x_0[o, :], x_1[o, :], … side by side.
 */
export function concat(xs: readonly Float32Array[], shapes: readonly Shape[], axis: number): Float32Array {
  const outer = sizeOf((shapes[0] ?? []).slice(0, axis));
  const inners = shapes.map((shape) => sizeOf(shape.slice(axis)));
  const rowLength = inners.reduce((a, b) => a + b, 0);
  const out = new Float32Array(outer * rowLength);
  let offset = 0;
  xs.forEach((x, i) => {
    const inner = inners[i] ?? 0;
    for (let o = 0; o < outer; o++) out.set(x.subarray(o * inner, (o + 1) * inner), o * rowLength + offset);
    offset += inner;
  });
  return out;
}
