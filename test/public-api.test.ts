/**
 * The public entries export the ops and tools of the API, not the helpers behind them: the ops' shape arithmetic
 * and the Node loaders' package lookup stay internal (importing their modules directly is for tests).
 */
import { describe, expect, it } from 'vitest';
import * as core from '../src/index.js';
import * as lab from '../src/node/lab/index.js';
import * as node from '../src/node/index.js';

const INTERNAL_OPS_HELPERS = [
  'resolveSize2D',
  'resolvePadding',
  'windowOutput',
  'windowGeometry',
  'conv2dInfo',
  'conv2dOutputShape',
  'pool2dInfo',
  'pool2dOutputShape',
];

describe('public surface', () => {
  it('cnnlab exports the ops but not their shape helpers', () => {
    for (const op of [
      'conv2d',
      'maxPool',
      'avgPool',
      'matMul',
      'relu',
      'softmax',
      'dropout',
      'batchNormTraining',
      'oneHot',
    ]) {
      expect(Object.keys(core), op).toContain(op);
    }
    for (const helper of INTERNAL_OPS_HELPERS) expect(Object.keys(core), helper).not.toContain(helper);
  });

  it('cnnlab/node adds the Node tools and keeps the package lookup internal', () => {
    for (const name of [
      'loadMnist',
      'loadFashionMnist',
      'loadImageFolder',
      'saveModel',
      'writeFileAtomic',
      'progressBar',
      'STATE_JSON',
    ]) {
      expect(Object.keys(node), name).toContain(name);
    }
    expect(Object.keys(node)).not.toContain('locatePackage');
    for (const helper of INTERNAL_OPS_HELPERS) expect(Object.keys(node), helper).not.toContain(helper);
  });

  it('cnnlab/lab exports the lab runner and nothing of the library', () => {
    expect(Object.keys(lab).sort()).toEqual(['LAB_DATASETS', 'labGroups', 'runLab']);
  });
});
