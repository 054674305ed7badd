import { describe, expect, it } from 'vitest';
import {
  builtInModels,
  ConfigError,
  Conv2D,
  DepthwiseConv2D,
  mobilenet,
  modelFromArtifacts,
  modelToArtifacts,
  Random,
  tensor,
  type Tensor,
} from '../../src/index.js';
import { makeDivisible } from '../../src/models/mobilenet.js';

const countOf = (names: readonly string[], className: string): number => names.filter((n) => n === className).length;
const values = (t: Tensor): number[] => Array.from(t.dataSync());
/** The filters of every Conv2D, in order (stem, expansions and projections, head). */
const convFilters = (m: ReturnType<typeof mobilenet>): number[] =>
  m.layers.flatMap((l) => (l instanceof Conv2D ? [l.options.filters] : []));

function batch(seed: number): { x: Tensor; y: Tensor } {
  const random = new Random(seed);
  const x = tensor(
    Float32Array.from({ length: 8 * 784 }, () => random.uniform(0, 1)),
    [8, 28, 28, 1],
  );
  return { x, y: tensor([0, 1, 2, 3, 4, 5, 6, 7], [8]) };
}

describe('mobilenet', () => {
  it('the default network has 7 inverted residual blocks, 4 with a shortcut, and 129,962 parameters', () => {
    const model = mobilenet({ seed: 1 });
    const classes = model.layers.map((l) => l.className);
    // Hand count (α = 1, 1 input channel, 10 classes; BN holds 4 values per channel; no conv has a bias):
    // stem 3·3·1·16 + 4·16 = 208;
    // (t1, 16→16): depthwise 9·16 + 64, project 16·16 + 64 = 528;
    // (t6, 16→24): expand 16·96 + 384, depthwise 9·96 + 384, project 96·24 + 96 = 5,568;
    // (t6, 24→24): 24·144 + 576 + 9·144 + 576 + 144·24 + 96 = 9,456;
    // (t6, 24→32): 24·144 + 576 + 9·144 + 576 + 144·32 + 128 = 10,640;
    // (t6, 32→32): 32·192 + 768 + 9·192 + 768 + 192·32 + 128 = 15,680;
    // (t6, 32→64): 32·192 + 768 + 9·192 + 768 + 192·64 + 256 = 21,952;
    // (t6, 64→64): 64·384 + 1536 + 9·384 + 1536 + 384·64 + 256 = 55,936;
    // head 64·128 + 512 = 8,704; classifier 128·10 + 10 = 1,290.
    expect(model.countParams()).toBe(208 + 528 + 5568 + 9456 + 10640 + 15680 + 21952 + 55936 + 8704 + 1290);
    // Shortcuts where stride 1 and channels match: the t = 1 block and the second block of each other stage.
    expect(countOf(classes, 'Add')).toBe(4);
    expect(countOf(classes, 'DepthwiseConv2D')).toBe(7);
    // Stem, 6 expansions, 7 projections, head.
    expect(countOf(classes, 'Conv2D')).toBe(1 + 6 + 7 + 1);
    // ReLU6 after the stem, each expansion, each depthwise and the head; none after a projection.
    const relus = model.layers.filter((l) => l.className === 'ReLU');
    expect(relus.length).toBe(1 + 6 + 7 + 1);
    expect(relus.every((l) => Reflect.get(l.getConfig(), 'maxValue') === 6)).toBe(true);
    const depthwise = model.layers.filter((l) => l instanceof DepthwiseConv2D);
    expect(depthwise.map((l) => l.options.strides[0])).toEqual([1, 2, 1, 2, 1, 1, 1]);
    // 28 → 14 (stem) → 7 → 4 (the 'same' stride-2 depthwise rounds up) → 4.
    expect(depthwise.map((l) => l.inputShape[1])).toEqual([14, 14, 7, 7, 4, 4, 4]);
    expect(model.outputShape).toEqual([null, 10]);
    expect(builtInModels.mobilenet).toBe(mobilenet);
  });

  it('alpha scales every layer’s channels to a multiple of 8, except that the head never narrows', () => {
    // _make_divisible by hand: 12 → 16; 10 → 16 (8 would lose over 10%); 7.2 → 8; 36 → 40; 28.8 → 32; 57.6 → 56.
    expect([12, 10, 7.2, 36, 28.8, 57.6].map((c) => makeDivisible(c))).toEqual([16, 16, 8, 40, 32, 56]);
    // α = 1: stem 16; expansions 6·16, 6·24, 6·24, 6·32, 6·32, 6·64 interleaved with projections 16, 24, 24, 32, …
    expect(convFilters(mobilenet())).toEqual([16, 16, 96, 24, 144, 24, 144, 32, 192, 32, 192, 64, 384, 64, 128]);
    // α = 0.5: stem and stages 8, 8, 16, 16, 32 (16·0.5 = 8, 24·0.5 = 12 → 16, 32·0.5 = 16, 64·0.5 = 32); head 128.
    expect(convFilters(mobilenet({ alpha: 0.5 }))).toEqual([
      8, 8, 48, 16, 96, 16, 96, 16, 96, 16, 96, 32, 192, 32, 128,
    ]);
    // α = 1.5: 24 stem; stages 24, 36 → 40, 48, 96; head 192.
    expect(convFilters(mobilenet({ alpha: 1.5 }))).toEqual([
      24, 24, 144, 40, 240, 40, 240, 48, 288, 48, 288, 96, 576, 96, 192,
    ]);
  });

  it('refuses a non-positive alpha and a dropout rate outside [0, 1)', () => {
    expect(() => mobilenet({ alpha: 0 })).toThrow(ConfigError);
    expect(() => mobilenet({ alpha: 0 })).toThrow(/mobilenet: `alpha` must be a positive number, received 0/);
    expect(() => mobilenet({ alpha: Number.NaN })).toThrow(/`alpha` must be a positive number, received NaN/);
    expect(() => mobilenet({ dropout: 1 })).toThrow(/`dropout` must be a number in \[0, 1\), received 1/);
    expect(mobilenet({ dropout: 0.2 }).layers.some((l) => l.className === 'Dropout')).toBe(true);
    expect(mobilenet().layers.some((l) => l.className === 'Dropout')).toBe(false);
  });

  it('the same seed gives the same weights, another seed others; training steps lower the loss on a batch', () => {
    const a = mobilenet({ seed: 3 });
    const weights = (m: ReturnType<typeof mobilenet>): number[][] => m.getWeights().map(values);
    expect(weights(a)).toEqual(weights(builtInModels.mobilenet({ seed: 3 })));
    expect(weights(a)).not.toEqual(weights(mobilenet({ seed: 4 })));
    const { x, y } = batch(5);
    a.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const first = a.trainOnBatch(x, y).loss ?? Number.NaN;
    for (let i = 0; i < 4; i++) a.trainOnBatch(x, y);
    expect(a.trainOnBatch(x, y).loss).toBeLessThan(first);
  });

  it('saves and loads: the loaded model has the same layers and weights and predicts the same', () => {
    const original = mobilenet({ alpha: 0.5, seed: 2 });
    const loaded = modelFromArtifacts(modelToArtifacts(original));
    expect(loaded.layers.map((l) => l.className)).toEqual(original.layers.map((l) => l.className));
    expect(loaded.getWeights().map(values)).toEqual(original.getWeights().map(values));
    const { x } = batch(6);
    expect(values(loaded.predict(x))).toEqual(values(original.predict(x)));
  });
});
