/**
 * Dropout and SpatialDropout2D (Keras): inverted dropout while training, y = x · mask / (1 − rate) with
 * mask ~ Bernoulli(1 − rate), and the identity at inference (https://jmlr.org/papers/v15/srivastava14a.html).
 *
 * Where the mask's random numbers come from, first match wins:
 *   1. the layer's own `seed`: a generator made from it when the layer is constructed, advancing with each
 *      training call (so masks differ from step to step, and a rebuilt layer repeats the same sequence; its state
 *      can be saved and restored with get/setRandomState);
 *   2. `context.random`, the model's seeded generator;
 * With neither, a training call fails: masks drawn from a hidden generator could not be repeated. (fit and
 * trainOnBatch always pass the model's generator; predict and evaluate do not drop.)
 */
import { StateError } from '../errors.js';
import { dropout } from '../ops/dropout.js';
import { Random } from '../random.js';
import type { Tensor } from '../tensor.js';
import {
  type BaseLayerConfig,
  type CallContext,
  formatSymbolicShape,
  Layer,
  type LayerArgs,
  type SymbolicShape,
} from './layer.js';
import { channelsLast, isArray } from './options.js';
import { type ArgsOf, optional, required, type SavedOptions, type Spec } from './spec.js';

/** The options both dropout layers share (spread into each spec in its config order). */
const RATE = {
  /** Fraction of values dropped, in [0, 1). */
  rate: required((rate: number, { fail }): number =>
    typeof rate === 'number' && Number.isFinite(rate) && rate >= 0 && rate < 1
      ? rate
      : fail('a number in [0, 1)', String(rate)),
  ),
};
const SEED = {
  /** Seeds this layer's own generator (see the file comment for which generator wins). */
  seed: optional<number | null, number | null>(null, (seed, { fail }) =>
    seed === null || (typeof seed === 'number' && Number.isFinite(seed))
      ? seed
      : fail('a finite number or null', String(seed)),
  ),
};
type RateSpec = typeof RATE & typeof SEED & Spec;

/** Rate, seed and the training-only call that both dropout layers share; subclasses give the mask's shape. */
export abstract class RateDropout<S extends RateSpec> extends Layer<S> {
  private readonly ownRandom: Random | null;

  constructor(args: LayerArgs & ArgsOf<S>, spec: S) {
    super(args, spec);
    const seed = this.options.seed;
    this.ownRandom = seed === null ? null : new Random(seed);
  }

  /**
   * The state of the layer's own generator (`Random.getState`), or null when it has no `seed` and draws from the
   * model's generator. Training checkpoints save it, so a resumed run draws the masks the uninterrupted one would.
   */
  getRandomState(): readonly number[] | null {
    return this.ownRandom?.getState() ?? null;
  }

  /** Restores the layer's own generator from `getRandomState()`; a layer without a `seed` has none to restore. */
  setRandomState(state: readonly number[]): void {
    if (this.ownRandom === null) {
      throw new StateError(this.where, "setRandomState needs the layer's own generator, but it has no `seed`");
    }
    this.ownRandom.setState(state);
  }

  /** The mask's shape for x (a 1 shares one draw along that axis); undefined for x's own shape. */
  protected abstract maskShape(x: Tensor): readonly number[] | undefined;

  protected override call(x: Tensor, context: CallContext): Tensor {
    const { rate } = this.options;
    if (!context.training || rate === 0) return x;
    const random = this.ownRandom ?? context.random;
    if (random === undefined) {
      throw new StateError(
        this.where,
        'training needs a generator for the masks: give the layer a `seed`, ' +
          "or call it with `{ training: true, random }` (fit and trainOnBatch pass the model's)",
      );
    }
    return dropout(x, rate, random, this.maskShape(x));
  }
}

const DROPOUT_OPTIONS = {
  ...RATE,
  /** The mask's shape (default x's), broadcast against x; null entries take x's size
   * (`[null, 1]` on [N, C] drops whole rows). */
  noiseShape: optional<readonly (number | null)[] | null, readonly (number | null)[] | null>(
    null,
    (noiseShape, { fail }) => {
      if (noiseShape === null) return null;
      const valid = isArray(noiseShape) && noiseShape.every((d) => d === null || (Number.isInteger(d) && d > 0));
      return valid ? [...noiseShape] : fail('an array of positive integers or nulls', noiseShape);
    },
  ),
  ...SEED,
};

export type DropoutArgs = LayerArgs & ArgsOf<typeof DROPOUT_OPTIONS>;
export type DropoutConfig = BaseLayerConfig & SavedOptions<typeof DROPOUT_OPTIONS>;

/** Drops single values (or, with `noiseShape`, slices) of any input. */
export class Dropout extends RateDropout<typeof DROPOUT_OPTIONS> {
  static override readonly className = 'Dropout';

  constructor(args: DropoutArgs) {
    super(args, DROPOUT_OPTIONS);
  }

  protected maskShape(x: Tensor): readonly number[] | undefined {
    return this.options.noiseShape?.map((d, i) => d ?? x.shape[i] ?? 1);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const noise = this.options.noiseShape;
    if (noise !== null && noise.length !== inputShape.length) {
      this.fail(
        'noiseShape',
        `of the input's rank ${inputShape.length} (input ${formatSymbolicShape(inputShape)})`,
        noise,
      );
    }
    return inputShape;
  }
}

const SPATIAL_DROPOUT2D_OPTIONS = {
  ...RATE,
  ...SEED,
  /** Only 'channelsLast' (the default). */
  dataFormat: channelsLast,
};

export type SpatialDropout2DArgs = LayerArgs & ArgsOf<typeof SPATIAL_DROPOUT2D_OPTIONS>;
export type SpatialDropout2DConfig = BaseLayerConfig & SavedOptions<typeof SPATIAL_DROPOUT2D_OPTIONS>;

/**
 * Drops whole channels (mask [N, 1, 1, C] on x: [N, H, W, C]): after a convolution neighbouring pixels are
 * correlated, so dropping single pixels regularizes little (https://arxiv.org/abs/1411.4280).
 */
export class SpatialDropout2D extends RateDropout<typeof SPATIAL_DROPOUT2D_OPTIONS> {
  static override readonly className = 'SpatialDropout2D';

  constructor(args: SpatialDropout2DArgs) {
    super(args, SPATIAL_DROPOUT2D_OPTIONS);
  }

  protected maskShape(x: Tensor): readonly number[] {
    const [batch = 1, , , channels = 1] = x.shape;
    return [batch, 1, 1, channels];
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (inputShape.length !== 4) this.rejectInput('rank 4 [batch, height, width, channels]', inputShape);
    return inputShape;
  }
}
