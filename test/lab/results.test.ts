import { describe, expect, it } from 'vitest';
import { runsCsv, summaryCsv } from '../../src/lab/csv.js';
import { runMetrics } from '../../src/lab/metrics.js';
import { planLab } from '../../src/lab/plan.js';
import { buildResults } from '../../src/lab/results.js';
import { labSettings } from '../../src/lab/settings.js';
import type { GroupSpec, RunSpec } from '../../src/lab/spec.js';
import type { RunRecord } from '../../src/lab/train-run.js';

function record(
  key: string,
  spec: RunSpec,
  r: { valAccuracy: number[]; seconds: number[]; test: number; train: number; diverged?: boolean },
): RunRecord {
  return {
    format: 'cnnlab-lab-run',
    version: 1,
    key,
    spec,
    backend: 'js',
    params: 1234,
    history: {
      loss: r.valAccuracy.map((a) => 1 - a),
      accuracy: r.valAccuracy,
      val_loss: r.valAccuracy.map((a) => 1.1 - a),
      val_accuracy: r.valAccuracy,
    },
    epochSeconds: r.seconds,
    test: { loss: 0.3, accuracy: r.test },
    train: { loss: 0.2, accuracy: r.train },
    diverged: r.diverged ?? false,
    finishedAt: '2025-01-01T00:00:00.000Z',
  };
}

const machine = { cpu: 'Test CPU', cores: 2, memoryGiB: 4, os: 'TestOS', runtime: 'Node.js test' };

describe('lab run metrics', () => {
  it('time to target, generalization gap and seconds per epoch, by hand', () => {
    const spec = planLab(
      [{ name: 'g', title: 'g', question: '', focus: [], variants: [{ name: 'a', label: 'a', model: {} }] }],
      labSettings(true),
    ).runs[0]?.spec;
    if (spec === undefined) throw new Error('no run planned');
    const r = record('k', spec, { valAccuracy: [0.5, 0.8, 0.9], seconds: [1, 2, 6], test: 0.9, train: 0.95 });
    // Target 0.8 is first reached at epoch 2 (1-based), after 1 + 2 = 3 s; median epoch 2 s (the mean, 3 s, would be
    // pulled up by the slow third epoch); total 9 s; gap 0.95 − 0.9.
    const m = runMetrics(r, 0.8);
    expect(m).toMatchObject({
      epochsToTarget: 2,
      secondsToTarget: 3,
      secondsPerEpoch: 2,
      totalSeconds: 9,
      finalValAccuracy: 0.9,
    });
    expect(m.generalizationGap).toBeCloseTo(0.05, 12);
    expect(runMetrics(r, 0.95)).toMatchObject({ epochsToTarget: null, secondsToTarget: null });
    expect(runMetrics({ ...r, diverged: true }, 0.8).epochsToTarget).toBeNull();
  });
});

describe('lab results model and CSV', () => {
  const group: GroupSpec = {
    name: 'g',
    title: 'G',
    question: 'Q?',
    focus: ['generalizationGap'],
    variants: [
      { name: 'ref', label: 'reference', model: {} },
      { name: 'drop0', label: 'no dropout, "plain"', model: { dropout: 0 } },
    ],
  };
  const settings = labSettings(true, { seeds: 2, target: 0.8 });
  const plan = planLab([group], settings);
  const numbers: Record<string, { test: number; train: number }> = {};
  plan.members.forEach((m, i) => {
    numbers[m.key] = { test: 0.8 + 0.02 * i, train: 0.9 + 0.01 * i };
  });
  // Members in plan order: seed 0 (ref, drop0), seed 1 (ref, drop0) → test 0.80, 0.82, 0.84, 0.86.
  const records = new Map(
    plan.runs.map((r) => [
      r.key,
      record(r.key, r.spec, {
        valAccuracy: [0.7, 0.85],
        seconds: [2, 4],
        ...(numbers[r.key] ?? { test: 0, train: 0 }),
      }),
    ]),
  );

  it('summarizes each variant over its seeds and computes the verdicts from those numbers', () => {
    const results = buildResults(plan, records, { createdAt: '2025-01-02T03:04:05.000Z', machine });
    expect(results).toMatchObject({ plannedRuns: 4, finishedRuns: 4, backends: ['js'], totalSeconds: 24 });
    const [summary] = results.summaries;
    const [ref, drop0] = summary?.variants ?? [];
    // ref: test 0.80 and 0.84 → mean 0.82, std √((0.02² + 0.02²) / 1) = 0.02√2.
    expect(ref?.testAccuracy.mean).toBeCloseTo(0.82, 12);
    expect(ref?.testAccuracy.std).toBeCloseTo(0.02 * Math.SQRT2, 12);
    expect(drop0?.testAccuracy.mean).toBeCloseTo(0.84, 12);
    // Gaps: ref 0.90 − 0.80 = 0.10, 0.92 − 0.84 = 0.08; drop0 0.91 − 0.82 = 0.09, 0.93 − 0.86 = 0.07.
    expect(ref?.generalizationGap.mean).toBeCloseTo(0.09, 12);
    expect(drop0?.generalizationGap.mean).toBeCloseTo(0.08, 12);
    expect(ref).toMatchObject({ runCount: 2, reachedTarget: 2, params: 1234 });
    expect(ref?.epochsToTarget.mean).toBe(2); // target 0.8: validation accuracy 0.7, then 0.85 at epoch 2
    expect(ref?.curves.val_accuracy).toEqual([0.7, 0.85]);
    expect(summary?.verdicts.map((v) => [v.metric, v.best, v.runnerUp])).toEqual([
      ['testAccuracy', 'drop0', 'ref'],
      ['generalizationGap', 'drop0', 'ref'],
    ]);
    expect(summary?.verdicts[0]?.difference).toBeCloseTo(0.02, 12);
    expect(summary?.verdicts[0]?.exceedsSpread).toBe(false);
  });

  it('an unfinished lab summarizes what it has', () => {
    const partial = new Map([...records].slice(0, 2));
    const results = buildResults(plan, partial, { createdAt: '2025-01-02T03:04:05.000Z', machine });
    expect(results).toMatchObject({ plannedRuns: 4, finishedRuns: 2 });
    expect(results.summaries[0]?.variants[0]?.testAccuracy).toMatchObject({ n: 1, std: null });
  });

  it('CSV: one row per group, variant and run with every per-epoch number, quoted where needed', () => {
    const results = buildResults(plan, records, { createdAt: '2025-01-02T03:04:05.000Z', machine });
    const lines = runsCsv(results).trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 4);
    const header = lines[0]?.split(',') ?? [];
    expect(header.slice(0, 6)).toEqual(['group', 'variant', 'label', 'dataset', 'seed', 'run_key']);
    expect(header.slice(-2)).toEqual(['seconds_1', 'seconds_2']);
    expect(lines[2]).toContain('g,drop0,"no dropout, ""plain""",mnist,0,');
    expect(lines[2]?.endsWith(',0.7,0.85,2,4')).toBe(true);
    const summary = summaryCsv(results).trimEnd().split('\n');
    expect(summary).toHaveLength(1 + 2);
    expect(summary[1]).toMatch(/^g,mnist,ref,reference,2,1234,2,0\.8,0,0\.82/);
  });
});
