/** The technique lab's browser-safe core: experiment definitions, planning, one run's training, statistics, verdicts, results. */
export * from './spec.js';
export { BUILT_IN_GROUPS } from './groups.js';
export { parseGroupFile } from './group-file.js';
export { planLab, selectGroups, resolveModel, briefOptions, buildOptimizer, type LabPlan, type PlannedRun, type Membership } from './plan.js';
export { trainRun, type RunData, type RunRecord, type Measured, type TrainRunOptions } from './train-run.js';
export { labSettings, FULL_SETTINGS, QUICK_SETTINGS, type SettingsOverrides } from './settings.js';
export { runMetrics, type RunMetrics } from './metrics.js';
export { stat, meanSeries, type Stat } from './stats.js';
export { verdict, metricName, type Verdict, type VariantSummary } from './verdict.js';
export { buildResults, type LabResults, type GroupSummary, type RunEntry, type MachineInfo } from './results.js';
export { runsCsv, summaryCsv } from './csv.js';
export { learningCurvesSpec, testAccuracySpec, epochTimeSpec } from './charts.js';
export * from './format.js';
