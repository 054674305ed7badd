// The geometry of the depthwise kernels (depthwise.ts, depthwise-grad.ts), in globals that each job part sets from
// its job (blocks-jobs.ts): every thread's instance has its own. See depthwise.ts for the formulas.

export let gN: i32 = 0;
export let gH: i32 = 0;
export let gW: i32 = 0;
export let gC: i32 = 0;
export let gM: i32 = 0;
export let gOH: i32 = 0;
export let gOW: i32 = 0;
export let gKH: i32 = 0;
export let gKW: i32 = 0;
export let gSH: i32 = 0;
export let gSW: i32 = 0;
export let gDH: i32 = 0;
export let gDW: i32 = 0;
export let gPT: i32 = 0;
export let gPL: i32 = 0;

/** Sets the geometry the kernels below use (per instance: each worker thread sets its own). */
export function setDepthwiseGeometry(n: i32, h: i32, w: i32, c: i32, m: i32, oh: i32, ow: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32): void {
  gN = n; gH = h; gW = w; gC = c; gM = m; gOH = oh; gOW = ow; gKH = kh; gKW = kw;
  gSH = sh; gSW = sw; gDH = dh; gDW = dw; gPT = pt; gPL = pl;
}

/** [k0, k1): the taps k < size with 0 ≤ base + k·step < extent, packed as k0 << 32 | k1. */
@inline
export function tapRange(base: i32, step: i32, size: i32, extent: i32): i64 {
  let k0 = 0;
  while (k0 < size && base + k0 * step < 0) k0++;
  let k1 = k0;
  while (k1 < size && base + k1 * step < extent) k1++;
  return (<i64>k0 << 32) | <i64>k1;
}
