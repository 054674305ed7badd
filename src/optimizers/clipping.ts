/**
 * Gradient clipping as Keras applies it before an update: by each gradient's L2 norm (`clipNorm`), by the joint
 * norm of all gradients (`globalClipNorm`), or elementwise by value (`clipValue`). At most one may be set.
 * Everything stays in ops (no read-back of the norm), so clipping runs on any backend without a sync.
 */
import { check } from '../serialization.js';
import { add, clipByValue, div, maximum, mul, sqrt, square } from '../ops/arithmetic.js';
import { scalar } from '../ops/creation.js';
import { sum } from '../ops/reduction.js';
import type { Tensor } from '../tensor.js';

export interface ClipArgs {
  /** Rescale each gradient whose L2 norm exceeds this to that norm. */
  readonly clipNorm?: number;
  /** Clip each gradient element to [−clipValue, clipValue]. */
  readonly clipValue?: number;
  /** Rescale all gradients together when their joint L2 norm exceeds this. */
  readonly globalClipNorm?: number;
}

/** Throws unless the set clip options are positive and at most one is set (as Keras requires). */
export function checkClipArgs(where: string, args: ClipArgs): void {
  const set = (['clipNorm', 'clipValue', 'globalClipNorm'] as const).filter((key) => args[key] !== undefined);
  if (set.length > 1) {
    throw new Error(
      `${where}: only one of \`clipNorm\`, \`clipValue\` and \`globalClipNorm\` can be set, received ` +
        set.map((key) => `${key}=${args[key]}`).join(', '),
    );
  }
  for (const key of set) {
    const value = args[key] ?? Number.NaN;
    check(where, key, value, value > 0, 'a positive number');
  }
}

/** ‖g‖₂ as a scalar tensor. */
export function l2Norm(g: Tensor): Tensor {
  return sqrt(sum(square(g)));
}

/** √(Σᵢ ‖gᵢ‖²): the L2 norm of all gradients taken as one vector. */
export function globalNorm(gradients: readonly Tensor[]): Tensor {
  const squares = gradients.map((g) => sum(square(g)));
  return sqrt(squares.reduce((total, s) => add(total, s), scalar(0)));
}

/** g · c / max(‖g‖₂, c): unchanged when ‖g‖₂ ≤ c, else rescaled to norm c (a zero gradient stays zero). */
export function clipByNorm(g: Tensor, clipNorm: number): Tensor {
  return mul(g, div(clipNorm, maximum(l2Norm(g), clipNorm)));
}

/** Every gᵢ · c / max(N, c) with N the global norm: the joint direction is kept, its length capped at c. */
export function clipByGlobalNorm(gradients: readonly Tensor[], clipNorm: number): Tensor[] {
  if (gradients.length === 0) return [];
  const scale = div(clipNorm, maximum(globalNorm(gradients), clipNorm));
  return gradients.map((g) => mul(g, scale));
}

/** Applies whichever clip option is set (none: the gradients as given). */
export function clipGradients(gradients: readonly Tensor[], args: ClipArgs): readonly Tensor[] {
  const { clipNorm, clipValue, globalClipNorm } = args;
  if (clipNorm !== undefined) return gradients.map((g) => clipByNorm(g, clipNorm));
  if (globalClipNorm !== undefined) return clipByGlobalNorm(gradients, globalClipNorm);
  if (clipValue !== undefined) return gradients.map((g) => clipByValue(g, -clipValue, clipValue));
  return gradients;
}
