/** The initializer interface, its configs (tfjs field names), and where unseeded initializers get their seeds. */
import { Random } from '../random.js';
import type { Shape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import type { Serialized } from '../serialization.js';

/** Which fan the variance-scaling family divides by. */
export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';

/**
 * The variance-scaling family's distribution. 'normal' is tfjs's: a normal truncated at 2 stddev, stddev
 * sqrt(scale / n) *before* truncation (so the variance is ≈ 0.774 · scale / n). 'truncatedNormal' is Keras 2's
 * corrected form (stddev divided by 0.87962566103423978, variance scale / n). 'untruncatedNormal' is a plain normal.
 */
export type Distribution = 'normal' | 'truncatedNormal' | 'untruncatedNormal' | 'uniform';

export type EmptyConfig = Readonly<Record<string, never>>;

// Configs are type aliases, not interfaces, so they stay assignable to ConfigDict (a JSON object): a layer's config
// stores them and fromConfig reads them back through the registries.
export type ConstantConfig = {
  readonly value: number;
};

export type RandomUniformConfig = {
  readonly minval: number;
  readonly maxval: number;
  /** null: a fresh seed per `apply` (see `generatorFor`). */
  readonly seed: number | null;
};

export type RandomNormalConfig = {
  readonly mean: number;
  readonly stddev: number;
  readonly seed: number | null;
};

export type VarianceScalingConfig = {
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: Distribution;
  readonly seed: number | null;
};

/** Each serialized class name (as tfjs writes it) and its config. */
export interface InitializerConfigs {
  Zeros: EmptyConfig;
  Ones: EmptyConfig;
  Constant: ConstantConfig;
  RandomUniform: RandomUniformConfig;
  RandomNormal: RandomNormalConfig;
  TruncatedNormal: RandomNormalConfig;
  VarianceScaling: VarianceScalingConfig;
}

export type InitializerClassName = keyof InitializerConfigs;

/**
 * Makes a weight's initial values. `className` is the name tfjs serializes it under: glorot, he and lecun
 * initializers are all 'VarianceScaling', as in tfjs and Keras 2.
 */
export interface Initializer<Name extends InitializerClassName = InitializerClassName> {
  readonly className: Name;
  /**
   * A new tensor of the given shape. Seeded initializers return the same values on every call; unseeded ones take a
   * fresh seed from `seeds` (a model's generator), or from Math.random without one.
   */
  apply(shape: Shape, seeds?: Random): Tensor;
  getConfig(): InitializerConfigs[Name];
}

/** `{className, config}`, the form tfjs writes in a model file. */
export type InitializerSerialization<Name extends InitializerClassName = InitializerClassName> = {
  [K in Name]: Serialized<K, InitializerConfigs[K]>;
}[Name];

/** The option every random initializer takes. */
export interface SeedArgs {
  /** Seed for the draws; without one, each `apply` takes a fresh seed (see `generatorFor`). */
  readonly seed?: number | null;
}

/**
 * The generator for one `apply`: from the initializer's own seed, else from a seed drawn from `seeds`, else from
 * Math.random.
 *
 * There is no process-wide default generator on purpose: whoever builds the weights passes `seeds` (a Sequential
 * passes its own, seeded by its `seed` option), so a model's weights depend on its seed and its layers only, never on
 * what was built before it in the process. Without `seeds`, unseeded weights differ from run to run, as in Keras
 * without `set_random_seed`.
 */
export function generatorFor(seed: number | null, seeds: Random | undefined): Random {
  if (seed !== null) return new Random(seed);
  return new Random(seeds === undefined ? Math.floor(Math.random() * 4294967296) : seeds.nextUint32());
}
