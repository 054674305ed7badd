import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/index.js';
import { BUILT_IN_GROUPS } from '../../src/lab/groups.js';
import { planLab, resolveModel, selectGroups } from '../../src/lab/plan.js';
import { FULL_SETTINGS, labSettings } from '../../src/lab/settings.js';
import { BASELINE_MODEL, canonicalJson, type GroupSpec, type ModelSpec, type RunSpec } from '../../src/lab/spec.js';

const keyOf = (
  plan: ReturnType<typeof planLab>,
  group: string,
  variant: string,
  dataset = 'mnist',
  seed = 0,
): string | undefined =>
  plan.members.find((m) => m.group === group && m.variant === variant && m.dataset === dataset && m.seed === seed)?.key;

describe('lab plan', () => {
  const plan = planLab(BUILT_IN_GROUPS, FULL_SETTINGS);

  it('trains each distinct variant once per dataset and seed: the shared baseline and stride-2 runs are one run', () => {
    // Built-in groups list 6 + 5 + 3 + 4 + 4 + 4 + 5 + 3 + 2 = 36 variants; the baseline opens 8 groups (7 repeats;
    // not skip, whose networks are ResNets) and stride-2 convolutions appear in pooling and convolution (1 repeat): 28
    // distinct, × 2 datasets × 3 seeds.
    expect(plan.members).toHaveLength(36 * 2 * 3);
    expect(plan.runs).toHaveLength(28 * 2 * 3);
    const baseline = keyOf(plan, 'regularization', 'none');
    for (const [group, variant] of [
      ['activation', 'relu'],
      ['pooling', 'max'],
      ['batchnorm', 'without'],
      ['optimizer', 'adam'],
    ]) {
      expect(keyOf(plan, group ?? '', variant ?? '')).toBe(baseline);
    }
    expect(keyOf(plan, 'pooling', 'strided')).toBe(keyOf(plan, 'convolution', 'stride-2'));
    expect(keyOf(plan, 'pooling', 'average')).not.toBe(baseline);
    expect(keyOf(plan, 'regularization', 'none', 'fashion-mnist')).not.toBe(baseline);
    expect(keyOf(plan, 'regularization', 'none', 'mnist', 1)).not.toBe(baseline);
    expect(new Set(plan.runs.map((r) => r.key)).size).toBe(plan.runs.length);
  });

  it('batch-norm momentum joins a run key only where it changes the model, so keys made before it existed stand', () => {
    // The keys of the baseline and of 'with batch norm' must not depend on whether the momentum is written out.
    expect(resolveModel({ batchNorm: true, batchNormMomentum: 0.99 })).toEqual(resolveModel({ batchNorm: true }));
    expect('batchNormMomentum' in resolveModel({ batchNorm: true })).toBe(false);
    expect(resolveModel({ batchNormMomentum: 0.9 })).toEqual(resolveModel({}));
    expect(resolveModel({ batchNorm: true, batchNormMomentum: 0.9 })).toEqual({
      ...BASELINE_MODEL,
      batchNorm: true,
      batchNormMomentum: 0.9,
    });
    expect(keyOf(plan, 'batchnorm', 'with-momentum-0.9')).not.toBe(keyOf(plan, 'batchnorm', 'with'));
    // Keys that a quick lab wrote before batchNormMomentum existed (its results.json of 2026-11-29 09:42): they must
    // still name the same runs, or --resume would train finished runs again.
    const quick = planLab(BUILT_IN_GROUPS, labSettings(true));
    expect(keyOf(quick, 'batchnorm', 'without')).toBe('mnist-s0-e5483e0c8f399339');
    expect(keyOf(quick, 'batchnorm', 'with')).toBe('mnist-s0-c261bcf368e77220');
    expect(keyOf(quick, 'batchnorm', 'with-10x-lr')).toBe('mnist-s0-af8d7a6799023b6a');
  });

  it('every built-in variant of the seven original groups keeps the run key it had before architectures existed', () => {
    // Keys computed by the lab as it was before `architecture` and `separable` joined the model spec (the main
    // branch's build of 2026-12-05), full settings, Fashion-MNIST, seed 2: a finished full lab must resume unchanged.
    const before: Record<string, string> = {
      'regularization/none': '78777c1de3890240',
      'regularization/l2-1e-4': 'e6d73f6282e0fd47',
      'regularization/l1l2': 'd8d19a0db114fe84',
      'activation/gelu': '59a16588728ca715',
      'pooling/average': 'e6127e7a3e13fa73',
      'convolution/stride-2': '978cb9d6d684b22f',
      'convolution/5x5-same': 'c9df40315b0cc2ce',
      'batchnorm/with': '44f4df7444be5fcf',
      'batchnorm/with-momentum-0.9': '03ac369143f75d26',
      'batchnorm/with-10x-lr': '6c91bbd6cc64e48b',
      'dropout/0.5-spatial': 'fafb8e6a70adcc69',
      'optimizer/momentum': '72f39ef18e43fda2',
    };
    for (const [name, hash] of Object.entries(before)) {
      const [group = '', variant = ''] = name.split('/');
      expect(keyOf(plan, group, variant, 'fashion-mnist', 2), name).toBe(`fashion-mnist-s2-${hash}`);
    }
    // Written out as false, the new options leave the brief's spec (and so its key) as it was.
    expect(resolveModel({ separable: false, architecture: 'brief' })).toEqual(BASELINE_MODEL);
  });

  it('plans the skip-connection and separable groups: ResNets by depth and shortcuts, separable convolutions', () => {
    const plan2 = planLab(selectGroups(BUILT_IN_GROUPS, ['skip', 'separable']), FULL_SETTINGS);
    // 3 + 2 variants, all distinct, × 2 datasets × 3 seeds.
    expect(plan2.members).toHaveLength(5 * 2 * 3);
    expect(plan2.runs).toHaveLength(5 * 2 * 3);
    const spec = (variant: string): RunSpec['model'] | undefined =>
      plan2.runs.find(
        (r) => r.key === keyOf(plan2, variant === 'full' || variant === 'separable' ? 'separable' : 'skip', variant),
      )?.spec.model;
    expect(spec('plain-8')).toEqual({
      architecture: 'resnet',
      depth: 8,
      width: 8,
      residual: false,
      batchNormMomentum: 0.9,
    });
    expect(spec('plain-20')).toEqual({
      architecture: 'resnet',
      depth: 20,
      width: 8,
      residual: false,
      batchNormMomentum: 0.9,
    });
    expect(spec('resnet-20')).toEqual({
      architecture: 'resnet',
      depth: 20,
      width: 8,
      residual: true,
      batchNormMomentum: 0.9,
    });
    expect(spec('separable')).toEqual({ ...BASELINE_MODEL, separable: true });
    // The full-convolution variant is the baseline, the very run the other groups train.
    expect(keyOf(plan2, 'separable', 'full')).toBe(keyOf(plan, 'regularization', 'none'));
    expect(resolveModel({ architecture: 'resnet' })).toEqual({
      architecture: 'resnet',
      depth: 8,
      width: 16,
      residual: true,
      batchNormMomentum: 0.99,
    });
  });

  it('an option that does not fit the architecture fails, naming the variant and the option', () => {
    const group = (model: ModelSpec): GroupSpec => ({
      name: 'arch',
      title: 'a',
      question: '',
      focus: [],
      variants: [{ name: 'v', label: 'v', model }],
    });
    expect(() => planLab([group({ architecture: 'resnet', dropout: 0.2 })], FULL_SETTINGS)).toThrow(
      "group 'arch', variant 'v': model option `dropout` does not apply to architecture 'resnet'; its options are depth, width, residual, batchNormMomentum",
    );
    expect(() => planLab([group({ depth: 20 })], FULL_SETTINGS)).toThrow(
      "group 'arch', variant 'v': model option `depth` applies only to architecture 'resnet'",
    );
    expect(() => planLab([group({ architecture: 'resnet', depth: 10 })], FULL_SETTINGS)).toThrow(
      /^group 'arch', variant 'v': the model cannot be built: resnet: `depth` must be 6n \+ 2/,
    );
  });

  it('orders runs seed by seed, so an interrupted lab has the first seeds of every variant', () => {
    expect(plan.runs.slice(0, 56).every((r) => r.spec.seed === 0)).toBe(true);
    expect(plan.runs.slice(56, 112).every((r) => r.spec.seed === 1)).toBe(true);
  });

  it('equal models get equal keys however they are written', () => {
    expect(resolveModel({})).toEqual(BASELINE_MODEL);
    expect(resolveModel({ activation: 'relu', kernelRegularizer: { l1: 0, l2: 0 } })).toEqual(BASELINE_MODEL);
    expect(resolveModel({ kernelRegularizer: { l2: 1e-4 } })).toMatchObject({ kernelRegularizer: { l1: 0, l2: 1e-4 } });
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
    const explicit: GroupSpec = {
      name: 'x',
      title: 'x',
      question: '',
      focus: [],
      variants: [
        {
          name: 'spelled-out',
          label: 'l',
          model: { activation: 'relu', dropout: 0.5, padding: 'valid' },
          optimizer: { name: 'Adam', options: { learningRate: 0.001 } },
        },
      ],
    };
    expect(keyOf(planLab([explicit], FULL_SETTINGS), 'x', 'spelled-out')).toBe(keyOf(plan, 'regularization', 'none'));
  });

  it('a model that cannot be built fails before training, naming the group and variant', () => {
    // 5×5 `valid` convolutions: 28 → 24 → pool 12 → 8 → pool 4 → a third 5×5 convolution has no room.
    const bad: GroupSpec = {
      name: 'kernels',
      title: 'k',
      question: '',
      focus: [],
      variants: [{ name: '5x5-valid', label: 'l', model: { kernelSize: 5 } }],
    };
    expect(() => planLab([bad], FULL_SETTINGS)).toThrow(
      /^group 'kernels', variant '5x5-valid': the model cannot be built: /,
    );
    expect(() => planLab([bad], FULL_SETTINGS)).toThrow(ConfigError);
  });

  it('selects groups by name and lists the known ones for an unknown name', () => {
    expect(selectGroups(BUILT_IN_GROUPS, ['dropout', 'pooling']).map((g) => g.name)).toEqual(['dropout', 'pooling']);
    expect(selectGroups(BUILT_IN_GROUPS, undefined)).toHaveLength(9);
    expect(() => selectGroups(BUILT_IN_GROUPS, ['bn'])).toThrow(
      "--group: unknown group 'bn'; known groups: regularization, activation, pooling, convolution, batchnorm, dropout, optimizer, skip, separable",
    );
  });

  it('settings: presets, overrides and their checks', () => {
    expect(labSettings(true)).toMatchObject({ datasets: ['mnist'], seeds: [0], epochs: 2, quick: true });
    const custom = labSettings(false, { seeds: 2, epochs: 3, target: 0.9, datasets: ['fashion-mnist'] });
    expect(custom).toMatchObject({
      seeds: [0, 1],
      epochs: 3,
      datasets: ['fashion-mnist'],
      targets: { mnist: 0.9, 'fashion-mnist': 0.9 },
    });
    expect(labSettings(false, { target: 0.9, targets: { 'fashion-mnist': 0.8 } }).targets).toEqual({
      mnist: 0.9,
      'fashion-mnist': 0.8,
    });
    expect(labSettings(false, { targets: { mnist: 0.99 } }).targets).toEqual({ mnist: 0.99, 'fashion-mnist': 0.78 });
    expect(() => labSettings(false, { targets: { mnist: 0 } })).toThrow(
      'lab: `targets.mnist` must be in (0, 1], received 0',
    );
    expect(() => labSettings(false, { epochs: 0 })).toThrow('lab: `epochs` must be a positive integer, received 0');
    expect(() => labSettings(false, { target: 1.5 })).toThrow('lab: `target` must be in (0, 1], received 1.5');
    expect(() => labSettings(false, { target: 1.5 })).toThrow(ConfigError);
  });
});
