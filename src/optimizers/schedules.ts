/**
 * Learning-rate schedules with Keras 3 semantics: callables from the optimizer step to a learning rate. The step is
 * the optimizer's `iterations` before the update (0 for the first update), as Keras passes it. Each schedule has a
 * JSON config, so an optimizer's config can hold it.
 */
import {
  check,
  type ConfigDict,
  type ConfigValue,
  lookupKey,
  readSerialized,
  type SerializedInput,
  unknownName,
} from '../serialization.js';

/** A learning rate as a function of the step, with a config for saving. Custom schedules may implement this too. */
export interface LearningRateSchedule {
  (step: number): number;
  readonly className: string;
  getConfig(): ConfigDict;
}

/** A schedule's saved form, `{className, config}`. */
export interface SerializedSchedule {
  readonly className: string;
  readonly config: ConfigDict;
}

export type ExponentialDecayConfig = {
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
};

export type PiecewiseConstantDecayConfig = {
  readonly boundaries: readonly number[];
  readonly values: readonly number[];
};

export type CosineDecayConfig = {
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  /** The rate the linear warm-up reaches; null for no warm-up (Keras's `warmup_target=None`). */
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;
};

/** A built-in schedule: its class name and config type are known. */
export type Schedule<Name extends string, Config extends ConfigDict> = LearningRateSchedule & {
  readonly className: Name;
  getConfig(): Config;
};

function makeSchedule<Name extends string, Config extends ConfigDict>(
  where: string,
  className: Name,
  config: Config,
  rate: (step: number) => number,
): Schedule<Name, Config> {
  const schedule = (step: number): number => {
    check(where, 'step', step, step >= 0, 'a non-negative number');
    return rate(step);
  };
  return Object.assign(schedule, { className, getConfig: (): Config => ({ ...config }) });
}

function checkRate(where: string, name: string, value: number): void {
  check(where, name, value, value >= 0, 'a non-negative number');
}

function checkBoolean(where: string, name: string, value: unknown): asserts value is boolean {
  if (typeof value !== 'boolean')
    throw new Error(`${where}: \`${name}\` must be true or false, received ${String(value)}`);
}

export interface ExponentialDecayArgs {
  readonly initialLearningRate: number;
  /** Steps per factor of `decayRate`; positive. */
  readonly decaySteps: number;
  /** Factor per `decaySteps`; positive. */
  readonly decayRate: number;
  /** Decay at whole multiples of `decaySteps` only; default false. */
  readonly staircase?: boolean;
}

/** lr(step) = initialLearningRate · decayRate^(step / decaySteps), the exponent floored when `staircase`. */
export function exponentialDecay(args: ExponentialDecayArgs): Schedule<'ExponentialDecay', ExponentialDecayConfig> {
  const where = 'exponentialDecay';
  const { initialLearningRate, decaySteps, decayRate, staircase = false } = args;
  checkRate(where, 'initialLearningRate', initialLearningRate);
  check(where, 'decaySteps', decaySteps, decaySteps > 0, 'a positive number');
  check(where, 'decayRate', decayRate, decayRate > 0, 'a positive number');
  checkBoolean(where, 'staircase', staircase);
  return makeSchedule(where, 'ExponentialDecay', { initialLearningRate, decaySteps, decayRate, staircase }, (step) => {
    const p = step / decaySteps;
    return initialLearningRate * decayRate ** (staircase ? Math.floor(p) : p);
  });
}

export interface PiecewiseConstantDecayArgs {
  /** Strictly increasing steps where the rate changes. */
  readonly boundaries: readonly number[];
  /** One more value than boundaries. */
  readonly values: readonly number[];
}

/**
 * lr(step) = values[0] for step ≤ boundaries[0], values[i] for boundaries[i−1] < step ≤ boundaries[i],
 * and the last value after the last boundary.
 */
export function piecewiseConstantDecay(
  args: PiecewiseConstantDecayArgs,
): Schedule<'PiecewiseConstantDecay', PiecewiseConstantDecayConfig> {
  const where = 'piecewiseConstantDecay';
  const boundaries = [...args.boundaries];
  const values = [...args.values];
  if (values.length !== boundaries.length + 1) {
    throw new Error(
      `${where}: \`values\` must have one more entry than \`boundaries\`, received ${values.length} values ` +
        `for ${boundaries.length} boundaries`,
    );
  }
  boundaries.forEach((b, i) => {
    const previous = boundaries[i - 1] ?? -Infinity;
    check(where, `boundaries[${i}]`, b, b > previous, `a number greater than the previous boundary (${previous})`);
  });
  values.forEach((v, i) => checkRate(where, `values[${i}]`, v));
  return makeSchedule(where, 'PiecewiseConstantDecay', { boundaries, values }, (step) => {
    const interval = boundaries.findIndex((b) => step <= b);
    return values[interval === -1 ? boundaries.length : interval] ?? 0;
  });
}

export interface CosineDecayArgs {
  readonly initialLearningRate: number;
  /** Steps of the cosine decay (after any warm-up); positive. */
  readonly decaySteps: number;
  /** The final rate as a fraction of the decay's starting rate, in [0, 1]; default 0. */
  readonly alpha?: number;
  /** With a warm-up: the rate it reaches, from which the decay then starts. */
  readonly warmupTarget?: number;
  /** Steps of linear warm-up from `initialLearningRate` to `warmupTarget`; default 0. */
  readonly warmupSteps?: number;
}

/**
 * Linear warm-up, then cosine decay (SGDR, https://arxiv.org/abs/1608.03983), as Keras 3's CosineDecay:
 *   step < warmupSteps:  lr = initial + (warmupTarget − initial) · step / warmupSteps
 *   otherwise, s = min(step − warmupSteps, decaySteps):
 *     lr = start · ((1 − alpha) · ½(1 + cos(π s / decaySteps)) + alpha), start = warmupTarget ?? initial.
 */
export function cosineDecay(args: CosineDecayArgs): Schedule<'CosineDecay', CosineDecayConfig> {
  const where = 'cosineDecay';
  const { initialLearningRate, decaySteps, alpha = 0, warmupSteps = 0 } = args;
  const warmupTarget = args.warmupTarget ?? null;
  checkRate(where, 'initialLearningRate', initialLearningRate);
  check(where, 'decaySteps', decaySteps, decaySteps > 0, 'a positive number');
  check(where, 'alpha', alpha, alpha >= 0 && alpha <= 1, 'in [0, 1]');
  check(where, 'warmupSteps', warmupSteps, Number.isInteger(warmupSteps) && warmupSteps >= 0, 'a non-negative integer');
  if (warmupTarget !== null) checkRate(where, 'warmupTarget', warmupTarget);
  else if (warmupSteps > 0)
    throw new Error(`${where}: \`warmupSteps\` is ${warmupSteps} but no \`warmupTarget\` was given`);
  const start = warmupTarget ?? initialLearningRate;
  const config: CosineDecayConfig = { initialLearningRate, decaySteps, alpha, warmupTarget, warmupSteps };
  return makeSchedule(where, 'CosineDecay', config, (step) => {
    if (warmupTarget !== null && step < warmupSteps) {
      return initialLearningRate + (warmupTarget - initialLearningRate) * (step / warmupSteps);
    }
    const s = Math.min(step - warmupSteps, decaySteps);
    return start * ((1 - alpha) * 0.5 * (1 + Math.cos((Math.PI * s) / decaySteps)) + alpha);
  });
}

// ---- (de)serialization ----

/** `{className, config}` for a schedule. */
export function serializeSchedule(schedule: LearningRateSchedule): SerializedSchedule {
  return { className: schedule.className, config: schedule.getConfig() };
}

function numberIn(config: ConfigDict, key: string, where: string): number | undefined {
  const value = config[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number')
    throw new Error(`${where}: \`${key}\` must be a number, received ${JSON.stringify(value)}`);
  return value;
}

function requiredNumber(config: ConfigDict, key: string, where: string): number {
  const value = numberIn(config, key, where);
  if (value === undefined) throw new Error(`${where}: \`${key}\` is required`);
  return value;
}

function numberList(config: ConfigDict, key: string, where: string): number[] {
  const value: ConfigValue | undefined = config[key];
  const items: readonly unknown[] = Array.isArray(value) ? value : [];
  if (!Array.isArray(value) || !items.every((v): v is number => typeof v === 'number')) {
    throw new Error(`${where}: \`${key}\` must be a list of numbers, received ${JSON.stringify(value)}`);
  }
  return items.filter((v): v is number => typeof v === 'number');
}

const BUILDERS: Readonly<Record<string, (config: ConfigDict, where: string) => LearningRateSchedule>> = {
  ExponentialDecay: (c, where) =>
    exponentialDecay({
      initialLearningRate: requiredNumber(c, 'initialLearningRate', where),
      decaySteps: requiredNumber(c, 'decaySteps', where),
      decayRate: requiredNumber(c, 'decayRate', where),
      staircase: c.staircase === true,
    }),
  PiecewiseConstantDecay: (c, where) =>
    piecewiseConstantDecay({
      boundaries: numberList(c, 'boundaries', where),
      values: numberList(c, 'values', where),
    }),
  CosineDecay: (c, where) =>
    cosineDecay({
      initialLearningRate: requiredNumber(c, 'initialLearningRate', where),
      decaySteps: requiredNumber(c, 'decaySteps', where),
      alpha: numberIn(c, 'alpha', where),
      warmupTarget: numberIn(c, 'warmupTarget', where),
      warmupSteps: numberIn(c, 'warmupSteps', where),
    }),
};

const KNOWN = Object.keys(BUILDERS);

/** Rebuilds a built-in schedule from `{className, config}` (our form, or Keras's with snake_case keys). */
export function deserializeSchedule(serialized: SerializedInput): LearningRateSchedule {
  const { className, config } = readSerialized(serialized, 'deserializeSchedule');
  const known = KNOWN.find((name) => lookupKey(name) === lookupKey(className));
  const builder = known === undefined ? undefined : BUILDERS[known];
  if (builder === undefined) throw unknownName('deserializeSchedule', 'schedule', className, KNOWN);
  return builder(config, `deserializeSchedule '${className}'`);
}

/** True for a schedule (a function with a class name and a config), false for a plain number. */
export function isSchedule(value: unknown): value is LearningRateSchedule {
  return typeof value === 'function' && 'className' in value && 'getConfig' in value;
}
