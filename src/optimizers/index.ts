/**
 * Optimizers, gradient clipping and learning-rate schedules: factories, and a registry that finds an optimizer by
 * name ('adam', case-insensitive) or rebuilds one from `{className, config}`.
 *
 * Defaults follow TensorFlow.js 4.22 where it has them (ε = 1e-7, its float32 epsilon; adam lr 0.001; adamax lr
 * 0.002; adadelta lr 0.001), tfjs-layers' string defaults where `tf.train` has none (sgd and adagrad 0.01, rmsprop
 * 0.001), and Keras 3 for what tfjs lacks (adamw, nadam, amsgrad, clipping, schedules).
 */
import {
  type ConfigDict,
  type ConfigValue,
  lookupKey,
  readSerialized,
  type SerializedInput,
  unknownName,
} from '../serialization.js';
import { Adadelta, type AdadeltaArgs } from './adadelta.js';
import { Adagrad, type AdagradArgs } from './adagrad.js';
import { Adam, type AdamArgs } from './adam.js';
import { Adamax, type AdamaxArgs } from './adamax.js';
import { AdamW, type AdamWArgs } from './adamw.js';
import { Nadam, type NadamArgs } from './nadam.js';
import { type BaseOptimizerConfig, Optimizer, type OptimizerArgs, type SlotSet } from './optimizer.js';
import { RMSProp, type RMSPropArgs } from './rmsprop.js';
import { deserializeSchedule, type LearningRateSchedule } from './schedules.js';
import { SGD, type SGDArgs } from './sgd.js';

export {
  Optimizer,
  type OptimizerArgs,
  type BaseOptimizerConfig,
  type GradientPair,
  type NamedTensor,
  type StepInfo,
  type SlotSet,
} from './optimizer.js';
export { SGD, sgd, type SGDArgs, type SGDConfig } from './sgd.js';
export { Adam, adam, type AdamArgs, type AdamConfig } from './adam.js';
export { AdamW, adamw, type AdamWArgs, type AdamWConfig } from './adamw.js';
export { RMSProp, rmsprop, type RMSPropArgs, type RMSPropConfig } from './rmsprop.js';
export { Adagrad, adagrad, type AdagradArgs, type AdagradConfig } from './adagrad.js';
export { Adadelta, adadelta, type AdadeltaArgs, type AdadeltaConfig } from './adadelta.js';
export { Adamax, adamax, type AdamaxArgs, type AdamaxConfig } from './adamax.js';
export { Nadam, nadam, type NadamArgs, type NadamConfig } from './nadam.js';
export { clipByNorm, clipByGlobalNorm, clipGradients, globalNorm, type ClipArgs } from './clipping.js';
export {
  exponentialDecay,
  piecewiseConstantDecay,
  cosineDecay,
  deserializeSchedule,
  serializeSchedule,
  isSchedule,
  type LearningRateSchedule,
  type SerializedSchedule,
  type Schedule,
  type ExponentialDecayArgs,
  type ExponentialDecayConfig,
  type PiecewiseConstantDecayArgs,
  type PiecewiseConstantDecayConfig,
  type CosineDecayArgs,
  type CosineDecayConfig,
} from './schedules.js';

/** Reads a config's options for a factory; the factory validates the values. */
class ConfigReader {
  constructor(
    private readonly config: ConfigDict,
    private readonly where: string,
  ) {}

  number(key: string): number | undefined {
    const value = this.config[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number')
      throw new Error(`${this.where}: \`${key}\` must be a number, received ${JSON.stringify(value)}`);
    return value;
  }

  boolean(key: string): boolean | undefined {
    const value = this.config[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean')
      throw new Error(`${this.where}: \`${key}\` must be true or false, received ${JSON.stringify(value)}`);
    return value;
  }

  learningRate(): number | LearningRateSchedule | undefined {
    const value = this.config.learningRate;
    if (isConfigObject(value)) return deserializeSchedule(value);
    return this.number('learningRate');
  }

  /** The options every optimizer takes; Keras's `clipnorm`, `clipvalue`, `global_clipnorm` are accepted too. */
  base(): OptimizerArgs {
    return {
      learningRate: this.learningRate(),
      clipNorm: this.number('clipNorm') ?? this.number('clipnorm'),
      clipValue: this.number('clipValue') ?? this.number('clipvalue'),
      globalClipNorm: this.number('globalClipNorm') ?? this.number('globalClipnorm'),
    };
  }
}

function isConfigObject(value: ConfigValue | undefined): value is Readonly<Record<string, ConfigValue>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type Builder = (read: ConfigReader) => Optimizer;

/** Class names (tfjs/Keras) → builders from a config. Unknown config keys (Keras's `name`, `use_ema`…) are ignored. */
const BUILDERS: Readonly<Record<string, Builder>> = {
  SGD: (r) =>
    new SGD({
      ...r.base(),
      momentum: r.number('momentum'),
      nesterov: r.boolean('nesterov') ?? r.boolean('useNesterov'),
    } satisfies SGDArgs),
  Adam: (r) => new Adam({ ...r.base(), ...adamOptions(r) }),
  AdamW: (r) => new AdamW({ ...r.base(), ...adamOptions(r), weightDecay: r.number('weightDecay') } satisfies AdamWArgs),
  RMSProp: (r) =>
    new RMSProp({
      ...r.base(),
      rho: r.number('rho') ?? r.number('decay'),
      momentum: r.number('momentum'),
      epsilon: r.number('epsilon'),
      centered: r.boolean('centered'),
    } satisfies RMSPropArgs),
  Adagrad: (r) =>
    new Adagrad({
      ...r.base(),
      initialAccumulatorValue: r.number('initialAccumulatorValue'),
      epsilon: r.number('epsilon'),
    } satisfies AdagradArgs),
  Adadelta: (r) =>
    new Adadelta({ ...r.base(), rho: r.number('rho'), epsilon: r.number('epsilon') } satisfies AdadeltaArgs),
  Adamax: (r) =>
    new Adamax({
      ...r.base(),
      beta1: r.number('beta1'),
      beta2: r.number('beta2'),
      epsilon: r.number('epsilon'),
    } satisfies AdamaxArgs),
  Nadam: (r) =>
    new Nadam({
      ...r.base(),
      beta1: r.number('beta1'),
      beta2: r.number('beta2'),
      epsilon: r.number('epsilon'),
    } satisfies NadamArgs),
};

function adamOptions(r: ConfigReader): AdamArgs {
  return {
    beta1: r.number('beta1'),
    beta2: r.number('beta2'),
    epsilon: r.number('epsilon'),
    amsgrad: r.boolean('amsgrad'),
  };
}

const KNOWN = Object.keys(BUILDERS);
const BY_KEY = new Map(KNOWN.map((name) => [lookupKey(name), name]));

function build(name: string, config: ConfigDict, where: string): Optimizer {
  const known = BY_KEY.get(lookupKey(name));
  const builder = known === undefined ? undefined : BUILDERS[known];
  if (builder === undefined)
    throw unknownName(
      where,
      'optimizer',
      name,
      KNOWN.map((k) => k.toLowerCase()),
    );
  return builder(new ConfigReader(config, `${where} '${name}'`));
}

/** The serialized form of an optimizer: tfjs's `{className, config}`. */
export interface SerializedOptimizer<Config extends BaseOptimizerConfig = BaseOptimizerConfig> {
  readonly className: string;
  readonly config: Config;
}

export function serializeOptimizer<Config extends BaseOptimizerConfig>(
  optimizer: Optimizer<SlotSet, Config>,
): SerializedOptimizer<Config> {
  return { className: optimizer.className, config: optimizer.getConfig() };
}

/**
 * Rebuilds an optimizer from `{className, config}` (ours, or Keras's with snake_case keys). Slot state is not
 * included.
 */
export function deserializeOptimizer(serialized: SerializedInput): Optimizer {
  const { className, config } = readSerialized(serialized, 'deserializeOptimizer');
  return build(className, config, 'deserializeOptimizer');
}

export type OptimizerIdentifier = string | Optimizer | SerializedInput;

/**
 * An optimizer from a name ('sgd', 'adam', 'adamw', 'rmsprop', 'adagrad', 'adadelta', 'adamax', 'nadam'; any case,
 * with default options), a serialized `{className, config}`, or an optimizer (returned as is).
 */
export function getOptimizer(identifier: OptimizerIdentifier): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  if (typeof identifier === 'string') return build(identifier, {}, 'getOptimizer');
  return deserializeOptimizer(identifier);
}
