/**
 * The `wasm` backend: tensors live in one WebAssembly.Memory and the hot kernels (GEMM, convolutions, pooling,
 * elementwise, reductions, batch norm, softmax, Adam) are AssemblyScript compiled to WebAssembly SIMD (asm/). The
 * memory is shared where the host allows, and the heavy kernels split across worker threads (threads.ts). Layout
 * kernels and rare cases call the js reference on the storages' views and copy the result in.
 */
import type { Shape } from '../../shape.js';
import type {
  AdamUpdateInfo,
  Backend,
  BatchNormGrads,
  BinaryOp,
  Conv2DInfo,
  MatMulInfo,
  Moments,
  Pool2DInfo,
  ReduceOp,
  UnaryOp,
} from '../backend.js';
import type { DepthwiseConv2DInfo, LayerNormGrads, UpSample2DInfo } from '../backend.js';
import * as layout from '../js/layout.js';
import type { Storage } from '../storage.js';
import * as blocks from './blocks.js';
import * as depthwise from './depthwise.js';
import * as elementwise from './elementwise.js';
import * as linalg from './linalg.js';
import * as optimizers from './optimizers.js';
import * as poolNorm from './pool-norm.js';
import { WasmArena } from './storage.js';

/** 2 MiB to start; the heap grows as tensors need. */
const INITIAL_PAGES = 32;

export interface WasmBackendOptions {
  /** Memory to start with, in 64 KiB pages (default 32). */
  readonly initialPages?: number;
  /**
   * Threads to run kernels on, this one included (default: setThreads' choice, else the cores available). More than
   * one needs shared memory and a way to start workers (src/node/threads.ts in Node; Web Workers in browsers).
   */
  readonly threads?: number;
  /**
   * Run the kernels built with WebAssembly relaxed SIMD, whose GEMM uses fused multiply-adds (default: whenever the
   * host supports relaxed SIMD; `false` forces the plain SIMD build, `true` fails where it is unsupported). Results
   * differ from the plain build by float rounding only.
   */
  readonly relaxedSimd?: boolean;
}

export class WasmBackend implements Backend {
  readonly name = 'wasm';
  readonly arena: WasmArena;

  constructor(options: WasmBackendOptions = {}) {
    this.arena = new WasmArena(options.initialPages ?? INITIAL_PAGES, options.threads, options.relaxedSimd);
  }

  /** Whether the kernels run the relaxed-SIMD build (fused multiply-adds in the GEMM). */
  get relaxedSimd(): boolean {
    return this.arena.build.relaxed;
  }

  /** Threads kernels run on now (1 when threads cannot run here). */
  get threads(): number {
    return this.arena.pool.threads;
  }

  /** Runs kernels on `threads` threads from now on; returns the count in use (1 where threads cannot run). */
  setThreads(threads: number): number {
    return this.arena.pool.setThreads(threads);
  }

  alloc(length: number): Storage {
    return this.arena.allocZeroed(length);
  }

  fromValues(values: ArrayLike<number>): Storage {
    return this.arena.adopt(values);
  }

  free(storage: Storage): void {
    this.arena.free(storage);
  }

  bytesInUse(): number {
    return this.arena.bytesInUse();
  }

  transpose(x: Storage, shape: Shape, perm: readonly number[]): Storage {
    return this.arena.adopt(layout.transpose(x.view(), shape, perm));
  }

  pad(x: Storage, shape: Shape, paddings: readonly (readonly [number, number])[]): Storage {
    return this.arena.adopt(layout.pad(x.view(), shape, paddings));
  }

  slice(x: Storage, shape: Shape, begin: readonly number[], size: readonly number[]): Storage {
    return this.arena.adopt(layout.slice(x.view(), shape, begin, size));
  }

  unary(op: UnaryOp, x: Storage, param: number): Storage {
    return elementwise.unary(this.arena, op, x, param);
  }

  unaryGrad(op: UnaryOp, x: Storage, y: Storage, dy: Storage, param: number): Storage {
    return elementwise.unaryGrad(this.arena, op, x, y, dy, param);
  }

  binary(op: BinaryOp, a: Storage, aShape: Shape, b: Storage, bShape: Shape, outShape: Shape): Storage {
    return elementwise.binary(this.arena, op, a, aShape, b, bShape, outShape);
  }

  clip(x: Storage, lo: number, hi: number): Storage {
    return elementwise.clip(this.arena, x, lo, hi);
  }

  reduce(op: ReduceOp, x: Storage, shape: Shape, axes: readonly number[]): Storage {
    return elementwise.reduce(this.arena, op, x, shape, axes);
  }

  matmul(a: Storage, b: Storage, info: MatMulInfo): Storage {
    return linalg.matmul(this.arena, a, b, info);
  }

  biasAdd(x: Storage, bias: Storage, channels: number): Storage {
    return elementwise.biasAdd(this.arena, x, bias, channels);
  }

  biasRelu(x: Storage, bias: Storage, channels: number): Storage {
    return elementwise.biasRelu(this.arena, x, bias, channels);
  }

  biasReluGrad(dy: Storage, y: Storage, channels: number): [Storage, Storage] {
    return elementwise.biasReluGrad(this.arena, dy, y, channels);
  }

  conv2d(x: Storage, filter: Storage, info: Conv2DInfo): Storage {
    return linalg.conv2d(this.arena, x, filter, info);
  }

  conv2dBackpropInput(dy: Storage, filter: Storage, info: Conv2DInfo): Storage {
    return linalg.conv2dBackpropInput(this.arena, dy, filter, info);
  }

  conv2dBackpropFilter(x: Storage, dy: Storage, info: Conv2DInfo): Storage {
    return linalg.conv2dBackpropFilter(this.arena, x, dy, info);
  }

  maxPool(x: Storage, info: Pool2DInfo): Storage {
    return poolNorm.maxPool(this.arena, x, info);
  }

  maxPoolBackprop(dy: Storage, x: Storage, info: Pool2DInfo): Storage {
    return poolNorm.maxPoolBackprop(this.arena, dy, x, info);
  }

  avgPool(x: Storage, info: Pool2DInfo): Storage {
    return poolNorm.avgPool(this.arena, x, info);
  }

  avgPoolBackprop(dy: Storage, info: Pool2DInfo): Storage {
    return poolNorm.avgPoolBackprop(this.arena, dy, info);
  }

  moments(x: Storage, channels: number): Moments {
    return poolNorm.moments(this.arena, x, channels);
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
    return poolNorm.batchNorm(this.arena, x, mean, variance, gamma, beta, channels, epsilon);
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
    return poolNorm.batchNormGrad(this.arena, dy, x, mean, variance, gamma, channels, epsilon);
  }

  softmax(logits: Storage, rows: number, cols: number): Storage {
    return poolNorm.softmax(this.arena, logits, rows, cols, false);
  }

  logSoftmax(logits: Storage, rows: number, cols: number): Storage {
    return poolNorm.softmax(this.arena, logits, rows, cols, true);
  }

  adamUpdate(variable: Storage, gradient: Storage, m: Storage, v: Storage, info: AdamUpdateInfo): void {
    optimizers.adamUpdate(this.arena, variable, gradient, m, v, info);
  }

  // ---- The newer CNN blocks (depthwise.ts, blocks.ts): depthwise convolution, upsampling, concat, layer norm. ----

  depthwiseConv2d(x: Storage, filter: Storage, info: DepthwiseConv2DInfo): Storage {
    return depthwise.depthwiseConv2d(this.arena, x, filter, info);
  }

  depthwiseConv2dBackpropInput(dy: Storage, filter: Storage, info: DepthwiseConv2DInfo): Storage {
    return depthwise.depthwiseConv2dBackpropInput(this.arena, dy, filter, info);
  }

  depthwiseConv2dBackpropFilter(x: Storage, dy: Storage, info: DepthwiseConv2DInfo): Storage {
    return depthwise.depthwiseConv2dBackpropFilter(this.arena, x, dy, info);
  }

  upSample2d(x: Storage, info: UpSample2DInfo): Storage {
    return blocks.upSample2d(this.arena, x, info);
  }

  upSample2dBackprop(dy: Storage, info: UpSample2DInfo): Storage {
    return blocks.upSample2dBackprop(this.arena, dy, info);
  }

  concat(xs: readonly Storage[], shapes: readonly Shape[], axis: number): Storage {
    return blocks.concat(this.arena, xs, shapes, axis);
  }

  layerNorm(x: Storage, gamma: Storage, beta: Storage, cols: number, epsilon: number): Storage {
    return blocks.layerNorm(this.arena, x, gamma, beta, cols, epsilon);
  }

  layerNormGrad(dy: Storage, x: Storage, gamma: Storage, cols: number, epsilon: number): LayerNormGrads {
    return blocks.layerNormGrad(this.arena, dy, x, gamma, cols, epsilon);
  }

  // ---- End of the newer CNN blocks. ----
}
