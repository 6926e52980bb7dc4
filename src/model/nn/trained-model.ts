// What a trained model is in memory: its record (name, version, training, rule policy,
// operating point), architecture, vocabulary and weights, and for an ensemble its members.
// Its own file so that the model folder (model-folder.ts) and ensembles (ensemble.ts) share the
// types without importing each other.
import type { RulePolicy } from '../rules/policy';
import type { ModelConfig, Weights } from './architecture';
import type { Vocabulary } from './vocabulary';

export interface ModelInfo {
  name: string;
  version: string;
  created: string;
  /** free-form training record: data counts, epochs, dev scores */
  training?: Record<string, unknown>;
  /** labels the rule-based annotators decide at tagging time (combine.ts) */
  rules?: RulePolicy;
  /**
   * Added to the emission score of each tag of a label before decoding: moves that label's
   * precision / recall operating point (the default model's is chosen on dev, see its card).
   */
  labelBias?: Record<string, number>;
  /**
   * Per label, what an entity pays to run on across a line break (subtracted from the score of
   * continuing it on the next line's first token): labels that rarely cross lines stay within
   * one unless the network is confident. Absent or 0: free to cross (an address).
   */
  lineBreakPenalty?: Record<string, number>;
  /**
   * A model tuned on a person's corrections decides only what they corrected: `labels` on
   * documents of `kinds`; everything else comes from the model it was tuned from, kept in the
   * folder's `base/` (model.json's SHA-256 in `base`). See inference/scope.ts.
   */
  scope?: ModelScope;
}

export interface ModelScope {
  /** document kinds (contract, invoice, receipt) the tuned network tags */
  kinds: string[];
  /** labels it decides there */
  labels: string[];
  /**
   * Per label of `labels`, the base's labels its entities replace where the two overlap (the
   * person marked LOCATION where the base showed an ADDRESS); any other overlap keeps the base's.
   */
  takesOver?: Record<string, string[]>;
  /**
   * Labels of `labels` whose names are not lent to their other occurrences (inference/propagate.ts)
   * here: the person removed most of the lent ones where they judged the label (their convention
   * marks a party once, or its short name is a product's).
   */
  notLent?: string[];
  /** SHA-256 of `base/model.json` (written by saveModel) */
  base?: string;
}

export interface TrainedModel {
  info: ModelInfo;
  config: ModelConfig;
  vocab: Vocabulary;
  weights: Weights;
  /**
   * An ensemble's members (nn/ensemble.ts), sharing `vocab`; `config` and `weights` are then the
   * first member's with the CRF averaged over all, what the decoder reads.
   */
  members?: TrainedModel[];
  /** a scoped model's base (`info.scope`): tags every label out of scope and every other kind */
  base?: TrainedModel;
}
