/**
 * The `js` backend: the pure-TypeScript reference. Every kernel is a plain loop over Float32Arrays on the JS heap,
 * written to be obviously correct rather than fast; faster backends are tested against it.
 */
import type { Shape } from '../../shape.js';
import type {
  AdamUpdateInfo,
  Backend,
  BatchNormGrads,
  BinaryOp,
  Conv2DInfo,
  DepthwiseConv2DInfo,
  LayerNormGrads,
  MatMulInfo,
  Moments,
  Pool2DInfo,
  ReduceOp,
  UnaryOp,
  UpSample2DInfo,
} from '../backend.js';
import { HeapStorage, type Storage } from '../storage.js';
import * as conv from './conv.js';
import * as depthwise from './depthwise.js';
import * as elementwise from './elementwise.js';
import * as layerNorm from './layer-norm.js';
import * as layout from './layout.js';
import * as linear from './matmul.js';
import * as norm from './normalization.js';
import * as optimizers from './optimizers.js';
import * as pool from './pool.js';
import * as resample from './resample.js';
import { reduce } from './reduce.js';

const heap = (values: Float32Array): Storage => new HeapStorage(values);

export class JsBackend implements Backend {
  readonly name = 'js';
  private bytes = 0;
  private readonly live = new WeakSet<Storage>();

  alloc(length: number): Storage {
    return this.adopt(new Float32Array(length));
  }

  fromValues(values: ArrayLike<number>): Storage {
    return this.adopt(Float32Array.from(values));
  }

  /** Counts a kernel's fresh array as allocated, so bytesInUse reflects what tensors hold. */
  private adopt(values: Float32Array): Storage {
    const storage = heap(values);
    this.live.add(storage);
    this.bytes += values.byteLength;
    return storage;
  }

  free(storage: Storage): void {
    if (!this.live.has(storage)) return;
    this.live.delete(storage);
    this.bytes -= storage.length * 4;
  }

  bytesInUse(): number {
    return this.bytes;
  }

  transpose(x: Storage, shape: Shape, perm: readonly number[]): Storage {
    return this.adopt(layout.transpose(x.view(), shape, perm));
  }

  pad(x: Storage, shape: Shape, paddings: readonly (readonly [number, number])[]): Storage {
    return this.adopt(layout.pad(x.view(), shape, paddings));
  }

  slice(x: Storage, shape: Shape, begin: readonly number[], size: readonly number[]): Storage {
    return this.adopt(layout.slice(x.view(), shape, begin, size));
  }

  unary(op: UnaryOp, x: Storage, param: number): Storage {
    return this.adopt(elementwise.unary(op, x.view(), param));
  }

  unaryGrad(op: UnaryOp, x: Storage, y: Storage, dy: Storage, param: number): Storage {
    return this.adopt(elementwise.unaryGrad(op, x.view(), y.view(), dy.view(), param));
  }

  binary(op: BinaryOp, a: Storage, aShape: Shape, b: Storage, bShape: Shape, outShape: Shape): Storage {
    return this.adopt(elementwise.binary(op, a.view(), aShape, b.view(), bShape, outShape));
  }

  clip(x: Storage, lo: number, hi: number): Storage {
    return this.adopt(elementwise.clip(x.view(), lo, hi));
  }

  reduce(op: ReduceOp, x: Storage, shape: Shape, axes: readonly number[]): Storage {
    return this.adopt(reduce(op, x.view(), shape, axes));
  }

  matmul(a: Storage, b: Storage, info: MatMulInfo): Storage {
    return this.adopt(linear.matmul(a.view(), b.view(), info));
  }

  biasAdd(x: Storage, bias: Storage, channels: number): Storage {
    return this.adopt(linear.biasAdd(x.view(), bias.view(), channels));
  }

  biasRelu(x: Storage, bias: Storage, channels: number): Storage {
    return this.adopt(linear.biasRelu(x.view(), bias.view(), channels));
  }

  biasReluGrad(dy: Storage, y: Storage, channels: number): [Storage, Storage] {
    const [dz, dBias] = linear.biasReluGrad(dy.view(), y.view(), channels);
    return [this.adopt(dz), this.adopt(dBias)];
  }

  conv2d(x: Storage, filter: Storage, info: Conv2DInfo): Storage {
    return this.adopt(conv.conv2d(x.view(), filter.view(), info));
  }

  conv2dBackpropInput(dy: Storage, filter: Storage, info: Conv2DInfo): Storage {
    return this.adopt(conv.conv2dBackpropInput(dy.view(), filter.view(), info));
  }

  conv2dBackpropFilter(x: Storage, dy: Storage, info: Conv2DInfo): Storage {
    return this.adopt(conv.conv2dBackpropFilter(x.view(), dy.view(), info));
  }

  depthwiseConv2d(x: Storage, filter: Storage, info: DepthwiseConv2DInfo): Storage {
    return this.adopt(depthwise.depthwiseConv2d(x.view(), filter.view(), info));
  }

  depthwiseConv2dBackpropInput(dy: Storage, filter: Storage, info: DepthwiseConv2DInfo): Storage {
    return this.adopt(depthwise.depthwiseConv2dBackpropInput(dy.view(), filter.view(), info));
  }

  depthwiseConv2dBackpropFilter(x: Storage, dy: Storage, info: DepthwiseConv2DInfo): Storage {
    return this.adopt(depthwise.depthwiseConv2dBackpropFilter(x.view(), dy.view(), info));
  }

  upSample2d(x: Storage, info: UpSample2DInfo): Storage {
    return this.adopt(resample.upSample2d(x.view(), info));
  }

  upSample2dBackprop(dy: Storage, info: UpSample2DInfo): Storage {
    return this.adopt(resample.upSample2dBackprop(dy.view(), info));
  }

  concat(xs: readonly Storage[], shapes: readonly Shape[], axis: number): Storage {
    return this.adopt(
      resample.concat(
        xs.map((x) => x.view()),
        shapes,
        axis,
      ),
    );
  }

  maxPool(x: Storage, info: Pool2DInfo): Storage {
    return this.adopt(pool.maxPool(x.view(), info));
  }

  maxPoolBackprop(dy: Storage, x: Storage, info: Pool2DInfo): Storage {
    return this.adopt(pool.maxPoolBackprop(dy.view(), x.view(), info));
  }

  avgPool(x: Storage, info: Pool2DInfo): Storage {
    return this.adopt(pool.avgPool(x.view(), info));
  }

  avgPoolBackprop(dy: Storage, info: Pool2DInfo): Storage {
    return this.adopt(pool.avgPoolBackprop(dy.view(), info));
  }

  moments(x: Storage, channels: number): Moments {
    const { mean, variance } = norm.moments(x.view(), channels);
    return { mean: this.adopt(mean), variance: this.adopt(variance) };
  }

  batchNorm(
    x: Storage,
    mean: Storage,
    variance: Storage,
    gamma: Storage,
    beta: Storage,
    channels: number,
    epsilon: number,
  ): Storage {
    return this.adopt(
      norm.batchNorm(x.view(), mean.view(), variance.view(), gamma.view(), beta.view(), channels, epsilon),
    );
  }

  batchNormGrad(
    dy: Storage,
    x: Storage,
    mean: Storage,
    variance: Storage,
    gamma: Storage,
    channels: number,
    epsilon: number,
  ): BatchNormGrads {
    const { dx, dGamma, dBeta } = norm.batchNormGrad(
      dy.view(),
      x.view(),
      mean.view(),
      variance.view(),
      gamma.view(),
      channels,
      epsilon,
    );
    return { dx: this.adopt(dx), dGamma: this.adopt(dGamma), dBeta: this.adopt(dBeta) };
  }

  layerNorm(x: Storage, gamma: Storage, beta: Storage, cols: number, epsilon: number): Storage {
    return this.adopt(layerNorm.layerNorm(x.view(), gamma.view(), beta.view(), cols, epsilon));
  }

  layerNormGrad(dy: Storage, x: Storage, gamma: Storage, cols: number, epsilon: number): LayerNormGrads {
    const { dx, dGamma, dBeta } = layerNorm.layerNormGrad(dy.view(), x.view(), gamma.view(), cols, epsilon);
    return { dx: this.adopt(dx), dGamma: this.adopt(dGamma), dBeta: this.adopt(dBeta) };
  }

  softmax(logits: Storage, rows: number, cols: number): Storage {
    return this.adopt(norm.softmax(logits.view(), rows, cols));
  }

  logSoftmax(logits: Storage, rows: number, cols: number): Storage {
    return this.adopt(norm.logSoftmax(logits.view(), rows, cols));
  }

  adamUpdate(variable: Storage, gradient: Storage, m: Storage, v: Storage, info: AdamUpdateInfo): void {
    optimizers.adamUpdate(variable.view(), gradient.view(), m.view(), v.view(), info);
  }
}
