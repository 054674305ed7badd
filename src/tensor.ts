/**
 * Tensor: a shape, a backend-owned Storage of float32 values, and (when it takes part in autograd) the node that
 * produced it. Layout conventions: activations NHWC, conv kernels [kh, kw, in, out], dense kernels [in, out].
 */
import type { Backend } from './backend/backend.js';
import type { Storage } from './backend/storage.js';
import { engine } from './engine.js';
import { formatShape, type Shape, sizeOf } from './shape.js';

/** How an op's output was made, so the reverse pass can send gradients to its inputs. */
export interface GradNode {
  readonly opName: string;
  readonly inputs: readonly Tensor[];
  /** Given dL/d(output), returns dL/d(input) for each input in order (null where an input gets none). */
  readonly backward: (dy: Tensor) => readonly (Tensor | null)[];
}

export type NestedArray = number | NestedArray[];

let nextTensorId = 0;

export class Tensor {
  readonly id = nextTensorId++;
  readonly shape: Shape;
  readonly size: number;
  readonly backend: Backend;
  /** True for trainable variables and for every op output computed from one while gradients are recorded. */
  requiresGrad = false;
  gradNode: GradNode | null = null;
  private storageRef: Storage | null;

  /** `scoped` false: not freed by tidy (variables). */
  constructor(storage: Storage, shape: Shape, backend: Backend, scoped = true) {
    const size = sizeOf(shape);
    if (storage.length !== size) {
      throw new Error(`Tensor: storage holds ${storage.length} values but shape ${formatShape(shape)} needs ${size}`);
    }
    this.shape = Object.freeze([...shape]);
    this.size = size;
    this.backend = backend;
    this.storageRef = storage;
    engine.retain(storage);
    engine.track(this, scoped);
  }

  get rank(): number {
    return this.shape.length;
  }

  /** The backend storage; throws if the tensor was disposed (for example by the end of a `tidy`). */
  get storage(): Storage {
    if (this.storageRef === null) {
      throw new Error(
        `Tensor ${this.id} of shape ${formatShape(this.shape)} was disposed; keep() it to use it after tidy()`,
      );
    }
    return this.storageRef;
  }

  get isDisposed(): boolean {
    return this.storageRef === null;
  }

  /** A copy of the values (safe to keep, unlike a storage view). */
  dataSync(): Float32Array {
    return this.storage.view().slice();
  }

  async data(): Promise<Float32Array> {
    return this.dataSync();
  }

  /** The values as nested arrays of numbers (a number for a scalar). */
  arraySync(): NestedArray {
    const values = this.dataSync();
    const build = (axis: number, offset: number): NestedArray => {
      if (axis === this.shape.length) return values[offset] ?? 0;
      const dim = this.shape[axis] ?? 0;
      const inner = sizeOf(this.shape.slice(axis + 1));
      return Array.from({ length: dim }, (_, i) => build(axis + 1, offset + i * inner));
    };
    return build(0, 0);
  }

  /** A new tensor with a copy of the values (no gradient history). */
  clone(): Tensor {
    const storage = this.backend.alloc(this.size);
    storage.view().set(this.storage.view());
    return new Tensor(storage, this.shape, this.backend);
  }

  /** Releases the storage now; later use throws. Disposing twice is harmless. */
  dispose(): void {
    if (this.storageRef === null) return;
    engine.release(this.storageRef, this.backend);
    this.storageRef = null;
    this.gradNode = null;
    engine.untrack(this);
  }

  toString(): string {
    return `Tensor(${formatShape(this.shape)})`;
  }
}

/**
 * A long-lived, mutable tensor: a layer weight or an optimizer slot. Variables are never disposed by `tidy`;
 * `assign` overwrites the values in place, so kernels holding its storage see the update without a copy.
 */
export class Variable extends Tensor {
  readonly name: string;
  private trainableFlag: boolean;

  constructor(initial: Tensor, name: string, trainable = true) {
    const storage = initial.backend.alloc(initial.size);
    storage.view().set(initial.storage.view());
    super(storage, initial.shape, initial.backend, false);
    this.name = name;
    this.trainableFlag = trainable;
    this.requiresGrad = trainable;
  }

  get trainable(): boolean {
    return this.trainableFlag;
  }

  set trainable(value: boolean) {
    this.trainableFlag = value;
    this.requiresGrad = value;
  }

  /** Overwrites the values with those of `value`, which must have the same shape. */
  assign(value: Tensor): void {
    if (value.size !== this.size || value.rank !== this.rank || value.shape.some((d, i) => d !== this.shape[i])) {
      throw new Error(
        `Variable '${this.name}': assign expected shape ${formatShape(this.shape)}, received ${formatShape(value.shape)}`,
      );
    }
    this.storage.view().set(value.storage.view());
  }
}
