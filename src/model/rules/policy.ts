// Model + rules. For labels whose rule-based annotators are near complete and precise on the
// dev split (dates, durations, governing law, checksummed IBANs), a rule span wins over the
// model's entities it overlaps; the model keeps everything the rules do not cover. For
// "rule-only" labels the model's own spans are dropped where no rule agrees: on CUAD dev every
// JURISDICTION span the model found outside a rule span was a venue or a "State of Texas"
// elsewhere in the contract, not the governing law (and no DATE or DURATION span was gold). Labels with a fixed form (IBAN, BIC) can
// also have the network's spans checked ("INV-TCS-4471" is no BIC, whatever the context says),
// amounts brought to the rules' span convention (no currency from the line above), addresses
// and party names to theirs (span-conventions.ts: no phone or registration line in an address,
// an address split around one line joined, no bracketed defined term in a party's name).
// For "fill" labels the model decides, and a rule span is added only where the model found
// nothing: amounts, which the network finds in more layouts than the rules but misses now and
// then where the rules have a clear money pattern.
import { amountStart, annotateTokens, isBicShaped, isValidIban } from './annotate';
import { lineEndWithin, lineStartWithin } from './common';
import { conformAddress, conformParty, isAfterPhoneLabel, joinAddressParts, joinPartyLines } from './span-conventions';
import { tokenize } from '../text/tokenizer';
import { firstStartingAt, overlapsAnySorted } from '../core/ranges';
import type { Entity, Span, Token } from '../core/types';

/** Stored with a model (model.json `rules`): which labels the rule annotators decide. */
export interface RulePolicy {
  /** labels where a rule span replaces the model's overlapping entities */
  labels: string[];
  /** of those, labels where the model's spans survive only if a rule span agrees */
  ruleOnly?: string[];
  /**
   * labels whose model spans must follow their format (CONFORM): an IBAN's check digits and a
   * BIC's shape (else dropped), an amount's, an address's or a party's span convention (its
   * span is cut to it; an address's parts are joined)
   */
  validate?: string[];
  /** labels the model decides, with a rule span added where the model found nothing overlapping it */
  fill?: string[];
}

/**
 * Format checks for labels with a fixed form: the entity as it should be, or null when the
 * network's span cannot be one. The network does not see line breaks, so it takes an OCR
 * column's currency ("TOTAL RM" above "60.30") into the amount below it.
 */
const CONFORM: Record<string, (text: string, e: Entity) => Entity | null> = {
  IBAN: (_, e) => (isValidIban(e.text) ? e : null),
  BIC: (_, e) => (isBicShaped(e.text) ? e : null),
  AMOUNT: (text, e) => {
    const start = amountStart(text, e.start, e.end);
    return start === e.start ? e : { ...e, start, text: text.slice(start, e.end) };
  },
  ADDRESS: conformAddress,
  PARTY: conformParty,
};

/** Labels of document and tax identifiers: never a number printed after a phone or fax label. */
const IDENTIFIERS = new Set(['TAX_ID', 'INVOICE_ID']);

/** Confidence given to a rule span: the rules do not score their matches. */
export const RULE_CONFIDENCE = 1;

/**
 * How much text before a window the rules read: receipt amounts look up to 9 short lines up
 * (rules/amounts.ts), dates and durations at the line above. With this much, tagging a text's
 * windows in parts, or the editor re-tagging some sentences, gives the rule spans a run over
 * the whole text gives.
 */
const RULE_CONTEXT = 2000;
/**
 * How much text after the windows the rules read: a party's name ends where the words after it
 * say ("Umbrella S.A.. The parties ..." is not one name), wherever the windows end.
 */
const RULE_CONTEXT_AFTER = 400;

/** A line start about RULE_CONTEXT characters before `start` (bounded search). */
function contextStart(text: string, start: number): number {
  const at = Math.max(0, start - RULE_CONTEXT);
  const line = lineStartWithin(text, at, RULE_CONTEXT);
  return line < 0 ? at : line;
}

/** A line end (else a word's end) about RULE_CONTEXT_AFTER characters after `end` (bounded search). */
function contextEnd(text: string, end: number): number {
  let at = Math.min(text.length, end + RULE_CONTEXT_AFTER);
  const line = lineEndWithin(text, at, RULE_CONTEXT_AFTER);
  if (line >= 0) return line;
  const limit = Math.min(text.length, at + RULE_CONTEXT_AFTER);
  while (at < limit && !/\s/.test(text[at])) at++;
  return at;
}

/**
 * The rule spans for a set of windows of `text`, sorted by start: the rules run once over the
 * stretch the windows cover, from RULE_CONTEXT characters before the first one to
 * RULE_CONTEXT_AFTER after the last (spans out there count for no window), which costs a
 * quarter of running them window by window. Null when the policy has no rule labels (or no
 * window has a token). Independent of the network's entities, so a caller can run them while
 * the network computes.
 */
export function windowRules(text: string, wins: readonly (readonly Token[])[], policy: RulePolicy): Span[] | null {
  let start = Infinity;
  let end = -Infinity;
  for (const w of wins) {
    if (w.length === 0) continue;
    start = Math.min(start, w[0].start);
    end = Math.max(end, w[w.length - 1].end);
  }
  const fill = policy.fill ?? [];
  if (start === Infinity || (policy.labels.length === 0 && fill.length === 0)) return null;
  const from = contextStart(text, start);
  const stretch = text.slice(from, contextEnd(text, end));
  const tokens = tokenize(stretch);
  // annotated apart, so that a fill label cannot take a deciding label's span in the rules'
  // overlap resolution ("USD 30 days": an amount there outranks a duration); a fill span that
  // overlaps a deciding one is dropped here, before the windows cut either of them
  const decided = annotateTokens(stretch, tokens, policy.labels);
  const filled = fill.length ? annotateTokens(stretch, tokens, fill).filter((f) => !overlapsAnySorted(f, decided)) : [];
  // sorted by start (what firstStartingAt needs), not overlap-free
  return [...decided, ...filled]
    .map((s) => ({ ...s, start: s.start + from, end: s.end + from }))
    .sort((a, b) => a.start - b.start);
}

/**
 * Entities of each window after the rules have had their say. `text` is the text the windows'
 * token offsets refer to; `rules` are windowRules' spans for these windows (computed here when
 * not given). A rule span counts for the window that holds it.
 */
export function combineWindows(
  text: string,
  wins: readonly (readonly Token[])[],
  found: Entity[][],
  policy: RulePolicy,
  rules: Span[] | null = windowRules(text, wins, policy),
): Entity[][] {
  if (!wins.some((w) => w.length > 0)) return found;
  if (!rules)
    return policy.validate?.length ? found.map((f, k) => (wins[k].length ? combine(text, f, [], policy) : f)) : found;
  return wins.map((w, k) => {
    if (w.length === 0) return found[k];
    const a = w[0].start;
    const b = w[w.length - 1].end;
    const inside: Span[] = [];
    for (let i = firstStartingAt(rules, a); i < rules.length && rules[i].start < b; i++)
      if (rules[i].end <= b) inside.push(rules[i]);
    return combine(text, found[k], inside, policy);
  });
}

/**
 * A party the network found that ends where a preamble rule's party ends but starts later takes
 * the rule's start: the network read "Spectrum, Inc." in "between Information Spectrum, Inc.
 * (hereinafter "ISI")", a common word taken for no part of the name. Not where another entity
 * lies in the words it would take. (Amounts are left as the network reads them: it would give a
 * receipt's "-RM0.02" its sign, which no field was checked with.)
 */
function widenedToRules(text: string, kept: Entity[], rules: readonly Span[]): Entity[] {
  let changed = false;
  const out = kept.map((e) => {
    if (e.label !== 'PARTY') return e;
    const r = rules.find((x) => x.label === 'PARTY' && x.end === e.end && x.start < e.start);
    if (!r || kept.some((o) => o !== e && o.start < e.start && o.end > r.start)) return e;
    changed = true;
    return { ...e, start: r.start, text: text.slice(r.start, e.end) };
  });
  return changed ? out.sort((a, b) => a.start - b.start) : kept;
}

/**
 * Merges rule spans into a sorted entity list. `rules` is sorted; spans of the deciding labels
 * do not overlap each other, nor do those of the fill labels.
 */
export function combine(text: string, entities: Entity[], rules: Span[], policy: RulePolicy): Entity[] {
  const ruleOnly = new Set(policy.ruleOnly ?? []);
  const fill = new Set(policy.fill ?? []);
  const conform = (policy.validate ?? []).filter((l) => CONFORM[l]);
  // whatever the policy: the network reads "FAX:07-3558160" on a receipt as an identifier
  entities = entities.filter((e) => !IDENTIFIERS.has(e.label) || !isAfterPhoneLabel(text, e.start));
  if (conform.includes('ADDRESS')) entities = joinAddressParts(text, entities);
  if (conform.includes('PARTY')) entities = joinPartyLines(text, entities);
  if (conform.length) {
    entities = entities.flatMap((e) => (conform.includes(e.label) ? (CONFORM[e.label](text, e) ?? []) : [e]));
  }
  if (rules.length === 0 && ruleOnly.size === 0) return entities;
  const deciding = fill.size ? rules.filter((r) => !fill.has(r.label)) : rules;
  const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;
  const same = (e: Span, r: Span) => e.start === r.start && e.end === r.end && e.label === r.label;
  let kept = entities.filter(
    (e) => (!deciding.some((r) => overlaps(e, r)) && !ruleOnly.has(e.label)) || deciding.some((r) => same(e, r)),
  );
  if (fill.has('PARTY')) kept = widenedToRules(text, kept, rules);
  // where the model found the rule's span itself, its entity (and confidence) stays; a fill
  // span only goes where the model has nothing
  const added: Entity[] = rules
    .filter((r) =>
      fill.has(r.label)
        ? !kept.some((e) => overlaps(e, r)) && !deciding.some((d) => overlaps(d, r))
        : !kept.some((e) => same(e, r)),
    )
    .map((r) => ({ ...r, text: text.slice(r.start, r.end), confidence: RULE_CONFIDENCE, source: 'rules' as const }));
  return added.length ? [...kept, ...added].sort((a, b) => a.start - b.start) : kept;
}
