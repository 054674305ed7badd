/**
 * cnnlab/lab: the technique lab, an application built on the public API (`cnnlab`, `cnnlab/node`) that the CLI's
 * `cnnlab lab` runs. Vega and Vega-Lite, which draw the report's charts, are loaded only when a report is rendered,
 * so neither `cnnlab` nor `cnnlab/node` reaches them.
 */
export { runLab, type LabOptions, type LabOutcome } from './runner.js';
export { labGroups } from './store.js';
export { LAB_DATASETS, type GroupSpec, type LabDataset } from '../../lab/spec.js';
export type { LabResults } from '../../lab/results.js';
