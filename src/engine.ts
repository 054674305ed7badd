/**
 * The engine: which backend runs kernels, whether gradients are being recorded, and the scopes that release a
 * step's intermediate tensors without the user disposing them by hand.
 *
 * Memory model: every tensor an op creates is registered in the innermost open scope. When `tidy(fn)` ends, the
 * tensors created inside it are freed, except those `fn` returned (they move to the enclosing scope) and those
 * passed to `keep`. Variables are never registered. Model training runs each step inside a tidy, so a long run
 * holds only its variables plus one step's tensors. Outside any scope, tensors live until disposed or garbage
 * collected (the `js` backend's storage is ordinary JS heap memory).
 */
import type { Backend } from './backend/backend.js';
import type { Storage } from './backend/storage.js';
import { errorMessage } from './errors.js';
import type { Tensor } from './tensor.js';

class Engine {
  private readonly backends = new Map<string, () => Backend>();
  private readonly instances = new Map<string, Backend>();
  private current: Backend | null = null;
  private readonly scopes: Set<Tensor>[] = [];
  private recording = true;
  private liveTensors = 0;
  /** Tensors per storage: a reshape shares its input's storage, which is freed when its last tensor is disposed. */
  private readonly storageUsers = new WeakMap<Storage, number>();

  registerBackend(name: string, factory: () => Backend): void {
    this.backends.set(name, factory);
  }

  /** Selects the backend new tensors and ops use. */
  setBackend(name: string): void {
    this.current = this.instance(name);
  }

  /** The current backend; by default the first registered one that starts (wasm needs WebAssembly SIMD). */
  get backend(): Backend {
    this.current ??= this.firstAvailable();
    return this.current;
  }

  private firstAvailable(): Backend {
    const names = [...this.backends.keys()];
    for (const [i, name] of names.entries()) {
      try {
        return this.instance(name);
      } catch (error) {
        const next = names[i + 1];
        if (next === undefined) throw error;
        console.warn(`cnnlab: the '${name}' backend is unavailable here (${errorMessage(error)}); using '${next}'`);
      }
    }
    throw new Error('cnnlab: no backend is registered');
  }

  backendNames(): string[] {
    return [...this.backends.keys()];
  }

  private instance(name: string): Backend {
    let backend = this.instances.get(name);
    if (backend === undefined) {
      const factory = this.backends.get(name);
      if (factory === undefined) {
        throw new Error(`Unknown backend '${name}'; known backends: ${[...this.backends.keys()].join(', ')}`);
      }
      backend = factory();
      this.instances.set(name, backend);
    }
    return backend;
  }

  // ---- storage sharing ----

  retain(storage: Storage): void {
    this.storageUsers.set(storage, (this.storageUsers.get(storage) ?? 0) + 1);
  }

  release(storage: Storage, backend: Backend): void {
    const users = (this.storageUsers.get(storage) ?? 1) - 1;
    if (users > 0) {
      this.storageUsers.set(storage, users);
    } else {
      this.storageUsers.delete(storage);
      backend.free(storage);
    }
  }

  // ---- scopes ----

  /** Counts a new tensor; scoped ones (all but variables) join the innermost scope. */
  track(tensor: Tensor, scoped: boolean): void {
    this.liveTensors++;
    if (scoped) this.scopes[this.scopes.length - 1]?.add(tensor);
  }

  untrack(tensor: Tensor): void {
    this.liveTensors--;
    for (const scope of this.scopes) scope.delete(tensor);
  }

  /**
   * Runs fn, then frees every tensor created inside it except those in its result (found in arrays and plain
   * objects at any depth) and those kept.
   */
  tidy<T>(fn: () => T): T {
    const scope = new Set<Tensor>();
    this.scopes.push(scope);
    let result: T;
    try {
      result = fn();
    } finally {
      this.scopes.pop();
    }
    const survivors = new Set<Tensor>();
    collectTensors(result, survivors);
    const parent = this.scopes[this.scopes.length - 1];
    for (const tensor of scope) {
      if (survivors.has(tensor)) parent?.add(tensor);
      else tensor.dispose();
    }
    return result;
  }

  /** Exempts a tensor from disposal by the scopes open now. */
  keep<T extends Tensor>(tensor: T): T {
    for (const scope of this.scopes) scope.delete(tensor);
    return tensor;
  }

  /** Tensors created and not yet disposed (variables included), and the backend's bytes in use. */
  memory(): { numTensors: number; numBytes: number } {
    return { numTensors: this.liveTensors, numBytes: this.current?.bytesInUse() ?? 0 };
  }

  // ---- gradient recording ----

  get isRecording(): boolean {
    return this.recording;
  }

  /** Runs fn without recording gradient nodes (inference, optimizer updates, and the backward pass itself). */
  noGrad<T>(fn: () => T): T {
    const previous = this.recording;
    this.recording = false;
    try {
      return fn();
    } finally {
      this.recording = previous;
    }
  }
}

function collectTensors(value: unknown, into: Set<Tensor>): void {
  if (value === null || typeof value !== 'object') return;
  if (isTensor(value)) {
    into.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectTensors(item, into);
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const item of Object.values(value)) collectTensors(item, into);
  }
}

function isTensor(value: object): value is Tensor {
  return 'gradNode' in value && 'storage' in value && 'shape' in value;
}

export const engine = new Engine();

export const tidy = <T>(fn: () => T): T => engine.tidy(fn);
export const keep = <T extends Tensor>(tensor: T): T => engine.keep(tensor);
export const noGrad = <T>(fn: () => T): T => engine.noGrad(fn);
export const setBackend = (name: string): void => engine.setBackend(name);
export const getBackend = (): Backend => engine.backend;
export const memory = (): { numTensors: number; numBytes: number } => engine.memory();
