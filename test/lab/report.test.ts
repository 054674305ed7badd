/**
 * report.html for a lab with two datasets and three seeds, from made-up run records (no training): the ± spreads in
 * the tables, the error bars in the charts, both datasets in every chart, and the verdicts' two outcomes (a lead
 * within and beyond the seed spread). Expected values are computed by hand from the records' formula below.
 */
import { describe, expect, it } from 'vitest';
import { planLab } from '../../src/lab/plan.js';
import { buildResults, type LabResults } from '../../src/lab/results.js';
import { labSettings } from '../../src/lab/settings.js';
import type { GroupSpec } from '../../src/lab/spec.js';
import type { RunRecord } from '../../src/lab/train-run.js';
import { renderReport } from '../../src/node/lab/report.js';
import { reportNumbers, unescapeHtml } from './report-numbers.js';

const GROUPS: GroupSpec[] = [
  {
    name: 'drop',
    title: 'Dropout rate',
    question: 'Which rate?',
    focus: ['secondsPerEpoch'],
    variants: [
      { name: 'ref', label: 'baseline', model: {} },
      { name: 'a', label: 'no dropout', model: { dropout: 0 } },
      { name: 'b', label: 'dropout 0.25', model: { dropout: 0.25 } },
    ],
  },
  {
    name: 'pool',
    title: 'Pooling kind',
    question: '',
    focus: [],
    variants: [
      { name: 'ref', label: 'baseline', model: {} },
      { name: 'c', label: 'average', model: { pooling: 'average' } },
    ],
  },
];

/**
 * Per variant: test accuracy = base + 0.02 · rank + spread · (seed − 1), so over seeds 0, 1, 2 the mean is
 * base + 0.02 · rank and the sample standard deviation is `spread` exactly; an epoch takes 1 + rank seconds.
 */
const SHAPE: Record<string, { readonly rank: number; readonly spread: number }> = {
  ref: { rank: 0, spread: 0.01 },
  a: { rank: 1, spread: 0.03 },
  b: { rank: 2, spread: 0 },
  c: { rank: 3, spread: 0.01 },
};
const BASE = { mnist: 0.9, 'fashion-mnist': 0.8 } as const;

function labResults(): LabResults {
  const plan = planLab(GROUPS, labSettings(false, { seeds: 3, epochs: 2, target: 0.6 }));
  const records = new Map<string, RunRecord>();
  for (const { key, spec } of plan.runs) {
    const variant = plan.members.find((m) => m.key === key)?.variant ?? '';
    const { rank, spread } = SHAPE[variant] ?? { rank: Number.NaN, spread: Number.NaN };
    const test = BASE[spec.dataset] + 0.02 * rank + spread * (spec.seed - 1);
    records.set(key, {
      format: 'cnnlab-lab-run',
      version: 1,
      key,
      spec,
      backend: 'js',
      params: 1000 + rank,
      history: { loss: [1, 0.5], accuracy: [0.5, 0.7], val_loss: [1.1, 0.6], val_accuracy: [0.5, 0.7] },
      epochSeconds: [1 + rank, 1 + rank],
      test: { loss: 0.4, accuracy: test },
      train: { loss: 0.3, accuracy: test + 0.01 },
      diverged: false,
      finishedAt: '2025-01-01T00:00:00.000Z',
    });
  }
  return buildResults(plan, records, {
    createdAt: '2025-01-02T03:04:05.000Z',
    machine: { cpu: 'Test CPU', cores: 2, memoryGiB: 4, os: 'TestOS', runtime: 'Node.js test' },
  });
}

const results = labResults();
const html = await renderReport(results);
const section = (group: string): string =>
  new RegExp(`<section class="group" id="group-${group}"[^>]*>([\\s\\S]*?)</section>`).exec(html)?.[1] ?? '';
const figure = (body: string, kind: string): string =>
  new RegExp(`<figure class="chart ${kind}">([\\s\\S]*?)</figure>`).exec(body)?.[1] ?? '';

describe('lab report (two datasets, three seeds)', () => {
  it('states the settings and has a section per group with a verdict and a table per dataset', () => {
    // 4 distinct models (the baseline is shared) × 2 datasets × 3 seeds = 24 runs of 2 epochs of 1 + rank seconds:
    // 2 · 2 · 3 · (1 + 2 + 3 + 4) = 120 s = 2.00 minutes.
    expect(html).toContain(
      'MNIST and Fashion-MNIST · 4,000 training, 1,000 validation and 10,000 test images per dataset · ' +
        '2 epochs of batch 64 · seeds 0, 1, 2 · 24 of 24 runs, 2.00 minutes of training',
    );
    for (const group of ['drop', 'pool']) {
      const body = section(group);
      expect([...body.matchAll(/<p class="verdict" data-dataset="([^"]+)">/g)].map((m) => m[1])).toEqual([
        'mnist',
        'fashion-mnist',
      ]);
      expect([...body.matchAll(/<table data-dataset="([^"]+)">/g)].map((m) => m[1])).toEqual([
        'mnist',
        'fashion-mnist',
      ]);
      for (const kind of ['learning-curves', 'test-accuracy', 'epoch-time']) {
        const svg = figure(body, kind);
        // Datasets side by side: a facet header for each.
        expect(svg, `${group} ${kind}`).toMatch(/>MNIST<\/text>/);
        expect(svg, `${group} ${kind}`).toMatch(/>Fashion-MNIST<\/text>/);
      }
    }
  });

  it('tables print mean ± std over seeds', () => {
    const rows = (group: string, dataset: string): string[][] => {
      const table = new RegExp(`<table data-dataset="${dataset}">([\\s\\S]*?)</table>`).exec(section(group))?.[1] ?? '';
      return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
        .slice(1)
        .map((row) => [...(row[1] ?? '').matchAll(/<td>([\s\S]*?)<\/td>/g)].map((c) => unescapeHtml(c[1] ?? '')));
    };
    // By hand: means 0.90, 0.92, 0.94 (MNIST) and 0.80, 0.82, 0.84; stds 1, 3 and 0 points; gap 1 point, std 0;
    // val accuracy 0.7 ≥ 0.6 first at epoch 2, after 2 · (1 + rank) s; 1 + rank s per epoch, std 0.
    expect(rows('drop', 'mnist')).toEqual([
      [
        'baseline',
        '90.00% ± 1.00',
        '1.00 ± 0.00',
        '2.00 ± 0.00 (3 of 3 reached)',
        '2.00 ± 0.00',
        '1.00 ± 0.00',
        '1,000',
        '3',
      ],
      [
        'no dropout',
        '92.00% ± 3.00',
        '1.00 ± 0.00',
        '2.00 ± 0.00 (3 of 3 reached)',
        '4.00 ± 0.00',
        '2.00 ± 0.00',
        '1,001',
        '3',
      ],
      [
        'dropout 0.25',
        '94.00% ± 0.00',
        '1.00 ± 0.00',
        '2.00 ± 0.00 (3 of 3 reached)',
        '6.00 ± 0.00',
        '3.00 ± 0.00',
        '1,002',
        '3',
      ],
    ]);
    expect(rows('pool', 'fashion-mnist').map((r) => r.slice(0, 2))).toEqual([
      ['baseline', '80.00% ± 1.00'],
      ['average', '86.00% ± 1.00'],
    ]);
  });

  it('verdicts say whether the lead exceeds the seed spread', () => {
    const verdicts = (group: string, dataset: string): string =>
      unescapeHtml(
        new RegExp(`<p class="verdict" data-dataset="${dataset}">([\\s\\S]*?)</p>`).exec(section(group))?.[1] ?? '',
      );
    // drop on MNIST: dropout 0.25 (94.00% ± 0.00) leads no dropout (92.00% ± 3.00) by 2 points < 0 + 3 points.
    expect(verdicts('drop', 'mnist')).toContain(
      'On MNIST, dropout 0.25 has the best test accuracy, 94.00% ± 0.00, 2.00 points above ' +
        'no dropout (92.00% ± 3.00); the lead is within their seed spreads combined (3.00 points), so it may not hold for other seeds.',
    );
    // Seconds per epoch: baseline 1 s, no dropout 2 s, both std 0: a lead of 1 s beyond a spread of 0 s.
    expect(verdicts('drop', 'mnist')).toContain(
      'On MNIST, baseline has the fastest epochs, 1.00 s ± 0.00 each, 1.00 s less than ' +
        'no dropout (2.00 s ± 0.00); the lead is larger than their seed spreads combined (0.00 s), so it is clear.',
    );
    // pool on Fashion-MNIST: average 86.00% ± 1.00 leads baseline 80.00% ± 1.00 by 6 points > 1 + 1 points.
    expect(verdicts('pool', 'fashion-mnist')).toBe(
      'On Fashion-MNIST, average has the best test accuracy, 86.00% ± 1.00, 6.00 points ' +
        'above baseline (80.00% ± 1.00); the lead is larger than their seed spreads combined (2.00 points), so it is clear.',
    );
  });

  it('error bars span mean ± std around each mean', () => {
    // Per facet, one rule per variant; its length is 2 · std on the facet's scale, so the drop group's bars (stds 1, 3
    // and 0 points) have lengths in the ratio 1 : 3 : 0, and each is centred on its variant's point.
    const svg = figure(section('drop'), 'test-accuracy');
    const facets = [...svg.matchAll(/<g class="mark-rule role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/g)];
    const points = [...svg.matchAll(/<g class="mark-symbol role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/g)];
    expect(facets).toHaveLength(2);
    expect(points).toHaveLength(2);
    const xs = (text: string, pattern: RegExp): number[][] =>
      [...text.matchAll(pattern)].map((m) => [Number(m[1]), Number(m[2] ?? 0)]);
    facets.forEach((facet, f) => {
      const rules = xs(facet[1] ?? '', /<line transform="translate\(([-\d.e]+),[-\d.e]+\)" x2="([-\d.e]+)"/g);
      const dots = xs(points[f]?.[1] ?? '', /<path [^>]*transform="translate\(([-\d.e]+),[-\d.e]+\)"/g);
      expect(rules).toHaveLength(3);
      const [unit = Number.NaN] = rules[0]?.slice(1) ?? [];
      expect(unit).toBeGreaterThan(0);
      expect(rules.map(([, length]) => (length ?? Number.NaN) / unit)).toEqual([
        1,
        expect.closeTo(3, 9),
        expect.closeTo(0, 9),
      ]);
      rules.forEach(([start = Number.NaN, length = Number.NaN], i) =>
        expect(start + length / 2).toBeCloseTo(dots[i]?.[0] ?? Number.NaN, 6),
      );
    });
  });

  it('every number in it came from results.json', () => {
    const { printed, marks, untraced } = reportNumbers(html, results);
    expect(printed.length).toBeGreaterThan(100);
    expect(marks.length).toBeGreaterThan(50);
    expect(untraced).toEqual([]);
  });
});
