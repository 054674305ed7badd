import { describe, expect, it } from 'vitest';
import { briefModel, Dense, input, layers, Model, sequential } from '../../src/index.js';

/** The summary's lines, printed into an array. */
function summaryOf(model: { summary(print: (line: string) => void): void }): string[] {
  const lines: string[] = [];
  model.summary((line) => lines.push(line));
  return lines;
}

describe('multiply-adds', () => {
  it('each layer with a kernel counts its multiply-accumulates per example; other layers count 0', () => {
    // Depthwise 3×3, stride 2, same, multiplier 2 on 5×5×3: output 3×3×6, so 3·3 · 3·3 · 3·2 = 486.
    const depthwise = layers.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: 2 });
    expect(depthwise.multiplyAdds([[null, 5, 5, 3]], [null, 3, 3, 6])).toBe(486);
    // Separable adds the pointwise step 3·3 · 6 · 4 = 216: 702.
    const separable = layers.separableConv2d({
      filters: 4,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      depthMultiplier: 2,
    });
    expect(separable.multiplyAdds([[null, 5, 5, 3]], [null, 3, 3, 4])).toBe(702);
    // Transposed 3×3 conv to 4 filters on 2×2×3: every input pixel scatters 3·3·4 products per channel: 432.
    const transpose = layers.conv2dTranspose({ filters: 4, kernelSize: 3 });
    expect(transpose.multiplyAdds([[null, 2, 2, 3]], [null, 4, 4, 4])).toBe(432);
    // Dense on [5, 4] → [5, 3]: 5 positions · 4 · 3 = 60.
    expect(layers.dense({ units: 3 }).multiplyAdds([[null, 5, 4]], [null, 5, 3])).toBe(60);
    expect(layers.batchNormalization().multiplyAdds([[null, 5, 4]], [null, 5, 4])).toBe(0);
    expect(layers.maxPooling2d({ poolSize: 2 }).multiplyAdds([[null, 4, 4, 3]], [null, 2, 2, 3])).toBe(0);
    // An unknown height makes the cost unknown, not 0.
    const conv = layers.conv2d({ filters: 2, kernelSize: 3 });
    expect(conv.multiplyAdds([[null, null, 5, 1]], [null, null, 3, 2])).toBeNaN();
  });

  it('the brief model costs 2,794,240 multiply-adds per image, in its summary and from the model', () => {
    // conv 26·26 · 3·3·1·32 = 194,688; conv 11·11 · 3·3·32·64 = 2,230,272; conv 3·3 · 3·3·64·64 = 331,776;
    // dense 576·64 = 36,864; dense 64·10 = 640. Pooling, flatten and dropout: 0.
    const model = briefModel();
    expect(model.multiplyAdds()).toBe(194688 + 2230272 + 331776 + 36864 + 640);
    const lines = summaryOf(model);
    expect(lines[2]).toMatch(/^Layer \(type\) +Output Shape +Param # +Mult-Adds$/);
    expect(lines.join('\n')).toMatch(/conv2d(_\d+)? \(Conv2D\) +\(None, 11, 11, 64\) +18,496 +2,230,272\n/);
    expect(lines.join('\n')).toMatch(/max_pooling2d(_\d+)? \(MaxPooling2D\) +\(None, 13, 13, 32\) +0 +0\n/);
    expect(lines).toContain('Total mult-adds (per example): 2,794,240');
  });

  it('a functional model sums every call, a shared layer once per call, beside its Connected to column', () => {
    // conv 3×3 same 2 → 4 on 8×8: 8·8 · 3·3·2·4 = 4,608; depthwise 3×3 same on 8×8×4: 8·8 · 3·3·4 = 2,304;
    // Add and pooling 0; the shared Dense(3) on 4 values, called twice: 2 · 4·3 = 24. Total 6,936.
    const x = input({ shape: [8, 8, 2] });
    const c = layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'c' }).apply(x);
    const d = layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', name: 'd' }).apply(c);
    const pooled = layers.globalAveragePooling2d().apply(layers.add().apply([c, d]));
    const shared = new Dense({ units: 3, name: 'shared' });
    const net = new Model({
      inputs: x,
      outputs: layers.concatenate().apply([shared.apply(pooled), shared.apply(pooled)]),
    });
    expect(net.multiplyAdds()).toBe(4608 + 2304 + 24);
    const text = summaryOf(net).join('\n');
    expect(text).toMatch(/Param # +Mult-Adds +Connected to/);
    // The depthwise layer holds 3·3·4 kernel values and 4 biases.
    expect(text).toMatch(/d \(DepthwiseConv2D\) +\(None, 8, 8, 4\) +40 +2,304 +c\[0\]/);
    // Parameters count once for the shared layer (4·3 + 3 = 15), multiply-adds for both calls.
    expect(text).toMatch(/shared \(Dense\) +\(None, 3\) +15 +12 +/);
    expect(text).toMatch(/shared \(Dense\) +\(None, 3\) +0 +12 +/);
    expect(text).toContain('Total mult-adds (per example): 6,936');
  });

  it('a Sequential reads each layer’s input from the layer before', () => {
    // Dense 4 → 8: 32; Dense 8 → 2: 16.
    const model = sequential({ layers: [layers.dense({ units: 8, inputShape: [4] }), layers.dense({ units: 2 })] });
    expect(model.multiplyAdds()).toBe(48);
  });
});
