// The mentions a field can be filled from: the tagger's entities (the network, the rules its
// policy names, party names lent across the document) and, beside them, every span the rule
// annotators find, so that a field is not lost where the network missed a date or an amount the
// rules know. Without entities (no model loaded) the rules alone.
import { annotate } from '../rules/annotate';
import type { Entity } from '../core/types';

export interface Mention {
  start: number;
  end: number;
  label: string;
  /** the tagger's confidence; 1 for rule spans */
  confidence: number;
  source: 'model' | 'rules' | 'document';
}

/**
 * Whether an amount mention is a piece of a longer token OCR garbled, not an amount: "10.€0"
 * read as "€0" after "10.", "RM 1C.CD" as "RM 1C" before ".CD". Kept, it would be filed as a
 * subtotal of 0 in euros on a receipt in ringgit.
 */
export function pieceOfNumber(text: string, m: { start: number; end: number }): boolean {
  const before = text.slice(Math.max(0, m.start - 2), m.start);
  const after = text.slice(m.end, m.end + 2);
  return /\p{N}$|\p{N}[.,]$/u.test(before) || /^[.,][\p{L}€$£]/u.test(after);
}

/**
 * Entities and rule spans, sorted by start; a rule span the entities already hold is not
 * repeated, an amount that is a piece of a garbled number is left out.
 */
export function gatherMentions(text: string, entities?: readonly Entity[]): Mention[] {
  const out: Mention[] = (entities ?? [])
    .filter((e) => e.label !== 'AMOUNT' || !pieceOfNumber(text, e))
    .map((e) => ({
      start: e.start,
      end: e.end,
      label: e.label,
      confidence: e.confidence,
      source: e.source ?? 'model',
    }));
  const seen = new Set(out.map((m) => `${m.start}:${m.end}:${m.label}`));
  for (const s of annotate(text)) {
    if (seen.has(`${s.start}:${s.end}:${s.label}`) || (s.label === 'AMOUNT' && pieceOfNumber(text, s))) continue;
    out.push({ start: s.start, end: s.end, label: s.label, confidence: 1, source: 'rules' });
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}
