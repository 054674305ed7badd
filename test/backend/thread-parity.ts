/**
 * Shared by the thread tests: runs a kernel on several wasm backends (different thread counts) and compares the
 * outputs' raw bits, so −0 and NaN payloads count too.
 */
import { expect } from 'vitest';
import type { Backend } from '../../src/backend/backend.js';
import type { Storage } from '../../src/backend/storage.js';
import type { WasmBackend } from '../../src/backend/wasm/index.js';
import { Random } from '../../src/random.js';

export type ThreadKernel = (b: Backend, s: Storage[]) => Storage | Storage[];

/** Uniform values in [−1, 1), seeded. */
export function values(length: number, seed: number): Float32Array {
  const random = new Random(seed);
  return Float32Array.from({ length }, () => random.uniform(-1, 1));
}

/** The kernel's outputs on a backend, as raw bits. */
export function bitsOn(backend: Backend, inputs: readonly Float32Array[], kernel: ThreadKernel): Uint32Array[] {
  const storages = inputs.map((v) => backend.fromValues(v));
  const result = kernel(backend, storages);
  const outputs = Array.isArray(result) ? result : [result];
  // In-place kernels (Adam) return their inputs: compare those too.
  const copies = outputs.map((s) => new Uint32Array(s.view().slice().buffer));
  for (const s of new Set([...storages, ...outputs])) backend.free(s);
  return copies;
}

/** Index of the first element where two bit patterns differ, or −1 (a deep toEqual on big arrays is slow). */
export function firstDifference(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** The kernel gives the same bits on each of `others` as on `reference`. */
export function expectSameBits(
  reference: Backend,
  others: readonly WasmBackend[],
  inputs: readonly Float32Array[],
  kernel: ThreadKernel,
): void {
  const expected = bitsOn(reference, inputs, kernel);
  for (const backend of others) {
    const actual = bitsOn(backend, inputs, kernel);
    expect(actual.length).toBe(expected.length);
    actual.forEach((bits, i) =>
      expect(
        firstDifference(bits, expected[i] ?? new Uint32Array(0)),
        `output ${i} on ${backend.threads} threads`,
      ).toBe(-1),
    );
  }
}
