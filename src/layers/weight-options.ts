/**
 * The weight options that Dense, Conv2D and BatchNormalization share: initializers, regularizers and constraints.
 * Layers accept a name, an object or a serialized object; their configs store the serialized form (tfjs's
 * `{className, config}`), so a config is plain JSON and `fromConfig` can rebuild the layer from it.
 */
import { type Constraint, type ConstraintIdentifier, getConstraint, serializeConstraint } from '../constraints.js';
import { tidy } from '../engine.js';
import { getInitializer, type Initializer, type InitializerIdentifier, serializeInitializer } from '../initializers.js';
import { add } from '../ops/arithmetic.js';
import { getRegularizer, type Regularizer, type RegularizerIdentifier, serializeRegularizer } from '../regularizers.js';
import type { Serialized } from '../serialization.js';
import type { Tensor, Variable } from '../tensor.js';

export type SerializedInitializer = ReturnType<typeof serializeInitializer>;
export type SerializedRegularizer = ReturnType<typeof serializeRegularizer>;
export type SerializedConstraint = Serialized<Constraint['className'], ReturnType<Constraint['getConfig']>>;

/** Resolves an option, naming the layer and argument when the identifier is bad. */
function resolve<T>(where: string, argument: string, make: () => T): T {
  try {
    return make();
  } catch (error) {
    throw new Error(`${where}: \`${argument}\`: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export function resolveInitializer(where: string, argument: string, id: InitializerIdentifier): Initializer {
  return resolve(where, argument, () => getInitializer(id));
}

export function resolveRegularizer(where: string, argument: string, id: RegularizerIdentifier | null | undefined): Regularizer | null {
  return id === null || id === undefined ? null : resolve(where, argument, () => getRegularizer(id));
}

export function resolveConstraint(where: string, argument: string, id: ConstraintIdentifier | null | undefined): Constraint | null {
  return id === null || id === undefined ? null : resolve(where, argument, () => getConstraint(id));
}

export const serializeOptionalRegularizer = (r: Regularizer | null): SerializedRegularizer | null =>
  r === null ? null : serializeRegularizer(r);

export const serializeOptionalConstraint = (c: Constraint | null): SerializedConstraint | null =>
  c === null ? null : serializeConstraint(c);

/** Σ of the penalties of the (weight, regularizer) pairs that have a regularizer; null when none has. */
export function weightPenalty(pairs: readonly (readonly [Variable | null, Regularizer | null])[]): Tensor | null {
  let total: Tensor | null = null;
  for (const [weight, regularizer] of pairs) {
    if (weight === null || regularizer === null) continue;
    const penalty = regularizer.penalty(weight);
    total = total === null ? penalty : add(total, penalty);
  }
  return total;
}

/** Replaces each weight by its constrained value (run after an optimizer step). */
export function constrainWeights(pairs: readonly (readonly [Variable | null, Constraint | null])[]): void {
  for (const [weight, constraint] of pairs) {
    if (weight === null || constraint === null) continue;
    tidy(() => weight.assign(constraint.apply(weight)));
  }
}
