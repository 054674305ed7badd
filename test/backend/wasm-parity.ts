/**
 * Shared by the wasm parity tests: runs a kernel on the wasm backend and on the js reference with the same inputs,
 * and compares. Tolerances, stated once:
 * - exact: the wasm kernel performs the reference's float operations in the same order (or the reference itself);
 *   results must be identical, NaN and the sign of zero included.
 * - sums: float32 accumulation of a sum of `terms` products differs from the float64 reference by at most
 *   (terms + 2)·2⁻²⁴·Σ|products| (the classic worst-case bound), where Σ|products| is the reference kernel run on the
 *   absolute values of the inputs. A misplaced term would be off by the size of a whole product, far above the bound.
 */
import { expect } from 'vitest';
import { Random } from '../../src/index.js';
import type { Backend } from '../../src/backend/backend.js';
import { JsBackend } from '../../src/backend/js/index.js';
import type { Storage } from '../../src/backend/storage.js';
import { WasmBackend } from '../../src/backend/wasm/index.js';

export const jsBackend = new JsBackend();
/** The default build: relaxed SIMD (fused multiply-adds) where the host has it, as test/setup/backend.ts arranges. */
export const wasmBackend = new WasmBackend();
/** The plain SIMD build (multiply, then add), which hosts without relaxed SIMD run. */
export const plainWasmBackend = new WasmBackend({ relaxedSimd: false });

const UNIT_ROUNDOFF = 2 ** -24;

/** Uniform values in [lo, hi), seeded. */
export function randomValues(length: number, random: Random, lo = -1, hi = 1): Float32Array {
  return Float32Array.from({ length }, () => random.uniform(lo, hi));
}

/** Random values with NaN, ±Infinity and ±0 sprinkled in (for kernels that must match the reference exactly). */
export function valuesWithSpecials(length: number, random: Random, lo = -3, hi = 3): Float32Array {
  const specials = [Number.NaN, Infinity, -Infinity, 0, -0];
  return Float32Array.from({ length }, () =>
    random.next() < 0.15 ? (specials[random.int(specials.length)] ?? 0) : random.uniform(lo, hi),
  );
}

export type Kernel = (backend: Backend, inputs: Storage[]) => Storage | readonly Storage[];

// Array.isArray narrows a readonly array to any[]; this keeps the element type.
function isStorageList(result: Storage | readonly Storage[]): result is readonly Storage[] {
  return Array.isArray(result);
}

/**
 * Runs `kernel` on both backends with copies of `inputs`; returns copies of the outputs. Every wasm storage is freed
 * again, and the test fails if the call left wasm memory behind (scratch space included).
 */
export function onBoth(
  inputs: readonly ArrayLike<number>[],
  kernel: Kernel,
  wasm: WasmBackend = wasmBackend,
): { wasm: Float32Array[]; js: Float32Array[] } {
  const blocksBefore = wasm.arena.heapStats().blockBytes;
  const bytesBefore = wasm.bytesInUse();
  const run = (backend: Backend): Float32Array[] => {
    const storages = inputs.map((values) => backend.fromValues(values));
    const result = kernel(backend, storages);
    const outputs = isStorageList(result) ? result : [result];
    const copies = outputs.map((s) => s.view().slice());
    for (const s of [...storages, ...outputs]) backend.free(s);
    return copies;
  };
  const out = { wasm: run(wasm), js: run(jsBackend) };
  expect(wasm.bytesInUse()).toBe(bytesBefore);
  expect(wasm.arena.heapStats().blockBytes).toBe(blocksBefore);
  return out;
}

/** The same kernel on |inputs| with the js reference: Σ|products| for each output of a sum-of-products kernel. */
export function magnitude(inputs: readonly Float32Array[], kernel: Kernel): Float32Array[] {
  return onBoth(
    inputs.map((values) => values.map(Math.abs)),
    kernel,
  ).js;
}

export function expectExact(actual: Float32Array | undefined, expected: Float32Array | undefined): void {
  expect(actual).toBeDefined();
  expect(Array.from(actual ?? [])).toEqual(Array.from(expected ?? [1]));
}

/** |actual − expected| ≤ (terms + 2)·2⁻²⁴·magnitude elementwise (see the file comment). */
export function expectSumsClose(
  actual: Float32Array | undefined,
  expected: Float32Array | undefined,
  magnitudes: Float32Array | undefined,
  terms: number,
): void {
  expect(actual?.length).toBe(expected?.length);
  const a = actual ?? new Float32Array(0);
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < a.length; i++) {
    const bound = (terms + 2) * UNIT_ROUNDOFF * (magnitudes?.[i] ?? 0);
    const excess = Math.abs((a[i] ?? 0) - (expected?.[i] ?? 0)) - bound;
    if (!(excess <= worst)) {
      worst = excess;
      worstAt = i;
    }
  }
  // Name the first offending element so a failure says where.
  expect({ worstAt, actual: a[worstAt], expected: expected?.[worstAt] }).toEqual({
    worstAt: -1,
    actual: undefined,
    expected: undefined,
  });
}

/** |actual − expected| ≤ ulps·2⁻²³·|expected| (for kernels whose float32 rounding differs from the reference's). */
export function expectUlpsClose(
  actual: Float32Array | undefined,
  expected: Float32Array | undefined,
  ulps: number,
): void {
  expect(actual?.length).toBe(expected?.length);
  const a = actual ?? new Float32Array(0);
  for (let i = 0; i < a.length; i++) {
    const e = expected?.[i] ?? 0;
    const v = a[i] ?? 0;
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      expect(v).toBe(e);
    } else if (Math.abs(v - e) > ulps * 2 ** -23 * Math.abs(e) + Number.MIN_VALUE) {
      expect({ at: i, actual: v }).toEqual({ at: i, actual: e });
    }
  }
}

export { Random };
