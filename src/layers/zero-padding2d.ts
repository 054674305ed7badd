/** ZeroPadding2D: adds rows and columns of zeros around each image of an NHWC batch (Keras `ZeroPadding2D`). */
import { pad } from '../ops/transform.js';
import type { Tensor } from '../tensor.js';
import { type BaseLayerConfig, type CallContext, Layer, type LayerArgs, type SymbolicShape } from './layer.js';
import { type ArgsOf, type OptionContext, optional, type SavedOptions } from './spec.js';

/** Keras forms: n (all sides), [rows, cols] (symmetric), or [[top, bottom], [left, right]] (also Cropping2D's). */
export type Padding2D =
  number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]];
type Sides = readonly [readonly [number, number], readonly [number, number]];

export function sides(p: Padding2D, { fail }: OptionContext): Sides {
  const resolved: Sides =
    typeof p === 'number'
      ? [
          [p, p],
          [p, p],
        ]
      : typeof p[0] === 'number' && typeof p[1] === 'number'
        ? [
            [p[0], p[0]],
            [p[1], p[1]],
          ]
        : typeof p[0] !== 'number' && typeof p[1] !== 'number'
          ? [p[0], p[1]]
          : [
              [-1, -1],
              [-1, -1],
            ];
  const valid = resolved.flat().every((n) => Number.isInteger(n) && n >= 0);
  return valid ? resolved : fail('a non-negative integer, [rows, cols] or [[top, bottom], [left, right]]', p);
}

const ZERO_PADDING2D_OPTIONS = {
  /** Default 1; the config holds [[top, bottom], [left, right]]. */
  padding: optional(1, sides),
};

export type ZeroPadding2DArgs = LayerArgs & ArgsOf<typeof ZERO_PADDING2D_OPTIONS>;
export type ZeroPadding2DConfig = BaseLayerConfig & SavedOptions<typeof ZERO_PADDING2D_OPTIONS>;

export class ZeroPadding2D extends Layer<typeof ZERO_PADDING2D_OPTIONS> {
  static override readonly className = 'ZeroPadding2D';

  constructor(args: ZeroPadding2DArgs = {}) {
    super(args, ZERO_PADDING2D_OPTIONS);
  }

  protected override call(x: Tensor, _context: CallContext): Tensor {
    const [rows, cols] = this.options.padding;
    return pad(x, [[0, 0], rows, cols, [0, 0]]);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (inputShape.length !== 4)
      this.rejectInput('rank 4 [batch, height, width, channels]', JSON.stringify(inputShape));
    const [[top, bottom], [left, right]] = this.options.padding;
    const [batch, height, width, channels] = inputShape;
    return [
      batch ?? null,
      height == null ? null : height + top + bottom,
      width == null ? null : width + left + right,
      channels ?? null,
    ];
  }
}
