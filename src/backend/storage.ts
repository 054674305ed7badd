/**
 * Where a tensor's float32 values live.
 *
 * A Storage is owned by the backend that allocated it. Kernels receive Storages, never raw arrays, so that a backend
 * can keep values wherever its kernels run: the `js` backend keeps a Float32Array on the JS heap; a WebAssembly
 * backend keeps a byte offset into its (possibly shared) `WebAssembly.Memory` and passes that offset to its kernels,
 * so no value is copied between the JS heap and wasm memory per op.
 *
 * `view()` returns a Float32Array over the values, to be used at once and not kept: growing a WebAssembly.Memory
 * replaces `memory.buffer` (the old one is detached, or for shared memory keeps its old length), so a view taken
 * before an allocation may be stale after it. Storage implementations re-derive the view when the buffer changed.
 */
export interface Storage {
  /** Number of float32 elements. */
  readonly length: number;
  /** A view over the elements, valid until the backend's next allocation. Writes go straight to the storage. */
  view(): Float32Array;
}

/** Storage on the JS heap: the reference backend's, and a fine default for any backend's constants. */
export class HeapStorage implements Storage {
  constructor(private readonly values: Float32Array) {}

  get length(): number {
    return this.values.length;
  }

  view(): Float32Array {
    return this.values;
  }
}
