// Text in, entities out: tokenize, cut into sentence windows, batch windows of similar
// length, get emissions from onnxruntime (or, if the native runtime cannot load, from the
// engine's own forward pass on tfjs-wasm), decode with Viterbi; then the rule annotators
// decide the labels the model's policy gives them (combine.ts) and, over the whole text,
// party names lend their label to their other occurrences (propagate.ts).
import { combineWindows, type RulePolicy } from '../rules/policy';
import { Decoder } from '../crf/decoder';
import { windows } from '../text/windows';
import { LineFeatures } from '../text/line-features';
import { featureDim } from '../nn/architecture';
import { prepareMatrixProducts } from '../nn/gemm';
import { loadModel, onnxPath, type TrainedModel } from '../nn/model-folder';
import { Network } from '../nn/network';
import { OnnxEmissions } from './onnx-runner';
import { propagateEntities } from './propagate';
import type { EncodedBatch, Entity, TextLayout, Token } from '../core/types';

/** Anything that turns an encoded batch into emissions [B*L*T]. */
export interface EmissionSource {
  readonly kind: 'onnx' | 'tfjs';
  run(batch: EncodedBatch): Promise<Float32Array>;
  dispose(): Promise<void>;
}

export class NetworkEmissions implements EmissionSource {
  readonly kind = 'tfjs';
  private readonly network: Network;
  constructor(model: TrainedModel) {
    this.network = new Network(model.config, model.weights);
  }
  async run(batch: EncodedBatch): Promise<Float32Array> {
    return this.network.forward(batch).emissions;
  }
  async dispose(): Promise<void> {}
}

export type Runtime = 'auto' | 'onnx' | 'tfjs';

export interface TaggerOptions {
  runtime?: Runtime;
  /** sequences per emission call: ~32 keeps one onnxruntime call short (it blocks its thread) */
  batchSize?: number;
  maxTokens?: number;
  /** one-line warnings, e.g. the fallback from onnxruntime to tfjs */
  warn?: (message: string) => void;
  /** give further occurrences of confident party names their label (default true) */
  propagate?: boolean;
  /** let the rule annotators decide the labels the model's `rules` policy names (default true) */
  rules?: boolean;
}

/** What a text brings beside its characters. */
export interface TagOptions {
  /** the page layout of a document read from a PDF or a scan (models with line features read it) */
  layout?: TextLayout;
  /** where the text starts in the text the layout's offsets refer to (an editor block's start) */
  layoutOffset?: number;
}

/**
 * A model's rule policy restricted to its own labels; undefined when nothing is left. model.json
 * may be hand-edited: anything that is not a list of label names counts as empty, and a label
 * both decided and filled by the rules is decided.
 */
export function usablePolicy(policy: RulePolicy | undefined, labels: readonly string[]): RulePolicy | undefined {
  const list = (x: unknown): string[] =>
    Array.isArray(x) ? x.filter((l): l is string => typeof l === 'string' && labels.includes(l)) : [];
  const p = (policy ?? {}) as Partial<Record<keyof RulePolicy, unknown>>;
  const decided = list(p.labels);
  const out = {
    labels: decided,
    ruleOnly: list(p.ruleOnly),
    validate: list(p.validate),
    fill: list(p.fill).filter((l) => !decided.includes(l)),
  };
  return out.labels.length || out.validate.length || out.fill.length ? out : undefined;
}

export class Tagger {
  readonly decoder: Decoder;
  private readonly batchSize: number;
  readonly maxTokens: number;
  /** lend party names to their other occurrences (Tagger.tag; the editor runs it per document) */
  readonly propagate: boolean;
  /** the model's rule policy, restricted to its labels; undefined when off */
  readonly rules: RulePolicy | undefined;

  constructor(
    readonly model: TrainedModel,
    readonly source: EmissionSource,
    options: TaggerOptions = {},
  ) {
    this.decoder = new Decoder(model.config, model.weights, model.info.labelBias, model.info.lineBreakPenalty);
    this.batchSize = options.batchSize ?? 32;
    this.maxTokens = options.maxTokens ?? 100;
    this.propagate = options.propagate ?? true;
    this.rules = options.rules === false ? undefined : usablePolicy(model.info.rules, model.config.labels);
  }

  static async load(dir: string, options: TaggerOptions = {}): Promise<Tagger> {
    const model = await loadModel(dir);
    return Tagger.create(model, options, onnxPath(dir));
  }

  /** Uses onnxruntime when it loads (from `onnxFile`, or exported in memory), else tfjs. */
  static async create(model: TrainedModel, options: TaggerOptions = {}, onnxFile?: string): Promise<Tagger> {
    const runtime = options.runtime ?? 'auto';
    if (runtime !== 'tfjs') {
      try {
        const bytes = onnxFile ?? (await import('../nn/onnx-export')).exportOnnx(model.config, model.weights);
        return new Tagger(model, await OnnxEmissions.create(bytes), options);
      } catch (e) {
        if (runtime === 'onnx') throw e;
        const reason = (e instanceof Error ? e.message : String(e)).split('\n')[0];
        options.warn?.(`Entity Lens: onnxruntime unavailable (${reason}); using the slower tfjs runtime.`);
      }
    }
    await prepareMatrixProducts();
    return new Tagger(model, new NetworkEmissions(model), options);
  }

  async tag(text: string, options: TagOptions = {}): Promise<Entity[]> {
    const wins = windows(text, this.maxTokens);
    const entities = (await this.tagWindows(text, wins, options)).flat();
    return this.propagate ? propagateEntities(text, wins.flat(), entities) : entities;
  }

  /**
   * Entities of each window (windows are token runs of `text`). A model with line features reads
   * each token's line in `text`: give whole lines (the editor's blocks are whole paragraphs).
   */
  async tagWindows(text: string, wins: Token[][], options: TagOptions = {}): Promise<Entity[][]> {
    const out: Entity[][] = wins.map(() => []);
    const order = wins.map((_, i) => i).filter((i) => wins[i].length > 0);
    order.sort((a, b) => wins[a].length - wins[b].length);
    const T = this.model.config.tags.length;
    const K = featureDim(this.model.config);
    const lines = K > 0 ? new LineFeatures(text, options) : null;
    for (let i = 0; i < order.length; i += this.batchSize) {
      const ids = order.slice(i, i + this.batchSize);
      const batch = this.model.vocab.encode(
        ids.map((k) => wins[k]),
        this.model.config.maxChars,
        lines ? { dim: K, values: ids.map((k) => lines.of(wins[k])) } : undefined,
      );
      const em = await this.source.run(batch);
      ids.forEach((k, b) => {
        out[k] = this.decoder.entities(text, wins[k], em, b * batch.length * T);
      });
    }
    return this.rules ? combineWindows(text, wins, out, this.rules) : out;
  }

  async dispose(): Promise<void> {
    await this.source.dispose();
  }
}
