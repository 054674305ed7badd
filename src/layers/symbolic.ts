/**
 * The graph of a functional model (Keras' functional API, tfjs `tf.input` / `tf.model`): a `SymbolicTensor` stands
 * for a tensor that does not exist yet — a shape and the call that will produce it. Applying a layer to symbolic
 * tensors records a `LayerCall` (Keras' "node") and returns its symbolic output; a model is then the calls between
 * its inputs and its outputs. Nothing is computed until the model runs.
 */
import { StateError } from '../errors.js';
import type { Layer } from './layer.js';
import { formatSymbolicShape, type SymbolicShape } from './shape.js';

/** One application of a layer to symbolic inputs (Keras' inbound node): `layer(inputs) → output`. */
export interface LayerCall {
  /** The layer applied. */
  readonly layer: Layer;
  /** Which call of the layer this is (0 for the first; a shared layer has several). */
  readonly index: number;
  /** The inputs, in call order; empty for an input layer's call. */
  readonly inputs: readonly SymbolicTensor[];
  /** The output (each cnnlab layer has exactly one). */
  readonly output: SymbolicTensor;
}

/** A tensor of a model under construction: its shape (batch dimension null) and the call that produces it. */
export class SymbolicTensor {
  /** Set once, by the call that creates this tensor. */
  private producer: LayerCall | null = null;

  constructor(readonly shape: SymbolicShape) {}

  /** The layer call that produces this tensor. */
  get call(): LayerCall {
    if (this.producer === null) throw new StateError('SymbolicTensor', 'read before the layer call that produces it');
    return this.producer;
  }

  /** `conv2d_1[0]`: the producing layer and call, as model files and summaries reference a tensor. */
  get name(): string {
    return `${this.call.layer.name}[${this.call.index}]`;
  }

  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    return `SymbolicTensor ${this.name} ${formatSymbolicShape(this.shape)}`;
  }

  /** Records the call that produces `output` (once per tensor). */
  static produce(layer: Layer, index: number, inputs: readonly SymbolicTensor[], output: SymbolicTensor): LayerCall {
    const call: LayerCall = { layer, index, inputs, output };
    output.producer = call;
    return call;
  }
}

/** True for a (readonly) list, narrowing unions such as `T | readonly T[]` that `Array.isArray` leaves unnarrowed. */
export function isList<T>(value: T | readonly T[]): value is readonly T[] {
  return Array.isArray(value);
}
