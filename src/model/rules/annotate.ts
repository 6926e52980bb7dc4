// Rule-based annotators: precise patterns for labels that no gold source covers (or covers
// only in part). Their output is "silver": kept apart from gold spans, so training can use
// it as soft supervision and evaluation can still compare the model against the rules.
//
// `annotate(text)` returns spans that are sorted, never overlap, and start and end on
// tokenizer token boundaries (a span whose edge falls inside a token is widened to the
// token when only punctuation is added, else dropped). Overlaps between annotators are
// settled by priority (bank and id patterns, anchored on their labels, beat dates; dates
// beat percents, amounts, durations and jurisdictions), then by length, then by position.
// Span conventions are documented in each annotator's file.
import { firstStartingAt } from '../core/ranges';
import { tokenize } from '../text/tokenizer';
import type { Span, Token } from '../core/types';
import { findAmounts } from './amounts';
import { findBankDetails } from './bank';
import { rule, trimSpan, type Candidate } from './common';
import { findDates } from './dates';
import { findDurations } from './durations';
import { findIdentifiers } from './identifiers';
import { findJurisdictions } from './jurisdiction';
import { findPercents } from './percents';
import { findFormedParties, findNamedParties, findPersonParties } from './parties';

export { isBicShaped, isValidIban, ibanCheckDigits, IBAN_LENGTHS } from './bank';
export { amountStart } from './amounts';
export { governingLawName, placeNames } from './jurisdiction';
export {
  findAmounts,
  findBankDetails,
  findDates,
  findDurations,
  findIdentifiers,
  findJurisdictions,
  findPercents,
  findPersonParties,
  findNamedParties,
  findFormedParties,
};

/** Every label the rules can produce. */
export const RULE_LABELS = [
  'DATE',
  'AMOUNT',
  'PERCENT',
  'DURATION',
  'JURISDICTION',
  'IBAN',
  'BIC',
  'ACCOUNT',
  'INVOICE_ID',
  'TAX_ID',
  'PARTY',
] as const;
export type RuleLabel = (typeof RULE_LABELS)[number];

const KNOWN = new Set<string>(RULE_LABELS);

/** Candidates of the requested labels, unresolved (may overlap, may cut tokens). */
export function candidates(text: string, labels?: readonly string[]): Candidate[] {
  const wanted = labels ? new Set(labels.filter((l) => KNOWN.has(l))) : undefined;
  const wants = (label: string): boolean => !wanted || wanted.has(label);
  // concat, not push(...found): a long document has more candidates than a call has arguments
  let out: Candidate[] = [];
  if (wants('DATE')) out = out.concat(findDates(text));
  if (wants('AMOUNT')) out = out.concat(findAmounts(text));
  if (wants('PERCENT')) out = out.concat(findPercents(text));
  if (wants('DURATION')) out = out.concat(findDurations(text));
  if (wants('JURISDICTION')) out = out.concat(findJurisdictions(text));
  if (wants('IBAN') || wants('BIC') || wants('ACCOUNT')) out = out.concat(findBankDetails(text, wanted));
  if (wants('INVOICE_ID') || wants('TAX_ID')) out = out.concat(findIdentifiers(text, wanted));
  if (wants('PARTY')) {
    const named = [...findPersonParties(text), ...findNamedParties(text)];
    out = out.concat(named, findFormedParties(text, named));
  }
  return out;
}

/**
 * Spans found by the rules in `text`: sorted, non-overlapping, aligned to `tokenize(text)`.
 * `labels` restricts the output (unknown labels are ignored); default: every RULE_LABELS label.
 */
export function annotate(text: string, labels?: readonly string[]): Span[] {
  return annotateTokens(text, tokenize(text), labels);
}

/** `annotate` for callers that already hold the text's tokens (from `tokenize(text)`). */
export function annotateTokens(text: string, tokens: readonly Token[], labels?: readonly string[]): Span[] {
  if (labels && labels.length === 0) return [];
  const aligned: Candidate[] = [];
  for (const c of candidates(text, labels)) {
    const trimmed = trimSpan(text, c);
    const snapped = trimmed && snapToTokens(text, tokens, trimmed);
    if (snapped) aligned.push(snapped);
  }
  return resolveOverlaps(aligned);
}

/** Greedy selection by priority, then length, then earlier start; returns sorted spans. */
export function resolveOverlaps(spans: Candidate[]): Span[] {
  const order = [...spans].sort(
    (a, b) =>
      b.priority - a.priority ||
      b.end - b.start - (a.end - a.start) ||
      a.start - b.start ||
      (a.label < b.label ? -1 : a.label > b.label ? 1 : 0),
  );
  const chosen: Span[] = [];
  // Chosen spans kept sorted by start for an O(log n) overlap test.
  for (const c of order) {
    const i = firstStartingAt(chosen, c.start);
    const overlapsNext = i < chosen.length && chosen[i].start < c.end;
    const overlapsPrevious = i > 0 && chosen[i - 1].end > c.start;
    if (overlapsNext || overlapsPrevious) continue;
    chosen.splice(i, 0, { start: c.start, end: c.end, label: c.label });
  }
  return chosen;
}

/** Index of the token containing offset `at` (start <= at < end), or -1 in whitespace. */
function tokenAt(tokens: readonly Token[], at: number): number {
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid].end <= at) lo = mid + 1;
    else if (tokens[mid].start > at) hi = mid - 1;
    else return mid;
  }
  return -1;
}

const WORD_CHAR = rule(/[\p{L}\p{N}]/u);
/** A span is widened to its tokens by at most this many characters on each side. */
const MAX_WIDEN = 64;

/**
 * The span widened to whole tokens, when widening only adds punctuation (`Inc` → `Inc.`,
 * a trailing hyphen); null when a letter or digit would be added (the match is part of a
 * longer word or number, e.g. a date inside `2024-05-12T10:00`).
 */
export function snapToTokens(text: string, tokens: readonly Token[], span: Candidate): Candidate | null {
  const first = tokenAt(tokens, span.start);
  const last = tokenAt(tokens, span.end - 1);
  if (first < 0 || last < 0) return null;
  const start = tokens[first].start;
  const end = tokens[last].end;
  // widening by more than MAX_WIDEN characters inside a token is never only punctuation worth keeping
  if (span.start - start > MAX_WIDEN || end - span.end > MAX_WIDEN) return null;
  if (WORD_CHAR.test(text.slice(start, span.start)) || WORD_CHAR.test(text.slice(span.end, end))) return null;
  return { ...span, start, end };
}
