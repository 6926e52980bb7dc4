// Model + rules. For labels whose rule-based annotators are near complete and precise on the
// dev split (dates, durations, governing law, checksummed IBANs), a rule span wins over the
// model's entities it overlaps; the model keeps everything the rules do not cover. For
// "rule-only" labels the model's own spans are dropped where no rule agrees: on CUAD dev every
// JURISDICTION span the model found outside a rule span was a venue or a "State of Texas"
// elsewhere in the contract, not the governing law. Labels with a fixed form (IBAN, BIC) can
// also have the network's spans checked: "INV-TCS-4471" is no BIC, whatever the context says.
import { annotate, isBicShaped, isValidIban } from './rules';
import { firstStartingAt } from './sorted';
import type { Entity, Span, Token } from './types';

/** Stored with a model (model.json `rules`): which labels the rule annotators decide. */
export interface RulePolicy {
  /** labels where a rule span replaces the model's overlapping entities */
  labels: string[];
  /** of those, labels where the model's spans survive only if a rule span agrees */
  ruleOnly?: string[];
  /** labels whose model spans must pass their format check (VALID): an IBAN's check digits, a BIC's shape */
  validate?: string[];
}

/** Format checks for labels with a fixed form; a span of the network that fails one is dropped. */
const VALID: Record<string, (text: string) => boolean> = { IBAN: isValidIban, BIC: isBicShaped };

/** Confidence given to a rule span: the rules do not score their matches. */
export const RULE_CONFIDENCE = 1;

/**
 * Entities of each window after the rules have had their say. `text` is the text the windows'
 * token offsets refer to. The rules run once over the stretch the windows cover, from the line
 * before the first one (receipt amounts and some dates look at the line above), which costs a
 * quarter of running them window by window; a rule span counts for the window that holds it.
 */
export function combineWindows(text: string, wins: readonly (readonly Token[])[], found: Entity[][], policy: RulePolicy): Entity[][] {
  let start = Infinity;
  let end = -Infinity;
  for (const w of wins) {
    if (w.length === 0) continue;
    start = Math.min(start, w[0].start);
    end = Math.max(end, w[w.length - 1].end);
  }
  if (start === Infinity) return found;
  if (policy.labels.length === 0) return policy.validate?.length ? found.map((f) => combine(text, f, [], policy)) : found;
  const from = text.lastIndexOf('\n', text.lastIndexOf('\n', start - 1) - 1) + 1;
  const rules = annotate(text.slice(from, end), policy.labels).map((s) => ({ ...s, start: s.start + from, end: s.end + from }));
  return wins.map((w, k) => {
    if (w.length === 0) return found[k];
    const a = w[0].start;
    const b = w[w.length - 1].end;
    const inside: Span[] = [];
    for (let i = firstStartingAt(rules, a); i < rules.length && rules[i].start < b; i++) if (rules[i].end <= b) inside.push(rules[i]);
    return combine(text, found[k], inside, policy);
  });
}

/** Merges rule spans (sorted, non-overlapping) into a sorted entity list. */
export function combine(text: string, entities: Entity[], rules: Span[], policy: RulePolicy): Entity[] {
  const ruleOnly = new Set(policy.ruleOnly ?? []);
  const validate = (policy.validate ?? []).filter((l) => VALID[l]);
  if (validate.length) entities = entities.filter((e) => !validate.includes(e.label) || VALID[e.label](e.text));
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
