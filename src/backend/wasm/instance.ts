/**
 * Instantiates the AssemblyScript kernels (asm/, compiled into kernels-binary.ts) over a JS-owned memory.
 *
 * The core is built without DOM or Node types, so the WebAssembly API is described here by the little this backend
 * uses and found on globalThis at run time. Every kernel takes byte offsets into that memory and numbers.
 */
import { decodeBase64 } from './base64.js';
import { kernelsBase64, kernelsSharedBase64, SHARED_MAXIMUM_PAGES } from './kernels-binary.js';

export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /** Grows by `pages` of 64 KiB; returns the old size in pages. Detaches (or, if shared, outdates) old buffers. */
  grow(pages: number): number;
}

export interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
}

function isWasmApi(value: unknown): value is WasmApi {
  return typeof value === 'object' && value !== null && 'Memory' in value && typeof value.Memory === 'function'
    && 'Module' in value && typeof value.Module === 'function' && 'Instance' in value && typeof value.Instance === 'function';
}

/** The host's WebAssembly namespace, or an error naming what is missing. */
export function wasmApi(): WasmApi {
  const api: unknown = Reflect.get(globalThis, 'WebAssembly');
  if (!isWasmApi(api)) throw new Error('wasm backend: this JavaScript runtime has no WebAssembly support');
  return api;
}

export const PAGE_BYTES = 65536;

/**
 * Creates the single memory every kernel and storage of one backend lives in: shared (so worker threads can run
 * kernels on it) when `shared` and the host allows it, else unshared. Returns the memory and whether it is shared.
 * Shared memory needs SharedArrayBuffer, which browsers give only to cross-origin-isolated pages.
 */
export function createMemory(initialPages: number, shared: boolean): { memory: WasmMemory; shared: boolean } {
  const api = wasmApi();
  if (shared && typeof Reflect.get(globalThis, 'SharedArrayBuffer') === 'function') {
    try {
      return { memory: new api.Memory({ initial: initialPages, maximum: SHARED_MAXIMUM_PAGES, shared: true }), shared: true };
    } catch {
      // Not cross-origin isolated, or shared memories are disabled: one thread it is.
    }
  }
  return { memory: new api.Memory({ initial: initialPages }), shared: false };
}

// How gemm reads A (mirrors asm/gemm.ts).
export const A_STRIDED = 0;
export const A_IM2COL = 1;
export const A_IM2COL_T = 2;

/** The exported kernels; see asm/ for what each computes. Pointers are byte offsets, booleans 0 or 1. */
export interface Kernels {
  heapBase(): number;
  gemmWorkspaceBytes(m: number, n: number, k: number): number;
  /** Claims and runs parts of the job in the control block at `ctl` (asm/jobs.ts); returns how many it ran. */
  work(ctl: number, thread: number): number;
  clip(x: number, out: number, n: number, lo: number, hi: number): void;
  reduce(op: number, x: number, out: number, outer: number, mid: number, inner: number): void;
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

const compiled: { plain?: object; shared?: object } = {};

/** The compiled kernel module for an unshared or a shared memory, compiled once per process (worker threads get it too). */
export function kernelModule(shared: boolean): object {
  const api = wasmApi();
  if (shared) return compiled.shared ??= new api.Module(decodeBase64(kernelsSharedBase64));
  return compiled.plain ??= new api.Module(decodeBase64(kernelsBase64));
}

/** Instantiates the kernels over `memory` (shared or not, as the memory was created). */
export function instantiateKernels(memory: WasmMemory, shared: boolean): Kernels {
  const api = wasmApi();
  const abort = (): never => {
    throw new Error('wasm backend: a kernel aborted');
  };
  const { exports } = new api.Instance(kernelModule(shared), { env: { memory, abort } });
  const get = (name: keyof Kernels): Exported => {
    const value: unknown = name in exports ? Reflect.get(exports, name) : undefined;
    if (!isFunction(value)) throw new Error(`wasm backend: the kernel module does not export '${name}'; rebuild it with \`npm run build:wasm\``);
    return value;
  };
  return {
    heapBase: get('heapBase'), gemmWorkspaceBytes: get('gemmWorkspaceBytes'), work: get('work'), clip: get('clip'),
    reduce: get('reduce'), moments: get('moments'), batchNorm: get('batchNorm'), batchNormGrad: get('batchNormGrad'),
    softmax: get('softmax'),
  };
}
