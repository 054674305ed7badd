/**
 * What a worker thread runs: instantiate the kernel module over the shared memory, then claim and run parts of
 * each job the main thread publishes (asm/jobs.ts), spinning briefly between jobs and sleeping in Atomics.wait after.
 *
 * `threadMain` is shipped to workers as source text (`String(threadMain)`), so it must be self-contained: it may use
 * only globals (WebAssembly, Atomics, Reflect), never an import or another function of this module.
 */
import type { WasmMemory } from './instance.js';
import type { ControlWords } from './protocol.generated.js';

/** The message that starts a worker. */
export interface WorkerStart {
  /** The compiled kernel module (shared-memory build). */
  readonly module: object;
  readonly memory: WasmMemory;
  /** Byte offset of the control block. */
  readonly ctl: number;
  /** Its word offsets (CONTROL): sent, since this function may not import them. */
  readonly control: ControlWords;
  /** This worker's thread index (1..threads−1; the main thread is 0), for statistics. */
  readonly index: number;
  /** The worker exits when the control block's generation word differs from this. */
  readonly generation: number;
  /** Polls of the claim word before sleeping. */
  readonly spin: number;
}

/** The worker's loop; `close` ends the thread (host-specific). */
export function threadMain(start: WorkerStart, close: () => void): void {
  const api: unknown = Reflect.get(globalThis, 'WebAssembly');
  const Instance: unknown = typeof api === 'object' && api !== null ? Reflect.get(api, 'Instance') : undefined;
  if (typeof Instance !== 'function') throw new Error('cnnlab worker: this runtime has no WebAssembly');
  const abort = (): never => {
    throw new Error('cnnlab worker: a kernel aborted');
  };
  const instance: unknown = Reflect.construct(Instance, [start.module, { env: { memory: start.memory, abort } }]);
  const exported: unknown =
    typeof instance === 'object' && instance !== null ? Reflect.get(instance, 'exports') : undefined;
  const work: unknown = typeof exported === 'object' && exported !== null ? Reflect.get(exported, 'work') : undefined;
  if (typeof work !== 'function') throw new Error('cnnlab worker: the kernel module has no `work` export');
  // The control block lies below any growth, so this view of the buffer stays valid as the memory grows.
  const words = new Int32Array(start.memory.buffer);
  const base = start.ctl >> 2;
  const claim = base + start.control.claim;
  const done = base + start.control.done;
  const failed = base + start.control.failed;
  const generation = base + start.control.generation;
  const live = base + start.control.live;
  Atomics.add(words, live, 1);
  for (;;) {
    // Claimable while next part < parts: claim = seq << 16 | parts << 8 | next.
    let word = Atomics.load(words, claim);
    for (let spins = 0; (word & 0xff) >= ((word >>> 8) & 0xff); spins++) {
      if (Atomics.load(words, generation) !== start.generation) {
        Atomics.sub(words, live, 1);
        close();
        return;
      }
      if (spins >= start.spin) {
        Atomics.wait(words, claim, word);
        spins = 0;
      }
      word = Atomics.load(words, claim);
    }
    try {
      Reflect.apply(work, undefined, [start.ctl, start.index]);
    } catch {
      // The part that trapped never counted itself done: count it failed and done so the main thread stops waiting.
      Atomics.add(words, failed, 1);
      if (Atomics.add(words, done, 1) + 1 === ((Atomics.load(words, claim) >>> 8) & 0xff)) Atomics.notify(words, done);
    }
  }
}
