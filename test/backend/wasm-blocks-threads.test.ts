/**
 * The wasm kernels of the newer CNN blocks (depthwise convolution, layer norm, upsampling, concat) run as thread-pool
 * jobs, never the js reference, and give bit-identical results on 1, 2 and 3 threads. Expected values are the
 * single-thread results; their correctness against the js reference is what test/ops/blocks-parity.test.ts checks.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DepthwiseConv2DInfo, UpSample2DInfo } from '../../src/backend/backend.js';
import { WasmBackend } from '../../src/backend/wasm/index.js';
import type { Job } from '../../src/backend/wasm/protocol.generated.js';
import { useNodeThreads } from '../../src/node/threads.js';
import { depthwiseConv2dInfo } from '../../src/ops/depthwise.js';
import type { Shape } from '../../src/shape.js';
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

/** Runs fn while recording each job the backend's pool runs: its kind and how many parts it was split into. */
function jobsRun(backend: WasmBackend, fn: () => void): { kind: Job['kind']; parts: number }[] {
  const run = vi.spyOn(backend.arena.pool, 'run');
  try {
    fn();
    return run.mock.calls.map(([job, parts]) => ({ kind: job.kind, parts }));
  } finally {
    run.mockRestore();
  }
}

/**
 * Same bits on 1, 2 and 3 threads, and on 3 threads every job of the kinds named was split into more than one part
 * (else the comparison would prove nothing).
 */
function expectThreadIndependent(
  inputs: readonly Float32Array[],
  kernel: ThreadKernel,
  splitKinds: readonly Job['kind'][],
): void {
  const jobs = jobsRun(triple, () => expectSameBits(single, threaded, inputs, kernel));
  for (const kind of splitKinds) {
    const parts = jobs.filter((job) => job.kind === kind).map((job) => job.parts);
    expect(parts.length, `jobs of kind ${kind}`).toBeGreaterThan(0);
    expect(Math.min(...parts), `parts of each ${kind} job on 3 threads`).toBeGreaterThan(1);
  }
}

const depthwiseCases: [string, DepthwiseConv2DInfo][] = [
  ['batch 5, 3×3 same, multiplier 2', depthwiseConv2dInfo([5, 56, 56, 24], [3, 3, 24, 2], { padding: 'same' })],
  [
    'batch 1, odd sizes, 5×5 stride 2 same',
    depthwiseConv2dInfo([1, 151, 143, 32], [5, 5, 32, 1], { strides: 2, padding: 'same' }),
  ],
  [
    'batch 3, 3×3 dilation 2 valid, 13 channels',
    depthwiseConv2dInfo([3, 90, 91, 13], [3, 3, 13, 1], { dilationRate: 2 }),
  ],
];

describe('wasm kernels of the newer blocks on worker threads', () => {
  it.each(depthwiseCases)(
    'depthwiseConv2d and both its gradients (%s) are identical on 1, 2 and 3 threads',
    (_, info) => {
      const x = values(info.batch * info.inHeight * info.inWidth * info.inChannels, 1);
      const w = values(info.filterHeight * info.filterWidth * info.outChannels, 2);
      const dy = values(info.batch * info.outHeight * info.outWidth * info.outChannels, 3);
      expectThreadIndependent([x, w], (b, [xs, ws]) => b.depthwiseConv2d(xs ?? b.alloc(0), ws ?? b.alloc(0), info), [
        'depthwise',
      ]);
      expectThreadIndependent(
        [dy, w],
        (b, [g, ws]) => b.depthwiseConv2dBackpropInput(g ?? b.alloc(0), ws ?? b.alloc(0), info),
        ['depthwiseDx'],
      );
      expectThreadIndependent(
        [x, dy],
        (b, [xs, g]) => b.depthwiseConv2dBackpropFilter(xs ?? b.alloc(0), g ?? b.alloc(0), info),
        ['depthwiseDw'],
      );
    },
  );

  it('layerNorm and its gradients are identical on 1, 2 and 3 threads', () => {
    const rows = 3001; // odd: a ragged last part
    const cols = 97;
    const x = values(rows * cols, 4).map((v) => 3 * v);
    const gamma = values(cols, 5);
    const beta = values(cols, 6);
    const dy = values(rows * cols, 7);
    expectThreadIndependent(
      [x, gamma, beta],
      (b, [xs, g, c]) => b.layerNorm(xs ?? b.alloc(0), g ?? b.alloc(0), c ?? b.alloc(0), cols, 1e-3),
      ['layerNorm'],
    );
    expectThreadIndependent(
      [dy, x, gamma],
      (b, [g, xs, c]) => {
        const { dx, dGamma, dBeta } = b.layerNormGrad(g ?? b.alloc(0), xs ?? b.alloc(0), c ?? b.alloc(0), cols, 1e-3);
        return [dx, dGamma, dBeta];
      },
      ['layerNormGrad', 'layerNormParams'],
    );
  });

  it.each(['nearest', 'bilinear'] as const)(
    '%s upsampling and its gradient are identical on 1, 2 and 3 threads',
    (interpolation) => {
      const info: UpSample2DInfo = {
        batch: 3,
        inHeight: 29,
        inWidth: 31,
        channels: 37,
        sizeHeight: 3,
        sizeWidth: 2,
        interpolation,
      };
      const input = info.batch * info.inHeight * info.inWidth * info.channels;
      const x = values(input, 8);
      const dy = values(input * info.sizeHeight * info.sizeWidth, 9);
      expectThreadIndependent([x], (b, [xs]) => b.upSample2d(xs ?? b.alloc(0), info), ['upSample']);
      expectThreadIndependent([dy], (b, [g]) => b.upSample2dBackprop(g ?? b.alloc(0), info), ['upSampleGrad']);
    },
  );

  it('concat along the last axis and an inner axis is identical on 1, 2 and 3 threads', () => {
    for (const [axis, shapes] of [
      [
        3,
        [
          [4, 64, 64, 13],
          [4, 64, 64, 32],
          [4, 64, 64, 9],
        ],
      ],
      [
        1,
        [
          [8, 100, 190],
          [8, 131, 190],
        ],
      ],
    ] as const) {
      const inputs = shapes.map((shape, i) =>
        values(
          shape.reduce((n, d) => n * d, 1),
          10 + i,
        ),
      );
      expectThreadIndependent(inputs, (b, xs) => b.concat(xs, shapes, axis), ['copyRows']);
    }
  });
});

describe('the newer blocks under the wasm backend', () => {
  it('import no js reference kernel', () => {
    for (const file of ['blocks.ts', 'depthwise.ts']) {
      const source = readFileSync(new URL(`../../src/backend/wasm/${file}`, import.meta.url), 'utf8');
      expect(source, file).not.toMatch(/from '\.\.\/js\//);
    }
  });

  it('run their wasm job kinds, and only those', () => {
    const info = depthwiseConv2dInfo([2, 5, 6, 3], [3, 3, 3, 2], { padding: 'same' });
    const up: UpSample2DInfo = {
      batch: 2,
      inHeight: 3,
      inWidth: 4,
      channels: 3,
      sizeHeight: 2,
      sizeWidth: 2,
      interpolation: 'bilinear',
    };
    const shapes: Shape[] = [
      [2, 3],
      [2, 5],
    ];
    const b = single;
    const x = b.fromValues(values(2 * 5 * 6 * 3, 1));
    const w = b.fromValues(values(3 * 3 * 6, 2));
    const dy = b.fromValues(values(2 * 5 * 6 * 6, 3));
    const rows = b.fromValues(values(4 * 6, 4));
    const gamma = b.fromValues(values(6, 5));
    const small = b.fromValues(values(2 * 3 * 4 * 3, 6));
    const big = b.fromValues(values(2 * 6 * 8 * 3, 7));
    const parts = [b.fromValues(values(6, 8)), b.fromValues(values(10, 9))];
    const kinds = (fn: () => unknown): Job['kind'][] => jobsRun(b, () => void fn()).map((job) => job.kind);
    expect(kinds(() => b.depthwiseConv2d(x, w, info))).toEqual(['depthwiseExpand', 'depthwise']);
    expect(kinds(() => b.depthwiseConv2dBackpropInput(dy, w, info))).toEqual(['depthwiseDx']);
    expect(kinds(() => b.depthwiseConv2dBackpropFilter(x, dy, info))).toEqual(['depthwiseExpand', 'depthwiseDw']);
    expect(kinds(() => b.layerNorm(rows, gamma, gamma, 6, 1e-3))).toEqual(['layerNorm']);
    expect(kinds(() => b.layerNormGrad(rows, rows, gamma, 6, 1e-3))).toEqual(['layerNormGrad', 'layerNormParams']);
    expect(kinds(() => b.upSample2d(small, up))).toEqual(['upSample']);
    expect(kinds(() => b.upSample2dBackprop(big, up))).toEqual(['upSampleGrad']);
    expect(kinds(() => b.concat(parts, shapes, 1))).toEqual(['copyRows', 'copyRows']);
  });
});
