import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/index.js';
import { parseGroupFile } from '../../src/lab/group-file.js';
import { BUILT_IN_GROUPS } from '../../src/lab/groups.js';

const builtIn = BUILT_IN_GROUPS.map((g) => g.name);
const parse = (value: unknown): ReturnType<typeof parseGroupFile> =>
  parseGroupFile(JSON.stringify(value), 'my.json', builtIn);
const oneVariant = (variant: Record<string, unknown>): unknown => ({
  groups: [{ name: 'kernels', variants: [variant] }],
});

describe('lab group files', () => {
  it('reads groups, variants, model changes and optimizers (a name, or a name with options)', () => {
    const groups = parse({
      groups: [
        {
          name: 'kernels',
          title: 'Kernel size',
          question: 'Bigger?',
          focus: ['secondsPerEpoch'],
          variants: [
            { name: '3x3', label: '3×3 same', model: { padding: 'same' } },
            {
              name: '5x5',
              model: { kernelSize: 5, padding: 'same', kernelRegularizer: { l2: 0.001 } },
              optimizer: 'sgd',
            },
            { name: 'fast', model: {}, optimizer: { name: 'sgd', learningRate: 0.05, momentum: 0.9 } },
          ],
        },
      ],
    });
    expect(groups).toEqual([
      {
        name: 'kernels',
        title: 'Kernel size',
        question: 'Bigger?',
        focus: ['secondsPerEpoch'],
        variants: [
          { name: '3x3', label: '3×3 same', model: { padding: 'same' } },
          {
            name: '5x5',
            label: '5x5',
            model: { kernelSize: 5, padding: 'same', kernelRegularizer: { l1: undefined, l2: 0.001 } },
            optimizer: { name: 'sgd' },
          },
          {
            name: 'fast',
            label: 'fast',
            model: {},
            optimizer: { name: 'sgd', options: { learningRate: 0.05, momentum: 0.9 } },
          },
        ],
      },
    ]);
    // A bare list of groups is accepted too; title defaults to the name.
    expect(parseGroupFile(JSON.stringify([{ name: 'x', variants: [{ name: 'a' }] }]), 'f.json')[0]?.title).toBe('x');
  });

  it('reads architectures and separable convolutions', () => {
    const [group] = parse({
      groups: [
        {
          name: 'depth',
          variants: [
            { name: 'plain', model: { architecture: 'resnet', depth: 14, width: 4, residual: false } },
            { name: 'res', model: { architecture: 'resnet', batchNormMomentum: 0.9 } },
            { name: 'sep', model: { architecture: 'brief', separable: true, padding: 'same' } },
          ],
        },
      ],
    });
    expect(group?.variants.map((v) => v.model)).toEqual([
      { architecture: 'resnet', depth: 14, width: 4, residual: false },
      { architecture: 'resnet', batchNormMomentum: 0.9 },
      { architecture: 'brief', separable: true, padding: 'same' },
    ]);
  });

  it('architecture errors name the variant, the field and the value', () => {
    const where = "my.json: group 'kernels', variant 'v': ";
    const cases: [Record<string, unknown>, string][] = [
      [{ architecture: 'vgg' }, '`model.architecture` must be one of brief, resnet, received "vgg"'],
      [
        { architecture: 'resnet', depth: 10 },
        '`model.depth` must be 6n + 2 for a whole n ≥ 1 (8, 14, 20, …), received 10',
      ],
      [
        { architecture: 'resnet', depth: 2 },
        '`model.depth` must be 6n + 2 for a whole n ≥ 1 (8, 14, 20, …), received 2',
      ],
      [{ architecture: 'resnet', width: 0 }, '`model.width` must be a positive integer, received 0'],
      [{ architecture: 'resnet', residual: 'no' }, '`model.residual` must be true or false, received "no"'],
      [{ separable: 1 }, '`model.separable` must be true or false, received 1'],
      [
        { architecture: 'resnet', depth: 20, dropout: 0.1 },
        "`model.dropout` does not apply to architecture 'resnet'; its options are depth, width, residual, batchNormMomentum",
      ],
      [{ architecture: 'resnet', separable: true }, "`model.separable` does not apply to architecture 'resnet'"],
      [{ depth: 20 }, '`model.depth` applies only to architecture \'resnet\' (add "architecture": "resnet")'],
      [{ architecture: 'brief', residual: false }, "`model.residual` applies only to architecture 'resnet'"],
    ];
    for (const [model, message] of cases) {
      expect(() => parse(oneVariant({ name: 'v', model })), JSON.stringify(model)).toThrow(where + message);
      expect(() => parse(oneVariant({ name: 'v', model }))).toThrow(FormatError);
    }
  });

  it('errors name the file, the entry and the problem', () => {
    const cases: [unknown, string][] = [
      [{ groups: [] }, 'my.json: expected {"groups": [ … ]} with at least one group'],
      [
        { groups: [{ name: 'Bad Name', variants: [] }] },
        'my.json: group 1: `name` must be lower-case letters, digits, ".", "_" or "-", received "Bad Name"',
      ],
      [
        { groups: [{ name: 'dropout', variants: [{ name: 'a' }] }] },
        "my.json: group 'dropout': the name is already used by another group",
      ],
      [
        { groups: [{ name: 'k', variant: [] }] },
        "my.json: group 'k': unknown group field `variant`; known: name, title, question, focus, variants",
      ],
      [
        { groups: [{ name: 'k', variants: [] }] },
        "my.json: group 'k': `variants` must be a non-empty list, received []",
      ],
      [
        { groups: [{ name: 'k', focus: ['speed'], variants: [{ name: 'a' }] }] },
        'my.json: group \'k\': `focus` must be one of testAccuracy, generalizationGap, epochsToTarget, secondsPerEpoch, received "speed"',
      ],
      [
        { groups: [{ name: 'k', variants: [{ name: 'a' }, { name: 'a' }] }] },
        "my.json: group 'k': two variants are named 'a'",
      ],
      [oneVariant({ label: 'x' }), "my.json: group 'kernels', variant 1: `name` must be lower-case letters"],
      [
        oneVariant({ name: 'v', model: { kernel_size: 5 } }),
        "my.json: group 'kernels', variant 'v': unknown model option `kernel_size`; known: activation, kernelSize,",
      ],
      [
        oneVariant({ name: 'v', model: { kernelSize: '5' } }),
        "my.json: group 'kernels', variant 'v': `model.kernelSize` must be a positive integer, received \"5\"",
      ],
      [
        oneVariant({ name: 'v', model: { dropout: 1 } }),
        "my.json: group 'kernels', variant 'v': `model.dropout` must be a number in [0, 1), received 1",
      ],
      [
        oneVariant({ name: 'v', model: { batchNorm: true, batchNormMomentum: 1 } }),
        "my.json: group 'kernels', variant 'v': `model.batchNormMomentum` must be a number in (0, 1), received 1",
      ],
      [
        oneVariant({ name: 'v', model: { activation: 'relu7' } }),
        "my.json: group 'kernels', variant 'v': `model.activation` must be one of linear, relu,",
      ],
      [
        oneVariant({ name: 'v', model: { kernelRegularizer: { l3: 1 } } }),
        "my.json: group 'kernels', variant 'v': unknown kernelRegularizer factor `l3`; known: l1, l2",
      ],
      [
        oneVariant({ name: 'v', model: { kernelRegularizer: { l2: -1 } } }),
        '`model.kernelRegularizer.l2` must be a non-negative number, received -1',
      ],
      [
        oneVariant({ name: 'v', optimizer: 'sgdd' }),
        "my.json: group 'kernels', variant 'v': deserializeOptimizer: unknown optimizer 'sgdd'; known optimizers: sgd, adam,",
      ],
      [
        oneVariant({ name: 'v', optimizer: { name: 'sgd', momentun: 0.9 } }),
        "my.json: group 'kernels', variant 'v': optimizer 'sgd' has no option `momentun`; its options are learningRate, momentum, nesterov",
      ],
      [
        oneVariant({ name: 'v', optimizer: { name: 'sgd', momentum: 'high' } }),
        '`optimizer.momentum` must be a number or true/false, received "high"',
      ],
      [
        oneVariant({ name: 'v', optimizer: { name: 'sgd', momentum: 2 } }),
        "my.json: group 'kernels', variant 'v': sgd: `momentum` must be in [0, 1], received 2",
      ],
    ];
    for (const [value, message] of cases) {
      expect(() => parse(value), JSON.stringify(value)).toThrow(message);
    }
    expect(() => parseGroupFile('{"groups": [', 'broken.json')).toThrow(/^broken\.json: not valid JSON \(/);
    expect(() => parseGroupFile('{"groups": [', 'broken.json')).toThrow(FormatError);
    expect(() => parse(oneVariant({ name: 'v', model: { pooling: 'mean' } }))).toThrow(FormatError);
  });
});
