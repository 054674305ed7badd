/**
 * The wasm backend's memory: the allocator's size classes and reuse, storages that outlive memory growth, exact
 * byte accounting, and storage misuse that must fail loudly rather than read a neighbour's values.
 */
import { describe, expect, it } from 'vitest';
import {
  conv2d,
  engine,
  grads,
  maxPool,
  memory,
  relu,
  setBackend,
  sum,
  tensor,
  tidy,
  Variable,
} from '../../src/index.js';
import { decodeBase64 } from '../../src/backend/wasm/base64.js';
import { blockBytes } from '../../src/backend/wasm/heap.js';
import { WasmBackend } from '../../src/backend/wasm/index.js';
import { WasmStorage } from '../../src/backend/wasm/storage.js';
import { JsBackend } from '../../src/backend/js/index.js';

function offsetOf(storage: unknown): number {
  if (!(storage instanceof WasmStorage)) throw new Error('expected a wasm storage');
  return storage.offset;
}

describe('wasm allocator', () => {
  it('rounds requests to 16-byte blocks, then to four size classes per power of two (hand-computed)', () => {
    expect([1, 16, 17, 1024].map(blockBytes)).toEqual([16, 16, 32, 1024]);
    // 1025 → 1040 aligned; 1024 ≤ 1040 < 2048, classes step by 256: 1280. 5000 → classes of 1024 in [4096, 8192): 5120.
    expect([1025, 5000, 8192].map(blockBytes)).toEqual([1280, 5120, 8192]);
  });

  it('reuses a freed block for the next request of its class, zero-filled again', () => {
    const backend = new WasmBackend();
    const a = backend.alloc(100);
    const guard = backend.alloc(10); // keeps `a` off the top of the heap
    a.view().fill(7);
    const where = offsetOf(a);
    backend.free(a);
    const b = backend.alloc(97); // same 400-byte class as 100 values
    expect(offsetOf(b)).toBe(where);
    expect(Array.from(b.view()).every((v) => v === 0)).toBe(true);
    backend.free(b);
    backend.free(guard);
  });

  it('keeps storages valid across memory growth: views are re-created on the new buffer', () => {
    const backend = new WasmBackend({ initialPages: 1 });
    const old = backend.fromValues([1, 2, 3, 4, 5]);
    const staleView = old.view();
    const before = backend.arena.heapStats().memoryBytes;
    const big = backend.alloc(before); // 4 bytes per value: four times the memory there was
    const after = backend.arena.heapStats().memoryBytes;
    expect(after).toBeGreaterThan(before);
    // Growth detaches an unshared buffer; a shared one keeps its old length, so either way the old view is stale.
    expect(staleView.buffer.byteLength === 0 || staleView.buffer.byteLength === before).toBe(true);
    expect(old.view().buffer.byteLength).toBe(after);
    expect(Array.from(old.view())).toEqual([1, 2, 3, 4, 5]);
    big.view()[big.length - 1] = 9;
    expect(big.view()[big.length - 1]).toBe(9);
    backend.free(big);
    backend.free(old);
  });

  it('counts exactly 4 bytes per live value and returns to the start when everything is freed', () => {
    const backend = new WasmBackend();
    const start = backend.bytesInUse();
    const blocks = backend.arena.heapStats().blockBytes;
    const a = backend.alloc(3);
    const b = backend.fromValues([1, 2, 3, 4, 5, 6]);
    expect(backend.bytesInUse() - start).toBe(36);
    const c = backend.matmul(a, b, { m: 1, k: 3, n: 2, transposeA: false, transposeB: false });
    expect(backend.bytesInUse() - start).toBe(44);
    for (const s of [a, b, c]) backend.free(s);
    backend.free(c); // twice is harmless
    expect(backend.bytesInUse()).toBe(start);
    expect(backend.arena.heapStats().blockBytes).toBe(blocks);
  });

  it('refuses freed, foreign and wrongly sized storages', () => {
    const backend = new WasmBackend();
    const freed = backend.fromValues([1, 2]);
    backend.free(freed);
    expect(() => freed.view()).toThrow(/storage was freed/);
    const foreign = new JsBackend().fromValues([1, 2, 3, 4]);
    const info = { m: 2, k: 2, n: 2, transposeA: false, transposeB: false };
    expect(() => backend.matmul(foreign, foreign, info)).toThrow(/matmul: a is not a storage of this wasm backend/);
    const short = backend.fromValues([1, 2, 3]);
    expect(() => backend.matmul(short, short, info)).toThrow(/matmul: a must hold 4 values, received 3/);
    backend.free(short);
  });

  it('decodes the base64 its kernels are shipped in (RFC 4648 examples)', () => {
    expect(Array.from(decodeBase64('TWFu'))).toEqual([77, 97, 110]);
    expect(Array.from(decodeBase64('TWE='))).toEqual([77, 97]);
    expect(Array.from(decodeBase64('TQ=='))).toEqual([77]);
    expect(() => decodeBase64('TW!u')).toThrow(/invalid character "!" at position 2/);
  });
});

describe('the wasm backend through the engine', () => {
  it('is the default (registered first, before js) and frees every tensor a training step created', () => {
    expect(engine.backendNames().slice(0, 2)).toEqual(['wasm', 'js']);
    const previous = engine.backend.name;
    setBackend('wasm');
    try {
      expect(engine.backend.name).toBe('wasm');
      const w = new Variable(
        tensor(
          Array.from({ length: 27 }, (_, i) => Math.sin(i)),
          [3, 3, 1, 3],
        ),
        'w',
      );
      const start = memory();
      for (let step = 0; step < 3; step++) {
        tidy(() => {
          const x = tensor(
            Array.from({ length: 50 }, (_, i) => Math.cos(i)),
            [2, 5, 5, 1],
          );
          const loss = sum(maxPool(relu(conv2d(x, w, { padding: 'same' })), { poolSize: 2 }));
          const [dw] = grads(loss, [w]);
          expect(dw?.shape).toEqual([3, 3, 1, 3]);
        });
        expect(memory()).toEqual(start);
      }
      w.dispose();
    } finally {
      setBackend(previous);
    }
  });
});
