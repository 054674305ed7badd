/**
 * The wasm backend on worker threads: every kernel that splits across threads gives bit-identical results on 1, 2
 * and 3 threads (each part writes its own rows, with the same arithmetic whichever thread runs it), workers really
 * run parts, small kernels stay on one thread, and without shared memory the backend falls back to one thread
 * with a one-line notice. Expected values are the single-thread results; their own correctness against the js
 * reference is what the wasm parity tests check.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Conv2DInfo, Pool2DInfo } from '../../src/backend/backend.js';
import { WasmBackend } from '../../src/backend/wasm/index.js';
import { setThreadHost } from '../../src/backend/wasm/threads.js';
import { useNodeThreads } from '../../src/node/threads.js';
import { expectSameBits, type ThreadKernel, values } from './thread-parity.js';

useNodeThreads();
const single = new WasmBackend({ threads: 1 });
const pair = new WasmBackend({ threads: 2 });
const triple = new WasmBackend({ threads: 3 });
const threaded = [pair, triple];

beforeAll(async () => {
  // Workers start asynchronously; until they do, the main thread runs every part (same results, but untested threads).
  for (let i = 0; i < 500 && (pair.arena.pool.liveWorkers() < 1 || triple.arena.pool.liveWorkers() < 2); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
});

afterAll(() => {
  for (const backend of threaded) backend.setThreads(1);
});

function workerParts(backend: WasmBackend): number {
  return backend.arena.pool
    .partsRun()
    .slice(1)
    .reduce((a, b) => a + b, 0);
}

function expectSameOnAllThreadCounts(inputs: readonly Float32Array[], kernel: ThreadKernel): void {
  expectSameBits(single, threaded, inputs, kernel);
}

function convInfo(
  batch: number,
  h: number,
  w: number,
  c: number,
  oc: number,
  k: number,
  stride: number,
  pad: number,
): Conv2DInfo {
  const outHeight = Math.floor((h + 2 * pad - k) / stride) + 1;
  const outWidth = Math.floor((w + 2 * pad - k) / stride) + 1;
  return {
    batch,
    inHeight: h,
    inWidth: w,
    inChannels: c,
    outHeight,
    outWidth,
    outChannels: oc,
    filterHeight: k,
    filterWidth: k,
    strideHeight: stride,
    strideWidth: stride,
    dilationHeight: 1,
    dilationWidth: 1,
    padTop: pad,
    padLeft: pad,
  };
}

describe('wasm kernels on worker threads', () => {
  it('start the workers asked for', () => {
    expect([single.threads, pair.threads, triple.threads]).toEqual([1, 2, 3]);
    expect([pair.arena.pool.liveWorkers(), triple.arena.pool.liveWorkers()]).toEqual([1, 2]);
  });

  // Odd sizes: rows not a multiple of the 4-row tile, columns not of the 8-column tile, batches not of the thread
  // count.
  it.each([
    [203, 157, 131, false, false],
    [151, 90, 301, true, false],
    [97, 203, 118, false, true],
    [260, 129, 77, true, true],
    // A long k with a small C: split by slice of k into partial products summed in slice order.
    [21, 2600, 30, false, false],
    [9, 5000, 7, true, true],
  ])(
    'matmul %i×%i·%i×… (transposeA %s, transposeB %s) is identical on 1, 2 and 3 threads',
    (m, k, n, transposeA, transposeB) => {
      expectSameOnAllThreadCounts([values(m * k, m), values(k * n, n)], (b, [x, y]) =>
        b.matmul(x ?? b.alloc(0), y ?? b.alloc(0), { m, k, n, transposeA, transposeB }),
      );
    },
  );

  it.each([
    ["3×3 valid, the brief model's second conv", convInfo(7, 13, 13, 32, 64, 3, 1, 0)],
    ['5×5 stride 2 same, odd channels', convInfo(5, 17, 15, 3, 11, 5, 2, 2)],
    ['1 channel in, 32 out (the first conv)', convInfo(9, 28, 28, 1, 32, 3, 1, 0)],
  ])('conv2d and both its gradients (%s) are identical on 1, 2 and 3 threads', (_, info) => {
    const x = values(info.batch * info.inHeight * info.inWidth * info.inChannels, 1);
    const w = values(info.filterHeight * info.filterWidth * info.inChannels * info.outChannels, 2);
    const dy = values(info.batch * info.outHeight * info.outWidth * info.outChannels, 3);
    expectSameOnAllThreadCounts([x, w], (b, [xs, ws]) => b.conv2d(xs ?? b.alloc(0), ws ?? b.alloc(0), info));
    expectSameOnAllThreadCounts([x, dy], (b, [xs, g]) =>
      b.conv2dBackpropFilter(xs ?? b.alloc(0), g ?? b.alloc(0), info),
    );
    expectSameOnAllThreadCounts([dy, w], (b, [g, ws]) =>
      b.conv2dBackpropInput(g ?? b.alloc(0), ws ?? b.alloc(0), info),
    );
  });

  it('max and average pooling and their gradients are identical on 1, 2 and 3 threads', () => {
    const info: Pool2DInfo = {
      batch: 33,
      inHeight: 26,
      inWidth: 26,
      channels: 34,
      outHeight: 13,
      outWidth: 13,
      poolHeight: 2,
      poolWidth: 2,
      strideHeight: 2,
      strideWidth: 2,
      padTop: 0,
      padLeft: 0,
    };
    const x = values(33 * 26 * 26 * 34, 4);
    const dy = values(33 * 13 * 13 * 34, 5);
    expectSameOnAllThreadCounts([x], (b, [xs]) => b.maxPool(xs ?? b.alloc(0), info));
    expectSameOnAllThreadCounts([dy, x], (b, [g, xs]) => b.maxPoolBackprop(g ?? b.alloc(0), xs ?? b.alloc(0), info));
    expectSameOnAllThreadCounts([x], (b, [xs]) => b.avgPool(xs ?? b.alloc(0), info));
    expectSameOnAllThreadCounts([dy], (b, [g]) => b.avgPoolBackprop(g ?? b.alloc(0), info));
  });

  it('elementwise kernels, bias add, fused bias + relu and the fused Adam update are identical on 1, 2 and 3 threads', () => {
    const n = 300_001; // odd: a ragged tail in the last part
    const x = values(n, 6);
    const dy = values(n, 7);
    const bias = values(17, 8);
    const rows = 40_000;
    const wide = values(rows * 17, 9);
    expectSameOnAllThreadCounts([x], (b, [xs]) => b.unary('relu', xs ?? b.alloc(0), 0));
    expectSameOnAllThreadCounts([x, dy], (b, [xs, g]) =>
      b.unaryGrad('leakyRelu', xs ?? b.alloc(0), xs ?? b.alloc(0), g ?? b.alloc(0), 0.2),
    );
    for (const op of ['exp', 'log', 'elu', 'selu', 'sigmoid', 'tanh', 'softplus', 'swish', 'gelu'] as const) {
      expectSameOnAllThreadCounts([x], (b, [xs]) => b.unary(op, xs ?? b.alloc(0), 1));
      expectSameOnAllThreadCounts([x, dy], (b, [xs, g]) =>
        b.unaryGrad(op, xs ?? b.alloc(0), xs ?? b.alloc(0), g ?? b.alloc(0), 1),
      );
    }
    expectSameOnAllThreadCounts([x, dy], (b, [xs, g]) =>
      b.binary('mul', xs ?? b.alloc(0), [n], g ?? b.alloc(0), [n], [n]),
    );
    expectSameOnAllThreadCounts([wide, bias], (b, [xs, bs]) => b.biasAdd(xs ?? b.alloc(0), bs ?? b.alloc(0), 17));
    expectSameOnAllThreadCounts([wide, bias], (b, [xs, bs]) => b.biasRelu(xs ?? b.alloc(0), bs ?? b.alloc(0), 17));
    // The bias gradient sums 40,000 rows: in fixed blocks, so the same bits whichever threads ran the blocks.
    expectSameOnAllThreadCounts([wide, wide.map(Math.sin)], (b, [g, ys]) =>
      b.biasReluGrad(g ?? b.alloc(0), ys ?? b.alloc(0), 17),
    );
    expectSameOnAllThreadCounts([x, dy, values(n, 10), values(n, 11).map(Math.abs)], (b, [w, g, m, v]) => {
      const [ws, gs, ms, vs] = [w ?? b.alloc(0), g ?? b.alloc(0), m ?? b.alloc(0), v ?? b.alloc(0)];
      b.adamUpdate?.(ws, gs, ms, vs, { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, step: 3 });
      return [ws, ms, vs];
    });
  });

  it('runs parts on the workers for large kernels, and small kernels on the calling thread alone', () => {
    const before = workerParts(triple);
    const a = triple.fromValues(values(256 * 256, 12));
    for (let i = 0; i < 10; i++)
      triple.free(triple.matmul(a, a, { m: 256, k: 256, n: 256, transposeA: false, transposeB: false }));
    const afterLarge = workerParts(triple);
    expect(afterLarge).toBeGreaterThan(before);
    const small = triple.fromValues(values(64, 13));
    for (let i = 0; i < 10; i++) {
      triple.free(triple.matmul(small, small, { m: 8, k: 8, n: 8, transposeA: false, transposeB: false }));
      triple.free(triple.unary('relu', small, 0));
    }
    expect(workerParts(triple)).toBe(afterLarge);
    triple.free(a);
    triple.free(small);
  });

  it('falls back to one thread with a one-line notice where shared memory is unavailable', () => {
    const saved: unknown = Reflect.get(globalThis, 'SharedArrayBuffer');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    Reflect.set(globalThis, 'SharedArrayBuffer', undefined);
    try {
      const backend = new WasmBackend({ threads: 4 });
      expect(backend.threads).toBe(1);
      expect(backend.setThreads(2)).toBe(1);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toMatch(/shared memory is unavailable.*one thread/);
      // Still computes: 2×2 identity times [1, 2; 3, 4] (hand-computed).
      const eye = backend.fromValues([1, 0, 0, 1]);
      const m = backend.fromValues([1, 2, 3, 4]);
      expect(
        Array.from(backend.matmul(eye, m, { m: 2, k: 2, n: 2, transposeA: false, transposeB: false }).view()),
      ).toEqual([1, 2, 3, 4]);
    } finally {
      Reflect.set(globalThis, 'SharedArrayBuffer', saved);
      warn.mockRestore();
    }
  });

  it('runs on one thread when no thread host is installed, and starts the workers asked for once one is', async () => {
    setThreadHost(null);
    const backend = new WasmBackend({ threads: 2 });
    expect(backend.threads).toBe(1);
    useNodeThreads();
    // Installing a host starts the workers each backend asked for; one made for one thread stays on one.
    expect(backend.threads).toBe(2);
    expect(single.threads).toBe(1);
    for (let i = 0; i < 500 && backend.arena.pool.liveWorkers() < 1; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(backend.arena.pool.liveWorkers()).toBe(1);
    // Back to one thread: the worker exits.
    expect(backend.setThreads(1)).toBe(1);
    for (let i = 0; i < 500 && backend.arena.pool.liveWorkers() > 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(backend.arena.pool.liveWorkers()).toBe(0);
  });
});
