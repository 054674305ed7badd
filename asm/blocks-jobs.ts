// Parallel jobs of the newer CNN blocks (see jobs.ts for the protocol): depthwise convolution and its gradients,
// layer normalization, upsampling and the row copy of concat. Each part writes its own rows (or columns, or blocks)
// of the output with arithmetic that does not depend on where parts start, so any thread count gives the same bits.
import { depthwiseExpand, depthwiseRows } from './depthwise';
import { setDepthwiseGeometry } from './depthwise-geometry';
import { depthwiseDwBlock, depthwiseDwBlocks, depthwiseDxRows } from './depthwise-grad';
import { layerNormGradRows, layerNormParamColumns, layerNormRows } from './layer-norm';
import { copyRows, setUpSampleGeometry, upSampleGradRows, upSampleRows } from './resample';
import { CopyRowsJob, DepthwiseDwJob, DepthwiseDxJob, DepthwiseExpandJob, DepthwiseGeometry, DepthwiseJob, GEOMETRY,
  K_COPY_ROWS, K_DEPTHWISE, K_DEPTHWISE_DW, K_DEPTHWISE_DX, K_DEPTHWISE_EXPAND, K_LAYER_NORM, K_LAYER_NORM_GRAD,
  K_LAYER_NORM_PARAMS, K_UP_SAMPLE, K_UP_SAMPLE_GRAD, LayerNormGradJob, LayerNormJob, LayerNormParamsJob,
  UpSampleGeometry, UpSampleGradJob, UpSampleJob } from './protocol.generated';
import { bound } from './simd';

@inline
function isDepthwiseJob(kind: i32): bool {
  return kind == K_DEPTHWISE_EXPAND || kind == K_DEPTHWISE || kind == K_DEPTHWISE_DX || kind == K_DEPTHWISE_DW;
}

@inline
function isLayerNormJob(kind: i32): bool {
  return kind == K_LAYER_NORM || kind == K_LAYER_NORM_GRAD || kind == K_LAYER_NORM_PARAMS;
}

/** Whether blocksPart runs jobs of this kind. */
export function isBlocksJob(kind: i32): bool {
  return isDepthwiseJob(kind) || isLayerNormJob(kind) || kind == K_UP_SAMPLE || kind == K_UP_SAMPLE_GRAD ||
    kind == K_COPY_ROWS;
}

/** Sets the depthwise geometry from the job's words. */
function depthwiseGeometry(job: usize): DepthwiseGeometry {
  const g = changetype<DepthwiseGeometry>(job + GEOMETRY);
  setDepthwiseGeometry(g.batch, g.inHeight, g.inWidth, g.inChannels, g.channelMultiplier, g.outHeight, g.outWidth,
    g.filterHeight, g.filterWidth, g.strideHeight, g.strideWidth, g.dilationHeight, g.dilationWidth, g.padTop,
    g.padLeft);
  return g;
}

/**
 * Depthwise convolution: the forward pass by output rows, the input gradient by input rows, the filter gradient by
 * fixed blocks of output rows (block b to its own partial sums).
 */
function depthwisePart(kind: i32, job: usize, p: i32, parts: i32): void {
  if (kind == K_DEPTHWISE_EXPAND) {
    const j = changetype<DepthwiseExpandJob>(job);
    depthwiseExpand(j.x, j.out, bound(j.n, parts, p, 1), bound(j.n, parts, p + 1, 1), j.multiplier);
    return;
  }
  const g = depthwiseGeometry(job);
  if (kind == K_DEPTHWISE) {
    const j = changetype<DepthwiseJob>(job);
    const rows = g.batch * g.outHeight;
    depthwiseRows(j.x, j.w, j.y, bound(rows, parts, p, 1), bound(rows, parts, p + 1, 1));
  } else if (kind == K_DEPTHWISE_DX) {
    const j = changetype<DepthwiseDxJob>(job);
    const rows = g.batch * g.inHeight;
    depthwiseDxRows(j.dy, j.w, j.dx, j.scratch + <usize>p * j.scratchPerPart, bound(rows, parts, p, 1),
      bound(rows, parts, p + 1, 1));
  } else {
    const j = changetype<DepthwiseDwJob>(job);
    const blocks = depthwiseDwBlocks(j.blockRows);
    const b1 = bound(blocks, parts, p + 1, 1);
    for (let b = bound(blocks, parts, p, 1); b < b1; b++) depthwiseDwBlock(j.x, j.dy, j.partials, j.blockRows, b);
  }
}

/** Layer norm: the forward pass and the input gradient by rows, the parameter gradients by pairs of columns. */
function layerNormPart(kind: i32, job: usize, p: i32, parts: i32): void {
  if (kind == K_LAYER_NORM) {
    const j = changetype<LayerNormJob>(job);
    layerNormRows(j.x, j.cols, j.gamma, j.beta, j.epsilon, j.y, bound(j.rows, parts, p, 1),
      bound(j.rows, parts, p + 1, 1));
  } else if (kind == K_LAYER_NORM_GRAD) {
    const j = changetype<LayerNormGradJob>(job);
    layerNormGradRows(j.dy, j.x, j.cols, j.gamma, j.epsilon, j.dx, j.stats, bound(j.rows, parts, p, 1),
      bound(j.rows, parts, p + 1, 1));
  } else {
    const j = changetype<LayerNormParamsJob>(job);
    layerNormParamColumns(j.dy, j.x, j.stats, j.rows, j.cols, j.dGamma, j.dBeta, j.sums, bound(j.cols, parts, p, 2),
      bound(j.cols, parts, p + 1, 2));
  }
}

/** Upsampling by output rows, its gradient by input rows; concat's copy by rows. */
function resamplePart(kind: i32, job: usize, p: i32, parts: i32): void {
  if (kind == K_COPY_ROWS) {
    const j = changetype<CopyRowsJob>(job);
    copyRows(j.src, j.dst, j.length, j.dstStride, bound(j.rows, parts, p, 1), bound(j.rows, parts, p + 1, 1));
    return;
  }
  const g = changetype<UpSampleGeometry>(job + GEOMETRY);
  if (kind == K_UP_SAMPLE) {
    const j = changetype<UpSampleJob>(job);
    setUpSampleGeometry(g.inHeight, g.inWidth, g.channels, g.sizeHeight, g.sizeWidth, j.bilinear != 0);
    const rows = g.batch * g.inHeight * g.sizeHeight;
    upSampleRows(j.x, j.y, bound(rows, parts, p, 1), bound(rows, parts, p + 1, 1));
  } else {
    const j = changetype<UpSampleGradJob>(job);
    setUpSampleGeometry(g.inHeight, g.inWidth, g.channels, g.sizeHeight, g.sizeWidth, j.bilinear != 0);
    const rows = g.batch * g.inHeight;
    upSampleGradRows(j.dy, j.dx, j.acc, bound(rows, parts, p, 1), bound(rows, parts, p + 1, 1));
  }
}

/** Runs part p of `parts` of a job of one of the kinds above. */
export function blocksPart(kind: i32, job: usize, p: i32, parts: i32): void {
  if (isDepthwiseJob(kind)) depthwisePart(kind, job, p, parts);
  else if (isLayerNormJob(kind)) layerNormPart(kind, job, p, parts);
  else resamplePart(kind, job, p, parts);
}
