import { describe, expect, it } from 'vitest';
import { builtInModels, ConfigError, Conv2D, Random, tensor } from '../../src/index.js';
import { resnet } from '../../src/models/resnet.js';

const countOf = (names: readonly string[], className: string): number => names.filter((n) => n === className).length;

describe('resnet', () => {
  it('ResNet-8 has the paper’s shape: a stem, three stages, two projection shortcuts, 78,426 parameters', () => {
    const model = resnet({ seed: 1 });
    const classes = model.layers.map((l) => l.className);
    // Hand count (width 16, 1 input channel, 10 classes; BN holds 4 values per channel):
    // stem 3·3·1·16 + 64; stage 1: 2·(3·3·16·16 + 64); stage 2: 3·3·16·32 + 3·3·32·32 + 16·32 + 3·128;
    // stage 3: 3·3·32·64 + 3·3·64·64 + 32·64 + 3·256; head 64·10 + 10.
    expect(model.countParams()).toBe(144 + 64 + 4736 + 14720 + 58112 + 650);
    expect(countOf(classes, 'Add')).toBe(3);
    expect(countOf(classes, 'Conv2D')).toBe(1 + 6 + 2);
    const projections = model.layers.filter((l) => l instanceof Conv2D && l.options.kernelSize[0] === 1);
    expect(projections.length).toBe(2);
    expect(model.outputShape).toEqual([null, 10]);
  });

  it('depth 14 has two blocks per stage; residual: false is the same stack without shortcuts', () => {
    const deep = resnet({ depth: 14 });
    expect(
      countOf(
        deep.layers.map((l) => l.className),
        'Add',
      ),
    ).toBe(6);
    const plain = resnet({ depth: 14, residual: false });
    const plainClasses = plain.layers.map((l) => l.className);
    expect(countOf(plainClasses, 'Add')).toBe(0);
    expect(countOf(plainClasses, 'Conv2D')).toBe(1 + 12);
    expect(plain.name).toBe('plain14');
  });

  it('refuses depths that are not 6n + 2 and widths that are not positive integers', () => {
    expect(() => resnet({ depth: 10 })).toThrow(ConfigError);
    expect(() => resnet({ depth: 10 })).toThrow(/`depth` must be 6n \+ 2 .* received 10/);
    expect(() => resnet({ width: 0 })).toThrow(/`width` must be a positive integer, received 0/);
  });

  it('the same seed gives the same weights; a training step changes them and lowers the loss on its batch', () => {
    const a = resnet({ seed: 3 });
    const b = builtInModels.resnet({ seed: 3 });
    expect(a.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(
      b.getWeights().map((w) => Array.from(w.dataSync())),
    );
    const random = new Random(5);
    const x = tensor(
      Float32Array.from({ length: 8 * 784 }, () => random.uniform(0, 1)),
      [8, 28, 28, 1],
    );
    const y = tensor([0, 1, 2, 3, 4, 5, 6, 7], [8]);
    a.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const first = a.trainOnBatch(x, y).loss ?? Number.NaN;
    for (let i = 0; i < 4; i++) a.trainOnBatch(x, y);
    expect(a.trainOnBatch(x, y).loss).toBeLessThan(first);
  });
});
