/**
 * Default layer names, `conv2d`, `conv2d_1`, `conv2d_2`, … as Keras and tfjs give them. Like theirs the counter is
 * process-wide: a layer is named when it is constructed, before any model holds it (the functional API names
 * layers that no model contains yet), and names must differ between models that may later be joined. Unlike
 * theirs it is an exported object, not a hidden global, so a program or test can reset it
 * (`layerNames.reset()`, Keras' `clear_session`) to get the same names on every run.
 */
export class LayerNames {
  private readonly counts = new Map<string, number>();

  /** `prefix` the first time, then `prefix_1`, `prefix_2`, … */
  unique(prefix: string): string {
    const count = this.counts.get(prefix) ?? 0;
    this.counts.set(prefix, count + 1);
    return count === 0 ? prefix : `${prefix}_${count}`;
  }

  /** Forgets every name given so far. */
  reset(): void {
    this.counts.clear();
  }
}

/** The names layers constructed without a `name` get. */
export const layerNames = new LayerNames();

/** `MaxPooling2D` → `max_pooling2d`, `Conv2D` → `conv2d`: Keras' rule for default name prefixes. */
export function snakeCase(className: string): string {
  return className
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}
