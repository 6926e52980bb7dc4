// Text in, entities out: tokenize, cut into sentence windows, batch windows of similar
// length, get emissions from onnxruntime (or, if the native runtime cannot load, from the
// engine's own forward pass on tfjs-wasm), decode with Viterbi; then the rule annotators
// decide the labels the model's policy gives them (rules/policy.ts) and, over the whole text,
// party names lend their label to their other occurrences (propagate.ts).
import { stat } from 'node:fs/promises';
import { combineWindows, windowRules, type RulePolicy } from '../rules/policy';
import { Decoder } from '../crf/decoder';
import { batchesByLength, windowParts } from '../text/windows';
import { LineFeatures } from '../text/line-features';
import { featureDim } from '../nn/architecture';
import { prepareMatrixProducts } from '../nn/gemm';
import { loadModel, onnxPath, type TrainedModel } from '../nn/model-folder';
import { Network } from '../nn/network';
import { OnnxEmissions } from './onnx-runner';
import { EmissionThreads } from './emission-threads';
import { lendsNames, propagateEntities } from './propagate';
import { inScope, mergeScoped, routingKind } from './scope';
import * as path from 'node:path';
import type { EncodedBatch, Entity, TextLayout, Token } from '../core/types';
import { firstLine } from '../core/errors';

/** Anything that turns an encoded batch into emissions [B*L*T]. */
export interface EmissionSource {
  readonly kind: 'onnx' | 'tfjs';
  run(batch: EncodedBatch): Promise<Float32Array>;
  dispose(): Promise<void>;
}

/** The engine's own forward pass; for an ensemble, the mean of its members' emissions. */
export class NetworkEmissions implements EmissionSource {
  readonly kind = 'tfjs';
  private readonly networks: Network[];
  constructor(model: TrainedModel) {
    this.networks = (model.members ?? [model]).map((m) => new Network(m.config, m.weights));
  }
  async run(batch: EncodedBatch): Promise<Float32Array> {
    if (this.networks.length === 1) return this.networks[0].forward(batch).emissions;
    let sum: Float32Array | null = null;
    for (const net of this.networks) {
      const em = net.forward(batch).emissions;
      if (!sum) sum = em;
      else for (let i = 0; i < em.length; i++) sum[i] += em[i];
    }
    const out = sum as Float32Array;
    const scale = 1 / this.networks.length;
    for (let i = 0; i < out.length; i++) out[i] *= scale;
    return out;
  }
  async dispose(): Promise<void> {}
}

export type Runtime = 'auto' | 'onnx' | 'tfjs';

export interface TaggerOptions {
  runtime?: Runtime;
  /** sequences per emission call (default 32, 8 on worker threads): keeps one onnxruntime call short (it blocks its thread) */
  batchSize?: number;
  maxTokens?: number;
  /** one-line warnings, e.g. the fallback from onnxruntime to tfjs */
  warn?: (message: string) => void;
  /** give further occurrences of confident party names their label (default true) */
  propagate?: boolean;
  /** let the rule annotators decide the labels the model's `rules` policy names (default true) */
  rules?: boolean;
  /** characters of a text tag() holds tokens for at a time (default PART_CHARS) */
  partChars?: number;
  /** onnxruntime's intra-op threads (default 1: two collapse when another process holds a core) */
  intraOpThreads?: number;
  /**
   * worker threads that encode, run and decode windows, each with its own onnxruntime session
   * (default 1: all in this thread). With 2, one document's windows use two cores.
   */
  threads?: number;
}

/** What a text brings beside its characters. */
export interface TagOptions {
  /** the page layout of a document read from a PDF or a scan (models with line features read it) */
  layout?: TextLayout;
  /** where the text starts in the text the layout's offsets refer to (an editor block's start) */
  layoutOffset?: number;
  /** the document's kind (contract, invoice, receipt): a scoped model routes by it; detected from the text when absent */
  kind?: string;
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

/** Characters of a text tagged at a time by Tagger.tag (a part ends at the next blank line). */
export const PART_CHARS = 1 << 20;

/** An Int32Array that grows by doubling: token bounds of a long text without a number[] per token. */
class GrowingInts {
  private data = new Int32Array(1024);
  private length = 0;

  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }

  array(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

export class Tagger {
  readonly decoder: Decoder;
  private readonly batchSize: number;
  readonly maxTokens: number;
  /** lend party names to their other occurrences (Tagger.tag; the editor runs it per document) */
  readonly propagate: boolean;
  /** the model's rule policy, restricted to its labels; undefined when off */
  readonly rules: RulePolicy | undefined;
  private readonly partChars: number;

  constructor(
    readonly model: TrainedModel,
    readonly runtime: EmissionSource,
    options: TaggerOptions = {},
    /** a scoped model's base (model.info.scope): what this network does not decide */
    readonly base?: Tagger,
  ) {
    this.decoder = new Decoder(model.config, model.weights, model.info.labelBias, model.info.lineBreakPenalty);
    // on worker threads, smaller batches share the windows out more evenly
    this.batchSize = options.batchSize ?? ((options.threads ?? 1) > 1 ? 8 : 32);
    this.maxTokens = options.maxTokens ?? 100;
    this.propagate = options.propagate ?? true;
    this.partChars = options.partChars ?? PART_CHARS;
    this.rules = options.rules === false ? undefined : usablePolicy(model.info.rules, model.config.labels);
  }

  /** Loads a model folder (checked by loadModel); without model.onnx the graph is exported in memory. */
  static async load(dir: string, options: TaggerOptions = {}): Promise<Tagger> {
    const model = await loadModel(dir);
    const file = onnxPath(dir);
    const hasOnnx = await isFile(file);
    return Tagger.create(model, options, hasOnnx ? file : undefined, model.base ? path.join(dir, 'base') : undefined);
  }

  /**
   * Uses onnxruntime when it loads (from `onnxFile`, or exported in memory), else tfjs. A scoped
   * model's base (from `baseDir/model.onnx` when there is one) gets its own tagger.
   */
  static async create(
    model: TrainedModel,
    options: TaggerOptions = {},
    onnxFile?: string,
    baseDir?: string,
  ): Promise<Tagger> {
    const baseOnnx = baseDir && (await isFile(onnxPath(baseDir))) ? onnxPath(baseDir) : undefined;
    const base = model.base ? await Tagger.create(model.base, options, baseOnnx) : undefined;
    const own: TrainedModel = model.base ? { ...model, base: undefined } : model;
    try {
      return new Tagger(own, await emissionSource(own, options, onnxFile), options, base);
    } catch (e) {
      await base?.dispose();
      throw e;
    }
  }

  /**
   * Entities of a whole text. A long text is tagged a part at a time (windowParts: the same
   * windows, about PART_CHARS characters of tokens held at once), keeping only the entities
   * and the token bounds that party-name propagation needs: time and memory grow linearly.
   */
  async tag(text: string, options: TagOptions = {}): Promise<Entity[]> {
    const scope = this.model.info.scope;
    if (this.base && scope) {
      const base = await this.base.tag(text, options);
      if (!inScope(scope, routingKind(text, options.kind))) return base;
      return mergeScoped(await this.tagOwn(text, options), base, scope);
    }
    return this.tagOwn(text, options);
  }

  /** This network's entities (for a scoped model, before routing). */
  private async tagOwn(text: string, options: TagOptions): Promise<Entity[]> {
    const entities: Entity[] = [];
    const starts = new GrowingInts();
    const ends = new GrowingInts();
    // the line table is built once for the whole text, not once per part
    const lines = this.lineFeatures(text, options);
    // whether names are lent (the document's kind): read from the text while worker threads compute
    let lends: boolean | undefined;
    const readKind = () => void (lends ??= this.propagate && lendsNames(routingKind(text, options.kind)));
    for (const part of windowParts(text, this.maxTokens, this.partChars)) {
      for (const found of await this.tagWindowsWith(text, part, lines, readKind))
        for (const e of found) entities.push(e);
      if (this.propagate) {
        for (const w of part) {
          for (const t of w) {
            starts.push(t.start);
            ends.push(t.end);
          }
        }
      }
    }
    readKind();
    if (!lends) return entities;
    return propagateEntities(text, { starts: starts.array(), ends: ends.array() }, entities);
  }

  /**
   * Entities of each window (windows are token runs of `text`). A model with line features reads
   * each token's line in `text`: give whole lines (the editor's blocks are whole paragraphs).
   */
  async tagWindows(text: string, wins: Token[][], options: TagOptions = {}): Promise<Entity[][]> {
    const scope = this.model.info.scope;
    const own = () => this.tagWindowsWith(text, wins, this.lineFeatures(text, options));
    if (!this.base || !scope) return own();
    const base = await this.base.tagWindows(text, wins, options);
    if (!inScope(scope, routingKind(text, options.kind))) return base;
    const mine = await own();
    return mine.map((found, i) => mergeScoped(found, base[i], scope));
  }

  /** The line features of `text` when the model reads them, else null. */
  private lineFeatures(text: string, options: TagOptions): LineFeatures | null {
    return featureDim(this.model.config) > 0 ? new LineFeatures(text, options) : null;
  }

  /** `meanwhile`: work on this thread that can run while worker threads tag the windows. */
  private async tagWindowsWith(
    text: string,
    wins: Token[][],
    lines: LineFeatures | null,
    meanwhile?: () => void,
  ): Promise<Entity[][]> {
    if (this.runtime instanceof EmissionThreads) {
      const features = lines ? wins.map((w) => lines.of(w)) : undefined;
      const tagged = this.runtime.entities(text, wins, this.batchSize, features);
      // the rules read the text only: they run here while the worker threads compute
      const rules = this.rules ? windowRules(text, wins, this.rules) : null;
      meanwhile?.();
      const found = await tagged;
      return this.rules ? combineWindows(text, wins, found, this.rules, rules) : found;
    }
    const out: Entity[][] = wins.map(() => []);
    const T = this.model.config.tags.length;
    const K = featureDim(this.model.config);
    for (const ids of batchesByLength(wins, this.batchSize)) {
      const batch = this.model.vocab.encode(
        ids.map((k) => wins[k]),
        this.model.config.maxChars,
        lines ? { dim: K, values: ids.map((k) => lines.of(wins[k])) } : undefined,
      );
      const em = await this.runtime.run(batch);
      ids.forEach((k, b) => {
        out[k] = this.decoder.entities(text, wins[k], em, b * batch.length * T);
      });
    }
    return this.rules ? combineWindows(text, wins, out, this.rules) : out;
  }

  async dispose(): Promise<void> {
    await this.runtime.dispose();
    await this.base?.dispose();
  }
}

/** onnxruntime when it loads (from `onnxFile`, or exported in memory), else the engine's own forward pass on tfjs. */
async function emissionSource(model: TrainedModel, options: TaggerOptions, onnxFile?: string): Promise<EmissionSource> {
  const runtime = options.runtime ?? 'auto';
  if (runtime !== 'tfjs') {
    try {
      const exporter = await import('../nn/onnx-export');
      const bytes =
        onnxFile ??
        (model.members ? exporter.exportEnsembleOnnx(model.members) : exporter.exportOnnx(model.config, model.weights));
      const threads = options.threads ?? 1;
      if (threads > 1) {
        try {
          const crf = model.config.output === 'crf';
          return await EmissionThreads.create(
            {
              onnx: bytes,
              config: model.config,
              vocab: model.vocab.toJSON(),
              crf: crf
                ? {
                    trans: model.weights['crf.trans'],
                    start: model.weights['crf.start'],
                    end: model.weights['crf.end'],
                  }
                : undefined,
              labelBias: model.info.labelBias,
              lineBreakPenalty: model.info.lineBreakPenalty,
            },
            threads,
          );
        } catch (e) {
          options.warn?.(
            `Entity Lens: onnxruntime worker threads unavailable (${firstLine(e)}); tagging on one thread.`,
          );
        }
      }
      return await OnnxEmissions.create(bytes, { intraOpThreads: options.intraOpThreads });
    } catch (e) {
      if (runtime === 'onnx') throw e;
      const reason = firstLine(e);
      options.warn?.(`Entity Lens: onnxruntime unavailable (${reason}); using the slower tfjs runtime.`);
    }
  }
  if ((options.threads ?? 1) > 1)
    options.warn?.('Entity Lens: worker threads run onnxruntime; with the tfjs runtime tagging uses one thread.');
  await prepareMatrixProducts();
  return new NetworkEmissions(model);
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}
