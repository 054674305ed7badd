/**
 * Verdict sentences computed from a group's numbers: for each compared metric, which variant is best, by how much it
 * leads the runner-up, and whether that lead is larger than the two variants' seed spreads combined
 * (lead > std(best) + std(runner-up), i.e. their mean ± std bars do not overlap). Every number in a sentence is also
 * stored in the verdict or the variant summaries, so the report prints nothing that results.json does not hold.
 */
import { datasetTitle, formatFixed2, formatPercent, formatPoints } from './format.js';
import type { FocusMetric } from './spec.js';
import type { Stat } from './stats.js';

/** One variant's results on one dataset, over its seeds. */
export interface VariantSummary {
  readonly variant: string;
  readonly label: string;
  /** Keys of the runs (one per seed) summarized here. */
  readonly runs: readonly string[];
  readonly runCount: number;
  readonly params: number | null;
  readonly testAccuracy: Stat;
  readonly generalizationGap: Stat;
  /** Over the runs that reached the target. */
  readonly epochsToTarget: Stat;
  readonly secondsToTarget: Stat;
  readonly reachedTarget: number;
  readonly secondsPerEpoch: Stat;
  readonly diverged: number;
  /** Per-epoch means over the seeds. */
  readonly curves: {
    readonly loss: readonly (number | null)[];
    readonly accuracy: readonly (number | null)[];
    readonly val_loss: readonly (number | null)[];
    readonly val_accuracy: readonly (number | null)[];
  };
}

export interface Verdict {
  readonly metric: FocusMetric;
  /** Variant names; null when no variant has a value. */
  readonly best: string | null;
  readonly runnerUp: string | null;
  /** |mean(best) − mean(runner-up)|, in the metric's unit (a fraction for accuracies and gaps). */
  readonly difference: number | null;
  /** std(best) + std(runner-up); null with one seed. */
  readonly spread: number | null;
  readonly exceedsSpread: boolean | null;
  readonly sentence: string;
}

interface MetricWords {
  readonly lowerIsBetter: boolean;
  readonly stat: (v: VariantSummary) => Stat;
  /** A value with its spread: '98.12% ± 0.10'. */
  readonly value: (s: Stat) => string;
  /** A difference or a spread with its unit: '0.31 points'. */
  readonly amount: (d: number) => string;
  readonly lead: (best: string, value: string) => string;
  readonly comparison: string;
}

const pm = (std: number | null, f: (x: number) => string): string => (std === null ? '' : ` ± ${f(std)}`);

function words(metric: FocusMetric, target: number): MetricWords {
  switch (metric) {
    case 'testAccuracy':
      return {
        lowerIsBetter: false,
        stat: (v) => v.testAccuracy,
        value: (s) => `${formatPercent(s.mean ?? 0)}${pm(s.std, formatPoints)}`,
        amount: (d) => `${formatPoints(d)} points`,
        lead: (b, v) => `${b} has the best test accuracy, ${v}`,
        comparison: 'above',
      };
    case 'generalizationGap':
      return {
        lowerIsBetter: true,
        stat: (v) => v.generalizationGap,
        value: (s) => `${formatPoints(s.mean ?? 0)} points${pm(s.std, formatPoints)}`,
        amount: (d) => `${formatPoints(d)} points`,
        lead: (b, v) => `${b} over-fits least, with a generalization gap (training minus test accuracy) of ${v}`,
        comparison: 'less than',
      };
    case 'epochsToTarget':
      return {
        lowerIsBetter: true,
        stat: (v) => v.epochsToTarget,
        value: (s) => `${formatFixed2(s.mean ?? 0)} epochs${pm(s.std, formatFixed2)}`,
        amount: (d) => `${formatFixed2(d)} epochs`,
        lead: (b, v) => `${b} reaches ${formatPercent(target)} validation accuracy soonest, after ${v}`,
        comparison: 'sooner than',
      };
    case 'secondsPerEpoch':
      return {
        lowerIsBetter: true,
        stat: (v) => v.secondsPerEpoch,
        value: (s) => `${formatFixed2(s.mean ?? 0)} s${pm(s.std, formatFixed2)}`,
        amount: (d) => `${formatFixed2(d)} s`,
        lead: (b, v) => `${b} has the fastest epochs, ${v} each`,
        comparison: 'less than',
      };
  }
}

/** 'a', 'a and b', 'a, b and c'. */
function listed(items: readonly string[]): string {
  return items.length <= 2
    ? items.join(' and ')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

/** The metric as a sentence names it. */
export function metricName(metric: FocusMetric, target: number): string {
  return {
    testAccuracy: 'test accuracy',
    generalizationGap: 'generalization gap',
    epochsToTarget: `epochs to ${formatPercent(target)} validation accuracy`,
    secondsPerEpoch: 'seconds per epoch',
  }[metric];
}

/** Variants that can be ranked on `metric`: a value exists, and for time-to-target every run reached the target. */
function candidates(variants: readonly VariantSummary[], metric: FocusMetric, w: MetricWords): VariantSummary[] {
  const ok = variants.filter(
    (v) => w.stat(v).mean !== null && (metric !== 'epochsToTarget' || v.reachedTarget === v.runCount),
  );
  return ok.sort((a, b) => ((w.stat(a).mean ?? 0) - (w.stat(b).mean ?? 0)) * (w.lowerIsBetter ? 1 : -1));
}

/** The verdict on one metric for one group on one dataset. `reference` is the group's first variant. */
export function verdict(
  metric: FocusMetric,
  variants: readonly VariantSummary[],
  context: {
    readonly dataset: string;
    readonly target: number;
    readonly epochs: number;
  },
): Verdict {
  const w = words(metric, context.target);
  const on = `On ${datasetTitle(context.dataset)}, `;
  const ranked = candidates(variants, metric, w);
  const missed =
    metric === 'epochsToTarget'
      ? variants
          .filter((v) => v.reachedTarget < v.runCount)
          .map((v) => `${v.label} in ${v.reachedTarget} of ${v.runCount}`)
      : [];
  const missedNote =
    missed.length === 0 ? '' : ` Runs that reached it within ${context.epochs} epochs: ${missed.join('; ')}.`;
  const [best, runnerUp] = ranked;
  if (best === undefined) {
    const none =
      metric === 'epochsToTarget'
        ? `no variant reached ${formatPercent(context.target)} validation accuracy in every run within ${context.epochs} epochs.`
        : 'no variant has a result yet.';
    return {
      metric,
      best: null,
      runnerUp: null,
      difference: null,
      spread: null,
      exceedsSpread: null,
      sentence: `${on}${none}${missedNote}`,
    };
  }
  const bestStat = w.stat(best);
  const lead = w.lead(best.label, w.value(bestStat));
  if (runnerUp === undefined) {
    return {
      metric,
      best: best.variant,
      runnerUp: null,
      difference: null,
      spread: null,
      exceedsSpread: null,
      sentence: `${on}${lead}; no other variant can be compared.${missedNote}`,
    };
  }
  const runnerStat = w.stat(runnerUp);
  const difference = Math.abs((bestStat.mean ?? 0) - (runnerStat.mean ?? 0));
  const spread = bestStat.std === null || runnerStat.std === null ? null : bestStat.std + runnerStat.std;
  const exceedsSpread = spread === null ? null : difference > spread;
  const clause =
    spread === null
      ? 'with one seed per variant the seed spread is unknown'
      : exceedsSpread === true
        ? `the lead is larger than their seed spreads combined (${w.amount(spread)}), so it is clear`
        : `the lead is within their seed spreads combined (${w.amount(spread)}), so it may not hold for other seeds`;
  // Every variant whose mean equals the best one's is named in a tie, not just the runner-up.
  const tied = difference === 0 ? ranked.filter((v) => w.stat(v).mean === bestStat.mean) : [best, runnerUp];
  const reference = variants[0];
  const referenceNote =
    reference === undefined || tied.includes(reference) || w.stat(reference).mean === null
      ? ''
      : ` The reference, ${reference.label}, has ${w.value(w.stat(reference))}.`;
  const values = tied.map((v) => w.value(w.stat(v)));
  const tiedValues = values.every((v) => v === values[0]) ? ` at ${values[0] ?? ''}` : `, ${listed(values)}`;
  const comparison =
    difference === 0
      ? `${on}${listed(tied.map((v) => v.label))} tie on ${metricName(metric, context.target)}${tiedValues}`
      : `${on}${lead}, ${w.amount(difference)} ${w.comparison} ${runnerUp.label} (${w.value(runnerStat)}); ${clause}`;
  const sentence = `${comparison}.${referenceNote}${missedNote}`;
  return { metric, best: best.variant, runnerUp: runnerUp.variant, difference, spread, exceedsSpread, sentence };
}
