/**
 * Model: a functional model (Keras `Model(inputs, outputs)`, tfjs `tf.model`), the layer calls between symbolic
 * inputs and outputs — residual connections, shared layers, several inputs or outputs:
 *
 *   const x = input({ shape: [28, 28, 1] });
 *   const h = layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x);
 *   const y = layers.add().apply([h, layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same' }).apply(h)]);
 *   const net = model({ inputs: x, outputs: layers.dense({ units: 10 }).apply(layers.flatten().apply(y)) });
 *
 * Training, evaluation, saving and the rest come from LayersModel, as for Sequential.
 */
import { ConfigError, quote, StateError } from '../errors.js';
import type { CallReference, FunctionalTopology, ModelTopology } from '../io/model-json.js';
import { serializeLayer } from '../layers/registry.js';
import { type CallContext, type Layer, type SymbolicShape } from '../layers/layer.js';
import { InputLayer } from '../layers/input.js';
import { isList, type LayerCall, SymbolicTensor } from '../layers/symbolic.js';
import { Tensor } from '../tensor.js';
import { type Graph, traceGraph } from './graph.js';
import { LayersModel } from './layers-model.js';
import { refuseNested } from './nested.js';
import type { SummaryRow } from './summary.js';

export interface InputArgs {
  /** One example's shape, without the batch dimension: `[28, 28, 1]`. */
  readonly shape?: readonly number[];
  /** The shape with the batch dimension (null for any batch size); instead of `shape`. */
  readonly batchShape?: SymbolicShape;
  /** The input layer's name; generated when omitted (`input_1`). */
  readonly name?: string;
}

/** A symbolic input of a functional model (tfjs `tf.input`, Keras `Input`). */
export function input(args: InputArgs): SymbolicTensor {
  if (args.shape === undefined && args.batchShape === undefined) {
    throw new ConfigError('input', "`shape` (one example's shape) or `batchShape` must be given, received neither");
  }
  const layer = new InputLayer({
    ...(args.name === undefined ? {} : { name: args.name }),
    ...(args.batchShape === undefined ? { inputShape: args.shape } : { batchInputShape: args.batchShape }),
  });
  return layer.output;
}

export interface ModelArgs {
  /** The model's input(s): symbolic tensors from `input()`. */
  readonly inputs: SymbolicTensor | readonly SymbolicTensor[];
  /** Its output(s): symbolic tensors computed from the inputs. */
  readonly outputs: SymbolicTensor | readonly SymbolicTensor[];
  readonly name?: string;
}

export class Model extends LayersModel {
  readonly inputs: readonly SymbolicTensor[];
  readonly outputs: readonly SymbolicTensor[];
  private readonly graph: Graph;
  private readonly layerList: readonly Layer[];

  constructor(args: ModelArgs) {
    super(args.name ?? 'model');
    this.inputs = isList(args.inputs) ? [...args.inputs] : [args.inputs];
    this.outputs = isList(args.outputs) ? [...args.outputs] : [args.outputs];
    if (this.inputs.length === 0) throw new ConfigError(this.where, '`inputs` must hold at least one input');
    if (this.outputs.length === 0) throw new ConfigError(this.where, '`outputs` must hold at least one output');
    for (const [field, list] of [
      ['inputs', this.inputs],
      ['outputs', this.outputs],
    ] as const) {
      list.forEach((t, i) => {
        if (!(t instanceof SymbolicTensor)) {
          throw new ConfigError(this.where, `\`${field}[${i}]\` must be a symbolic tensor, received ${String(t)}`);
        }
      });
    }
    this.graph = traceGraph(this.inputs, this.outputs, this.where);
    // Maps, not scans: a loaded model may hold thousands of layers.
    const layers: Layer[] = [];
    const byName = new Map<string, Layer>();
    for (const call of this.graph.calls) {
      const layer = call.layer;
      const clash = byName.get(layer.name);
      if (clash === layer) continue;
      if (clash !== undefined) {
        throw new ConfigError(
          this.where,
          `two layers are named ${quote(layer.name)} (${clash.className} and ${layer.className}); layer names must be unique`,
        );
      }
      layers.push(layer);
      byName.set(layer.name, layer);
      this.hold(layer);
    }
    this.layerList = layers;
  }

  get layers(): readonly Layer[] {
    return this.layerList;
  }

  protected get where(): string {
    return `Model ${quote(this.name)}`;
  }

  /** The first input's shape (models with one input; see `inputs` for all). */
  get inputShape(): SymbolicShape {
    return this.only(this.inputs, 'input').shape;
  }

  /** The first output's shape (models with one output; see `outputs` for all). */
  get outputShape(): SymbolicShape {
    return this.only(this.outputs, 'output').shape;
  }

  override get inputShapes(): readonly SymbolicShape[] {
    return this.inputs.map((t) => t.shape);
  }

  override get outputShapes(): readonly SymbolicShape[] {
    return this.outputs.map((t) => t.shape);
  }

  /** The input layers' names, in input order. */
  get inputNames(): readonly string[] {
    return this.inputs.map((t) => t.call.layer.name);
  }

  /** The output layers' names, in output order (as Keras and tfjs name outputs). */
  get outputNames(): readonly string[] {
    return this.outputs.map((t) => t.call.layer.name);
  }

  private only(list: readonly SymbolicTensor[], what: string): SymbolicTensor {
    const [first] = list;
    if (list.length !== 1 || first === undefined) {
      throw new ConfigError(this.where, `has ${list.length} ${what}s; this use needs a model with exactly one`);
    }
    return first;
  }

  /**
   * The forward pass of a one-input, one-output model (see `applyAll` for several); on symbolic tensors, a call of
   * this model as a layer of the model being built.
   */
  apply(x: Tensor, context?: CallContext): Tensor;
  apply(x: SymbolicTensor | readonly SymbolicTensor[]): SymbolicTensor;
  apply(
    x: Tensor | SymbolicTensor | readonly SymbolicTensor[],
    context: CallContext = { training: false },
  ): Tensor | SymbolicTensor {
    if (!(x instanceof Tensor)) return this.asLayer().apply(x);
    this.checkAlive('apply');
    this.checkInput(x);
    this.only(this.outputs, 'output');
    const [y] = this.applyAll([x], context);
    if (y === undefined) throw new StateError(this.where, 'the output was not computed');
    return y;
  }

  /** The forward pass: one tensor per input, in `inputs` order; returns one per output, in `outputs` order. */
  override applyAll(xs: readonly Tensor[], context: CallContext = { training: false }): Tensor[] {
    this.checkAlive('applyAll');
    if (xs.length !== this.inputs.length) {
      throw new ConfigError(this.where, `expected ${this.inputs.length} input tensors, received ${xs.length}`);
    }
    const values = new Map<SymbolicTensor, Tensor>();
    this.inputs.forEach((symbolic, i) => {
      const x = xs[i];
      if (x !== undefined) values.set(symbolic, x);
    });
    for (const call of this.graph.calls) {
      if (values.has(call.output)) continue;
      const inputs = call.inputs.map((s) => values.get(s));
      const ready = inputs.filter((t): t is Tensor => t !== undefined);
      if (ready.length !== inputs.length) {
        throw new StateError(this.where, `layer call ${quote(call.layer.name)} ran before its inputs`);
      }
      values.set(call.output, call.layer.apply(ready, context));
    }
    return this.outputs.map((o) => {
      const y = values.get(o);
      if (y === undefined) throw new StateError(this.where, `output ${quote(o.name)} was not computed`);
      return y;
    });
  }

  protected summaryRows(): readonly SummaryRow[] {
    return this.graph.calls.map((call) => ({
      layer: call.layer,
      inputShapes: call.inputs.map((i) => i.shape),
      outputShape: call.output.shape,
      connectedTo: call.inputs.map((i) => i.name),
    }));
  }

  /** The architecture as tfjs writes it (`class_name: 'Model'`): layers with their inbound calls, inputs, outputs. */
  getConfig(): FunctionalTopology {
    // Only this model's calls count (a layer shared with another model has calls outside it), numbered per layer
    // in call order, as the file's `inbound_nodes` lists them.
    refuseNested(this.where, this.layerList);
    const inside = new Set(this.graph.calls);
    const callsOf = (layer: Layer): LayerCall[] => layer.calls.filter((c) => inside.has(c));
    const reference = (tensor: SymbolicTensor): CallReference => {
      const call = tensor.call;
      return [call.layer.name, Math.max(0, callsOf(call.layer).indexOf(call)), 0];
    };
    return {
      name: this.name,
      layers: this.layerList.map((layer) => ({
        ...serializeLayer(layer),
        name: layer.name,
        inboundNodes: callsOf(layer)
          .filter((c) => c.inputs.length > 0)
          .map((c) => c.inputs.map((i) => [...reference(i), {}] as const)),
      })),
      inputLayers: this.inputs.map(reference),
      outputLayers: this.outputs.map(reference),
    };
  }

  topology(): ModelTopology {
    return { className: 'Model', config: this.getConfig() };
  }
}

/** A functional model (tfjs `tf.model`). */
export const model = (args: ModelArgs): Model => new Model(args);
