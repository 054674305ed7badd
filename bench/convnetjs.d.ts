// The little of ConvNetJS 0.3.0 (a CommonJS module without types) that the benchmark uses.
declare module 'convnetjs' {
  class Vol {
    constructor(sx: number, sy: number, depth: number, fill?: number);
    w: Float64Array;
  }
  class Net {
    makeLayers(defs: readonly Record<string, unknown>[]): void;
  }
  interface Trainer {
    train(x: Vol, y: number): { loss: number };
  }
  const convnetjs: {
    Vol: typeof Vol;
    Net: typeof Net;
    Trainer: new (net: Net, options: Record<string, unknown>) => Trainer;
  };
  export default convnetjs;
}
