/**
 * The lab's folder on disk:
 *
 *     <out>/runs/<key>.json   one file per finished run, written atomically the moment the run ends
 *                             (what --resume reads)
 *     <out>/results.json      settings, every run, per-variant means and spreads, verdicts
 *     <out>/results.csv       one row per group, variant and run, with every per-run and per-epoch number
 *     <out>/summary.csv       one row per group, dataset and variant: means, spreads, counts
 *     <out>/report.html       the self-contained report
 *
 * Every file is replaced atomically (temp file, fsync, rename), so an interrupted lab never leaves a half-written one.
 */
import { mkdir, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runsCsv, summaryCsv } from '../../lab/csv.js';
import { parseGroupFile } from '../../lab/group-file.js';
import { BUILT_IN_GROUPS } from '../../lab/groups.js';
import type { LabResults, MachineInfo } from '../../lab/results.js';
import { type GroupSpec, runKey } from '../../lab/spec.js';
import type { RunRecord } from '../../lab/train-run.js';
import { ConfigError, errorMessage, removeLeftovers, writeFileAtomic } from '../index.js';
import { renderReport } from './report.js';

export const RUNS_DIR = 'runs';

export const runFile = (outDir: string, key: string): string => path.join(outDir, RUNS_DIR, `${key}.json`);

const isArray = (v: unknown): v is unknown[] => Array.isArray(v);
const isRecordObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A structural check of a parsed run file; the key must match the spec, so an edited file is not trusted. */
function isRunRecord(value: unknown, key: string): value is RunRecord {
  if (!isRecordObject(value) || value.format !== 'cnnlab-lab-run' || value.version !== 1 || value.key !== key)
    return false;
  const { spec, history, epochSeconds, test, train } = value;
  if (
    !isRecordObject(spec) ||
    !isRecordObject(history) ||
    !isArray(epochSeconds) ||
    !isRecordObject(test) ||
    !isRecordObject(train)
  )
    return false;
  if (!['loss', 'accuracy', 'val_loss', 'val_accuracy'].every((k) => isArray(history[k]))) return false;
  if (typeof value.params !== 'number' || typeof value.backend !== 'string' || typeof value.diverged !== 'boolean')
    return false;
  return runKey(value.spec as RunRecord['spec']) === key;
}

/**
 * The finished runs in `<out>/runs`. A file that cannot be read or does not check out is reported through `warn`
 * and ignored (its run is trained again). Leftover temporary files of an interrupted write, in `<out>` and in
 * `<out>/runs`, are removed.
 */
export async function readRunRecords(outDir: string, warn: (line: string) => void): Promise<Map<string, RunRecord>> {
  const dir = path.join(outDir, RUNS_DIR);
  const names = await readdir(dir).catch(() => [] as string[]);
  if (names.length > 0) await removeLeftovers(dir);
  await removeLeftovers(outDir).catch(() => undefined); // no folder yet: nothing to clean
  const records = new Map<string, RunRecord>();
  for (const name of names.filter((n) => n.endsWith('.json') && !n.startsWith('.'))) {
    const key = name.slice(0, -'.json'.length);
    try {
      const parsed: unknown = JSON.parse(await readFile(path.join(dir, name), 'utf8'));
      if (isRunRecord(parsed, key)) records.set(key, parsed);
      else warn(`lab: ignoring ${path.join(dir, name)}: not a run file of this lab version (it will be run again)`);
    } catch (error) {
      warn(`lab: ignoring ${path.join(dir, name)}: ${errorMessage(error)}`);
    }
  }
  return records;
}

export async function writeRunRecord(outDir: string, record: RunRecord): Promise<void> {
  await mkdir(path.join(outDir, RUNS_DIR), { recursive: true });
  await writeFileAtomic(runFile(outDir, record.key), `${JSON.stringify(record)}\n`);
}

/** Writes results.json, results.csv, summary.csv and report.html. */
export async function writeOutputs(outDir: string, results: LabResults): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await writeFileAtomic(path.join(outDir, 'results.json'), `${JSON.stringify(results, null, 1)}\n`);
  await writeFileAtomic(path.join(outDir, 'results.csv'), runsCsv(results));
  await writeFileAtomic(path.join(outDir, 'summary.csv'), summaryCsv(results));
  await writeFileAtomic(path.join(outDir, 'report.html'), await renderReport(results));
}

/** The built-in groups followed by those of a groups file (`--groups-file`), checked entry by entry. */
export async function labGroups(groupsFile: string | undefined): Promise<GroupSpec[]> {
  if (groupsFile === undefined) return [...BUILT_IN_GROUPS];
  let text: string;
  try {
    text = await readFile(groupsFile, 'utf8');
  } catch (error) {
    throw new ConfigError('--groups-file', `cannot read '${groupsFile}' (${errorMessage(error)})`, { cause: error });
  }
  return [
    ...BUILT_IN_GROUPS,
    ...parseGroupFile(
      text,
      groupsFile,
      BUILT_IN_GROUPS.map((g) => g.name),
    ),
  ];
}

/** This machine, as the report states it. */
export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    runtime: `Node.js ${process.version}`,
  };
}
