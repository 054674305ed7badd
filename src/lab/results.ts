/**
 * The lab's results model — what results.json holds: the settings, the groups, every run with its derived metrics,
 * and per group and dataset each variant's mean and spread over seeds with the verdicts. The report and the CSV are
 * rendered from this object alone.
 */
import { runMetrics, type RunMetrics } from './metrics.js';
import type { LabPlan, Membership } from './plan.js';
import { FOCUS_METRICS, type FocusMetric, type GroupSpec, type LabDataset, type LabSettings } from './spec.js';
import { meanSeries, stat } from './stats.js';
import type { RunRecord } from './train-run.js';
import { type Verdict, verdict, type VariantSummary } from './verdict.js';

/** The machine a lab ran on, as the report states it. */
export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly runtime: string;
}

export interface RunEntry extends RunRecord {
  readonly metrics: RunMetrics;
}

export interface GroupSummary {
  readonly group: string;
  readonly dataset: LabDataset;
  /** The validation accuracy timed by epochsToTarget. */
  readonly target: number;
  readonly variants: readonly VariantSummary[];
  /** Test accuracy first, then the group's focus metrics. */
  readonly verdicts: readonly Verdict[];
}

export interface LabResults {
  readonly format: 'cnnlab-lab-results';
  readonly version: 1;
  readonly createdAt: string;
  readonly machine: MachineInfo;
  /** Backends the runs trained on. */
  readonly backends: readonly string[];
  readonly settings: LabSettings;
  readonly groups: readonly GroupSpec[];
  readonly plannedRuns: number;
  readonly finishedRuns: number;
  /** Training time of all finished runs, in seconds. */
  readonly totalSeconds: number;
  readonly members: readonly Membership[];
  readonly runs: readonly RunEntry[];
  readonly summaries: readonly GroupSummary[];
}

function summarizeVariant(variant: string, label: string, entries: readonly RunEntry[]): VariantSummary {
  const m = (f: (r: RunMetrics) => number | null): (number | null)[] => entries.map((e) => f(e.metrics));
  const reached = entries.filter((e) => e.metrics.epochsToTarget !== null);
  return {
    variant,
    label,
    runs: entries.map((e) => e.key),
    runCount: entries.length,
    params: entries[0]?.params ?? null,
    testAccuracy: stat(m((r) => r.testAccuracy)),
    generalizationGap: stat(m((r) => r.generalizationGap)),
    epochsToTarget: stat(reached.map((e) => e.metrics.epochsToTarget)),
    secondsToTarget: stat(reached.map((e) => e.metrics.secondsToTarget)),
    reachedTarget: reached.length,
    secondsPerEpoch: stat(m((r) => r.secondsPerEpoch)),
    diverged: entries.filter((e) => e.diverged).length,
    curves: {
      loss: meanSeries(entries.map((e) => e.history.loss)),
      accuracy: meanSeries(entries.map((e) => e.history.accuracy)),
      val_loss: meanSeries(entries.map((e) => e.history.val_loss)),
      val_accuracy: meanSeries(entries.map((e) => e.history.val_accuracy)),
    },
  };
}

/**
 * Results from the finished runs (`records`, by key) of a plan. Runs not finished yet are left out of the
 * summaries, so an interrupted lab still gives a report of what it has.
 */
export function buildResults(
  plan: LabPlan,
  records: ReadonlyMap<string, RunRecord>,
  info: { readonly createdAt: string; readonly machine: MachineInfo },
): LabResults {
  const { settings } = plan;
  const runs: RunEntry[] = plan.runs.flatMap(({ key }) => {
    const record = records.get(key);
    return record === undefined
      ? []
      : [{ ...record, metrics: runMetrics(record, settings.targets[record.spec.dataset]) }];
  });
  const byKey = new Map(runs.map((r) => [r.key, r]));
  const summaries: GroupSummary[] = [];
  for (const group of plan.groups) {
    for (const dataset of settings.datasets) {
      const target = settings.targets[dataset];
      const variants = group.variants.map((variant) => {
        const keys = plan.members
          .filter((m) => m.group === group.name && m.variant === variant.name && m.dataset === dataset)
          .map((m) => m.key);
        return summarizeVariant(
          variant.name,
          variant.label,
          keys.flatMap((k) => byKey.get(k) ?? []),
        );
      });
      const metrics: FocusMetric[] = FOCUS_METRICS.filter((f) => f === 'testAccuracy' || group.focus.includes(f));
      const verdicts = metrics.map((metric) => verdict(metric, variants, { dataset, target, epochs: settings.epochs }));
      summaries.push({ group: group.name, dataset, target, variants, verdicts });
    }
  }
  return {
    format: 'cnnlab-lab-results',
    version: 1,
    createdAt: info.createdAt,
    machine: info.machine,
    backends: [...new Set(runs.map((r) => r.backend))],
    settings,
    groups: plan.groups,
    plannedRuns: plan.runs.length,
    finishedRuns: runs.length,
    totalSeconds: runs.reduce((a, r) => a + r.metrics.totalSeconds, 0),
    members: plan.members,
    runs,
    summaries,
  };
}
