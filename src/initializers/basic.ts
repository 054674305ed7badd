/** Constant and plain random initializers: zeros, ones, constant, randomUniform, randomNormal, truncatedNormal. */
import { fill, tensor } from '../ops/creation.js';
import type { Random } from '../random.js';
import { assertValidShape, type Shape, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { check } from '../serialization.js';
import {
  type ConstantConfig,
  type EmptyConfig,
  generatorFor,
  type Initializer,
  type RandomNormalConfig,
  type RandomUniformConfig,
  type SeedArgs,
} from './types.js';

/** Values drawn one by one from a seeded generator (see `generatorFor`), as a tensor of `shape`. */
export function drawTensor(
  shape: Shape,
  where: string,
  seed: number | null,
  seeds: Random | undefined,
  draw: (random: Random) => number,
): Tensor {
  assertValidShape(shape, where);
  const random = generatorFor(seed, seeds);
  const values = new Float32Array(sizeOf(shape));
  for (let i = 0; i < values.length; i++) values[i] = draw(random);
  return tensor(values, shape);
}

/** A normal draw, redrawn until it lies within 2 stddev of the mean (tfjs's and TensorFlow's truncated normal). */
export function truncatedNormalDraw(random: Random, mean: number, stddev: number): number {
  for (;;) {
    const z = random.normal();
    if (Math.abs(z) <= 2) return mean + stddev * z;
  }
}

export function checkSeed(where: string, seed: number | null | undefined): number | null {
  if (seed === undefined || seed === null) return null;
  check(where, 'seed', seed, true, 'a finite number or null');
  return seed;
}

const EMPTY: EmptyConfig = Object.freeze({});

/** All zeros. */
export function zeros(): Initializer<'Zeros'> {
  return { className: 'Zeros', apply: (shape) => fill(shape, 0), getConfig: () => EMPTY };
}

/** All ones. */
export function ones(): Initializer<'Ones'> {
  return { className: 'Ones', apply: (shape) => fill(shape, 1), getConfig: () => EMPTY };
}

export interface ConstantArgs {
  /** The value of every element. */
  readonly value: number;
}

/** Every element `value`. */
export function constant(args: ConstantArgs): Initializer<'Constant'> {
  check('initializers.constant', 'value', args.value, true, 'a finite number');
  const config: ConstantConfig = { value: args.value };
  return { className: 'Constant', apply: (shape) => fill(shape, config.value), getConfig: () => config };
}

export interface RandomUniformArgs extends SeedArgs {
  /** Lower bound (inclusive); default −0.05. */
  readonly minval?: number;
  /** Upper bound (exclusive); default 0.05. */
  readonly maxval?: number;
}

/** Uniform in [minval, maxval). */
export function randomUniform(args: RandomUniformArgs = {}): Initializer<'RandomUniform'> {
  const where = 'initializers.randomUniform';
  const minval = args.minval ?? -0.05;
  const maxval = args.maxval ?? 0.05;
  check(where, 'minval', minval, true, 'a finite number');
  check(where, 'maxval', maxval, maxval > minval, `a finite number greater than minval (${minval})`);
  const config: RandomUniformConfig = { minval, maxval, seed: checkSeed(where, args.seed) };
  return {
    className: 'RandomUniform',
    apply: (shape, seeds) => drawTensor(shape, where, config.seed, seeds, (r) => r.uniform(minval, maxval)),
    getConfig: () => config,
  };
}

export interface RandomNormalArgs extends SeedArgs {
  /** Default 0. */
  readonly mean?: number;
  /** Default 0.05; must be positive. */
  readonly stddev?: number;
}

function normalConfig(where: string, args: RandomNormalArgs): RandomNormalConfig {
  const mean = args.mean ?? 0;
  const stddev = args.stddev ?? 0.05;
  check(where, 'mean', mean, true, 'a finite number');
  check(where, 'stddev', stddev, stddev > 0, 'a positive finite number');
  return { mean, stddev, seed: checkSeed(where, args.seed) };
}

/** Normal with the given mean and stddev. */
export function randomNormal(args: RandomNormalArgs = {}): Initializer<'RandomNormal'> {
  const where = 'initializers.randomNormal';
  const config = normalConfig(where, args);
  return {
    className: 'RandomNormal',
    apply: (shape, seeds) =>
      drawTensor(shape, where, config.seed, seeds, (r) => config.mean + config.stddev * r.normal()),
    getConfig: () => config,
  };
}

/**
 * Normal with the given mean and stddev, values beyond 2 stddev redrawn (as Keras and tfjs): the result has
 * variance ≈ 0.774 · stddev², since `stddev` is the normal's before truncation.
 */
export function truncatedNormal(args: RandomNormalArgs = {}): Initializer<'TruncatedNormal'> {
  const where = 'initializers.truncatedNormal';
  const config = normalConfig(where, args);
  return {
    className: 'TruncatedNormal',
    apply: (shape, seeds) =>
      drawTensor(shape, where, config.seed, seeds, (r) => truncatedNormalDraw(r, config.mean, config.stddev)),
    getConfig: () => config,
  };
}
