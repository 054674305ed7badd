/**
 * Instantiates the AssemblyScript kernels (asm/, compiled into kernels-binary.ts) over a JS-owned memory.
 *
 * The core is built without DOM or Node types, so the WebAssembly API is described here by the little this backend
 * uses and found on globalThis at run time. Every kernel takes byte offsets into that memory and numbers.
 */
import { decodeBase64 } from './base64.js';
import {
  kernelsBase64,
  kernelsRelaxedBase64,
  kernelsSharedBase64,
  kernelsSharedRelaxedBase64,
  SHARED_MAXIMUM_PAGES,
} from './kernels-binary.js';

export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  /** Grows by `pages` of 64 KiB; returns the old size in pages. Detaches (or, if shared, outdates) old buffers. */
  grow(pages: number): number;
}

export interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
  validate(bytes: Uint8Array): boolean;
}

function isWasmApi(value: unknown): value is WasmApi {
  return (
    typeof value === 'object' &&
    value !== null &&
    'Memory' in value &&
    typeof value.Memory === 'function' &&
    'Module' in value &&
    typeof value.Module === 'function' &&
    'Instance' in value &&
    typeof value.Instance === 'function' &&
    'validate' in value &&
    typeof value.validate === 'function'
  );
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
      return {
        memory: new api.Memory({ initial: initialPages, maximum: SHARED_MAXIMUM_PAGES, shared: true }),
        shared: true,
      };
    } catch {
      // Not cross-origin isolated, or shared memories are disabled: one thread it is.
    }
  }
  return { memory: new api.Memory({ initial: initialPages }), shared: false };
}

/** The exported kernels; see asm/ for what each computes. Pointers are byte offsets, booleans 0 or 1. */
export interface Kernels {
  heapBase(): number;
  gemmWorkspaceBytes(m: number, n: number, k: number): number;
  /** Claims and runs parts of the job in the control block at `ctl` (asm/jobs.ts); returns how many it ran. */
  work(ctl: number, thread: number): number;
  clip(x: number, out: number, n: number, lo: number, hi: number): void;
  reduce(op: number, x: number, out: number, outer: number, mid: number, inner: number): void;
  moments(x: number, rows: number, channels: number, mean: number, variance: number, scratch: number): void;
  batchNorm(
    x: number,
    rows: number,
    channels: number,
    mean: number,
    variance: number,
    gamma: number,
    beta: number,
    epsilon: number,
    y: number,
    scratch: number,
  ): void;
  batchNormGrad(
    dy: number,
    x: number,
    rows: number,
    channels: number,
    mean: number,
    variance: number,
    gamma: number,
    epsilon: number,
    dx: number,
    dGamma: number,
    dBeta: number,
    scratch: number,
  ): void;
  softmax(x: number, rows: number, cols: number, out: number, log: number): void;
  /** Bytes of scratch one part of a depthwiseDx job needs (asm/depthwise.ts). */
  depthwiseDxScratchBytes(filterHeight: number, filterWidth: number, inWidth: number, channels: number): number;
}

type Exported = (...args: number[]) => number;

function isFunction(value: unknown): value is Exported {
  return typeof value === 'function';
}

/** `(v128, v128, v128) → v128` computing f32x4.relaxed_madd: a host that validates it runs relaxed SIMD. */
const RELAXED_SIMD_PROBE = new Uint8Array([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00, // magic, version
  0x01,
  0x08,
  0x01,
  0x60,
  0x03,
  0x7b,
  0x7b,
  0x7b,
  0x01,
  0x7b, // type section: one func type
  0x03,
  0x02,
  0x01,
  0x00, // function section: one function of type 0
  0x0a,
  0x0d,
  0x01,
  0x0b,
  0x00,
  0x20,
  0x00,
  0x20,
  0x01,
  0x20,
  0x02,
  0xfd,
  0x85,
  0x02,
  0x0b, // local.get ×3, relaxed_madd
]);

/**
 * Whether this host runs WebAssembly relaxed SIMD (Chrome 114+, Firefox 120+, Node 22+; Node 20 after
 * `enableRelaxedSimd()` from cnnlab/node). Asked afresh each time: Node can turn it on after startup.
 */
export function relaxedSimdSupported(): boolean {
  return wasmApi().validate(RELAXED_SIMD_PROBE);
}

/** Which compiled build of the kernels: over a shared memory or not, with relaxed SIMD or not. */
export interface KernelBuild {
  readonly shared: boolean;
  readonly relaxed: boolean;
}

const compiled = new Map<string, object>();

/** The compiled kernel module of one build, compiled once per process (worker threads are sent it). */
export function kernelModule(build: KernelBuild): object {
  const key = `${build.shared ? 'shared' : 'plain'}${build.relaxed ? '-relaxed' : ''}`;
  let module = compiled.get(key);
  if (module === undefined) {
    const base64 = build.shared
      ? build.relaxed
        ? kernelsSharedRelaxedBase64
        : kernelsSharedBase64
      : build.relaxed
        ? kernelsRelaxedBase64
        : kernelsBase64;
    module = new (wasmApi().Module)(decodeBase64(base64));
    compiled.set(key, module);
  }
  return module;
}

/** Instantiates a build of the kernels over `memory` (`build.shared` as the memory was created). */
export function instantiateKernels(memory: WasmMemory, build: KernelBuild): Kernels {
  const api = wasmApi();
  const abort = (): never => {
    throw new Error('wasm backend: a kernel aborted');
  };
  const { exports } = new api.Instance(kernelModule(build), { env: { memory, abort } });
  const get = (name: keyof Kernels): Exported => {
    const value: unknown = name in exports ? Reflect.get(exports, name) : undefined;
    if (!isFunction(value))
      throw new Error(
        `wasm backend: the kernel module does not export '${name}'; rebuild it with \`npm run build:wasm\``,
      );
    return value;
  };
  return {
    heapBase: get('heapBase'),
    gemmWorkspaceBytes: get('gemmWorkspaceBytes'),
    work: get('work'),
    clip: get('clip'),
    reduce: get('reduce'),
    moments: get('moments'),
    batchNorm: get('batchNorm'),
    batchNormGrad: get('batchNormGrad'),
    softmax: get('softmax'),
    depthwiseDxScratchBytes: get('depthwiseDxScratchBytes'),
  };
}
