/** Shapes known before any tensor exists: a layer's input and output shapes, with the batch dimension unknown. */

/** A shape whose batch dimension (first) may be unknown: `[null, 28, 28, 1]`. */
export type SymbolicShape = readonly (number | null)[];

export function formatSymbolicShape(shape: SymbolicShape): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}

/**
 * The product of `dims` (the per-example dimensions a cost multiplies), NaN where one is unknown (null or absent):
 * a cost that depends on an unknown size is unknown.
 */
export function knownProduct(dims: readonly (number | null | undefined)[]): number {
  return dims.reduce<number>((n, d) => (d === null || d === undefined ? Number.NaN : n * d), 1);
}
