/**
 * Reference 2-D pooling kernels over NHWC input (TensorFlow semantics).
 *
 * Window of output (n, oy, ox, c): input rows iy = oy·strideH + py − padTop (0 ≤ py < poolH) and columns
 * ix = ox·strideW + px − padLeft (0 ≤ px < poolW), restricted to the input; padded positions are simply absent, so
 * they never win a max and are not counted in an average.
 * Flat indices: x[((n·H + iy)·W + ix)·C + c], y[((n·OH + oy)·OW + ox)·C + c].
 * A window with no valid position (impossible under `valid` / `same` padding) yields 0.
 */
import type { Pool2DInfo } from '../backend.js';

/** The valid input rows [start, end) or columns of window position `o` along one axis. */
function windowRange(o: number, stride: number, pad: number, size: number, inSize: number): [number, number] {
  const start = Math.max(o * stride - pad, 0);
  // end ≥ start, so an empty window counts zero positions on both axes.
  return [start, Math.max(Math.min(o * stride - pad + size, inSize), start)];
}

/**
 * Calls visit(yIndex, xFirst, y0, y1, x0, x1) for every output element, where xFirst is the flat index of
 * x[n, 0, 0, c] and [y0, y1) × [x0, x1) the valid window.
 */
function forEachWindow(
  info: Pool2DInfo,
  visit: (yIndex: number, xFirst: number, y0: number, y1: number, x0: number, x1: number) => void,
): void {
  const { batch, inHeight, inWidth, channels, outHeight, outWidth } = info;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const [y0, y1] = windowRange(oy, info.strideHeight, info.padTop, info.poolHeight, inHeight);
      for (let ox = 0; ox < outWidth; ox++) {
        const [x0, x1] = windowRange(ox, info.strideWidth, info.padLeft, info.poolWidth, inWidth);
        for (let c = 0; c < channels; c++) {
          visit(
            ((n * outHeight + oy) * outWidth + ox) * channels + c,
            n * inHeight * inWidth * channels + c,
            y0,
            y1,
            x0,
            x1,
          );
        }
      }
    }
  }
}

/**
 * Flat index in x of the first window position (row-major scan) holding the window's maximum; -1 for an empty
 * window. NaN wins (and the first NaN is kept), as TensorFlow's max propagates NaN.
 */
function argmaxInWindow(
  x: Float32Array,
  info: Pool2DInfo,
  xFirst: number,
  y0: number,
  y1: number,
  x0: number,
  x1: number,
): number {
  let best = -Infinity;
  let at = -1;
  for (let iy = y0; iy < y1; iy++) {
    for (let ix = x0; ix < x1; ix++) {
      const index = xFirst + (iy * info.inWidth + ix) * info.channels;
      const value = x[index] ?? 0;
      if (at === -1 || value > best || (Number.isNaN(value) && !Number.isNaN(best))) {
        best = value;
        at = index;
      }
    }
  }
  return at;
}

/** y[n, oy, ox, c] = max of x over the window's valid positions. */
export function maxPool(x: Float32Array, info: Pool2DInfo): Float32Array {
  const y = new Float32Array(info.batch * info.outHeight * info.outWidth * info.channels);
  forEachWindow(info, (yIndex, xFirst, y0, y1, x0, x1) => {
    const at = argmaxInWindow(x, info, xFirst, y0, y1, x0, x1);
    y[yIndex] = at === -1 ? 0 : (x[at] ?? 0);
  });
  return y;
}

/** dx[argmax of each window] += dy[window]; the argmax is recomputed from x (first maximum in row-major order). */
export function maxPoolBackprop(dy: Float32Array, x: Float32Array, info: Pool2DInfo): Float32Array {
  const dx = new Float64Array(x.length);
  forEachWindow(info, (yIndex, xFirst, y0, y1, x0, x1) => {
    const at = argmaxInWindow(x, info, xFirst, y0, y1, x0, x1);
    if (at !== -1) dx[at] = (dx[at] ?? 0) + (dy[yIndex] ?? 0);
  });
  return Float32Array.from(dx);
}

/** y[n, oy, ox, c] = mean of x over the window's valid positions. */
export function avgPool(x: Float32Array, info: Pool2DInfo): Float32Array {
  const y = new Float32Array(info.batch * info.outHeight * info.outWidth * info.channels);
  forEachWindow(info, (yIndex, xFirst, y0, y1, x0, x1) => {
    const count = (y1 - y0) * (x1 - x0);
    if (count <= 0) return;
    let sum = 0;
    for (let iy = y0; iy < y1; iy++) {
      for (let ix = x0; ix < x1; ix++) sum += x[xFirst + (iy * info.inWidth + ix) * info.channels] ?? 0;
    }
    y[yIndex] = sum / count;
  });
  return y;
}

/** dx[each valid position of a window] += dy[window] / (number of valid positions in that window). */
export function avgPoolBackprop(dy: Float32Array, info: Pool2DInfo): Float32Array {
  const dx = new Float64Array(info.batch * info.inHeight * info.inWidth * info.channels);
  forEachWindow(info, (yIndex, xFirst, y0, y1, x0, x1) => {
    const count = (y1 - y0) * (x1 - x0);
    if (count <= 0) return;
    const share = (dy[yIndex] ?? 0) / count;
    for (let iy = y0; iy < y1; iy++) {
      for (let ix = x0; ix < x1; ix++) {
        const index = xFirst + (iy * info.inWidth + ix) * info.channels;
        dx[index] = (dx[index] ?? 0) + share;
      }
    }
  });
  return Float32Array.from(dx);
}
