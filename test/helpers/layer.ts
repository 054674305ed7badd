/**
 * The one layer test: output shape (against computeOutputShape and a hand-derived expectation), parameter count,
 * the config round trip (also through JSON, as a model file stores it), equal outputs from a rebuilt layer given
 * the same weights, and a gradient check on the input and every trainable weight.
 */
import { expect } from 'vitest';
import {
  type CallContext,
  deserializeLayer,
  type Layer,
  Random,
  type SerializedLayer,
  serializeLayer,
  type Tensor,
  tidy,
} from '../../src/index.js';
import { gradcheck, type GradcheckOptions, randomInput } from './gradcheck.js';

export interface LayerCheck<L extends Layer> {
  /** The layer under test. */
  readonly layer: L;
  /** Rebuilds a layer from a config; default: the registry (`deserializeLayer`), as model files are read. */
  readonly fromConfig?: (config: ReturnType<L['getConfig']>) => Layer;
  /** Input shape, batch included. */
  readonly inputShape: readonly number[];
  /** Output shape, batch included, derived by hand in the test. */
  readonly outputShape: readonly number[];
  /** Parameter count, derived by hand in the test. */
  readonly params: number;
  readonly training?: boolean;
  /** Input values are drawn uniformly from this range (pick one away from kinks). */
  readonly inputRange?: readonly [number, number];
  readonly gradcheck?: GradcheckOptions | false;
  readonly seed?: number;
}

export function checkLayer<L extends Layer>(check: LayerCheck<L>): void {
  const { layer, inputShape, outputShape, params, training = false, seed = 1 } = check;
  const [lo, hi] = check.inputRange ?? [-1, 1];
  const x = randomInput(inputShape, seed, lo, hi);
  const context = (): CallContext => ({ training, random: new Random(seed) });

  const y = tidy(() => layer.apply(x, context()));
  expect(y.shape).toEqual(outputShape);
  expect(layer.computeOutputShape([null, ...inputShape.slice(1)])).toEqual([null, ...outputShape.slice(1)]);
  expect(layer.countParams()).toBe(params);

  const config = layer.getConfig() as ReturnType<L['getConfig']>;
  const fromConfig =
    check.fromConfig ??
    ((c: ReturnType<L['getConfig']>): Layer =>
      deserializeLayer({ ...serializeLayer(layer), config: c } as SerializedLayer));
  const rebuilt = fromConfig(config);
  expect(rebuilt.className).toBe(layer.className);
  expect(rebuilt.getConfig()).toEqual(config);
  const fromJson = fromConfig(JSON.parse(JSON.stringify(config)) as ReturnType<L['getConfig']>);
  expect(fromJson.getConfig()).toEqual(config);

  fromJson.build(layer.inputShape);
  fromJson.setWeights(layer.getWeights());
  const yRebuilt = tidy(() => fromJson.apply(x, context()));
  expect(Array.from(yRebuilt.dataSync())).toEqual(Array.from(y.dataSync()));

  if (check.gradcheck !== false) {
    const wrt: Tensor[] = [x, ...layer.trainableWeights];
    gradcheck(() => layer.apply(x, context()), wrt, check.gradcheck ?? {});
  }
}
