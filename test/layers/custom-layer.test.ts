/**
 * A layer written the way the spec (src/layers/spec.ts) asks: each option once, plus its kernel. Its constructor
 * Args, checks, config and weight penalty all follow from the three spec entries below.
 */
import { describe, expect, it } from 'vitest';
import {
  add,
  Conv2D,
  Dense,
  type DenseArgs,
  ConfigError,
  deserializeLayer,
  type CallContext,
  layerClassNames,
  Layer,
  type LayerArgs,
  layerNames,
  modelFromTopology,
  mul,
  regularizers,
  type SymbolicShape,
  tensor,
  type Tensor,
  type Variable,
} from '../../src/index.js';
import { checkLayerClassName, layerClass } from '../../src/layers/registry.js';
import { initializer, regularizer } from '../../src/layers/options.js';
import { type ArgsOf, optional } from '../../src/layers/spec.js';
import { checkLayer } from '../helpers/layer.js';

const SCALE_OPTIONS = {
  /** The per-channel scale's initial value; default ones. */
  scaleInitializer: initializer('ones'),
  /** Penalty on the scale. */
  scaleRegularizer: regularizer,
  /** Added after scaling; default 0. */
  offset: optional(0, (offset: number, { fail }): number =>
    Number.isFinite(offset) ? offset : fail('a finite number', offset),
  ),
};

/** y = x · scale + offset, scale: [C] learned per channel (the last axis). */
class Scale extends Layer<typeof SCALE_OPTIONS> {
  static override readonly className = 'Scale';
  private scale: Variable | null = null;

  constructor(args: LayerArgs & ArgsOf<typeof SCALE_OPTIONS> = {}) {
    super(args, SCALE_OPTIONS);
  }

  protected override buildWeights(inputShape: SymbolicShape): void {
    const { scaleInitializer, scaleRegularizer } = this.options;
    this.scale = this.addWeight('scale', [inputShape[inputShape.length - 1] ?? 0], scaleInitializer, scaleRegularizer);
  }

  protected override call(x: Tensor, _context: CallContext): Tensor {
    if (this.scale === null) throw new Error('unreachable: apply builds first');
    return add(mul(x, this.scale), this.options.offset);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }
}

describe('a layer whose options are written once', () => {
  it('gets its name prefix from its class, resolves defaults, and round-trips its config', () => {
    layerNames.reset();
    const layer = new Scale({ offset: 0.5, scaleRegularizer: regularizers.l2({ l2: 0.1 }) });
    expect(layer.name).toBe('scale');
    expect(new Scale().name).toBe('scale_1');
    expect(layer.options.offset).toBe(0.5);
    // The config: base fields, then the options in spec order, with registries' serialized forms.
    expect(layer.getConfig()).toEqual({
      name: 'scale',
      trainable: true,
      scaleInitializer: { className: 'Ones', config: {} },
      scaleRegularizer: { className: 'L1L2', config: { l1: 0, l2: 0.1 } },
      offset: 0.5,
    });
    checkLayer({
      layer,
      fromConfig: (config) => new Scale(config),
      inputShape: [2, 3],
      outputShape: [2, 3],
      params: 3,
    });
  });

  it('computes x · scale + offset and its regularizer joins regularizationLoss through addWeight', () => {
    const layer = new Scale({ offset: 1, scaleRegularizer: regularizers.l2({ l2: 0.5 }) });
    expect(
      Array.from(
        layer
          .apply(
            tensor([
              [1, 2],
              [3, 4],
            ]),
          )
          .dataSync(),
      ),
    ).toEqual([2, 3, 4, 5]);
    // 0.5 · (1² + 1²) with the initial scale of ones.
    expect(layer.regularizationLoss()?.dataSync()[0]).toBeCloseTo(1, 6);
    expect(new Scale().regularizationLoss()).toBeNull();
  });

  it('rejects bad options with the standard message', () => {
    expect(() => new Scale({ name: 's', offset: Number.NaN })).toThrow(ConfigError);
    expect(() => new Scale({ name: 's', offset: Number.NaN })).toThrow(
      "Scale 's': `offset` must be a finite number, received null",
    );
    expect(() => new Scale({ name: 's', scaleInitializer: 'nope' })).toThrow(/^Scale 's': `scaleInitializer`: .*nope/);
    // A required option missing from a config (as a hand-edited model file may have it) reaches its parser.
    expect(() => new Dense(JSON.parse('{"name": "d"}') as DenseArgs)).toThrow(
      "Dense 'd': `units` must be a positive integer, received undefined",
    );
  });

  it('is unknown to the registry, which lists the layers it knows; registered classes are found by their className', () => {
    expect(() => checkLayerClassName(new Scale().className)).toThrow(
      /^Unknown layer class 'Scale'; known layers: Activation, Dense/,
    );
    for (const name of layerClassNames) expect(layerClass(name).className).toBe(name);
    expect(
      deserializeLayer({
        className: 'Conv2D',
        config: new Conv2D({ filters: 2, kernelSize: 3, name: 'c' }).getConfig(),
      }),
    ).toBeInstanceOf(Conv2D);
  });

  it('refuses Keras options cnnlab does not implement unless at their default', () => {
    expect(() => new Conv2D({ filters: 1, kernelSize: 1, name: 'g', groups: 1 })).not.toThrow();
    expect(() =>
      deserializeLayer({
        className: 'Conv2D',
        config: { ...new Conv2D({ filters: 1, kernelSize: 1, name: 'g' }).getConfig(), ...{ groups: 2 } },
      }),
    ).toThrow("Conv2D 'g': `groups` must be 1 (cnnlab does not implement grouped convolution), received 2");
  });

  it('refuses them in model files too, naming the file, the field and the layer', () => {
    const topology = (className: string, config: object): unknown => ({
      class_name: 'Sequential',
      config: {
        name: 'm',
        layers: [{ class_name: className, config: { name: 'l', batch_input_shape: [null, 4, 4, 2], ...config } }],
      },
    });
    expect(modelFromTopology(topology('GlobalAveragePooling2D', { keepdims: false }), 'f.json').layers).toHaveLength(1);
    expect(() => modelFromTopology(topology('GlobalAveragePooling2D', { keepdims: true }), 'f.json')).toThrow(
      /GlobalAveragePooling2D 'l'\)?: `keepdims` must be false \(cnnlab drops the pooled axes\), received true$/,
    );
    expect(() => modelFromTopology(topology('BatchNormalization', { renorm: true }), 'f.json')).toThrow(
      /^f\.json: `modelTopology\.config\.layers\[0\]` \(BatchNormalization 'l'\): .*`renorm` must be false/,
    );
  });
});
