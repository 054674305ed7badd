/**
 * Instantiates the AssemblyScript kernels (asm/, compiled into kernels-binary.ts) over a JS-owned memory.
 *
 * The core is built without DOM or Node types, so the WebAssembly API is described here by the little this backend
 * uses and found on globalThis at run time. Every kernel takes byte offsets into that memory and numbers.
 */
import { decodeBase64 } from './base64.js';
import { kernelsBase64 } from './kernels-binary.js';

export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /** Grows by `pages` of 64 KiB; returns the old size in pages. Detaches (or, if shared, outdates) old buffers. */
  grow(pages: number): number;
}

interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
}

function isWasmApi(value: unknown): value is WasmApi {
  return typeof value === 'object' && value !== null && 'Memory' in value && typeof value.Memory === 'function'
    && 'Module' in value && typeof value.Module === 'function' && 'Instance' in value && typeof value.Instance === 'function';
}

/** The host's WebAssembly namespace, or an error naming what is missing. */
function wasmApi(): WasmApi {
  const api: unknown = Reflect.get(globalThis, 'WebAssembly');
  if (!isWasmApi(api)) throw new Error('wasm backend: this JavaScript runtime has no WebAssembly support');
  return api;
}

export const PAGE_BYTES = 65536;

/** Creates the single memory every kernel and storage of one backend lives in (not shared yet: threads come later). */
export function createMemory(initialPages: number): WasmMemory {
  return new (wasmApi().Memory)({ initial: initialPages });
}

// How gemm reads A (mirrors asm/gemm.ts).
export const A_STRIDED = 0;
export const A_IM2COL = 1;
export const A_IM2COL_T = 2;

/** The exported kernels; see asm/ for what each computes. Pointers are byte offsets, booleans 0 or 1. */
export interface Kernels {
  heapBase(): number;
  gemmWorkspaceBytes(m: number, n: number, k: number): number;
  gemm(m: number, n: number, k: number, aMode: number, a: number, rsA: number, csA: number, b: number, rsB: number,
    csB: number, c: number, ldc: number, accumulate: number, work: number): void;
  setConvGeometry(h: number, w: number, c: number, oh: number, ow: number, kh: number, kw: number, sh: number,
    sw: number, dh: number, dw: number, pt: number, pl: number): void;
  col2im(dcols: number, rowStart: number, rowCount: number, dx: number): void;
  unary(op: number, x: number, out: number, n: number, param: number): void;
  unaryGrad(op: number, x: number, dy: number, out: number, n: number, param: number): void;
  binary(op: number, a: number, aMode: number, b: number, bMode: number, out: number, outer: number, inner: number): void;
  clip(x: number, out: number, n: number, lo: number, hi: number): void;
  reduce(op: number, x: number, out: number, outer: number, mid: number, inner: number): void;
  setPoolGeometry(n: number, h: number, w: number, c: number, oh: number, ow: number, ph: number, pw: number,
    sh: number, sw: number, pt: number, pl: number): void;
  maxPool(x: number, y: number): void;
  maxPoolBackprop(dy: number, x: number, dx: number): void;
  avgPool(x: number, y: number): void;
  avgPoolBackprop(dy: number, dx: number): void;
  moments(x: number, rows: number, channels: number, mean: number, variance: number, scratch: number): void;
  batchNorm(x: number, rows: number, channels: number, mean: number, variance: number, gamma: number, beta: number,
    epsilon: number, y: number, scratch: number): void;
  batchNormGrad(dy: number, x: number, rows: number, channels: number, mean: number, variance: number, gamma: number,
    epsilon: number, dx: number, dGamma: number, dBeta: number, scratch: number): void;
  softmax(x: number, rows: number, cols: number, out: number, log: number): void;
}

type Exported = (...args: number[]) => number;

function isFunction(value: unknown): value is Exported {
  return typeof value === 'function';
}

let compiled: object | null = null;

/**
 * Instantiates the kernels over `memory`. The module is compiled once per process; each further instance (one per
 * backend now, one per worker thread later) shares it.
 */
export function instantiateKernels(memory: WasmMemory): Kernels {
  const api = wasmApi();
  compiled ??= new api.Module(decodeBase64(kernelsBase64));
  const abort = (): never => {
    throw new Error('wasm backend: a kernel aborted');
  };
  const { exports } = new api.Instance(compiled, { env: { memory, abort } });
  const get = (name: keyof Kernels): Exported => {
    const value: unknown = name in exports ? Reflect.get(exports, name) : undefined;
    if (!isFunction(value)) throw new Error(`wasm backend: the kernel module does not export '${name}'; rebuild it with \`npm run build:wasm\``);
    return value;
  };
  return {
    heapBase: get('heapBase'), gemmWorkspaceBytes: get('gemmWorkspaceBytes'), gemm: get('gemm'),
    setConvGeometry: get('setConvGeometry'), col2im: get('col2im'), unary: get('unary'), unaryGrad: get('unaryGrad'),
    binary: get('binary'), clip: get('clip'), reduce: get('reduce'), setPoolGeometry: get('setPoolGeometry'),
    maxPool: get('maxPool'), maxPoolBackprop: get('maxPoolBackprop'), avgPool: get('avgPool'),
    avgPoolBackprop: get('avgPoolBackprop'), moments: get('moments'), batchNorm: get('batchNorm'),
    batchNormGrad: get('batchNormGrad'), softmax: get('softmax'),
  };
}
