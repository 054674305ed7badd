/**
 * Reference depthwise 2-D convolution kernels (NHWC input, [kh, kw, C, M] filter, M the channel multiplier).
 *
 * Each input channel c has its own M filters; output channel c·M + m reads input channel c only. With
 * iy = oy·strideH + ky·dilationH − padTop and ix = ox·strideW + kx·dilationW − padLeft (taps outside the input read
 * the implicit zero padding):
 *   y[n, oy, ox, c·M + m] = Σ_{ky, kx} x[n, iy, ix, c] · w[ky, kx, c, m]
 * Flat indices: x[((n·H + iy)·W + ix)·C + c], w[(ky·KW + kx)·C·M + c·M + m], y[((n·OH + oy)·OW + ox)·C·M + c·M + m].
 * The gradients scatter the same products the other way, accumulated in float64 so they are a fair reference.
 */
import type { DepthwiseConv2DInfo } from '../backend.js';
import { forEachTap } from './conv.js';

/** y: [N, OH, OW, C·M] from x: [N, H, W, C] and w: [KH, KW, C, M]. */
export function depthwiseConv2d(x: Float32Array, filter: Float32Array, info: DepthwiseConv2DInfo): Float32Array {
  const { inChannels, channelMultiplier: multiplier } = info;
  const acc = new Float64Array(info.batch * info.outHeight * info.outWidth * info.outChannels);
  forEachTap(info, info.outChannels, (xBase, wBase, yBase) => {
    for (let c = 0; c < inChannels; c++) {
      const xv = x[xBase + c] ?? 0;
      for (let m = 0; m < multiplier; m++) {
        const j = c * multiplier + m;
        acc[yBase + j] = (acc[yBase + j] ?? 0) + xv * (filter[wBase + j] ?? 0);
      }
    }
  });
  return Float32Array.from(acc);
}

/** dx[n, iy, ix, c] = Σ over the taps reading it of Σ_m dy[n, oy, ox, c·M + m] · w[ky, kx, c, m]. */
export function depthwiseConv2dBackpropInput(
  dy: Float32Array,
  filter: Float32Array,
  info: DepthwiseConv2DInfo,
): Float32Array {
  const { inChannels, channelMultiplier: multiplier } = info;
  const acc = new Float64Array(info.batch * info.inHeight * info.inWidth * inChannels);
  forEachTap(info, info.outChannels, (xBase, wBase, yBase) => {
    for (let c = 0; c < inChannels; c++) {
      let sum = 0;
      for (let m = 0; m < multiplier; m++) {
        const j = c * multiplier + m;
        sum += (dy[yBase + j] ?? 0) * (filter[wBase + j] ?? 0);
      }
      acc[xBase + c] = (acc[xBase + c] ?? 0) + sum;
    }
  });
  return Float32Array.from(acc);
}

/** dw[ky, kx, c, m] = Σ_{n, oy, ox} x[n, iy, ix, c] · dy[n, oy, ox, c·M + m]. */
export function depthwiseConv2dBackpropFilter(
  x: Float32Array,
  dy: Float32Array,
  info: DepthwiseConv2DInfo,
): Float32Array {
  const { inChannels, channelMultiplier: multiplier } = info;
  const acc = new Float64Array(info.filterHeight * info.filterWidth * info.outChannels);
  forEachTap(info, info.outChannels, (xBase, wBase, yBase) => {
    for (let c = 0; c < inChannels; c++) {
      const xv = x[xBase + c] ?? 0;
      for (let m = 0; m < multiplier; m++) {
        const j = c * multiplier + m;
        acc[wBase + j] = (acc[wBase + j] ?? 0) + xv * (dy[yBase + j] ?? 0);
      }
    }
  });
  return Float32Array.from(acc);
}
