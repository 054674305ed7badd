/**
 * report.html: a self-contained page rendered from results.json alone — inline CSS, charts as inline SVG (Vega-Lite,
 * rendered here), no scripts, fonts or links to fetch — so it opens offline. Per group: its question, the verdicts,
 * learning curves, test accuracy with error bars, time per epoch and a table of every variant's numbers.
 */
import { epochTimeSpec, learningCurvesSpec, testAccuracySpec } from '../../lab/charts.js';
import { datasetTitle, formatFixed2, formatPercent, formatPoints, formatThousands } from '../../lab/format.js';
import type { GroupSummary, LabResults } from '../../lab/results.js';
import type { GroupSpec } from '../../lab/spec.js';
import type { Stat } from '../../lab/stats.js';
import { renderSvg } from './svg.js';

const escapeHtml = (text: string): string =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

const CSS = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2733;max-width:1100px;margin:2em auto;padding:0 1em}
h1{margin-bottom:.2em}h2{border-bottom:1px solid #d5dde6;padding-bottom:.2em;margin-top:2em}
.meta{color:#5a6877;margin:.2em 0}.warning{background:#fff4d6;border-left:4px solid #e0a800;padding:.5em 1em}
.question{font-style:italic;color:#3b4a5a}.verdict{background:#f2f6fa;border-left:4px solid #1f5f99;padding:.5em 1em}
figure{margin:1em 0;overflow-x:auto}.charts{display:flex;flex-wrap:wrap;gap:0 2em;align-items:flex-start}figcaption{color:#5a6877;font-size:13px}
table{border-collapse:collapse;margin:1em 0;font-size:14px}th,td{padding:.25em .6em;border-bottom:1px solid #e3e8ee;text-align:right}
th:first-child,td:first-child{text-align:left}caption{text-align:left;font-weight:600;padding:.3em 0}
nav a{margin-right:1em}footer{margin-top:3em;color:#5a6877;font-size:13px}`;

/** 'mean ± std' with `f` for both; '–' when there is no value. */
function meanSpread(s: Stat, f: (x: number) => string, unit = ''): string {
  if (s.mean === null) return '–';
  return `${f(s.mean)}${unit}${s.std === null ? '' : ` ± ${f(s.std)}`}`;
}

function variantTable(summary: GroupSummary): string {
  const target = formatPercent(summary.target);
  const head = [
    'variant',
    'test accuracy',
    'gap (points)',
    `epochs to ${target}`,
    `seconds to ${target}`,
    'seconds / epoch',
    'parameters',
    'runs',
  ];
  const rows = summary.variants.map((v) => [
    escapeHtml(v.label),
    v.testAccuracy.mean === null
      ? '–'
      : `${formatPercent(v.testAccuracy.mean)}${v.testAccuracy.std === null ? '' : ` ± ${formatPoints(v.testAccuracy.std)}`}`,
    meanSpread(v.generalizationGap, formatPoints),
    `${meanSpread(v.epochsToTarget, formatFixed2)} (${v.reachedTarget} of ${v.runCount} reached)`,
    meanSpread(v.secondsToTarget, formatFixed2),
    meanSpread(v.secondsPerEpoch, formatFixed2),
    v.params === null ? '–' : formatThousands(v.params),
    `${v.runCount}${v.diverged > 0 ? ` (${v.diverged} diverged)` : ''}`,
  ]);
  return (
    `<table data-dataset="${summary.dataset}"><caption>${datasetTitle(summary.dataset)}</caption>` +
    `<thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`
  );
}

async function figure(kind: string, svg: Promise<string>, caption: string): Promise<string> {
  return `<figure class="chart ${kind}">${await svg}<figcaption>${caption}</figcaption></figure>`;
}

async function groupSection(results: LabResults, group: GroupSpec): Promise<string> {
  const summaries = results.summaries.filter((s) => s.group === group.name);
  const verdicts = summaries
    .map(
      (s) =>
        `<p class="verdict" data-dataset="${s.dataset}">` +
        `${s.verdicts.map((v) => escapeHtml(v.sentence)).join(' ')}</p>`,
    )
    .join('\n');
  const charts = await Promise.all([
    figure(
      'learning-curves',
      renderSvg(learningCurvesSpec(results, group.name)),
      'Learning curves: per-epoch means over seeds (validation accuracy, validation loss, training loss).',
    ),
    figure(
      'test-accuracy',
      renderSvg(testAccuracySpec(results, group.name)),
      'Final test accuracy: the dot is the mean over seeds, the bar spans ± one standard deviation.',
    ),
    figure(
      'epoch-time',
      renderSvg(epochTimeSpec(results, group.name)),
      "Wall time per epoch (training and validation; each run's median epoch), mean ± one standard deviation over seeds.",
    ),
  ]);
  return `<section class="group" id="group-${escapeHtml(group.name)}" data-group="${escapeHtml(group.name)}">
<h2>${escapeHtml(group.title)}</h2>
${group.question === '' ? '' : `<p class="question">${escapeHtml(group.question)}</p>`}
${verdicts}
<div class="charts">${charts[0] ?? ''}<div>${charts.slice(1).join('\n')}</div></div>
${summaries.map(variantTable).join('\n')}
</section>`;
}

function header(results: LabResults): string {
  const { settings, machine } = results;
  const date = `${results.createdAt.slice(0, 10)} ${results.createdAt.slice(11, 16)} UTC`;
  const incomplete =
    results.finishedRuns < results.plannedRuns
      ? `<p class="warning">Incomplete: ${results.finishedRuns} of ${results.plannedRuns} runs have finished; ` +
        'run the lab again with --resume to finish the rest.</p>'
      : '';
  return (
    `<header>
<h1>cnnlab technique lab${settings.quick ? ' (quick)' : ''}</h1>
<p class="meta">${escapeHtml(date)} · ${escapeHtml(machine.cpu)}, ${machine.cores} cores, ${machine.memoryGiB} GiB · ${escapeHtml(machine.os)} · ` +
    `${escapeHtml(machine.runtime)} · backend ${escapeHtml(results.backends.join(', ') || 'none')}</p>
<p class="meta">${settings.datasets.map(datasetTitle).join(' and ')} · ${formatThousands(settings.trainSize)} training, ` +
    `${formatThousands(settings.validationSize)} validation and ${formatThousands(settings.testSize)} test images per dataset · ` +
    `${settings.epochs} epochs of batch ${settings.batchSize} · seeds ${settings.seeds.join(', ')} · ` +
    `${results.finishedRuns} of ${results.plannedRuns} runs, ${formatFixed2(results.totalSeconds / 60)} minutes of training</p>
${incomplete}
</header>`
  );
}

function overview(results: LabResults): string {
  const items = results.groups.map((g) => {
    const first = results.summaries
      .filter((s) => s.group === g.name)
      .map((s) => escapeHtml(s.verdicts[0]?.sentence ?? ''));
    return `<li><a href="#group-${escapeHtml(g.name)}">${escapeHtml(g.title)}</a>: ${first.join(' ')}</li>`;
  });
  return `<section id="verdicts"><h2>Verdicts</h2><ul>${items.join('\n')}</ul></section>`;
}

const FOOTER = `<footer><p>Each variant changes one thing of the baseline (the brief's model, Adam). "±" is the sample standard
deviation over seeds. A lead "is larger than the seed spreads combined" when the difference of the means exceeds the sum of
the two standard deviations (their error bars do not overlap). The gap is the accuracy on the training images (measured
after training, in inference mode) minus the test accuracy. Epochs to the target count the first epoch whose validation
accuracy reached it, over the runs that reached it. Seconds are wall times (a run's seconds per epoch is its median
epoch, which leaves out the first epoch's warm-up); they compare fairly only when nothing else ran on the machine during
the lab. Every number here is in results.json beside this file.</p></footer>`;

export async function renderReport(results: LabResults): Promise<string> {
  const sections: string[] = [];
  // One group at a time: rendering is quick, and it keeps the peak memory of large labs low.
  for (const group of results.groups) sections.push(await groupSection(results, group));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>cnnlab technique lab</title><style>${CSS}</style></head>
<body>
${header(results)}
<nav>${results.groups.map((g) => `<a href="#group-${escapeHtml(g.name)}">${escapeHtml(g.title)}</a>`).join('')}</nav>
${overview(results)}
${sections.join('\n')}
${FOOTER}
</body></html>
`;
}
