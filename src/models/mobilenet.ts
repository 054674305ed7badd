/**
 * A small MobileNetV2 (Sandler et al. 2018, "MobileNetV2: Inverted Residuals and Linear Bottlenecks",
 * https://arxiv.org/abs/1801.04381) for 28×28 images: a 3×3 stem, four stages of inverted residual blocks, a 1×1
 * head convolution, global average pooling and a softmax classifier. An inverted residual block is
 *
 *   h = relu6(BN(conv1×1(x, t·C_in)));   h = relu6(BN(depthwise3×3(h, stride s)));   y = BN(conv1×1(h, C_out))
 *
 * (linear bottleneck: no activation after the projection), plus x when s = 1 and C_in = C_out. A block with
 * expansion t = 1 has no expansion convolution, as in the paper. The stage table (t, c, n, s) is the paper's
 * Table 2 shrunk for 28×28 input: a 16-channel stem at stride 2 (as the paper's), then (1, 16, 1, 1),
 * (6, 24, 2, 2), (6, 32, 2, 2), (6, 64, 2, 1), a 128-channel head: 28 → 14 → 7 → 4 pixels. A stride-1 stem
 * (all of the first stages at 28×28) trained about 3× slower for the same parameters.
 */
import * as initializers from '../initializers.js';
import { ReLU } from '../layers/advanced-activations.js';
import { BatchNormalization } from '../layers/batch-normalization.js';
import { Conv2D } from '../layers/conv2d.js';
import { Dense } from '../layers/dense.js';
import { DepthwiseConv2D } from '../layers/depthwise-conv2d.js';
import { Dropout } from '../layers/dropout.js';
import { GlobalAveragePooling2D } from '../layers/global-pooling2d.js';
import { Add } from '../layers/merge.js';
import type { SymbolicTensor } from '../layers/symbolic.js';
import { ConfigError } from '../errors.js';
import { input, Model } from '../model/functional.js';

export interface MobileNetOptions {
  /** Default [28, 28, 1] (MNIST, Fashion-MNIST). */
  readonly inputShape?: readonly [number, number, number];
  /** Default 10. */
  readonly numClasses?: number;
  /** Width multiplier α: every layer's channels × α, rounded to a multiple of 8 (the head only grows). Default 1. */
  readonly alpha?: number;
  /** Dropout rate before the classifier; default 0 (none). */
  readonly dropout?: number;
  /** Batch normalization's moving-statistics momentum. Default 0.99, as in Keras. */
  readonly batchNormMomentum?: number;
  /** Seeds the initial weights. Default 0. */
  readonly seed?: number;
}

/** Expansion t, output channels c, blocks n, first block's stride s (the paper's Table 2 columns). */
const STAGES: readonly (readonly [number, number, number, number])[] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 2, 2],
  [6, 64, 2, 1],
];
const STEM = 16;
const HEAD = 128;

/**
 * The paper's `_make_divisible`: `channels` rounded to the nearest multiple of `divisor` (at least `divisor`),
 * rounded up once more where rounding down would lose more than 10%.
 */
export function makeDivisible(channels: number, divisor = 8): number {
  const rounded = Math.max(divisor, Math.floor((channels + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * channels ? rounded + divisor : rounded;
}

/** MobileNetV2 for small images: see the file's comment. */
export function mobilenet(options: MobileNetOptions = {}): Model {
  const alpha = options.alpha ?? 1;
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha <= 0) {
    throw new ConfigError('mobilenet', `\`alpha\` must be a positive number, received ${String(alpha)}`);
  }
  const rate = options.dropout ?? 0;
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
    throw new ConfigError('mobilenet', `\`dropout\` must be a number in [0, 1), received ${String(rate)}`);
  }
  const momentum = options.batchNormMomentum ?? 0.99;
  const seed = options.seed ?? 0;
  let seedOffset = 0;
  // He initialization suits ReLU networks; each kernel gets its own seed.
  const he = (): ReturnType<typeof initializers.heNormal> =>
    initializers.heNormal({ seed: seed * 1000 + seedOffset++ });
  const conv = (filters: number, kernelSize: number, strides = 1): Conv2D =>
    new Conv2D({ filters, kernelSize, strides, padding: 'same', useBias: false, kernelInitializer: he() });
  const bn = (): BatchNormalization => new BatchNormalization({ momentum });
  const relu6 = (): ReLU => new ReLU({ maxValue: 6 });

  const x = input({ shape: options.inputShape ?? [28, 28, 1] });
  let h: SymbolicTensor = relu6().apply(bn().apply(conv(makeDivisible(STEM * alpha), 3, 2).apply(x)));
  for (const [expansion, channels, blocks, stride] of STAGES) {
    const outChannels = makeDivisible(channels * alpha);
    for (let block = 0; block < blocks; block++) {
      const strides = block === 0 ? stride : 1;
      const inChannels = h.shape[3] ?? 0;
      let y = h;
      if (expansion !== 1) y = relu6().apply(bn().apply(conv(inChannels * expansion, 1).apply(y)));
      const depthwise = new DepthwiseConv2D({
        kernelSize: 3,
        strides,
        padding: 'same',
        useBias: false,
        depthwiseInitializer: he(),
      });
      y = relu6().apply(bn().apply(depthwise.apply(y)));
      y = bn().apply(conv(outChannels, 1).apply(y));
      h = strides === 1 && inChannels === outChannels ? new Add().apply([h, y]) : y;
    }
  }
  // The paper widens the last convolution for α > 1 but never narrows it.
  h = relu6().apply(bn().apply(conv(makeDivisible(HEAD * Math.max(alpha, 1)), 1).apply(h)));
  h = new GlobalAveragePooling2D().apply(h);
  if (rate > 0) h = new Dropout({ rate, seed: seed + 7919 }).apply(h);
  const output = new Dense({
    units: options.numClasses ?? 10,
    activation: 'softmax',
    kernelInitializer: initializers.glorotUniform({ seed: seed * 1000 + seedOffset++ }),
  }).apply(h);
  return new Model({ inputs: x, outputs: output, name: 'mobilenet' });
}
