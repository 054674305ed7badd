/**
 * Elementwise kernels and reductions on wasm memory. The SIMD kernels (asm/elementwise.ts, asm/transcendental.ts,
 * asm/reduce.ts) cover the hot cases: the unary ops below (the activations included), binary ops whose broadcast is
 * "full / row / column / scalar" over one split of the output into [outer, inner], and reductions over one contiguous
 * block of axes. Large elementwise passes split across threads. Everything else runs the js reference on the
 * storages' views and copies the result in.
 */
import { type Shape, sizeOf } from '../../shape.js';
import type { BinaryOp, ReduceOp, UnaryOp } from '../backend.js';
import * as reference from '../js/elementwise.js';
import { reduce as referenceReduce } from '../js/reduce.js';
import type { Storage } from '../storage.js';
import {
  BINARY_OPS,
  type BinaryCode,
  OPERAND_MODES,
  type OperandMode,
  REDUCE_OPS,
  UNARY_GRAD_OPS,
  UNARY_OPS,
  type UnaryCode,
} from './protocol.generated.js';
import type { WasmArena, WasmStorage } from './storage.js';
import { PARTS_PER_THREAD } from './threads.js';

// The kernels' op codes (asm/protocol.json), keyed by the backend's op names: an op missing here runs the reference.
const UNARY: Partial<Record<UnaryOp, UnaryCode>> = UNARY_OPS;
const UNARY_GRAD: Partial<Record<UnaryOp, UnaryCode>> = Object.fromEntries(
  UNARY_GRAD_OPS.map((op) => [op, UNARY_OPS[op]]),
);
/**
 * Ops whose gradient kernel reads y = f(x) in place of x, as the reference's derivative does (exp: y, sigmoid:
 * y(1 − y), tanh: 1 − y², elu and selu: y + α where x ≤ 0). elu tells x > 0 by y > 0, true only for alpha ≥ 0.
 */
const GRAD_READS_Y: ReadonlySet<UnaryOp> = new Set<UnaryOp>(['exp', 'sigmoid', 'tanh', 'elu', 'selu']);
const BINARY: Partial<Record<BinaryOp, BinaryCode>> = BINARY_OPS;
const REDUCE: Record<ReduceOp, number> = REDUCE_OPS;

/**
 * Rows per block of biasReluGrad's column sums: fixed, not per thread, so the bias gradient has the same bits on
 * any number of threads. 256 rows of the brief's first conv (32 channels) are 32 KiB of dy.
 */
const BIAS_GRAD_BLOCK_ROWS = 256;

/** Elements below which a part is not worth waking a thread for. */
const MIN_ELEMENTS_PER_PART = 1 << 16;

/** Parts for a pass over `elements` values: a few per thread, fewer for small arrays. */
export function elementParts(arena: WasmArena, elements: number): number {
  const threads = arena.pool.threads;
  const most = threads === 1 ? 1 : threads * PARTS_PER_THREAD;
  return Math.max(1, Math.min(most, Math.floor(elements / MIN_ELEMENTS_PER_PART)));
}

export function unary(arena: WasmArena, op: UnaryOp, x: Storage, param: number): WasmStorage {
  const code = UNARY[op];
  if (code === undefined) return arena.adopt(reference.unary(op, x.view(), param));
  const xAt = arena.offsetOf(x, `unary '${op}': x`, x.length);
  const out = arena.allocRaw(x.length);
  arena.pool.run(
    { kind: 'unary', op: code, x: xAt, out: out.offset, n: x.length, param },
    elementParts(arena, x.length),
  );
  return out;
}

export function unaryGrad(
  arena: WasmArena,
  op: UnaryOp,
  x: Storage,
  y: Storage,
  dy: Storage,
  param: number,
): WasmStorage {
  const code = UNARY_GRAD[op];
  if (code === undefined || (op === 'elu' && !(param >= 0))) {
    return arena.adopt(reference.unaryGrad(op, x.view(), y.view(), dy.view(), param));
  }
  const readsY = GRAD_READS_Y.has(op);
  const inputAt = arena.offsetOf(readsY ? y : x, `unaryGrad '${op}': ${readsY ? 'y' : 'x'}`, x.length);
  const dyAt = arena.offsetOf(dy, `unaryGrad '${op}': dy`, x.length);
  const out = arena.allocRaw(x.length);
  arena.pool.run(
    { kind: 'unaryGrad', op: code, input: inputAt, dy: dyAt, out: out.offset, n: x.length, param },
    elementParts(arena, x.length),
  );
  return out;
}

interface BroadcastPlan {
  readonly outer: number;
  readonly inner: number;
  readonly aMode: OperandMode;
  readonly bMode: OperandMode;
}

/** How an operand of (right-aligned) shape `own` is read when the output splits at axis `split`, if it can be. */
function modeAt(own: Shape, out: Shape, split: number): OperandMode | null {
  const matches = (from: number, to: number): boolean => own.slice(from, to).every((d, i) => d === out[from + i]);
  const ones = (from: number, to: number): boolean => own.slice(from, to).every((d) => d === 1);
  const rank = out.length;
  if (matches(0, split) && matches(split, rank)) return OPERAND_MODES.full;
  if (ones(0, split) && ones(split, rank)) return OPERAND_MODES.scalar;
  if (ones(0, split) && matches(split, rank)) return OPERAND_MODES.row;
  if (matches(0, split) && ones(split, rank)) return OPERAND_MODES.column;
  return null;
}

/** The outermost split of the output at which both operands have a mode (the longest inner loop), or null. */
export function planBroadcast(aShape: Shape, bShape: Shape, outShape: Shape): BroadcastPlan | null {
  const rank = outShape.length;
  const align = (shape: Shape): number[] => [...new Array<number>(rank - shape.length).fill(1), ...shape];
  const a = align(aShape);
  const b = align(bShape);
  for (let split = 0; split <= rank; split++) {
    const aMode = modeAt(a, outShape, split);
    const bMode = modeAt(b, outShape, split);
    if (aMode !== null && bMode !== null) {
      return { outer: sizeOf(outShape.slice(0, split)), inner: sizeOf(outShape.slice(split)), aMode, bMode };
    }
  }
  return null;
}

export function binary(
  arena: WasmArena,
  op: BinaryOp,
  a: Storage,
  aShape: Shape,
  b: Storage,
  bShape: Shape,
  outShape: Shape,
): WasmStorage {
  const code = BINARY[op];
  const plan = planBroadcast(aShape, bShape, outShape);
  if (code === undefined || plan === null) {
    return arena.adopt(reference.binary(op, a.view(), aShape, b.view(), bShape, outShape));
  }
  const aAt = arena.offsetOf(a, `binary '${op}': a`, sizeOf(aShape));
  const bAt = arena.offsetOf(b, `binary '${op}': b`, sizeOf(bShape));
  const out = arena.allocRaw(sizeOf(outShape));
  if (out.length > 0) runBinary(arena, code, aAt, plan.aMode, bAt, plan.bMode, out.offset, plan.outer, plan.inner);
  return out;
}

/** The binary kernel over [outer, inner], split by outer rows. */
function runBinary(
  arena: WasmArena,
  code: BinaryCode,
  a: number,
  aMode: OperandMode,
  b: number,
  bMode: OperandMode,
  out: number,
  outer: number,
  inner: number,
): void {
  const parts = Math.min(elementParts(arena, outer * inner), outer);
  arena.pool.run({ kind: 'binary', op: code, a, aMode, b, bMode, out, outer, inner }, parts);
}

/** x: [rows, channels] + bias: [channels], the binary kernel with bias read as a row. */
export function biasAdd(arena: WasmArena, x: Storage, bias: Storage, channels: number): WasmStorage {
  const xAt = arena.offsetOf(x, 'biasAdd: x', x.length);
  const biasAt = arena.offsetOf(bias, 'biasAdd: bias', channels);
  const out = arena.allocRaw(x.length);
  if (x.length > 0) {
    runBinary(
      arena,
      BINARY_OPS.add,
      xAt,
      OPERAND_MODES.full,
      biasAt,
      OPERAND_MODES.row,
      out.offset,
      x.length / channels,
      channels,
    );
  }
  return out;
}

/** relu(x + bias) over x: [rows, channels], split by rows. */
export function biasRelu(arena: WasmArena, x: Storage, bias: Storage, channels: number): WasmStorage {
  const xAt = arena.offsetOf(x, 'biasRelu: x', x.length);
  const biasAt = arena.offsetOf(bias, 'biasRelu: bias', channels);
  const out = arena.allocRaw(x.length);
  const rows = x.length / channels;
  if (x.length > 0) {
    arena.pool.run(
      { kind: 'biasRelu', x: xAt, bias: biasAt, out: out.offset, rows, channels },
      Math.min(elementParts(arena, x.length), rows),
    );
  }
  return out;
}

/** dz = dy where y > 0, and dBias = Σ_rows dz: column sums per fixed block of rows, then the blocks added in order. */
export function biasReluGrad(arena: WasmArena, dy: Storage, y: Storage, channels: number): [WasmStorage, WasmStorage] {
  const dyAt = arena.offsetOf(dy, 'biasReluGrad: dy', dy.length);
  const yAt = arena.offsetOf(y, 'biasReluGrad: y', dy.length);
  const dz = arena.allocRaw(dy.length);
  const dBias = arena.allocZeroed(channels);
  const rows = channels === 0 ? 0 : dy.length / channels;
  const blocks = Math.ceil(rows / BIAS_GRAD_BLOCK_ROWS);
  if (blocks > 0 && channels > 0) {
    arena.withScratch(blocks * channels * 4, (partials) => {
      arena.pool.run(
        {
          kind: 'biasReluGrad',
          dy: dyAt,
          y: yAt,
          dz: dz.offset,
          partials,
          rows,
          channels,
          blockRows: BIAS_GRAD_BLOCK_ROWS,
        },
        Math.min(elementParts(arena, dy.length), blocks),
      );
      arena.pool.run({ kind: 'sum', out: dBias.offset, partials, count: blocks, n: channels }, 1);
    });
  }
  return [dz, dBias];
}

export function clip(arena: WasmArena, x: Storage, lo: number, hi: number): WasmStorage {
  const xAt = arena.offsetOf(x, 'clip: x', x.length);
  const out = arena.allocRaw(x.length);
  arena.kernels.clip(xAt, out.offset, x.length, lo, hi);
  return out;
}

/**
 * x viewed as [outer, mid, inner] with `axes` the mid block, or null when the reduced axes are not contiguous.
 * Axes of size 1 are ignored: they change no offsets.
 */
export function planReduce(
  shape: Shape,
  axes: readonly number[],
): { outer: number; mid: number; inner: number } | null {
  const reduced = shape.map((dim, axis) => dim !== 1 && axes.includes(axis));
  const kept = shape.map((dim, axis) => dim !== 1 && !axes.includes(axis));
  const first = reduced.indexOf(true);
  if (first === -1) return { outer: 1, mid: 1, inner: sizeOf(shape) };
  const last = reduced.lastIndexOf(true);
  if (kept.slice(first, last + 1).some((k) => k)) return null;
  return {
    outer: sizeOf(shape.slice(0, first)),
    mid: sizeOf(shape.slice(first, last + 1)),
    inner: sizeOf(shape.slice(last + 1)),
  };
}

export function reduce(arena: WasmArena, op: ReduceOp, x: Storage, shape: Shape, axes: readonly number[]): WasmStorage {
  const plan = planReduce(shape, axes);
  if (plan === null) return arena.adopt(referenceReduce(op, x.view(), shape, axes));
  const xAt = arena.offsetOf(x, `reduce '${op}': x`, sizeOf(shape));
  const out = arena.allocRaw(plan.outer * plan.inner);
  if (out.length > 0) arena.kernels.reduce(REDUCE[op], xAt, out.offset, plan.outer, plan.mid, plan.inner);
  return out;
}
