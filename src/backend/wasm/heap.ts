/**
 * The wasm backend's allocator: hands out 16-byte-aligned byte ranges of one WebAssembly.Memory.
 *
 * Blocks come in size classes (exact multiples of 16 bytes up to 1 KiB, then four classes per power of two, so at
 * most 25% is wasted); a freed block goes on its class's free list and is reused by the next request of that class,
 * which is what a training loop does every step. A freed block at the top of the heap lowers the top instead.
 * The memory grows (by at least a quarter, to make growth rare) when the top passes its end.
 * Lives on the main thread only: worker threads get offsets (in jobs, see threads.ts), never allocate.
 */
import { PAGE_BYTES, type WasmMemory } from './instance.js';

const ALIGN = 16;
/** wasm32 addresses 4 GiB at most. */
const MAX_PAGES = 65536;

/** The block size that serves a request of `bytes`. */
export function blockBytes(bytes: number): number {
  const aligned = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
  if (aligned <= 1024) return aligned;
  const step = 2 ** (Math.floor(Math.log2(aligned)) - 2);
  return Math.ceil(aligned / step) * step;
}

export class WasmHeap {
  readonly memory: WasmMemory;
  private top: number;
  private readonly freeLists = new Map<number, number[]>();
  /** Bytes in blocks handed out and not freed (block sizes, so ≥ what was asked for). */
  private blocksInUse = 0;

  /** `base`: the first byte the module leaves to us (its static data lies below). */
  constructor(memory: WasmMemory, base: number) {
    this.memory = memory;
    this.top = Math.max(ALIGN, Math.ceil(base / ALIGN) * ALIGN);
  }

  /** Offset of a fresh block of at least `bytes` bytes (contents undefined). */
  alloc(bytes: number): number {
    const size = blockBytes(bytes);
    const reused = this.freeLists.get(size)?.pop();
    this.blocksInUse += size;
    if (reused !== undefined) return reused;
    const offset = this.top;
    this.ensure(offset + size);
    this.top = offset + size;
    return offset;
  }

  /** Returns a block obtained from alloc(bytes) with the same `bytes`. */
  free(offset: number, bytes: number): void {
    const size = blockBytes(bytes);
    this.blocksInUse -= size;
    if (offset + size === this.top) {
      this.top = offset;
      return;
    }
    const list = this.freeLists.get(size);
    if (list === undefined) this.freeLists.set(size, [offset]);
    else list.push(offset);
  }

  /** Bytes of blocks in use, and bytes the memory holds. */
  stats(): { blockBytes: number; memoryBytes: number; top: number } {
    return { blockBytes: this.blocksInUse, memoryBytes: this.memory.buffer.byteLength, top: this.top };
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const havePages = have / PAGE_BYTES;
    const needed = Math.ceil((end - have) / PAGE_BYTES);
    const pages = Math.min(Math.max(needed, Math.ceil(havePages / 4)), MAX_PAGES - havePages);
    if (pages < needed) {
      throw new Error(
        `wasm backend: out of memory: a block ending at byte ${end} does not fit in the 4 GiB a wasm32 memory can hold`,
      );
    }
    try {
      this.memory.grow(pages);
    } catch (cause) {
      // The host may refuse the generous step; retry with exactly what is needed before giving up.
      try {
        this.memory.grow(needed);
      } catch {
        throw new Error(`wasm backend: out of memory: could not grow the heap from ${have} bytes to ${end} bytes`, {
          cause,
        });
      }
    }
  }
}
