/**
 * The lab's results as CSV (RFC 4180: comma-separated, fields with commas, quotes or line breaks quoted):
 * `runsCsv` has one row per group, variant and run (a run shared by groups appears once in each) with every
 * per-run and per-epoch number; `summaryCsv` has one row per group, dataset and variant with the means and spreads.
 * Missing values are empty fields.
 */
import type { LabResults } from './results.js';
import type { Stat } from './stats.js';

type Cell = string | number | boolean | null;

function field(value: Cell): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const line = (cells: readonly Cell[]): string => cells.map(field).join(',');

export function runsCsv(results: LabResults): string {
  const epochs = results.settings.epochs;
  const perEpoch = ['loss', 'accuracy', 'val_loss', 'val_accuracy', 'seconds'] as const;
  const header = [
    'group',
    'variant',
    'label',
    'dataset',
    'seed',
    'run_key',
    'backend',
    'params',
    'test_accuracy',
    'test_loss',
    'train_accuracy',
    'generalization_gap',
    'epochs_to_target',
    'seconds_to_target',
    'seconds_per_epoch',
    'total_seconds',
    'diverged',
    ...perEpoch.flatMap((name) => Array.from({ length: epochs }, (_, e) => `${name}_${e + 1}`)),
  ];
  const rows = [line(header)];
  const byKey = new Map(results.runs.map((r) => [r.key, r]));
  for (const member of results.members) {
    const run = byKey.get(member.key);
    if (run === undefined) continue;
    const label =
      results.groups.find((g) => g.name === member.group)?.variants.find((v) => v.name === member.variant)?.label ??
      null;
    const m = run.metrics;
    const series: Record<(typeof perEpoch)[number], readonly (number | null)[]> = {
      ...run.history,
      seconds: run.epochSeconds,
    };
    rows.push(
      line([
        member.group,
        member.variant,
        label,
        member.dataset,
        member.seed,
        run.key,
        run.backend,
        run.params,
        m.testAccuracy,
        m.testLoss,
        m.trainAccuracy,
        m.generalizationGap,
        m.epochsToTarget,
        m.secondsToTarget,
        m.secondsPerEpoch,
        m.totalSeconds,
        run.diverged,
        ...perEpoch.flatMap((name) => Array.from({ length: epochs }, (_, e) => series[name][e] ?? null)),
      ]),
    );
  }
  return `${rows.join('\n')}\n`;
}

export function summaryCsv(results: LabResults): string {
  const stats = [
    'test_accuracy',
    'generalization_gap',
    'epochs_to_target',
    'seconds_to_target',
    'seconds_per_epoch',
  ] as const;
  const header = [
    'group',
    'dataset',
    'variant',
    'label',
    'runs',
    'params',
    'reached_target',
    'target',
    'diverged',
    ...stats.flatMap((s) => [`${s}_mean`, `${s}_std`, `${s}_min`, `${s}_max`, `${s}_n`]),
  ];
  const rows = [line(header)];
  const cells = (s: Stat): Cell[] => [s.mean, s.std, s.min, s.max, s.n];
  for (const summary of results.summaries) {
    for (const v of summary.variants) {
      rows.push(
        line([
          summary.group,
          summary.dataset,
          v.variant,
          v.label,
          v.runCount,
          v.params,
          v.reachedTarget,
          summary.target,
          v.diverged,
          ...cells(v.testAccuracy),
          ...cells(v.generalizationGap),
          ...cells(v.epochsToTarget),
          ...cells(v.secondsToTarget),
          ...cells(v.secondsPerEpoch),
        ]),
      );
    }
  }
  return `${rows.join('\n')}\n`;
}
