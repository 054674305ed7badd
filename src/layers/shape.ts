/** Shapes known before any tensor exists: a layer's input and output shapes, with the batch dimension unknown. */

/** A shape whose batch dimension (first) may be unknown: `[null, 28, 28, 1]`. */
export type SymbolicShape = readonly (number | null)[];

export function formatSymbolicShape(shape: SymbolicShape): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}
