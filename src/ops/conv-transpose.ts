/**
 * Transposed 2-D convolution (Keras' Conv2DTranspose, sometimes called deconvolution): the gradient of conv2d with
 * respect to its input, used as a forward op to upsample. x: [N, H, W, inC], kernel: [kh, kw, outC, inC].
 */
import type { Conv2DInfo } from '../backend/backend.js';
import { engine } from '../engine.js';
import { ConfigError, ShapeError } from '../errors.js';
import { formatShape, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import {
  type Conv2DOptions,
  conv2dInfo,
  formatMaybeShape,
  type MaybeShape,
  type Padding,
  resolvePadding,
  resolveSize2D,
  type Size2D,
} from './conv.js';
import { assertSameBackend, recordGradient, wrap } from './op.js';

const OP = 'conv2dTranspose';

export interface Conv2DTransposeOptions extends Conv2DOptions {
  /**
   * Extra rows and columns at the bottom and right of the output, each less than the stride; selects one of the
   * input sizes that a strided conv2d maps to the same output. Default: none (Keras' `output_padding=None`).
   */
  readonly outputPadding?: Size2D | null;
}

/**
 * Output length along one axis of a transposed convolution, as Keras' `deconv_output_length` computes it, with
 * window = (kernel − 1)·dilation + 1:
 *   no outputPadding: valid → input·stride + max(window − stride, 0); same → input·stride
 *   with outputPadding p: (input − 1)·stride + window − 2·pad + p, where pad = 0 (valid) or ⌊window / 2⌋ (same)
 */
export function deconvOutputLength(
  input: number,
  kernel: number,
  stride: number,
  padding: Padding,
  outputPadding: number | null = null,
  dilation = 1,
): number {
  const window = (kernel - 1) * dilation + 1;
  if (outputPadding === null)
    return padding === 'valid' ? input * stride + Math.max(window - stride, 0) : input * stride;
  const pad = padding === 'valid' ? 0 : Math.floor(window / 2);
  return (input - 1) * stride + window - 2 * pad + outputPadding;
}

function resolveOutputPadding(
  options: Conv2DTransposeOptions,
  strides: readonly [number, number],
): [number, number] | null {
  const value = options.outputPadding ?? null;
  if (value === null) return null;
  const pair: readonly number[] = typeof value === 'number' ? [value, value] : value;
  const valid = pair.length === 2 && pair.every((p, axis) => Number.isInteger(p) && p >= 0 && p < (strides[axis] ?? 1));
  if (!valid) {
    throw new ConfigError(
      OP,
      `\`outputPadding\` must be non-negative integers less than the strides [${strides.join(', ')}], ` +
        `received ${typeof value === 'number' ? String(value) : `[${pair.join(', ')}]`}`,
    );
  }
  return [pair[0] ?? 0, pair[1] ?? 0];
}

/** conv2dTranspose's output shape [N, outH, outW, outC]; unknown (null) sizes stay null. */
export function conv2dTransposeOutputShape(
  xShape: MaybeShape,
  kernelShape: Shape,
  options: Conv2DTransposeOptions = {},
): (number | null)[] {
  if (xShape.length !== 4) {
    throw new ShapeError(
      OP,
      `input must be rank 4 [batch, height, width, channels], received ${formatMaybeShape(xShape)}`,
    );
  }
  if (kernelShape.length !== 4) {
    throw new ShapeError(
      OP,
      `kernel must be rank 4 [height, width, outChannels, inChannels], received ${formatShape(kernelShape)}`,
    );
  }
  const [kh = 0, kw = 0, outChannels = 0, kernelIn = 0] = kernelShape;
  const inChannels = xShape[3] ?? null;
  if (inChannels !== null && inChannels !== kernelIn) {
    throw new ShapeError(
      OP,
      `the kernel's input channels (${kernelIn}, its last axis, kernel ${formatShape(kernelShape)}) ` +
        `must equal the input's channels (${inChannels}, input ${formatMaybeShape(xShape)})`,
    );
  }
  const strides = resolveSize2D(OP, 'strides', options.strides, 1);
  const dilation = resolveSize2D(OP, 'dilationRate', options.dilationRate, 1);
  const padding = resolvePadding(OP, options.padding);
  const outputPadding = resolveOutputPadding(options, strides);
  const axis = (size: number | null, i: 0 | 1): number | null =>
    size === null
      ? null
      : deconvOutputLength(size, i === 0 ? kh : kw, strides[i], padding, outputPadding?.[i] ?? null, dilation[i]);
  return [xShape[0] ?? null, axis(xShape[1] ?? null, 0), axis(xShape[2] ?? null, 1), outChannels];
}

/**
 * The conv2d whose input gradient this transposed convolution is: from y [N, outH, outW, outC] to x, checked to
 * map back to x's size (an even kernel with 'same' padding and no outputPadding may not).
 */
function conv2dTransposeInfo(xShape: Shape, kernelShape: Shape, options: Conv2DTransposeOptions): Conv2DInfo {
  const [batch = 0, outHeight = 0, outWidth = 0, outChannels = 0] = conv2dTransposeOutputShape(
    xShape,
    kernelShape,
    options,
  ).map((d) => d ?? 0);
  if (outHeight < 1 || outWidth < 1) {
    throw new ShapeError(
      OP,
      `the output would be empty: input ${formatShape(xShape)}, kernel ${formatShape(kernelShape)}`,
    );
  }
  const info = conv2dInfo([batch, outHeight, outWidth, outChannels], kernelShape, options, OP);
  if (info.outHeight !== xShape[1] || info.outWidth !== xShape[2]) {
    throw new ShapeError(
      OP,
      `the output [${outHeight}, ${outWidth}] does not map back to the input's size ` +
        `[${xShape[1] ?? 0}, ${xShape[2] ?? 0}] under conv2d with these options (set \`outputPadding\`)`,
    );
  }
  return info;
}

/**
 * y = conv2dBackpropInput(x, kernel): each input pixel scatters kernel[ky, kx, :, ci]·x[n, iy, ix, ci] onto output
 * (iy·s − padTop + ky·d, ix·s − padLeft + kx·d).
 * x: [N, H, W, inC], kernel: [kh, kw, outC, inC] → [N, outH, outW, outC].
 * Its gradients are conv2d (for x) and conv2d's filter gradient with the roles of input and output swapped.
 */
export function conv2dTranspose(x: Tensor, kernel: Tensor, options: Conv2DTransposeOptions = {}): Tensor {
  assertSameBackend(OP, x, kernel);
  const info = conv2dTransposeInfo(x.shape, kernel.shape, options);
  const outShape = [info.batch, info.inHeight, info.inWidth, info.inChannels];
  const out = wrap(engine.backend.conv2dBackpropInput(x.storage, kernel.storage, info), outShape);
  return recordGradient(OP, out, [x, kernel], (dy) => [
    x.requiresGrad ? wrap(engine.backend.conv2d(dy.storage, kernel.storage, info), x.shape) : null,
    kernel.requiresGrad ? wrap(engine.backend.conv2dBackpropFilter(dy.storage, x.storage, info), kernel.shape) : null,
  ]);
}
