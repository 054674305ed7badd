/** ZeroPadding2D: adds rows and columns of zeros around each image of an NHWC batch (Keras `ZeroPadding2D`). */
import { pad } from '../ops/transform.js';
import type { Tensor } from '../tensor.js';
import { type BaseLayerConfig, type CallContext, Layer, type LayerArgs, type SymbolicShape } from './layer.js';

/** Keras forms: n (all sides), [rows, cols] (symmetric), or [[top, bottom], [left, right]]. */
export type Padding2D = number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]];

export interface ZeroPadding2DArgs extends LayerArgs {
  readonly padding?: Padding2D;
}

export interface ZeroPadding2DConfig extends BaseLayerConfig {
  /** [[top, bottom], [left, right]]. */
  readonly padding: readonly [readonly [number, number], readonly [number, number]];
}

export class ZeroPadding2D extends Layer<ZeroPadding2DConfig> {
  static readonly className = 'ZeroPadding2D';
  readonly className = ZeroPadding2D.className;
  readonly padding: readonly [readonly [number, number], readonly [number, number]];

  constructor(args: ZeroPadding2DArgs = {}) {
    super(args, 'ZeroPadding2D');
    const p = args.padding ?? 1;
    const resolved: readonly [readonly [number, number], readonly [number, number]] = typeof p === 'number' ? [[p, p], [p, p]]
      : typeof p[0] === 'number' && typeof p[1] === 'number' ? [[p[0], p[0]], [p[1], p[1]]]
      : typeof p[0] !== 'number' && typeof p[1] !== 'number' ? [p[0], p[1]] : [[-1, -1], [-1, -1]];
    if (resolved.flat().some((n) => !Number.isInteger(n) || n < 0)) {
      this.fail('padding', 'a non-negative integer, [rows, cols] or [[top, bottom], [left, right]]', p);
    }
    this.padding = resolved;
  }

  static fromConfig(config: ZeroPadding2DConfig): ZeroPadding2D {
    return new ZeroPadding2D(config);
  }

  protected override call(x: Tensor, _context: CallContext): Tensor {
    const [rows, cols] = this.padding;
    return pad(x, [[0, 0], rows, cols, [0, 0]]);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (inputShape.length !== 4) this.fail('input shape', 'rank 4 [batch, height, width, channels]', inputShape);
    const [[top, bottom], [left, right]] = this.padding;
    const [batch, height, width, channels] = inputShape;
    return [batch ?? null, height == null ? null : height + top + bottom, width == null ? null : width + left + right, channels ?? null];
  }

  getConfig(): ZeroPadding2DConfig {
    return { ...this.baseConfig(), padding: this.padding };
  }
}
