import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/index.js';
import { BUILT_IN_GROUPS } from '../../src/lab/groups.js';
import { planLab, resolveModel, selectGroups } from '../../src/lab/plan.js';
import { FULL_SETTINGS, labSettings } from '../../src/lab/settings.js';
import { BASELINE_MODEL, canonicalJson, type GroupSpec } from '../../src/lab/spec.js';

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
    // Built-in groups list 6 + 5 + 3 + 4 + 4 + 4 + 5 = 31 variants; the baseline opens all 7 groups (6 repeats) and
    // stride-2 convolutions appear in pooling and convolution (1 repeat): 24 distinct, × 2 datasets × 3 seeds.
    expect(plan.members).toHaveLength(31 * 2 * 3);
    expect(plan.runs).toHaveLength(24 * 2 * 3);
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

  it('orders runs seed by seed, so an interrupted lab has the first seeds of every variant', () => {
    expect(plan.runs.slice(0, 48).every((r) => r.spec.seed === 0)).toBe(true);
    expect(plan.runs.slice(48, 96).every((r) => r.spec.seed === 1)).toBe(true);
  });

  it('equal models get equal keys however they are written', () => {
    expect(resolveModel({})).toEqual(BASELINE_MODEL);
    expect(resolveModel({ activation: 'relu', kernelRegularizer: { l1: 0, l2: 0 } })).toEqual(BASELINE_MODEL);
    expect(resolveModel({ kernelRegularizer: { l2: 1e-4 } }).kernelRegularizer).toEqual({ l1: 0, l2: 1e-4 });
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
    expect(selectGroups(BUILT_IN_GROUPS, undefined)).toHaveLength(7);
    expect(() => selectGroups(BUILT_IN_GROUPS, ['bn'])).toThrow(
      "--group: unknown group 'bn'; known groups: regularization, activation, pooling, convolution, batchnorm, dropout, optimizer",
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
