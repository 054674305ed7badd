/**
 * Worker threads for the wasm backend. Kernels stay synchronous: the main thread publishes a job in a control block
 * of the shared memory, wakes the workers, runs parts itself, and waits (spinning briefly, then in Atomics.wait) until
 * every part is done. Parts are claimed, not assigned, so a worker that is slow to wake (or whose core another
 * process holds) only means the main thread runs more parts; results never depend on who ran what.
 *
 * How threads start depends on the host: a ThreadHost for Node (worker_threads) lives in src/node/threads.ts and is
 * installed with setThreadHost, since the core must not import Node modules; browsers get Web Workers from a Blob URL.
 */
import type { Kernels, WasmMemory } from './instance.js';
import { CONTROL, encodeJob, type Job } from './protocol.generated.js';
import { threadMain, type WorkerStart } from './worker-body.js';

/** Starts worker threads. */
export interface ThreadHost {
  /** Threads to use when none are asked for: the cores available. */
  readonly defaultThreads: number;
  /** Starts a thread that runs `threadMain(start, close)` (given as source text) with the start message. */
  start(threadMainSource: string, start: WorkerStart): void;
}

/** The most threads a pool runs (the control block has this many statistics slots). */
export const MAX_THREADS = 32;

/**
 * Parts per thread for a large job. Parts are claimed as threads come free, so with several per thread a worker
 * whose core another process holds delays the job by one small part, not by a whole share.
 */
export const PARTS_PER_THREAD = 4;

// The control block's words (asm/protocol.json): claim, parts done, parts failed, worker generation, live workers,
// parts run per thread, and the job.
const { claim: CLAIM, done: DONE, failed: FAILED, generation: GENERATION, live: LIVE, runCounts: RUN_COUNTS } = CONTROL;

/**
 * Polls of the claim word a worker makes between jobs before it sleeps (a few microseconds): enough to catch the next
 * job of a quick run of kernels without the 15 µs of a wake-up, short enough not to hold a core another process
 * needs. Jobs are split into several parts per thread (PARTS_PER_THREAD), so a late worker costs one small part.
 */
const WORKER_SPIN = 2000;
/** Polls of the done count the main thread makes before it sleeps. */
const MAIN_SPIN = 2000;

/** Browsers: Web Workers started from a Blob URL. Null where there are none (Node has no global Worker before 22). */
function browserHost(): ThreadHost | null {
  const WorkerClass: unknown = Reflect.get(globalThis, 'Worker');
  const BlobClass: unknown = Reflect.get(globalThis, 'Blob');
  const url: unknown = Reflect.get(globalThis, 'URL');
  const createObjectURL: unknown = typeof url === 'function' ? Reflect.get(url, 'createObjectURL') : undefined;
  const navigator: unknown = Reflect.get(globalThis, 'navigator');
  const cores: unknown =
    typeof navigator === 'object' && navigator !== null ? Reflect.get(navigator, 'hardwareConcurrency') : undefined;
  if (typeof WorkerClass !== 'function' || typeof BlobClass !== 'function' || typeof createObjectURL !== 'function')
    return null;
  return {
    defaultThreads: typeof cores === 'number' && cores >= 1 ? cores : 1,
    start(source, start) {
      const script = `self.onmessage = (event) => { self.onmessage = null; (${source})(event.data, () => self.close()); };`;
      const blob: unknown = Reflect.construct(BlobClass, [[script], { type: 'text/javascript' }]);
      const worker: unknown = Reflect.construct(WorkerClass, [Reflect.apply(createObjectURL, url, [blob])]);
      const post: unknown =
        typeof worker === 'object' && worker !== null ? Reflect.get(worker, 'postMessage') : undefined;
      if (typeof post === 'function') Reflect.apply(post, worker, [start]);
    },
  };
}

let host: ThreadHost | null = browserHost();
/** Threads asked for with setThreads; null: the host's default (the cores available). */
let preferred: number | null = null;
const pools = new Set<WeakRef<ThreadPool>>();

/** The thread count a pool uses unless told otherwise. */
function defaultThreads(): number {
  return preferred ?? host?.defaultThreads ?? 1;
}

/** Calls fn on every live pool. */
function eachPool(fn: (pool: ThreadPool) => void): void {
  for (const ref of pools) {
    const pool = ref.deref();
    if (pool === undefined) pools.delete(ref);
    else fn(pool);
  }
}

/**
 * Installs how worker threads start (src/node/threads.ts does, for Node); pools that exist already start the
 * workers they were asked for now.
 */
export function setThreadHost(next: ThreadHost | null): void {
  host = next;
  eachPool((pool) => pool.refresh());
}

/**
 * Threads the wasm backend uses (its own thread included), for every wasm backend now and later; null restores the
 * default, the cores available. Where threads cannot run (no shared memory, no way to start workers) this is 1.
 */
export function setThreads(threads: number | null): void {
  if (threads !== null && !(Number.isInteger(threads) && threads >= 1)) {
    throw new Error(`setThreads: \`threads\` must be a positive integer or null, received ${threads}`);
  }
  preferred = threads;
  eachPool((pool) => pool.followDefault());
}

// A pool collected without being resized to 1 still has workers waiting on its memory: tell them to exit.
const orphans = new FinalizationRegistry<{ words: Int32Array; ctl: number }>(({ words, ctl }) => {
  Atomics.store(words, ctl / 4 + GENERATION, -1);
  Atomics.notify(words, ctl / 4 + CLAIM);
});

let notified = false;

/** Prints one line, once per process: the fallback to one thread is a notice, not an error. */
function notifyOnce(message: string): void {
  if (notified) return;
  notified = true;
  console.warn(message);
}

/** The main thread's side: the control block, the workers, and job dispatch. */
export class ThreadPool {
  private count = 1;
  private generation = 0;
  private sequence = 0;
  private canBlock = true;
  private words: Int32Array;
  /** The count this pool was asked for, or null to follow the module-wide choice. */
  private requested: number | null;

  /**
   * `module`: the shared-memory kernel module, or null when the memory is not shared (then only one thread runs).
   * `ctl`: byte offset of CONTROL_BYTES reserved for the control block.
   */
  constructor(
    private readonly memory: WasmMemory,
    private readonly kernels: Kernels,
    private readonly ctl: number,
    private readonly module: object | null,
    threads?: number,
  ) {
    this.words = new Int32Array(memory.buffer);
    if (module !== null) {
      pools.add(new WeakRef(this));
      orphans.register(this, { words: this.words, ctl });
    }
    this.requested = threads ?? null;
    this.apply(threads ?? defaultThreads());
  }

  /** Threads that run kernels, the main thread included. */
  get threads(): number {
    return this.count;
  }

  /** Whether more than one thread can run (the memory is shared and a host can start workers). */
  get canThread(): boolean {
    return this.module !== null && host !== null;
  }

  /**
   * Uses `threads` threads (the main thread and threads − 1 workers), capped at MAX_THREADS, until told otherwise
   * (setThreads of this module changes every pool). Returns the count in use: 1 when threads cannot run here.
   */
  setThreads(threads: number): number {
    this.requested = threads;
    return this.apply(threads);
  }

  /** Follows the module-wide choice (setThreads, else the cores available) from now on. */
  followDefault(): number {
    this.requested = null;
    return this.apply(defaultThreads());
  }

  /** Applies the count asked for again, after the way to start threads changed. */
  refresh(): number {
    return this.apply(this.requested ?? defaultThreads());
  }

  private apply(threads: number): number {
    const wanted = Math.max(1, Math.min(MAX_THREADS, Math.floor(threads)));
    const target = this.canThread ? wanted : 1;
    if (target < wanted)
      notifyOnce(
        this.module === null
          ? 'cnnlab: shared memory is unavailable here (a browser page needs cross-origin isolation); the wasm backend runs on one thread'
          : 'cnnlab: no way to start worker threads is installed (in Node, call useNodeThreads()); the wasm backend runs on one thread',
      );
    if (target === this.count) return target;
    // Workers of the old generation exit when they next look; the new ones start afresh.
    const words = this.view();
    this.generation++;
    Atomics.store(words, this.ctl / 4 + GENERATION, this.generation);
    Atomics.notify(words, this.ctl / 4 + CLAIM);
    this.count = target;
    const module = this.module;
    if (target > 1 && module !== null && host !== null) {
      const source = String(threadMain);
      for (let index = 1; index < target; index++) {
        host.start(source, {
          module,
          memory: this.memory,
          ctl: this.ctl,
          control: CONTROL,
          index,
          generation: this.generation,
          spin: WORKER_SPIN,
        });
      }
    }
    return target;
  }

  /** Workers that have started and not exited. */
  liveWorkers(): number {
    return Atomics.load(this.view(), this.ctl / 4 + LIVE);
  }

  /** Parts run by each thread index since the pool started (index 0 is the main thread). */
  partsRun(): number[] {
    const words = this.view();
    return Array.from({ length: this.count }, (_, i) => Atomics.load(words, this.ctl / 4 + RUN_COUNTS + i));
  }

  /**
   * Runs a job (asm/jobs.ts) split into `parts` parts (clamped to 1..255); returns when all are done. Throws if a
   * part trapped.
   */
  run(job: Job, parts: number): void {
    const words = this.view();
    const base = this.ctl / 4;
    encodeJob(words, base + CONTROL.job, job);
    const count = Math.max(1, Math.min(255, Math.floor(parts)));
    this.sequence = (this.sequence + 1) & 0xffff;
    Atomics.store(words, base + DONE, 0);
    Atomics.store(words, base + FAILED, 0);
    Atomics.store(words, base + CLAIM, (this.sequence << 16) | (count << 8));
    if (count > 1 && this.count > 1) Atomics.notify(words, base + CLAIM);
    let error: Error | null = null;
    for (;;) {
      try {
        this.kernels.work(this.ctl, 0);
        break;
      } catch (cause) {
        // Count the trapped part done so the wait below ends, finish the others, then report the first failure.
        error ??= cause instanceof Error ? cause : new Error(String(cause));
        Atomics.add(words, base + DONE, 1);
      }
    }
    this.waitDone(words, base, count);
    if (error !== null) throw error;
    if (Atomics.load(words, base + FAILED) > 0) throw new Error('wasm backend: a kernel aborted in a worker thread');
  }

  private waitDone(words: Int32Array, base: number, parts: number): void {
    let spins = 0;
    for (let done = Atomics.load(words, base + DONE); done < parts; done = Atomics.load(words, base + DONE)) {
      if (++spins < MAIN_SPIN || !this.canBlock) continue;
      try {
        Atomics.wait(words, base + DONE, done, 5);
      } catch {
        // A browser's main thread may not block; spin there instead.
        this.canBlock = false;
      }
    }
  }

  /** A view of the memory, re-created after growth (an unshared buffer is detached when the memory grows). */
  private view(): Int32Array {
    if (this.words.buffer !== this.memory.buffer) this.words = new Int32Array(this.memory.buffer);
    return this.words;
  }
}
