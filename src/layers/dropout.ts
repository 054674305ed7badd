/**
 * Dropout and SpatialDropout2D (Keras): inverted dropout while training, y = x · mask / (1 − rate) with
 * mask ~ Bernoulli(1 − rate), and the identity at inference (https://jmlr.org/papers/v15/srivastava14a.html).
 *
 * Where the mask's random numbers come from, first match wins:
 *   1. the layer's own `seed`: a generator made from it when the layer is constructed, advancing with each
 *      training call (so masks differ from step to step, and a rebuilt layer repeats the same sequence; its state
 *      can be saved and restored with get/setRandomState);
 *   2. `context.random`, the model's seeded generator;
 *   3. a module-level generator seeded from Math.random: masks are then NOT repeatable between runs.
 */
import { dropout } from '../ops/dropout.js';
import { Random } from '../random.js';
import type { Tensor } from '../tensor.js';
import { CHANNELS_LAST_ONLY, type DataFormat, isChannelsLast } from './conv2d.js';
import { type BaseLayerConfig, type CallContext, formatSymbolicShape, Layer, type LayerArgs,
  type SymbolicShape } from './layer.js';

const fallbackRandom = new Random(Math.floor(Math.random() * 4294967296));

export interface RateArgs extends LayerArgs {
  /** Fraction of values dropped, in [0, 1). */
  readonly rate: number;
  /** Seeds this layer's own generator (see the file comment for which generator wins). */
  readonly seed?: number | null;
}

/** Rate, seed and the training-only call that both dropout layers share; subclasses give the mask's shape. */
export abstract class RateDropout<Config extends BaseLayerConfig> extends Layer<Config> {
  readonly rate: number;
  readonly seed: number | null;
  private readonly ownRandom: Random | null;

  constructor(args: RateArgs, prefix: string) {
    super(args, prefix);
    if (!(typeof args.rate === 'number' && Number.isFinite(args.rate) && args.rate >= 0 && args.rate < 1)) {
      this.fail('rate', 'a number in [0, 1)', String(args.rate));
    }
    this.rate = args.rate;
    const seed = args.seed ?? null;
    if (seed !== null && !(typeof seed === 'number' && Number.isFinite(seed))) {
      this.fail('seed', 'a finite number or null', String(seed));
    }
    this.seed = seed;
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
      throw new Error(`${this.className} '${this.name}': setRandomState needs the layer's own generator, but it has no \`seed\``);
    }
    this.ownRandom.setState(state);
  }

  /** The mask's shape for x (a 1 shares one draw along that axis); undefined for x's own shape. */
  protected abstract maskShape(x: Tensor): readonly number[] | undefined;

  protected override call(x: Tensor, context: CallContext): Tensor {
    if (!context.training || this.rate === 0) return x;
    return dropout(x, this.rate, this.ownRandom ?? context.random ?? fallbackRandom, this.maskShape(x));
  }
}

export interface DropoutArgs extends RateArgs {
  /** The mask's shape (default x's), broadcast against x; null entries take x's size
   * (`[null, 1]` on [N, C] drops whole rows). */
  readonly noiseShape?: readonly (number | null)[] | null;
}

export interface DropoutConfig extends BaseLayerConfig {
  readonly rate: number;
  readonly noiseShape: readonly (number | null)[] | null;
  readonly seed: number | null;
}

// `className` is a getter, not a field, so that the base constructor's errors can name the class (fields are set
// only after it has run).

/** Drops single values (or, with `noiseShape`, slices) of any input. */
export class Dropout extends RateDropout<DropoutConfig> {
  static readonly className = 'Dropout';
  get className(): typeof Dropout.className {
    return Dropout.className;
  }

  readonly noiseShape: readonly (number | null)[] | null;

  constructor(args: DropoutArgs) {
    super(args, 'Dropout');
    const noiseShape = args.noiseShape ?? null;
    if (noiseShape !== null && !(Array.isArray(noiseShape)
      && noiseShape.every((d) => d === null || (Number.isInteger(d) && d > 0)))) {
      this.fail('noiseShape', 'an array of positive integers or nulls', noiseShape);
    }
    this.noiseShape = noiseShape === null ? null : [...noiseShape];
  }

  static fromConfig(config: DropoutConfig): Dropout {
    return new Dropout(config);
  }

  protected maskShape(x: Tensor): readonly number[] | undefined {
    return this.noiseShape?.map((d, i) => d ?? x.shape[i] ?? 1);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const noise = this.noiseShape;
    if (noise !== null && noise.length !== inputShape.length) {
      this.fail('noiseShape', `of the input's rank ${inputShape.length} (input ${formatSymbolicShape(inputShape)})`, noise);
    }
    return inputShape;
  }

  getConfig(): DropoutConfig {
    return { ...this.baseConfig(), rate: this.rate, noiseShape: this.noiseShape, seed: this.seed };
  }
}

export interface SpatialDropout2DArgs extends RateArgs {
  /** Only 'channelsLast' (the default). */
  readonly dataFormat?: DataFormat;
}

export interface SpatialDropout2DConfig extends BaseLayerConfig {
  readonly rate: number;
  readonly seed: number | null;
  readonly dataFormat: 'channelsLast';
}

/**
 * Drops whole channels (mask [N, 1, 1, C] on x: [N, H, W, C]): after a convolution neighbouring pixels are
 * correlated, so dropping single pixels regularizes little (https://arxiv.org/abs/1411.4280).
 */
export class SpatialDropout2D extends RateDropout<SpatialDropout2DConfig> {
  static readonly className = 'SpatialDropout2D';
  get className(): typeof SpatialDropout2D.className {
    return SpatialDropout2D.className;
  }

  constructor(args: SpatialDropout2DArgs) {
    super(args, 'SpatialDropout2D');
    if (!isChannelsLast(args.dataFormat)) this.fail('dataFormat', CHANNELS_LAST_ONLY, JSON.stringify(args.dataFormat));
  }

  static fromConfig(config: SpatialDropout2DConfig): SpatialDropout2D {
    return new SpatialDropout2D(config);
  }

  protected maskShape(x: Tensor): readonly number[] {
    const [batch = 1, , , channels = 1] = x.shape;
    return [batch, 1, 1, channels];
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (inputShape.length !== 4) this.fail('input shape', 'rank 4 [batch, height, width, channels]', formatSymbolicShape(inputShape));
    return inputShape;
  }

  getConfig(): SpatialDropout2DConfig {
    return { ...this.baseConfig(), rate: this.rate, seed: this.seed, dataFormat: 'channelsLast' };
  }
}
