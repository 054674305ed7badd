/**
 * The wasm job protocol's two generated sides agree: for every job kind, the typed encoder that src/backend/wasm
 * calls writes each field where the kernels' decoder (the classes asm/jobs.ts reads jobs through) finds it. The
 * kernels' test hook `protocolEcho` reads a job through those classes and writes its fields back in protocol order.
 * Every field gets a distinct value (codes too, within a job), so a field written to or read from another's word shows
 * up as a mismatch.
 */
import { describe, expect, it } from 'vitest';
import { createMemory, kernelModule, wasmApi } from '../../src/backend/wasm/instance.js';
import {
  A_MODES,
  BINARY_OPS,
  type ConvGeometry,
  type DepthwiseGeometry,
  encodeJob,
  type Job,
  JOB_FIELDS,
  JOB_KINDS,
  OPERAND_MODES,
  type PoolGeometry,
  SPLITS,
  UNARY_OPS,
  type UpSampleGeometry,
} from '../../src/backend/wasm/protocol.generated.js';

let counter = 100;
/** A fresh integer. */
const int = (): number => ++counter;
/** A fresh byte offset above 2³¹, which the job's i32 words hold as negative numbers. */
const ptr = (): number => 3_000_000_000 + ++counter;
/** A fresh float, exactly representable in float32. */
const float = (): number => ++counter + 0.5;
/** A fresh float that float32 cannot hold (so an f64 field read as f32, or one word of it, would differ). */
const double = (): number => ++counter + 0.1;

const conv = (): ConvGeometry => ({
  inHeight: int(),
  inWidth: int(),
  inChannels: int(),
  outHeight: int(),
  outWidth: int(),
  filterHeight: int(),
  filterWidth: int(),
  strideHeight: int(),
  strideWidth: int(),
  dilationHeight: int(),
  dilationWidth: int(),
  padTop: int(),
  padLeft: int(),
});
const pool = (): PoolGeometry => ({
  batch: int(),
  inHeight: int(),
  inWidth: int(),
  channels: int(),
  outHeight: int(),
  outWidth: int(),
  poolHeight: int(),
  poolWidth: int(),
  strideHeight: int(),
  strideWidth: int(),
  padTop: int(),
  padLeft: int(),
});
const depthwise = (): DepthwiseGeometry => ({
  batch: int(),
  inHeight: int(),
  inWidth: int(),
  inChannels: int(),
  channelMultiplier: int(),
  outHeight: int(),
  outWidth: int(),
  filterHeight: int(),
  filterWidth: int(),
  strideHeight: int(),
  strideWidth: int(),
  dilationHeight: int(),
  dilationWidth: int(),
  padTop: int(),
  padLeft: int(),
});
const upSample = (): UpSampleGeometry => ({
  batch: int(),
  inHeight: int(),
  inWidth: int(),
  channels: int(),
  sizeHeight: int(),
  sizeWidth: int(),
});

const jobs: readonly Job[] = [
  {
    kind: 'gemm',
    m: int(),
    n: int(),
    k: int(),
    aMode: A_MODES.im2colT,
    a: ptr(),
    rsA: int(),
    csA: int(),
    b: ptr(),
    rsB: int(),
    csB: int(),
    c: ptr(),
    ldc: int(),
    accumulate: true,
    scratch: ptr(),
    scratchPerPart: ptr(),
    split: SPLITS.columns,
    geometry: conv(),
  },
  {
    kind: 'convDx',
    batch: int(),
    taps: int(),
    outChannels: int(),
    dy: ptr(),
    w: ptr(),
    dx: ptr(),
    blockRows: int(),
    scratch: ptr(),
    scratchPerPart: ptr(),
    pixels: int(),
    imageValues: int(),
    geometry: conv(),
  },
  { kind: 'maxPool', x: ptr(), y: ptr(), geometry: pool() },
  { kind: 'maxPoolGrad', dy: ptr(), x: ptr(), dx: ptr(), geometry: pool() },
  { kind: 'avgPool', x: ptr(), y: ptr(), geometry: pool() },
  { kind: 'avgPoolGrad', dy: ptr(), dx: ptr(), geometry: pool() },
  { kind: 'unary', op: UNARY_OPS.gelu, x: ptr(), out: ptr(), n: int(), param: float() },
  { kind: 'unaryGrad', op: UNARY_OPS.gelu, input: ptr(), dy: ptr(), out: ptr(), n: int(), param: float() },
  {
    kind: 'binary',
    op: BINARY_OPS.greater,
    a: ptr(),
    aMode: OPERAND_MODES.row,
    b: ptr(),
    bMode: OPERAND_MODES.scalar,
    out: ptr(),
    outer: int(),
    inner: int(),
  },
  {
    kind: 'adam',
    w: ptr(),
    g: ptr(),
    m: ptr(),
    v: ptr(),
    n: int(),
    learningRate: float(),
    beta1: float(),
    oneMinusBeta1: float(),
    beta2: float(),
    oneMinusBeta2: float(),
    epsilon: float(),
    biasCorrection1: float(),
    biasCorrection2: float(),
  },
  { kind: 'sum', out: ptr(), partials: ptr(), count: int(), n: int() },
  { kind: 'biasRelu', x: ptr(), bias: ptr(), out: ptr(), rows: int(), channels: int() },
  {
    kind: 'biasReluGrad',
    dy: ptr(),
    y: ptr(),
    dz: ptr(),
    partials: ptr(),
    rows: int(),
    channels: int(),
    blockRows: int(),
  },
  { kind: 'depthwiseExpand', x: ptr(), out: ptr(), n: int(), multiplier: int() },
  { kind: 'depthwise', x: ptr(), w: ptr(), y: ptr(), geometry: depthwise() },
  { kind: 'depthwiseDx', dy: ptr(), w: ptr(), dx: ptr(), scratch: ptr(), scratchPerPart: ptr(), geometry: depthwise() },
  { kind: 'depthwiseDw', x: ptr(), dy: ptr(), partials: ptr(), blockRows: int(), geometry: depthwise() },
  { kind: 'layerNorm', rows: int(), epsilon: double(), cols: int(), x: ptr(), gamma: ptr(), beta: ptr(), y: ptr() },
  {
    kind: 'layerNormGrad',
    rows: int(),
    epsilon: double(),
    cols: int(),
    dy: ptr(),
    x: ptr(),
    gamma: ptr(),
    dx: ptr(),
    stats: ptr(),
  },
  {
    kind: 'layerNormParams',
    dy: ptr(),
    x: ptr(),
    stats: ptr(),
    dGamma: ptr(),
    dBeta: ptr(),
    sums: ptr(),
    rows: int(),
    cols: int(),
  },
  { kind: 'upSample', x: ptr(), y: ptr(), bilinear: true, geometry: upSample() },
  { kind: 'upSampleGrad', dy: ptr(), dx: ptr(), acc: ptr(), bilinear: true, geometry: upSample() },
  { kind: 'copyRows', src: ptr(), dst: ptr(), rows: int(), length: int(), dstStride: int() },
];

/** The plain kernels over a fresh memory: its words, a place for a job and one for the echo, and the hook. */
function kernels(): {
  memory: ArrayBuffer | SharedArrayBuffer;
  job: number;
  out: number;
  echo: (job: number, out: number) => number;
} {
  const { memory } = createMemory(32, false);
  const abort = (): never => {
    throw new Error('a kernel aborted');
  };
  const { exports } = new (wasmApi().Instance)(kernelModule({ shared: false, relaxed: false }), {
    env: { memory, abort },
  });
  const echo: unknown = Reflect.get(exports, 'protocolEcho');
  const heapBase: unknown = Reflect.get(exports, 'heapBase');
  if (typeof echo !== 'function' || typeof heapBase !== 'function')
    throw new Error('the kernels lack protocolEcho or heapBase');
  const job = Number(Reflect.apply(heapBase, undefined, []));
  return {
    memory: memory.buffer,
    job,
    out: job + 1024,
    echo: (at, out) => Number(Reflect.apply(echo, undefined, [at, out])),
  };
}

/** The value a field of `job` was given: an argument, else a geometry field. */
function given(job: Job, field: string): unknown {
  const own: unknown = Reflect.get(job, field);
  return own !== undefined
    ? own
    : 'geometry' in job && job.geometry !== undefined
      ? Reflect.get(job.geometry, field)
      : undefined;
}

describe('wasm job protocol', () => {
  it('covers every job kind', () => {
    expect(new Set(jobs.map((job) => job.kind))).toEqual(new Set(Object.keys(JOB_KINDS)));
  });

  const { memory, job: jobAt, out, echo } = kernels();
  for (const job of jobs) {
    it(`the kernels read each field of a job of kind ${job.kind} as encoded`, () => {
      new Uint8Array(memory, out, 1024).fill(0);
      encodeJob(new Int32Array(memory), jobAt / 4, job);
      const fields = JOB_FIELDS[job.kind];
      const words = fields.reduce((sum, [, size]) => sum + size, 0);
      expect(echo(jobAt, out)).toBe(words);
      const data = new DataView(memory, out, words * 4);
      let i = 0;
      for (const [field, size] of fields) {
        const value = given(job, field);
        const at = i * 4;
        const read =
          size === 2
            ? data.getFloat64(at, true)
            : typeof value === 'boolean'
              ? data.getInt32(at, true) === 1
              : typeof value === 'number' && !Number.isInteger(value)
                ? data.getFloat32(at, true)
                : typeof value === 'number' && value >= 2 ** 31
                  ? data.getUint32(at, true)
                  : data.getInt32(at, true);
        expect({ field, read }).toEqual({ field, read: value });
        i += size;
      }
    });
  }

  it('reports a job of no known kind', () => {
    new Int32Array(memory, jobAt, 1)[0] = 0;
    expect(echo(jobAt, out)).toBe(-1);
  });
});
