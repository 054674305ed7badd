/**
 * Reference 2-D convolution kernels (NHWC input, [kh, kw, in, out] filter).
 *
 * All three kernels walk the same loop nest. With iy = oy·strideH + ky·dilationH − padTop and
 * ix = ox·strideW + kx·dilationW − padLeft (taps with iy, ix outside the input read the implicit zero padding):
 *   y[n, oy, ox, co] = Σ_{ky, kx, ci} x[n, iy, ix, ci] · w[ky, kx, ci, co]
 * Flat indices: x[((n·H + iy)·W + ix)·C + ci], w[((ky·KW + kx)·C + ci)·OC + co], y[((n·OH + oy)·OW + ox)·OC + co].
 * The gradients are the same sums scattered the other way, accumulated in float64 so they are a fair reference.
 */
import type { Conv2DInfo } from '../backend.js';

/**
 * Calls visit(xBase, wBase, yBase) for every (n, oy, ox, ky, kx) whose input tap lies inside the input; wBase is
 * (ky·KW + kx)·`tapStride`, the filter's values per tap (C·OC for conv2d, C·M for depthwise).
 */
export function forEachTap(
  info: Conv2DInfo,
  tapStride: number,
  visit: (xBase: number, wBase: number, yBase: number) => void,
): void {
  const { batch, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        const yBase = ((n * outHeight + oy) * outWidth + ox) * outChannels;
        for (let ky = 0; ky < filterHeight; ky++) {
          const iy = oy * info.strideHeight + ky * info.dilationHeight - info.padTop;
          if (iy < 0 || iy >= inHeight) continue;
          for (let kx = 0; kx < filterWidth; kx++) {
            const ix = ox * info.strideWidth + kx * info.dilationWidth - info.padLeft;
            if (ix < 0 || ix >= inWidth) continue;
            visit(((n * inHeight + iy) * inWidth + ix) * inChannels, (ky * filterWidth + kx) * tapStride, yBase);
          }
        }
      }
    }
  }
}

/** y: [N, OH, OW, OC] from x: [N, H, W, C] and w: [KH, KW, C, OC]. */
export function conv2d(x: Float32Array, filter: Float32Array, info: Conv2DInfo): Float32Array {
  const { inChannels, outChannels } = info;
  const acc = new Float64Array(info.batch * info.outHeight * info.outWidth * outChannels);
  forEachTap(info, info.inChannels * info.outChannels, (xBase, wBase, yBase) => {
    for (let ci = 0; ci < inChannels; ci++) {
      const xv = x[xBase + ci] ?? 0;
      const wRow = wBase + ci * outChannels;
      for (let co = 0; co < outChannels; co++) acc[yBase + co] = (acc[yBase + co] ?? 0) + xv * (filter[wRow + co] ?? 0);
    }
  });
  return Float32Array.from(acc);
}

/** dx[n, iy, ix, ci] = Σ over the taps reading it of dy[n, oy, ox, co] · w[ky, kx, ci, co]. */
export function conv2dBackpropInput(dy: Float32Array, filter: Float32Array, info: Conv2DInfo): Float32Array {
  const { inChannels, outChannels } = info;
  const acc = new Float64Array(info.batch * info.inHeight * info.inWidth * inChannels);
  forEachTap(info, info.inChannels * info.outChannels, (xBase, wBase, yBase) => {
    for (let ci = 0; ci < inChannels; ci++) {
      const wRow = wBase + ci * outChannels;
      let sum = 0;
      for (let co = 0; co < outChannels; co++) sum += (dy[yBase + co] ?? 0) * (filter[wRow + co] ?? 0);
      acc[xBase + ci] = (acc[xBase + ci] ?? 0) + sum;
    }
  });
  return Float32Array.from(acc);
}

/** dw[ky, kx, ci, co] = Σ_{n, oy, ox} x[n, iy, ix, ci] · dy[n, oy, ox, co]. */
export function conv2dBackpropFilter(x: Float32Array, dy: Float32Array, info: Conv2DInfo): Float32Array {
  const { inChannels, outChannels } = info;
  const acc = new Float64Array(info.filterHeight * info.filterWidth * inChannels * outChannels);
  forEachTap(info, info.inChannels * info.outChannels, (xBase, wBase, yBase) => {
    for (let ci = 0; ci < inChannels; ci++) {
      const xv = x[xBase + ci] ?? 0;
      const wRow = wBase + ci * outChannels;
      for (let co = 0; co < outChannels; co++) acc[wRow + co] = (acc[wRow + co] ?? 0) + xv * (dy[yBase + co] ?? 0);
    }
  });
  return Float32Array.from(acc);
}
