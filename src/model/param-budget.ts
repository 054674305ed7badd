/**
 * A limit on the parameters a model built from a file or a config may hold, checked layer by layer before each
 * layer allocates its weights: six Dense(16384) layers, or one Dense of 4,000,000 units, would otherwise allocate
 * gigabytes before anything is checked.
 */
import { ConfigError, FormatError } from '../errors.js';
import type { Layer } from '../layers/layer.js';
import type { SymbolicShape } from '../layers/shape.js';

/** The most parameters a loaded or configured model may hold unless the caller raises it (`maxParams`). */
export const MAX_PARAMS = 100_000_000;

/** Options of model loading that bound what a file may make cnnlab allocate. */
export interface LoadLimits {
  /** The most parameters the model may hold; default MAX_PARAMS (100 million, 400 MB of float32). */
  readonly maxParams?: number;
}

const numberOr = (value: unknown, otherwise: number): number => (typeof value === 'number' ? value : otherwise);

/**
 * The parameters `layer` will create when built for inputs of these shapes, from its config (an upper bound for
 * cnnlab's layer classes; 0 for layers without weights). Channels are the last dimension (NHWC).
 */
export function estimateParams(layer: Layer, inputs: readonly SymbolicShape[]): number {
  const saved: object = layer.getConfig();
  // Each class's config has its own fields; those read here are the ones that size weights.
  const config = Object.fromEntries(
    ['kernelSize', 'useBias', 'depthMultiplier', 'units', 'filters'].map((key): [string, unknown] => [
      key,
      Reflect.get(saved, key),
    ]),
  );
  const input = inputs[0] ?? [];
  const channels = numberOr(input[input.length - 1], 1);
  const kernel = config.kernelSize;
  const area = Array.isArray(kernel)
    ? kernel.reduce<number>((n, k) => n * numberOr(k, 1), 1)
    : typeof kernel === 'number'
      ? kernel * kernel
      : 1;
  const bias = (n: number): number => (config.useBias === false ? 0 : n);
  const multiplier = numberOr(config.depthMultiplier, 1);
  const units = config.units ?? config.filters;
  switch (layer.className) {
    case 'BatchNormalization':
      return 4 * channels; // gamma, beta, moving mean and variance
    case 'LayerNormalization':
      return 2 * channels;
    case 'PReLU':
      return input.slice(1).reduce<number>((n, d) => n * numberOr(d, 1), 1);
    case 'DepthwiseConv2D':
      return area * channels * multiplier + bias(channels * multiplier);
    case 'SeparableConv2D':
      return area * channels * multiplier + channels * multiplier * numberOr(units, 1) + bias(numberOr(units, 1));
    default:
      return typeof units === 'number' ? area * channels * units + bias(units) : 0;
  }
}

/**
 * Counts parameters as a model's layers are built, refusing a layer that would take the total past `max`. Its
 * errors carry no place: callers restate them under the layer's label.
 */
export class ParamBudget {
  private used = 0;
  private readonly max: number;

  constructor(limits: LoadLimits = {}) {
    const max = limits.maxParams ?? MAX_PARAMS;
    if (!Number.isSafeInteger(max) || max < 0)
      throw new ConfigError(undefined, `\`maxParams\` must be a non-negative integer, received ${String(max)}`);
    this.max = max;
  }

  /** Before `layer` is built for `inputs`: throws when its estimated parameters would pass the limit. */
  check(layer: Layer, inputs: readonly SymbolicShape[]): void {
    const total = this.used + estimateParams(layer, inputs);
    if (total > this.max) {
      throw new FormatError(
        undefined,
        `the layer would bring the model to ${total} parameters, more than the ${this.max} accepted ` +
          `(MAX_PARAMS; raise it with \`maxParams\`, or --max-params on the command line)`,
      );
    }
  }

  /** After `layer` is built: its real count joins the total. */
  add(layer: Layer): void {
    this.used += layer.countParams();
  }
}
