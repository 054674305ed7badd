/**
 * Runs a lab: plans the runs, skips those already on disk (with `resume`), trains the rest one by one — each run's
 * record written atomically the moment it finishes — and writes results.json, the CSVs and report.html. After each
 * seed round the outputs are refreshed, so a long lab has a report of what it has so far. An abort (Ctrl-C in the
 * CLI) stops the current run at its next batch; what finished is kept, and `resume` carries on from there.
 */
import path from 'node:path';
import { datasetTitle, formatCount } from '../../lab/format.js';
import { runMetrics } from '../../lab/metrics.js';
import { type LabPlan, planLab, selectGroups } from '../../lab/plan.js';
import { buildResults, type LabResults } from '../../lab/results.js';
import { labSettings, type SettingsOverrides } from '../../lab/settings.js';
import type { LabDataset } from '../../lab/spec.js';
import { type RunData, type RunRecord, trainRun } from '../../lab/train-run.js';
import { type Callback, ConfigError, setBackend } from '../index.js';
import { loadRunData } from './data.js';
import { LabView, type LabViewArgs, type RunLabel } from './live.js';
import { labGroups, machineInfo, readRunRecords, writeOutputs, writeRunRecord } from './store.js';

export interface LabOptions extends SettingsOverrides {
  /** The lab's folder. */
  readonly out: string;
  /** Keep the finished runs found in `out` and train only the others. */
  readonly resume?: boolean;
  readonly quick?: boolean;
  /** Group names to run (default: all). */
  readonly groups?: readonly string[];
  /** A JSON file of extra groups. */
  readonly groupsFile?: string;
  readonly backend?: string;
  readonly view?: LabViewArgs;
  /** Where warnings go; default the view's stream. */
  readonly warn?: (line: string) => void;
  /** Aborting stops the lab at the current run's next batch. */
  readonly signal?: AbortSignal;
}

export interface LabOutcome {
  readonly outDir: string;
  readonly results: LabResults;
  /** Runs trained by this call. */
  readonly trained: number;
  /** Runs found finished on disk and kept. */
  readonly resumed: number;
  readonly interrupted: boolean;
}

class Interrupted extends Error {}

/** How a run is named in the live view: its first group and variant, and how many other groups share it. */
function runLabel(plan: LabPlan, key: string): string {
  const groups = [...new Set(plan.members.filter((m) => m.key === key).map((m) => `${m.group}\u0000${m.variant}`))];
  const [group = '', variant = ''] = (groups[0] ?? '').split('\u0000');
  const label = plan.groups.find((g) => g.name === group)?.variants.find((v) => v.name === variant)?.label ?? variant;
  return `${group} › ${label}${groups.length > 1 ? ` (+${groups.length - 1} more)` : ''}`;
}

export async function runLab(options: LabOptions): Promise<LabOutcome> {
  if (options.backend !== undefined) setBackend(options.backend);
  const outDir = path.resolve(options.out);
  const view = new LabView(options.view);
  const warn =
    options.warn ??
    ((line: string): void => {
      (options.view?.stream ?? process.stderr).write(`${line}\n`);
    });
  const settings = labSettings(options.quick ?? false, options);
  const plan = planLab(selectGroups(await labGroups(options.groupsFile), options.groups), settings);

  const onDisk = await readRunRecords(outDir, warn);
  if (onDisk.size > 0 && options.resume !== true) {
    throw new ConfigError(
      'lab',
      `${outDir} already holds ${onDisk.size} finished runs; pass --resume to keep them and run the rest, ` +
        'or choose another --out',
    );
  }
  const records = new Map<string, RunRecord>();
  for (const { key } of plan.runs) {
    const record = onDisk.get(key);
    if (record !== undefined) records.set(key, record);
  }
  const resumed = records.size;
  const todo = plan.runs.filter((r) => !records.has(r.key));
  view.begin(
    plan.runs.length,
    resumed,
    `${formatCount(plan.groups.length, 'group')} · ${settings.datasets.map(datasetTitle).join(', ')} · ` +
      `${formatCount(settings.seeds.length, 'seed')} · ${settings.trainSize} training images · ` +
      `${formatCount(settings.epochs, 'epoch')}${settings.quick ? ' (quick)' : ''}`,
  );

  const createdAt = new Date().toISOString();
  const results = (): LabResults => buildResults(plan, records, { createdAt, machine: machineInfo() });
  const data = new Map<LabDataset, RunData>();
  const abort: Callback = {
    onBatchEnd: () => {
      if (options.signal?.aborted === true) throw new Interrupted('interrupted');
    },
  };
  let trained = 0;
  let interrupted = false;
  for (const [i, run] of todo.entries()) {
    if (options.signal?.aborted === true) {
      interrupted = true;
      break;
    }
    const { dataset, seed } = run.spec;
    let runData = data.get(dataset);
    if (runData === undefined) {
      runData = await loadRunData(dataset, settings);
      data.set(dataset, runData);
    }
    const label: RunLabel = { title: runLabel(plan, run.key), dataset, seed };
    view.startRun(label);
    let record: RunRecord;
    try {
      record = await trainRun(run.key, run.spec, runData, { callbacks: [view.callback(), abort] });
    } catch (error) {
      if (error instanceof Interrupted) {
        interrupted = true;
        break;
      }
      throw error;
    }
    await writeRunRecord(outDir, record);
    records.set(run.key, record);
    trained++;
    view.endRun(runMetrics(record, settings.targets[dataset]), record.diverged);
    const next = todo[i + 1];
    if (next !== undefined && next.spec.seed !== seed) await writeOutputs(outDir, results());
  }

  const final = results();
  await writeOutputs(outDir, final);
  view.end(
    interrupted
      ? `Lab interrupted: ${final.finishedRuns} of ${final.plannedRuns} runs are finished and kept; run it again with --resume to continue.`
      : `Lab finished: ${formatCount(final.finishedRuns, 'run')} (${trained} trained now, ${resumed} resumed). Report: ${path.join(outDir, 'report.html')}`,
  );
  return { outDir, results: final, trained, resumed, interrupted };
}
