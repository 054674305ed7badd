/**
 * Wasm storages and the bookkeeping around them: each storage is a byte offset and a length in the backend's one
 * WebAssembly.Memory, handed to kernels as the offset, so tensors are read and written in place.
 */
import type { Storage } from '../storage.js';
import { WasmHeap } from './heap.js';
import {
  createMemory,
  instantiateKernels,
  type KernelBuild,
  type Kernels,
  kernelModule,
  relaxedSimdSupported,
} from './instance.js';
import { CONTROL_BYTES } from './protocol.generated.js';
import { ThreadPool } from './threads.js';

/** A block of float32 values inside wasm memory. */
export class WasmStorage implements Storage {
  private cached: Float32Array | null = null;
  private at: number;

  constructor(
    private readonly arena: WasmArena,
    offset: number,
    readonly length: number,
  ) {
    this.at = offset;
  }

  /** Byte offset of the first value; throws once the storage has been freed. */
  get offset(): number {
    if (this.at < 0) throw new Error('wasm backend: this storage was freed; its tensor was disposed');
    return this.at;
  }

  get freed(): boolean {
    return this.at < 0;
  }

  belongsTo(arena: WasmArena): boolean {
    return this.arena === arena;
  }

  /** Re-created whenever memory.buffer changed, since growing the memory detaches (or outdates) the old buffer. */
  view(): Float32Array {
    const buffer = this.arena.memory.buffer;
    if (this.cached?.buffer !== buffer) this.cached = new Float32Array(buffer, this.offset, this.length);
    return this.cached;
  }

  /** Marks the storage freed (called by its arena). */
  invalidate(): void {
    this.at = -1;
    this.cached = null;
  }
}

interface Block {
  readonly offset: number;
  readonly length: number;
}

/**
 * The memory, the kernel instance, the allocator and the thread pool of one wasm backend, plus the storage
 * accounting the Backend interface asks for. Storages that are garbage-collected without being freed return their
 * block too. The memory is shared whenever the host allows, so threads can be turned on at any time.
 */
export class WasmArena {
  readonly kernels: Kernels;
  readonly pool: ThreadPool;
  /** Which build of the kernels runs: shared memory or not, relaxed SIMD (fused multiply-adds) or not. */
  readonly build: KernelBuild;
  private readonly heap: WasmHeap;
  private storageBytes = 0;
  private readonly orphans = new FinalizationRegistry<Block>((block) => this.release(block));

  /**
   * `threads`: threads to start with (default: setThreads' choice, else the cores available). `relaxedSimd`: use the
   * relaxed-SIMD build (default: whenever the host supports it).
   */
  constructor(initialPages: number, threads?: number, relaxedSimd?: boolean) {
    const { memory, shared } = createMemory(initialPages, true);
    const supported = relaxedSimdSupported();
    if (relaxedSimd === true && !supported) {
      throw new Error(
        'wasm backend: `relaxedSimd: true` was asked for, but this host does not support WebAssembly relaxed SIMD' +
          ' (in Node 20, call enableRelaxedSimd() from cnnlab/node first)',
      );
    }
    this.build = { shared, relaxed: relaxedSimd ?? supported };
    this.kernels = instantiateKernels(memory, this.build);
    this.heap = new WasmHeap(memory, this.kernels.heapBase());
    // The control block is the first allocation, so it lies below any growth of the memory.
    const ctl = this.heap.alloc(CONTROL_BYTES);
    new Uint8Array(memory.buffer, ctl, CONTROL_BYTES).fill(0);
    this.pool = new ThreadPool(memory, this.kernels, ctl, shared ? kernelModule(this.build) : null, threads);
  }

  get memory(): WasmHeap['memory'] {
    return this.heap.memory;
  }

  /** A storage whose values are whatever the block held: for kernel outputs that write every element. */
  allocRaw(length: number): WasmStorage {
    const storage = new WasmStorage(this, this.heap.alloc(length * 4), length);
    this.storageBytes += length * 4;
    this.orphans.register(storage, { offset: storage.offset, length }, storage);
    return storage;
  }

  allocZeroed(length: number): WasmStorage {
    const storage = this.allocRaw(length);
    storage.view().fill(0);
    return storage;
  }

  /** A storage holding a copy of `values` (how results of the js reference kernels come in). */
  adopt(values: ArrayLike<number>): WasmStorage {
    const storage = this.allocRaw(values.length);
    storage.view().set(values);
    return storage;
  }

  free(storage: Storage): void {
    // Freeing twice, or a foreign storage, is ignored, as in the js backend.
    if (!(storage instanceof WasmStorage) || !storage.belongsTo(this) || storage.freed) return;
    const offset = storage.offset;
    this.orphans.unregister(storage);
    storage.invalidate();
    this.release({ offset, length: storage.length });
  }

  private release(block: Block): void {
    this.heap.free(block.offset, block.length * 4);
    this.storageBytes -= block.length * 4;
  }

  /** Bytes held by live storages (4 per value, as the js backend counts); scratch space is not included. */
  bytesInUse(): number {
    return this.storageBytes;
  }

  heapStats(): ReturnType<WasmHeap['stats']> {
    return this.heap.stats();
  }

  /**
   * The offset of a storage of this backend, checking its length: kernels index raw memory, so a wrong length
   * would read a neighbour's values instead of failing.
   */
  offsetOf(storage: Storage, what: string, expectedLength: number): number {
    if (!(storage instanceof WasmStorage) || !storage.belongsTo(this)) {
      throw new Error(`wasm backend: ${what} is not a storage of this wasm backend (tensors cannot mix backends)`);
    }
    if (storage.length !== expectedLength) {
      throw new Error(`wasm backend: ${what} must hold ${expectedLength} values, received ${storage.length}`);
    }
    return storage.offset;
  }

  /** Runs fn with a scratch block of `bytes` bytes (16-byte aligned, contents undefined), freed afterwards. */
  withScratch<T>(bytes: number, fn: (offset: number) => T): T {
    const offset = this.heap.alloc(bytes);
    try {
      return fn(offset);
    } finally {
      this.heap.free(offset, bytes);
    }
  }
}
