/** Shapes and the small checks every op makes on them. */

export type Shape = readonly number[];

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let size = 1;
  for (const dim of shape) size *= dim;
  return size;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((dim, i) => dim === b[i]);
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** Throws unless every dimension is a non-negative integer. */
export function assertValidShape(shape: Shape, what: string): void {
  for (const dim of shape) {
    if (!Number.isInteger(dim) || dim < 0) {
      throw new Error(`${what}: shape must hold non-negative integers, received ${formatShape(shape)}`);
    }
  }
}

/** NumPy broadcasting: align trailing dimensions; each pair must be equal or contain a 1. */
export function broadcastShapes(a: Shape, b: Shape, what: string): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`${what}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i] ?? 1;
  }
  return strides;
}

/** Normalizes possibly negative axes against a rank, checking range and duplicates. */
export function normalizeAxes(axes: number | readonly number[], rank: number, what: string): number[] {
  const list = typeof axes === 'number' ? [axes] : [...axes];
  const out = list.map((axis) => {
    if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
      throw new Error(`${what}: axis must be an integer in [${-rank}, ${rank - 1}], received ${axis}`);
    }
    return axis < 0 ? axis + rank : axis;
  });
  if (new Set(out).size !== out.length)
    throw new Error(`${what}: axes must be distinct, received [${list.join(', ')}]`);
  return out.sort((x, y) => x - y);
}
