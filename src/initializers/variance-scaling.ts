/**
 * The variance-scaling family (Glorot, He, LeCun), as TensorFlow.js 4.22 defines it.
 *
 * n = fanIn, fanOut or (fanIn + fanOut) / 2 by `mode` (at least 1); then
 *   uniform:            U(−limit, limit), limit = sqrt(3 · scale / n)         (variance scale / n)
 *   normal (tfjs):      N(0, scale / n) truncated at 2 stddev                  (variance ≈ 0.774 · scale / n)
 *   truncatedNormal:    as normal with stddev / 0.87962566103423978 (Keras 2)  (variance scale / n)
 *   untruncatedNormal:  N(0, scale / n)                                         (variance scale / n)
 * Glorot & Bengio 2010, https://proceedings.mlr.press/v9/glorot10a.html; He et al. 2015, https://arxiv.org/abs/1502.01852.
 */
import type { Shape } from '../shape.js';
import { checkSeed, drawTensor, truncatedNormalDraw } from './basic.js';
import { check } from '../serialization.js';
import type { Distribution, FanMode, Initializer, SeedArgs, VarianceScalingConfig } from './types.js';

/** The stddev of a standard normal truncated at ±2 (Keras's correction constant). */
export const TRUNCATED_NORMAL_STDDEV = 0.87962566103423978;

export const FAN_MODES: readonly FanMode[] = ['fanIn', 'fanOut', 'fanAvg'];
export const DISTRIBUTIONS: readonly Distribution[] = ['normal', 'truncatedNormal', 'untruncatedNormal', 'uniform'];

/**
 * [fanIn, fanOut] of a weight shape, as tfjs computes them: dense [in, out] → [in, out]; conv kernels
 * [...kernel, in, out] (rank 3 to 5) → [in · r, out · r] with r the product of the kernel dims; any other rank
 * → [sqrt(size), sqrt(size)].
 */
export function computeFans(shape: Shape): [number, number] {
  const size = shape.reduce((n, d) => n * d, 1);
  if (shape.length === 2) return [shape[0] ?? 1, shape[1] ?? 1];
  if (shape.length >= 3 && shape.length <= 5) {
    const receptiveField = shape.slice(0, -2).reduce((n, d) => n * d, 1);
    return [(shape[shape.length - 2] ?? 1) * receptiveField, (shape[shape.length - 1] ?? 1) * receptiveField];
  }
  return [Math.sqrt(size), Math.sqrt(size)];
}

export interface VarianceScalingArgs extends SeedArgs {
  /** Default 1; must be positive. */
  readonly scale?: number;
  /** Default 'fanIn'. */
  readonly mode?: FanMode;
  /** Default 'normal' (tfjs's uncorrected truncated normal). */
  readonly distribution?: Distribution;
}

/** `value` as a FanMode, or an error listing the modes. */
export function checkFanMode(where: string, value: string): FanMode {
  const mode = FAN_MODES.find((m) => m === value);
  if (mode === undefined)
    throw new Error(`${where}: \`mode\` must be one of ${FAN_MODES.join(', ')}, received '${value}'`);
  return mode;
}

/** `value` as a Distribution, or an error listing the distributions. */
export function checkDistribution(where: string, value: string): Distribution {
  const distribution = DISTRIBUTIONS.find((d) => d === value);
  if (distribution === undefined) {
    throw new Error(`${where}: \`distribution\` must be one of ${DISTRIBUTIONS.join(', ')}, received '${value}'`);
  }
  return distribution;
}

/** Random values whose variance scales with 1 / fan (see the module comment). */
export function varianceScaling(args: VarianceScalingArgs = {}): Initializer<'VarianceScaling'> {
  return makeVarianceScaling('initializers.varianceScaling', args);
}

function makeVarianceScaling(where: string, args: VarianceScalingArgs): Initializer<'VarianceScaling'> {
  const scale = args.scale ?? 1;
  check(where, 'scale', scale, scale > 0, 'a positive finite number');
  const mode = checkFanMode(where, args.mode ?? 'fanIn');
  const distribution = checkDistribution(where, args.distribution ?? 'normal');
  const config: VarianceScalingConfig = { scale, mode, distribution, seed: checkSeed(where, args.seed) };
  return {
    className: 'VarianceScaling',
    apply: (shape, seeds) => {
      const [fanIn, fanOut] = computeFans(shape);
      const n = Math.max(1, mode === 'fanIn' ? fanIn : mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2);
      const variance = scale / n;
      switch (distribution) {
        case 'uniform': {
          const limit = Math.sqrt(3 * variance);
          return drawTensor(shape, where, config.seed, seeds, (r) => r.uniform(-limit, limit));
        }
        case 'normal':
          return drawTensor(shape, where, config.seed, seeds, (r) => truncatedNormalDraw(r, 0, Math.sqrt(variance)));
        case 'truncatedNormal': {
          const stddev = Math.sqrt(variance) / TRUNCATED_NORMAL_STDDEV;
          return drawTensor(shape, where, config.seed, seeds, (r) => truncatedNormalDraw(r, 0, stddev));
        }
        case 'untruncatedNormal': {
          const stddev = Math.sqrt(variance);
          return drawTensor(shape, where, config.seed, seeds, (r) => stddev * r.normal());
        }
      }
    },
    getConfig: () => config,
  };
}

/** A named member of the family: fixed scale, mode and distribution; only the seed is an option. */
function family(name: string, scale: number, mode: FanMode, distribution: Distribution) {
  return (args: SeedArgs = {}): Initializer<'VarianceScaling'> =>
    makeVarianceScaling(`initializers.${name}`, { scale, mode, distribution, seed: args.seed ?? null });
}

/** Glorot (Xavier) uniform: limit sqrt(6 / (fanIn + fanOut)). */
export const glorotUniform = family('glorotUniform', 1, 'fanAvg', 'uniform');

/** Glorot (Xavier) normal: truncated normal, stddev sqrt(2 / (fanIn + fanOut)) before truncation (tfjs). */
export const glorotNormal = family('glorotNormal', 1, 'fanAvg', 'normal');

/** He uniform: limit sqrt(6 / fanIn). */
export const heUniform = family('heUniform', 2, 'fanIn', 'uniform');

/** He normal: truncated normal, stddev sqrt(2 / fanIn) before truncation (tfjs). */
export const heNormal = family('heNormal', 2, 'fanIn', 'normal');

/** LeCun uniform: limit sqrt(3 / fanIn). */
export const leCunUniform = family('leCunUniform', 1, 'fanIn', 'uniform');

/** LeCun normal: truncated normal, stddev sqrt(1 / fanIn) before truncation (tfjs). */
export const leCunNormal = family('leCunNormal', 1, 'fanIn', 'normal');
