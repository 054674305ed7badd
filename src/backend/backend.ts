/**
 * The kernel interface every backend implements.
 *
 * Kernels take Storages (see storage.ts), shapes and a small params object, and return newly allocated Storages.
 * They know nothing of autograd: ops (src/ops) pair each forward kernel with the kernels of its gradient.
 * The `js` backend is the obviously-correct reference; faster backends must match it within float tolerance.
 */
import type { Shape } from '../shape.js';
import type { Storage } from './storage.js';

/** Geometry of a 2-D convolution over NHWC input with an [kh, kw, in, out] filter. */
export interface Conv2DInfo {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly inChannels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly outChannels: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly dilationHeight: number;
  readonly dilationWidth: number;
  /** Rows and columns of implicit zeros before the input (after-padding follows from the output size). */
  readonly padTop: number;
  readonly padLeft: number;
}

/**
 * Geometry of a depthwise 2-D convolution over NHWC input with a [kh, kw, C, multiplier] filter: a Conv2DInfo whose
 * outChannels = inChannels · channelMultiplier (output channel c·multiplier + m reads input channel c only).
 */
export interface DepthwiseConv2DInfo extends Conv2DInfo {
  readonly channelMultiplier: number;
}

/** Geometry of a 2-D upsampling of NHWC input by integer factors: [N, H, W, C] → [N, H·sizeH, W·sizeW, C]. */
export interface UpSample2DInfo {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly channels: number;
  readonly sizeHeight: number;
  readonly sizeWidth: number;
  /** 'bilinear' samples at source position out / size (TensorFlow.js' resizeBilinear, no align or half-pixel shift). */
  readonly interpolation: 'nearest' | 'bilinear';
}

/** Geometry of a 2-D pooling window over NHWC input. */
export interface Pool2DInfo {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly channels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly poolHeight: number;
  readonly poolWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly padTop: number;
  readonly padLeft: number;
}

/** Elementwise functions of one input. Those with a parameter (leakyRelu's and elu's alpha) take it in `param`. */
export type UnaryOp =
  | 'neg'
  | 'abs'
  | 'sign'
  | 'square'
  | 'sqrt'
  | 'exp'
  | 'log'
  | 'reciprocal'
  | 'relu'
  | 'relu6'
  | 'leakyRelu'
  | 'elu'
  | 'selu'
  | 'sigmoid'
  | 'hardSigmoid'
  | 'tanh'
  | 'softplus'
  | 'softsign'
  | 'swish'
  | 'gelu';

/** Elementwise functions of two broadcast inputs. Comparisons return 1 or 0. */
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'maximum' | 'minimum' | 'pow' | 'equal' | 'greater';

export type ReduceOp = 'sum' | 'max' | 'min';

export interface MatMulInfo {
  /** a is [m, k] (or [k, m] when transposeA), b is [k, n] (or [n, k] when transposeB); the result is [m, n]. */
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}

/** Per-channel statistics over all axes but the last, as batch normalization needs them. */
export interface Moments {
  readonly mean: Storage;
  /** Biased (population) variance: the mean of squared deviations. */
  readonly variance: Storage;
}

export interface BatchNormGrads {
  readonly dx: Storage;
  readonly dGamma: Storage;
  readonly dBeta: Storage;
}

export interface LayerNormGrads {
  readonly dx: Storage;
  readonly dGamma: Storage;
  readonly dBeta: Storage;
}

/** Hyperparameters of one fused Adam step (Backend.adamUpdate). */
export interface AdamUpdateInfo {
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** t: 1 on the first update. */
  readonly step: number;
}

export interface Backend {
  readonly name: string;

  // Memory. Storages come zero-filled. `free` returns memory to the backend; the storage is unusable after it.
  alloc(length: number): Storage;
  fromValues(values: ArrayLike<number>): Storage;
  free(storage: Storage): void;
  /** Bytes currently allocated and not freed (for leak tests and memory reports). */
  bytesInUse(): number;

  // Layout.
  /** General transpose: out[...perm-permuted index] = x[index]; out shape is shape permuted by perm. */
  transpose(x: Storage, shape: Shape, perm: readonly number[]): Storage;
  /** Zero padding: `paddings[i] = [before, after]` for each axis. */
  pad(x: Storage, shape: Shape, paddings: readonly (readonly [number, number])[]): Storage;
  /** The block of `size` starting at `begin`. */
  slice(x: Storage, shape: Shape, begin: readonly number[], size: readonly number[]): Storage;

  // Elementwise.
  unary(op: UnaryOp, x: Storage, param: number): Storage;
  /** dy * f'(x) for a unary op, given its input x (and its output y, which some derivatives use). */
  unaryGrad(op: UnaryOp, x: Storage, y: Storage, dy: Storage, param: number): Storage;
  binary(op: BinaryOp, a: Storage, aShape: Shape, b: Storage, bShape: Shape, outShape: Shape): Storage;
  /** min(max(x, lo), hi). */
  clip(x: Storage, lo: number, hi: number): Storage;

  // Reductions over the given (sorted, distinct) axes; the result has those axes removed.
  reduce(op: ReduceOp, x: Storage, shape: Shape, axes: readonly number[]): Storage;

  // Linear algebra and convolution.
  matmul(a: Storage, b: Storage, info: MatMulInfo): Storage;
  /** x: [N, H, W, C] + bias: [C], broadcast over the last axis. */
  biasAdd(x: Storage, bias: Storage, channels: number): Storage;
  /** relu(x + bias) over x viewed as [rows, channels], in one pass (Conv2D's and Dense's usual ending). */
  biasRelu(x: Storage, bias: Storage, channels: number): Storage;
  /**
   * For y = relu(x + bias) over [rows, channels]: dz = dy where y > 0, else 0, and dBias = Σ_rows dz ([channels]),
   * in one pass over dy and y. Returns [dz, dBias].
   */
  biasReluGrad(dy: Storage, y: Storage, channels: number): [Storage, Storage];
  conv2d(x: Storage, filter: Storage, info: Conv2DInfo): Storage;
  /** Gradient of conv2d with respect to its input: dy [N, outH, outW, outC] → dx [N, inH, inW, inC]. */
  conv2dBackpropInput(dy: Storage, filter: Storage, info: Conv2DInfo): Storage;
  /** Gradient of conv2d with respect to its filter: → dw [kh, kw, inC, outC]. */
  conv2dBackpropFilter(x: Storage, dy: Storage, info: Conv2DInfo): Storage;
  /** y[n, oy, ox, c·M + m] = Σ_{ky, kx} x[n, iy, ix, c] · filter[ky, kx, c, m], with iy, ix as in conv2d. */
  depthwiseConv2d(x: Storage, filter: Storage, info: DepthwiseConv2DInfo): Storage;
  /** Gradient of depthwiseConv2d with respect to its input: dy [N, outH, outW, C·M] → dx [N, inH, inW, C]. */
  depthwiseConv2dBackpropInput(dy: Storage, filter: Storage, info: DepthwiseConv2DInfo): Storage;
  /** Gradient of depthwiseConv2d with respect to its filter: → dw [kh, kw, C, M]. */
  depthwiseConv2dBackpropFilter(x: Storage, dy: Storage, info: DepthwiseConv2DInfo): Storage;

  // Resampling and joining.
  /** Nearest or bilinear upsampling by integer factors (see UpSample2DInfo). */
  upSample2d(x: Storage, info: UpSample2DInfo): Storage;
  /**
   * Gradient of upSample2d: each dy flows back to the input positions it was interpolated from, by the same
   * weights.
   */
  upSample2dBackprop(dy: Storage, info: UpSample2DInfo): Storage;
  /** Joins tensors of equal shapes but for `axis` along it; `shapes[i]` is the shape of `xs[i]`. */
  concat(xs: readonly Storage[], shapes: readonly Shape[], axis: number): Storage;

  // Pooling. Padded positions never win a max and are not counted in an average (as in TensorFlow).
  maxPool(x: Storage, info: Pool2DInfo): Storage;
  /** Routes each dy to the first position that holds its window's maximum in x. */
  maxPoolBackprop(dy: Storage, x: Storage, info: Pool2DInfo): Storage;
  avgPool(x: Storage, info: Pool2DInfo): Storage;
  avgPoolBackprop(dy: Storage, info: Pool2DInfo): Storage;

  // Normalization and losses. `channels` is the size of the last axis; the rest are reduced over.
  moments(x: Storage, channels: number): Moments;
  /** y = gamma * (x - mean) / sqrt(variance + epsilon) + beta, per channel. */
  batchNorm(
    x: Storage,
    mean: Storage,
    variance: Storage,
    gamma: Storage,
    beta: Storage,
    channels: number,
    epsilon: number,
  ): Storage;
  /** Gradients of batchNorm in training mode, where mean and variance are the batch's own moments of x. */
  batchNormGrad(
    dy: Storage,
    x: Storage,
    mean: Storage,
    variance: Storage,
    gamma: Storage,
    channels: number,
    epsilon: number,
  ): BatchNormGrads;
  /**
   * Layer normalization of each row of x viewed as [rows, cols], with the row's mean μ and biased variance σ²:
   * y = gamma · (x − μ) / √(σ² + ε) + beta, gamma and beta of length cols.
   */
  layerNorm(x: Storage, gamma: Storage, beta: Storage, cols: number, epsilon: number): Storage;
  /**
   * Gradients of layerNorm, the row statistics recomputed from x. With x̂ = (x − μ)/σ and g = dy·gamma:
   * dx = (g − mean_row(g) − x̂·mean_row(g·x̂)) / σ, dGamma = Σ_rows dy·x̂, dBeta = Σ_rows dy.
   */
  layerNormGrad(dy: Storage, x: Storage, gamma: Storage, cols: number, epsilon: number): LayerNormGrads;
  /** Row-wise softmax over the last axis of a [rows, cols] matrix. */
  softmax(logits: Storage, rows: number, cols: number): Storage;
  /** Row-wise log-softmax, computed stably as x - max - log(sum(exp(x - max))). */
  logSoftmax(logits: Storage, rows: number, cols: number): Storage;

  // Optional fused kernels: one pass instead of many elementwise kernels. Callers compose the kernels above when a
  // backend lacks one, and a fused kernel rounds every step to float32 exactly as that composition does.
  /**
   * Adam in place on a variable and its slots:
   *   m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  w ← w − ((m / (1−β1^t)) / (√(v / (1−β2^t)) + ε))·lr.
   */
  adamUpdate?(variable: Storage, gradient: Storage, m: Storage, v: Storage, info: AdamUpdateInfo): void;
}
