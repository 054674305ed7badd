/**
 * 2-D convolution over NHWC input with an [kh, kw, in, out] filter, and the window geometry (TensorFlow's `valid`
 * and `same` padding) that pooling shares.
 */
import type { Conv2DInfo } from '../backend/backend.js';
import { engine } from '../engine.js';
import { ConfigError, ShapeError } from '../errors.js';
import { formatShape, type Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { assertSameBackend, recordGradient, wrap } from './op.js';

/** `valid`: no padding. `same`: zero padding so that output = ceil(input / stride). */
export type Padding = 'valid' | 'same';

/** One integer for both spatial axes, or [height, width]. */
export type Size2D = number | readonly [number, number];

/** A shape whose dimensions may be unknown (null), as layers see their inputs before the batch size is known. */
export type MaybeShape = readonly (number | null)[];

/** Formats a shape whose unknown dimensions print as '?'. */
export function formatMaybeShape(shape: MaybeShape): string {
  return `[${shape.map((d) => d ?? '?').join(', ')}]`;
}

export interface Conv2DOptions {
  /** Step of the window over [height, width]. Default 1. */
  readonly strides?: Size2D;
  /** Default 'valid'. */
  readonly padding?: Padding;
  /** Spacing between filter taps: a k-tap filter spans (k − 1)·d + 1 inputs. Default 1. */
  readonly dilationRate?: Size2D;
}

/** Checks a `Size2D` argument (positive integers) and returns it as [height, width]. */
export function resolveSize2D(
  opName: string,
  argName: string,
  value: Size2D | undefined,
  fallback: number,
): [number, number] {
  const pair: readonly number[] =
    value === undefined ? [fallback, fallback] : typeof value === 'number' ? [value, value] : value;
  const [h = 0, w = 0] = pair;
  if (pair.length !== 2 || !Number.isInteger(h) || !Number.isInteger(w) || h < 1 || w < 1) {
    const received = typeof value === 'number' ? String(value) : `[${pair.join(', ')}]`;
    throw new ConfigError(opName, `\`${argName}\` must be positive integers, received ${received}`);
  }
  return [h, w];
}

/** Checks a padding argument (callers in plain JavaScript may pass anything). */
export function resolvePadding(opName: string, value: Padding | undefined): Padding {
  const padding: unknown = value ?? 'valid';
  if (padding !== 'valid' && padding !== 'same') {
    throw new ConfigError(opName, `\`padding\` must be 'valid' or 'same', received ${JSON.stringify(padding)}`);
  }
  return padding;
}

/**
 * Output length and leading pad along one axis, as TensorFlow computes them (`window` is the effective size):
 *   valid: out = ceil((in − window + 1) / stride), pad 0
 *   same:  out = ceil(in / stride), total pad = max((out − 1)·stride + window − in, 0), before = floor(total / 2)
 * The trailing pad is implicit. The output may be ≤ 0 when the window does not fit; callers reject that.
 */
export function windowOutput(
  inSize: number,
  window: number,
  stride: number,
  padding: Padding,
): { size: number; padBefore: number } {
  if (padding === 'valid') return { size: Math.ceil((inSize - window + 1) / stride), padBefore: 0 };
  const size = Math.ceil(inSize / stride);
  const total = Math.max((size - 1) * stride + window - inSize, 0);
  return { size, padBefore: Math.floor(total / 2) };
}

/**
 * Output [height, width] (null where the input size is unknown) and leading pads of a window sliding over an
 * input; throws, naming the sizes, when the window does not fit. `describe` names the window in that message.
 */
export function windowGeometry(
  opName: string,
  inSize: readonly [number | null, number | null],
  window: readonly [number, number],
  strides: readonly [number, number],
  padding: Padding,
  describe: string,
): { out: [number | null, number | null]; pad: [number, number] } {
  const axes = ([0, 1] as const).map((axis) => {
    const n = inSize[axis] ?? null;
    return n === null ? null : windowOutput(n, window[axis], strides[axis], padding);
  });
  const [h, w] = axes;
  const out: [number | null, number | null] = [h?.size ?? null, w?.size ?? null];
  if (axes.some((a) => a !== null && a.size <= 0)) {
    throw new ShapeError(
      opName,
      `${describe} is larger than the input ${formatMaybeShape(inSize)} with padding ` +
        `'${padding}' (output would be ${formatMaybeShape(out)})`,
    );
  }
  return { out, pad: [h?.padBefore ?? 0, w?.padBefore ?? 0] };
}

interface ConvGeometry {
  readonly kernel: [number, number];
  readonly strides: [number, number];
  readonly dilation: [number, number];
  readonly out: [number | null, number | null];
  readonly pad: [number, number];
  readonly outChannels: number;
}

function convGeometry(xShape: MaybeShape, filterShape: Shape, options: Conv2DOptions, op: string): ConvGeometry {
  if (xShape.length !== 4) {
    throw new ShapeError(
      op,
      `input must be rank 4 [batch, height, width, channels], received ${formatMaybeShape(xShape)}`,
    );
  }
  if (filterShape.length !== 4) {
    throw new ShapeError(
      op,
      `filter must be rank 4 [height, width, inChannels, outChannels], received ${formatShape(filterShape)}`,
    );
  }
  const [kh = 0, kw = 0, filterIn = 0, outChannels = 0] = filterShape;
  if (kh < 1 || kw < 1)
    throw new ShapeError(op, `filter height and width must be positive, received filter ${formatShape(filterShape)}`);
  const channels = xShape[3] ?? null;
  if (channels !== null && channels !== filterIn) {
    throw new ShapeError(
      op,
      `the filter's input channels (${filterIn}, filter ${formatShape(filterShape)}) must equal the ` +
        `input's channels (${channels}, input ${formatMaybeShape(xShape)})`,
    );
  }
  const strides = resolveSize2D(op, 'strides', options.strides, 1);
  const dilation = resolveSize2D(op, 'dilationRate', options.dilationRate, 1);
  const padding = resolvePadding(op, options.padding);
  if (strides.some((s) => s > 1) && dilation.some((d) => d > 1)) {
    throw new ConfigError(
      op,
      `strides > 1 cannot be combined with dilationRate > 1 (as in TensorFlow), received strides ` +
        `[${strides.join(', ')}] and dilationRate [${dilation.join(', ')}]`,
    );
  }
  const effective: [number, number] = [(kh - 1) * dilation[0] + 1, (kw - 1) * dilation[1] + 1];
  const describe =
    dilation[0] === 1 && dilation[1] === 1
      ? `the filter [${kh}, ${kw}]`
      : `the dilated filter [${effective.join(', ')}] (filter [${kh}, ${kw}], dilationRate [${dilation.join(', ')}])`;
  const { out, pad } = windowGeometry(
    op,
    [xShape[1] ?? null, xShape[2] ?? null],
    effective,
    strides,
    padding,
    describe,
  );
  return { kernel: [kh, kw], strides, dilation, out, pad, outChannels };
}

/**
 * The full geometry of conv2d(x, filter, options), validated; x: [N, H, W, C], filter: [kh, kw, C, outC].
 * `opName` labels error messages (ops built on conv2d's geometry pass their own).
 */
export function conv2dInfo(
  xShape: Shape,
  filterShape: Shape,
  options: Conv2DOptions = {},
  opName = 'conv2d',
): Conv2DInfo {
  const g = convGeometry(xShape, filterShape, options, opName);
  const [batch = 0, inHeight = 0, inWidth = 0, inChannels = 0] = xShape;
  return {
    batch,
    inHeight,
    inWidth,
    inChannels,
    outHeight: g.out[0] ?? 0,
    outWidth: g.out[1] ?? 0,
    outChannels: g.outChannels,
    filterHeight: g.kernel[0],
    filterWidth: g.kernel[1],
    strideHeight: g.strides[0],
    strideWidth: g.strides[1],
    dilationHeight: g.dilation[0],
    dilationWidth: g.dilation[1],
    padTop: g.pad[0],
    padLeft: g.pad[1],
  };
}

/** conv2d's output shape [N, outH, outW, outC] without running it; unknown (null) input sizes stay null. */
export function conv2dOutputShape(
  xShape: MaybeShape,
  filterShape: Shape,
  options: Conv2DOptions = {},
  opName = 'conv2d',
): (number | null)[] {
  const g = convGeometry(xShape, filterShape, options, opName);
  return [xShape[0] ?? null, g.out[0], g.out[1], g.outChannels];
}

/**
 * 2-D cross-correlation (what deep-learning libraries call convolution), with iy = oy·s + ky·d − padTop:
 *   y[n, oy, ox, co] = Σ_{ky, kx, ci} x[n, iy, ix, ci] · filter[ky, kx, ci, co]
 * x: [N, H, W, C], filter: [kh, kw, C, outC] → [N, outH, outW, outC].
 */
export function conv2d(x: Tensor, filter: Tensor, options: Conv2DOptions = {}): Tensor {
  assertSameBackend('conv2d', x, filter);
  const info = conv2dInfo(x.shape, filter.shape, options);
  const storage = engine.backend.conv2d(x.storage, filter.storage, info);
  const out = wrap(storage, [info.batch, info.outHeight, info.outWidth, info.outChannels]);
  // Each gradient is computed only when wanted: the first layer's input image never needs one.
  return recordGradient('conv2d', out, [x, filter], (dy) => [
    x.requiresGrad ? wrap(engine.backend.conv2dBackpropInput(dy.storage, filter.storage, info), x.shape) : null,
    filter.requiresGrad ? wrap(engine.backend.conv2dBackpropFilter(x.storage, dy.storage, info), filter.shape) : null,
  ]);
}
