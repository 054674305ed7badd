/**
 * The two builds of the wasm kernels: relaxed SIMD (the GEMM's multiply-adds fused; the default where the host has
 * it, which test/setup/backend.ts turns on as cnnlab/node does) and plain SIMD (multiply, then add; what hosts
 * without relaxed SIMD run). The other parity tests run the default build; here the plain build meets the same
 * float32 summation bound against the js reference, and the two builds are shown to be different code.
 */
import { describe, expect, it } from 'vitest';
import type { Conv2DInfo } from '../../src/backend/backend.js';
import { relaxedSimdSupported } from '../../src/backend/wasm/instance.js';
import { WasmBackend } from '../../src/backend/wasm/index.js';
import { enableRelaxedSimd } from '../../src/node/relaxed-simd.js';
import {
  expectSumsClose,
  type Kernel,
  magnitude,
  onBoth,
  plainWasmBackend,
  Random,
  randomValues,
  wasmBackend,
} from './wasm-parity.js';

const matmul =
  (m: number, k: number, n: number): Kernel =>
  (b, [x, y]) =>
    b.matmul(x ?? b.alloc(0), y ?? b.alloc(0), { m, k, n, transposeA: false, transposeB: false });

describe('the relaxed-SIMD and plain builds of the wasm kernels', () => {
  it('Node 20 gets relaxed SIMD from its V8 flag, and the backend picks the build as asked', () => {
    expect(enableRelaxedSimd()).toBe(true);
    expect(relaxedSimdSupported()).toBe(true);
    expect(wasmBackend.relaxedSimd).toBe(true);
    expect(plainWasmBackend.relaxedSimd).toBe(false);
    expect(new WasmBackend({ relaxedSimd: true, threads: 1 }).relaxedSimd).toBe(true);
  });

  it('the plain build matches the js reference on matmuls that leave tiles ragged and cross cache blocks', () => {
    const random = new Random(77);
    for (const [m, k, n] of [
      [1, 1, 1],
      [5, 7, 3],
      [17, 33, 9],
      [65, 300, 20],
      [130, 513, 1030],
    ] as const) {
      const inputs = [randomValues(m * k, random), randomValues(k * n, random)];
      const { wasm, js } = onBoth(inputs, matmul(m, k, n), plainWasmBackend);
      expectSumsClose(wasm[0], js[0], magnitude(inputs, matmul(m, k, n))[0], k);
    }
  });

  it('the plain build matches the js reference on a convolution and both its gradients', () => {
    const info: Conv2DInfo = {
      batch: 3,
      inHeight: 9,
      inWidth: 8,
      inChannels: 5,
      outHeight: 4,
      outWidth: 4,
      outChannels: 11,
      filterHeight: 3,
      filterWidth: 2,
      strideHeight: 2,
      strideWidth: 2,
      dilationHeight: 1,
      dilationWidth: 1,
      padTop: 0,
      padLeft: 0,
    };
    const random = new Random(78);
    const x = randomValues(3 * 9 * 8 * 5, random);
    const w = randomValues(3 * 2 * 5 * 11, random);
    const dy = randomValues(3 * 4 * 4 * 11, random);
    const forward: Kernel = (b, [xs, ws]) => b.conv2d(xs ?? b.alloc(0), ws ?? b.alloc(0), info);
    const backInput: Kernel = (b, [g, ws]) => b.conv2dBackpropInput(g ?? b.alloc(0), ws ?? b.alloc(0), info);
    const backFilter: Kernel = (b, [xs, g]) => b.conv2dBackpropFilter(xs ?? b.alloc(0), g ?? b.alloc(0), info);
    for (const [kernel, inputs, terms] of [
      [forward, [x, w], 30],
      [backInput, [dy, w], 66],
      [backFilter, [x, dy], 48],
    ] as const) {
      const { wasm, js } = onBoth(inputs, kernel, plainWasmBackend);
      expectSumsClose(wasm[0], js[0], magnitude(inputs, kernel)[0], terms);
    }
  });

  it('fused multiply-adds round differently from multiply-then-add: the builds disagree in the last bits, within the bound', () => {
    // A fused multiply-add rounds once where multiply-then-add rounds twice, so over a 512-term sum some of the
    // 4,096 outputs must differ (on CPUs with FMA, which V8 uses for relaxed_madd on x64 and arm64). Were the
    // relaxed build not fusing, every output would be bit-identical.
    const random = new Random(79);
    const [m, k, n] = [64, 512, 64];
    const inputs = [randomValues(m * k, random), randomValues(k * n, random)];
    const fused = onBoth(inputs, matmul(m, k, n), wasmBackend).wasm[0] ?? new Float32Array(0);
    const plain = onBoth(inputs, matmul(m, k, n), plainWasmBackend).wasm[0] ?? new Float32Array(0);
    let differing = 0;
    for (let i = 0; i < fused.length; i++) if (fused[i] !== plain[i]) differing++;
    expect(differing).toBeGreaterThan((m * n) / 10);
    expectSumsClose(fused, plain, magnitude(inputs, matmul(m, k, n))[0], 2 * k);
  });
});
