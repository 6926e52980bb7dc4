// Model + rules. For labels whose rule-based annotators are near complete and precise on the
// dev split (dates, durations, governing law, checksummed IBANs), a rule span wins over the
// model's entities it overlaps; the model keeps everything the rules do not cover. For
// "rule-only" labels the model's own spans are dropped where no rule agrees: on CUAD dev every
// JURISDICTION span the model found outside a rule span was a venue or a "State of Texas"
// elsewhere in the contract, not the governing law.
import { annotate } from './rules';
import type { Entity, Span, Token } from './types';

/** Stored with a model (model.json `rules`): which labels the rule annotators decide. */
export interface RulePolicy {
  /** labels where a rule span replaces the model's overlapping entities */
  labels: string[];
  /** of those, labels where the model's spans survive only if a rule span agrees */
  ruleOnly?: string[];
}

/** Confidence given to a rule span: the rules do not score their matches. */
export const RULE_CONFIDENCE = 1;

/**
 * Entities of one window after the rules have had their say. `text` is the text the window's
 * token offsets refer to; the rules read from the line before the window (receipt amounts and
 * some dates look at the line above) to its end and keep only spans inside the window.
 */
export function combineWindow(text: string, window: readonly Token[], entities: Entity[], policy: RulePolicy): Entity[] {
  if (window.length === 0 || policy.labels.length === 0) return entities;
  const start = window[0].start;
  const end = window[window.length - 1].end;
  const lineAbove = text.lastIndexOf('\n', text.lastIndexOf('\n', start - 1) - 1) + 1;
  const rules = annotate(text.slice(lineAbove, end), policy.labels)
    .map((s) => ({ ...s, start: s.start + lineAbove, end: s.end + lineAbove }))
    .filter((s) => s.start >= start && s.end <= end);
  return combine(text, entities, rules, policy);
}

/** Merges rule spans (sorted, non-overlapping) into a sorted entity list. */
export function combine(text: string, entities: Entity[], rules: Span[], policy: RulePolicy): Entity[] {
  const ruleOnly = new Set(policy.ruleOnly ?? []);
  if (rules.length === 0 && ruleOnly.size === 0) return entities;
  const overlapsRule = (e: Span) => rules.some((r) => r.start < e.end && e.start < r.end);
  const same = (e: Span, r: Span) => e.start === r.start && e.end === r.end && e.label === r.label;
  const kept = entities.filter((e) => (!overlapsRule(e) && !ruleOnly.has(e.label)) || rules.some((r) => same(e, r)));
  // where the model found the rule's span itself, its entity (and confidence) stays
  const added: Entity[] = rules
    .filter((r) => !kept.some((e) => same(e, r)))
    .map((r) => ({ ...r, text: text.slice(r.start, r.end), confidence: RULE_CONFIDENCE, source: 'rules' as const }));
  return added.length ? [...kept, ...added].sort((a, b) => a.start - b.start) : kept;
}
