/**
 * Weight constraints, mirroring TensorFlow.js's `tf.constraints`: a projection applied to a weight after each
 * optimizer step. Norms are L2 norms over `axis` (kept for broadcasting), with ε = 1e-7 in denominators as tfjs:
 *   maxNorm:    w · clip(‖w‖, 0, maxValue) / (ε + ‖w‖)
 *   unitNorm:   w / (ε + ‖w‖)
 *   minMaxNorm: w · (rate · clip(‖w‖, minValue, maxValue) + (1 − rate) · ‖w‖) / (ε + ‖w‖)
 *   nonNeg:     max(w, 0)
 * For a dense kernel [in, out], axis 0 constrains each unit's incoming weights; for a conv kernel
 * [kh, kw, in, out], use axis [0, 1, 2] to constrain each filter.
 */
import { noGrad, tidy } from './engine.js';
import { add, clipByValue, div, maximum, mul, sqrt, square } from './ops/arithmetic.js';
import { sum } from './ops/reduction.js';
import {
  check,
  type ConfigDict,
  lookupKey,
  optionalAxis,
  optionalNumber,
  readSerialized,
  type Serialized,
  type SerializedInput,
  unknownName,
} from './serialization.js';
import { normalizeAxes } from './shape.js';
import type { Tensor } from './tensor.js';

export type { ConfigDict, Serialized, SerializedInput } from './serialization.js';

/** tfjs's epsilon() on float32 backends. */
const EPSILON = 1e-7;

export type Axis = number | readonly number[];

export type MaxNormConfig = {
  readonly maxValue: number;
  readonly axis: Axis;
};

export type UnitNormConfig = {
  readonly axis: Axis;
};

export type MinMaxNormConfig = {
  readonly minValue: number;
  readonly maxValue: number;
  readonly rate: number;
  readonly axis: Axis;
};

/** Each serialized class name and its config. */
export interface ConstraintConfigs {
  MaxNorm: MaxNormConfig;
  NonNeg: Readonly<Record<string, never>>;
  UnitNorm: UnitNormConfig;
  MinMaxNorm: MinMaxNormConfig;
}

export type ConstraintClassName = keyof ConstraintConfigs;

export interface Constraint<Name extends ConstraintClassName = ConstraintClassName> {
  readonly className: Name;
  /** The constrained weights (a new tensor, not recorded for gradients; `w` is left unchanged). */
  apply(w: Tensor): Tensor;
  getConfig(): ConstraintConfigs[Name];
}

function checkAxis(where: string, axis: Axis): Axis {
  const axes = typeof axis === 'number' ? [axis] : axis;
  if (axes.length === 0 || !axes.every((a) => Number.isInteger(a))) {
    const shown = JSON.stringify(axis);
    throw new Error(`${where}: \`axis\` must be an integer or a non-empty list of integers, received ${shown}`);
  }
  return typeof axis === 'number' ? axis : [...axis];
}

/** Runs a constraint's arithmetic without recording gradients and frees its intermediates. */
function project(where: string, w: Tensor, axis: Axis, desired: (norms: Tensor) => Tensor | number): Tensor {
  const axes = normalizeAxes(axis, w.rank, where);
  return noGrad(() =>
    tidy(() => {
      const norms = sqrt(sum(square(w), axes, true));
      return mul(w, div(desired(norms), add(norms, EPSILON)));
    }),
  );
}

export interface MaxNormArgs {
  /** Largest norm allowed; default 2. */
  readonly maxValue?: number;
  /** Axis or axes the norm is taken over; default 0. */
  readonly axis?: Axis;
}

/** Rescales the slices whose norm over `axis` exceeds `maxValue` down to it. */
export function maxNorm(args: MaxNormArgs = {}): Constraint<'MaxNorm'> {
  const where = 'constraints.maxNorm';
  const maxValue = args.maxValue ?? 2;
  check(where, 'maxValue', maxValue, maxValue >= 0, 'a non-negative finite number');
  const config: MaxNormConfig = { maxValue, axis: checkAxis(where, args.axis ?? 0) };
  return {
    className: 'MaxNorm',
    apply: (w) => project(where, w, config.axis, (norms) => clipByValue(norms, 0, maxValue)),
    getConfig: () => config,
  };
}

/** Sets negative weights to zero. */
export function nonNeg(): Constraint<'NonNeg'> {
  return {
    className: 'NonNeg',
    apply: (w) => noGrad(() => tidy(() => maximum(w, 0))),
    getConfig: () => ({}),
  };
}

export interface UnitNormArgs {
  /** Axis or axes the norm is taken over; default 0. */
  readonly axis?: Axis;
}

/** Rescales each slice over `axis` to unit norm. */
export function unitNorm(args: UnitNormArgs = {}): Constraint<'UnitNorm'> {
  const where = 'constraints.unitNorm';
  const config: UnitNormConfig = { axis: checkAxis(where, args.axis ?? 0) };
  return {
    className: 'UnitNorm',
    apply: (w) => project(where, w, config.axis, () => 1),
    getConfig: () => config,
  };
}

export interface MinMaxNormArgs {
  /** Smallest norm allowed; default 0. */
  readonly minValue?: number;
  /** Largest norm allowed; default 1. */
  readonly maxValue?: number;
  /** 1 enforces the bounds at once; below 1 moves the norm that fraction of the way into them. Default 1. */
  readonly rate?: number;
  /** Axis or axes the norm is taken over; default 0. */
  readonly axis?: Axis;
}

/** Moves the norm of each slice over `axis` into [minValue, maxValue], at `rate`. */
export function minMaxNorm(args: MinMaxNormArgs = {}): Constraint<'MinMaxNorm'> {
  const where = 'constraints.minMaxNorm';
  const { minValue = 0, maxValue = 1, rate = 1 } = args;
  check(where, 'minValue', minValue, minValue >= 0, 'a non-negative finite number');
  check(where, 'maxValue', maxValue, maxValue >= minValue, `a finite number ≥ minValue (${minValue})`);
  check(where, 'rate', rate, rate >= 0 && rate <= 1, 'a number in [0, 1]');
  const config: MinMaxNormConfig = { minValue, maxValue, rate, axis: checkAxis(where, args.axis ?? 0) };
  return {
    className: 'MinMaxNorm',
    apply: (w) =>
      project(where, w, config.axis, (norms) =>
        add(mul(clipByValue(norms, minValue, maxValue), rate), mul(norms, 1 - rate)),
      ),
    getConfig: () => config,
  };
}

type Builder = (config: ConfigDict, where: string) => Constraint;

/** tfjs's identifiers → builders from a camel-cased config. */
const BUILDERS: Readonly<Record<string, Builder>> = {
  maxNorm: (config, where) =>
    maxNorm({ maxValue: optionalNumber(config, 'maxValue', where), axis: optionalAxis(config, 'axis', where) }),
  nonNeg: () => nonNeg(),
  unitNorm: (config, where) => unitNorm({ axis: optionalAxis(config, 'axis', where) }),
  minMaxNorm: (config, where) =>
    minMaxNorm({
      minValue: optionalNumber(config, 'minValue', where),
      maxValue: optionalNumber(config, 'maxValue', where),
      rate: optionalNumber(config, 'rate', where),
      axis: optionalAxis(config, 'axis', where),
    }),
};

const KNOWN = Object.keys(BUILDERS);
const BY_KEY = new Map(KNOWN.map((name) => [lookupKey(name), name]));

function build(name: string, config: ConfigDict, where: string): Constraint {
  const known = BY_KEY.get(lookupKey(name));
  const builder = known === undefined ? undefined : BUILDERS[known];
  if (builder === undefined) throw unknownName(where, 'constraint', name, KNOWN);
  return builder(config, `${where} '${name}'`);
}

/** What a layer option accepts: a name, a constraint, or a serialized constraint. */
export type ConstraintIdentifier = string | Constraint | SerializedInput;

/**
 * A constraint from a name (`'maxNorm'`, `'max_norm'`, `'MaxNorm'`: defaults), a serialized object, or a
 * constraint.
 */
export function getConstraint(identifier: ConstraintIdentifier): Constraint {
  if (typeof identifier === 'string') return build(identifier, {}, 'getConstraint');
  if ('apply' in identifier) return identifier;
  return deserializeConstraint(identifier);
}

/** Rebuilds a constraint from `{className, config}` (tfjs form) or `{class_name, config}` (Keras form). */
export function deserializeConstraint(serialized: SerializedInput): Constraint {
  const { className, config } = readSerialized(serialized, 'deserializeConstraint');
  return build(className, config, 'deserializeConstraint');
}

/** `{className, config}`, as tfjs writes it. */
export function serializeConstraint<Name extends ConstraintClassName>(
  constraint: Constraint<Name>,
): Serialized<Name, ConstraintConfigs[Name]> {
  return { className: constraint.className, config: { ...constraint.getConfig() } };
}
