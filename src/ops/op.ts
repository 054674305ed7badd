/**
 * The two things every op does besides computing: wrap a kernel's Storage in a Tensor, and (while gradients are
 * recorded and some input requires them) attach the backward function that lives beside the forward.
 */
import type { Storage } from '../backend/storage.js';
import { engine } from '../engine.js';
import { StateError } from '../errors.js';
import type { Shape } from '../shape.js';
import { Tensor } from '../tensor.js';

/** Wraps a storage produced by the current backend. */
export function wrap(storage: Storage, shape: Shape): Tensor {
  return new Tensor(storage, shape, engine.backend);
}

/**
 * Makes `output` differentiable with respect to `inputs`. `backward(dy)` returns one gradient per input (null for
 * inputs that take none); it runs with recording off, so it may freely call other ops.
 */
export function recordGradient(
  opName: string,
  output: Tensor,
  inputs: readonly Tensor[],
  backward: (dy: Tensor) => readonly (Tensor | null)[],
): Tensor {
  if (engine.isRecording && inputs.some((input) => input.requiresGrad)) {
    output.requiresGrad = true;
    output.gradNode = { opName, inputs, backward };
  }
  return output;
}

/** Throws if a tensor is on another backend than the current one (mixing would hand kernels foreign storage). */
export function assertSameBackend(opName: string, ...tensors: readonly Tensor[]): void {
  const backend = engine.backend;
  for (const tensor of tensors) {
    if (tensor.backend !== backend) {
      throw new StateError(
        opName,
        `input is on backend '${tensor.backend.name}' but the current backend is '${backend.name}'`,
      );
    }
  }
}
