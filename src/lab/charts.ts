/**
 * Vega-Lite specifications of the report's charts, built from results.json's summaries alone (the per-epoch and
 * per-variant means and spreads); the Node side renders them to static SVG. Three charts per group: learning curves,
 * test accuracy with ± 1 std error bars, and time per epoch with ± 1 std error bars. Datasets are side by side.
 */
import type { TopLevelSpec } from 'vega-lite';
import { datasetTitle } from './format.js';
import type { GroupSummary, LabResults } from './results.js';

const WIDTH = 300;

function groupSummaries(results: LabResults, group: string): GroupSummary[] {
  return results.summaries.filter((s) => s.group === group);
}

function variantOrder(summaries: readonly GroupSummary[]): string[] {
  return summaries[0]?.variants.map((v) => v.label) ?? [];
}

const CURVES = [
  ['val_accuracy', 'validation accuracy'],
  ['val_loss', 'validation loss'],
  ['loss', 'training loss'],
] as const;

/** Per-epoch means over seeds: one line per variant, a panel per curve (rows) and per dataset (columns). */
export function learningCurvesSpec(results: LabResults, group: string): TopLevelSpec {
  const summaries = groupSummaries(results, group);
  const values = summaries.flatMap((s) =>
    s.variants.flatMap((v) =>
      CURVES.flatMap(([key, curve]) =>
        v.curves[key].flatMap((value, e) =>
          value === null ? [] : [{ dataset: datasetTitle(s.dataset), variant: v.label, curve, epoch: e + 1, value }],
        ),
      ),
    ),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: { values },
    facet: {
      row: { field: 'curve', type: 'nominal', title: null, sort: CURVES.map(([, c]) => c) },
      column: { field: 'dataset', type: 'nominal', title: null },
    },
    spec: {
      width: WIDTH,
      height: 150,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1, format: 'd' }, scale: { domainMin: 1 } },
        y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
        color: {
          field: 'variant',
          type: 'nominal',
          sort: variantOrder(summaries),
          title: 'variant',
          legend: { labelLimit: 260 },
        },
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
}

/**
 * A horizontal chart of one statistic per variant: a point or bar at the mean, a rule from mean − std to
 * mean + std.
 */
function meanWithSpreadSpec(
  results: LabResults,
  group: string,
  options: {
    readonly pick: (v: GroupSummary['variants'][number]) => {
      readonly mean: number | null;
      readonly std: number | null;
    };
    readonly title: string;
    readonly format: string;
    readonly mark: 'point' | 'bar';
    readonly zero: boolean;
  },
): TopLevelSpec {
  const summaries = groupSummaries(results, group);
  const values = summaries.flatMap((s) =>
    s.variants.flatMap((v) => {
      const { mean, std } = options.pick(v);
      return mean === null
        ? []
        : [
            {
              dataset: datasetTitle(s.dataset),
              variant: v.label,
              mean,
              low: mean - (std ?? 0),
              high: mean + (std ?? 0),
            },
          ];
    }),
  );
  const y = {
    field: 'variant',
    type: 'nominal',
    sort: variantOrder(summaries),
    title: null,
    axis: { labelLimit: 260 },
  } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: { values },
    facet: { column: { field: 'dataset', type: 'nominal', title: null } },
    spec: {
      width: WIDTH,
      encoding: { y },
      layer: [
        {
          mark:
            options.mark === 'bar'
              ? { type: 'bar', color: '#9bb8d3' }
              : { type: 'point', filled: true, size: 60, color: '#1f5f99' },
          encoding: {
            x: {
              field: 'mean',
              type: 'quantitative',
              title: options.title,
              axis: { format: options.format },
              scale: { zero: options.zero },
            },
          },
        },
        // The rule's ends (mean ∓ std) are drawn, not described: the mark above describes the mean.
        {
          mark: { type: 'rule', color: '#1f3f66', strokeWidth: 1.5, aria: false },
          encoding: { x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } },
        },
      ],
    },
    resolve: { scale: { x: 'independent' } },
  };
}

export function testAccuracySpec(results: LabResults, group: string): TopLevelSpec {
  return meanWithSpreadSpec(results, group, {
    pick: (v) => v.testAccuracy,
    title: 'test accuracy (mean ± std over seeds)',
    format: '.1%',
    mark: 'point',
    zero: false,
  });
}

export function epochTimeSpec(results: LabResults, group: string): TopLevelSpec {
  return meanWithSpreadSpec(results, group, {
    pick: (v) => v.secondsPerEpoch,
    title: 'seconds per epoch (mean ± std)',
    format: '.1f',
    mark: 'bar',
    zero: true,
  });
}
