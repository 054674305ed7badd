/**
 * A small ResNet (He et al. 2016, "Deep Residual Learning for Image Recognition", https://arxiv.org/abs/1512.03385)
 * in the form the paper uses for small images (its CIFAR-10 networks, ResNet-(6n+2)): a 3×3 stem, three stages of
 * n basic blocks at `width`, 2·`width` and 4·`width` filters (the second and third halve the resolution in their first
 * block), global average pooling and a softmax classifier. A basic block is
 *
 *   y = BN(conv3×3(relu(BN(conv3×3(x, stride s)))));   out = relu(y + shortcut(x))
 *
 * with an identity shortcut, or a 1×1 convolution (stride s) + BN where the shape changes (the paper's option B).
 * `residual: false` drops the shortcuts: the same network as a plain stack, the paper's comparison.
 */
import * as initializers from '../initializers.js';
import { Activation } from '../layers/activation.js';
import { BatchNormalization } from '../layers/batch-normalization.js';
import { Conv2D } from '../layers/conv2d.js';
import { Dense } from '../layers/dense.js';
import { GlobalAveragePooling2D } from '../layers/global-pooling2d.js';
import { Add } from '../layers/merge.js';
import type { SymbolicTensor } from '../layers/symbolic.js';
import { ConfigError } from '../errors.js';
import { input, Model } from '../model/functional.js';

export interface ResNetOptions {
  /** Default [28, 28, 1] (MNIST, Fashion-MNIST). */
  readonly inputShape?: readonly [number, number, number];
  /** Default 10. */
  readonly numClasses?: number;
  /** Layers with weights: 6n + 2 for n blocks per stage (8, 14, 20, …). Default 8. */
  readonly depth?: number;
  /** Filters of the first stage (doubled at each of the other two). Default 16. */
  readonly width?: number;
  /** False: no shortcuts (a plain network of the same depth). Default true. */
  readonly residual?: boolean;
  /** Batch normalization's moving-statistics momentum. Default 0.99, as in Keras. */
  readonly batchNormMomentum?: number;
  /** Seeds the initial weights. Default 0. */
  readonly seed?: number;
}

/** `ResNet-(6n+2)`: see the file's comment. */
export function resnet(options: ResNetOptions = {}): Model {
  const depth = options.depth ?? 8;
  const width = options.width ?? 16;
  if (!Number.isInteger(depth) || depth < 8 || (depth - 2) % 6 !== 0) {
    throw new ConfigError('resnet', `\`depth\` must be 6n + 2 for a whole n ≥ 1 (8, 14, 20, …), received ${depth}`);
  }
  if (!Number.isInteger(width) || width < 1) {
    throw new ConfigError('resnet', `\`width\` must be a positive integer, received ${width}`);
  }
  const blocks = (depth - 2) / 6;
  const residual = options.residual ?? true;
  const momentum = options.batchNormMomentum ?? 0.99;
  const seed = options.seed ?? 0;
  let seedOffset = 0;
  // He initialization suits ReLU networks (the paper's choice); each kernel gets its own seed.
  const conv = (filters: number, kernelSize: number, strides: number): Conv2D =>
    new Conv2D({
      filters,
      kernelSize,
      strides,
      padding: 'same',
      useBias: false,
      kernelInitializer: initializers.heNormal({ seed: seed * 1000 + seedOffset++ }),
    });
  const bn = (): BatchNormalization => new BatchNormalization({ momentum });
  const relu = (): Activation => new Activation({ activation: 'relu' });

  const x = input({ shape: options.inputShape ?? [28, 28, 1] });
  let h: SymbolicTensor = relu().apply(bn().apply(conv(width, 3, 1).apply(x)));
  for (let stage = 0; stage < 3; stage++) {
    const filters = width * 2 ** stage;
    for (let block = 0; block < blocks; block++) {
      const strides = stage > 0 && block === 0 ? 2 : 1;
      const y = bn().apply(conv(filters, 3, 1).apply(relu().apply(bn().apply(conv(filters, 3, strides).apply(h)))));
      if (!residual) {
        h = relu().apply(y);
        continue;
      }
      const changes = strides !== 1 || h.shape[3] !== filters;
      const shortcut = changes ? bn().apply(conv(filters, 1, strides).apply(h)) : h;
      h = relu().apply(new Add().apply([y, shortcut]));
    }
  }
  const pooled = new GlobalAveragePooling2D().apply(h);
  const output = new Dense({
    units: options.numClasses ?? 10,
    activation: 'softmax',
    kernelInitializer: initializers.glorotUniform({ seed: seed * 1000 + seedOffset++ }),
  }).apply(pooled);
  return new Model({ inputs: x, outputs: output, name: residual ? `resnet${depth}` : `plain${depth}` });
}
