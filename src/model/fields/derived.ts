// Values no mention states but the others imply. A contract that runs "for a term of five (5)
// years" from its effective date expires on the anniversary: CUAD's annotators write that date
// as its expiration date, and a person filing the contract needs it. Derived only where no
// mention was chosen and the user corrected none, from the start date (the effective date, else
// the agreement date) and a term in years or months the chooser is fairly sure of: day counts
// are mostly notice periods taken for the term. Figures in the model card (expiration date).
import { addDuration } from './checks';
import type { FieldCorrection } from './corrections';
import type { FieldValue } from './result';

/** The least confidence of the term a derived expiration date is built on. */
export const DERIVED_TERM_CONFIDENCE = 0.3;

/** The expiration date a contract's start date and term imply, or undefined. */
export function derivedExpiration(fields: Record<string, FieldValue[]>): FieldValue | undefined {
  const start = fields.effective_date?.[0] ?? fields.agreement_date?.[0];
  const term = fields.term?.[0];
  if (!start || !term || start.value.length !== 10) return undefined;
  if (!/^P\d+[YM]$/.test(term.value) || term.confidence < DERIVED_TERM_CONFIDENCE) return undefined;
  const value = addDuration(start.value, term.value);
  if (!value) return undefined;
  const from = fields.effective_date?.[0] ? 'effective_date' : 'agreement_date';
  const out: FieldValue = {
    value,
    text: term.text,
    confidence: Math.round(1000 * start.confidence * term.confidence) / 1000,
    start: term.start,
    end: term.end,
    derivedFrom: [from, 'term'],
  };
  if (term.page !== undefined) out.page = term.page;
  return out;
}

/** `fields` with an empty expiration date filled by derivedExpiration, unless a correction set it. */
export function withDerivedValues(
  fields: Record<string, FieldValue[]>,
  corrections: readonly FieldCorrection[] = [],
): Record<string, FieldValue[]> {
  const exp = fields.expiration_date;
  if (!exp || exp.length > 0 || corrections.some((c) => c.field === 'expiration_date')) return fields;
  const derived = derivedExpiration(fields);
  return derived ? { ...fields, expiration_date: [derived] } : fields;
}
