// Known vendors: the seller names and addresses a user typed as corrections in the workspace,
// known at once in the editor and kept in its field chooser when that retrains (the shipped
// chooser knows none). The same shops come back (an accounts-payable clerk keys in the same few
// dozen vendors), and a photo's OCR misreads a glyph or two of a long name or address
// ("JALAN PERIAS" for "JALAN PERMAS", "KUALA [LUMPUR").
// A value that nearly spells a known vendor's, and clearly no other, is filed in the known
// spelling (`known` on the value); its `text` stays as printed.
import { surfaceKey, type FieldAnswers } from './answers';

export interface KnownVendor {
  seller?: string;
  address?: string;
}

/** The vendor fields and which part of a known vendor each one is (the address first: it tells which vendor a seller is). */
export const VENDOR_FIELDS = [
  ['seller_address', 'address'],
  ['seller', 'seller'],
] as const;

/** Edits allowed per character of the known value: a misread glyph in ten. */
const EDITS_PER_CHAR = 0.1;
/** Shorter values are not matched: one glyph makes another shop of a short name. */
const MIN_LENGTH = 12;

/** Edit distance of a and b, or `max + 1` once it is sure to be more than `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  return distance(a, b, max, false);
}

/**
 * The least edit distance between `known` and a run of `read` (what stands before and after the
 * run is free: a seller line that goes on with its registration number), or `max + 1` once it
 * is sure to be more than `max`.
 */
export function distanceWithin(known: string, read: string, max: number): number {
  return distance(known, read, max, true);
}

/** Levenshtein's rows over `b`, stopped once a row is all above `max`; `within`: b's ends are free. */
function distance(a: string, b: string, max: number, within: boolean): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => (within ? 0 : j));
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let least = i;
    for (let j = 1; j <= b.length; j++) {
      const d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      row.push(d);
      if (d < least) least = d;
    }
    if (least > max) return max + 1;
    prev = row;
  }
  return Math.min(max + 1, within ? Math.min(...prev) : prev[b.length]);
}

/**
 * The known value `read` is a misreading of, and how many edits away: within a glyph in ten of
 * it (of a run of it, where `read` is longer), and no other known value nearly as close that
 * is a different one (two annotators' spellings of one address, a comma apart, are one).
 * Undefined when none is, and when `read` is already a known spelling.
 */
export function nearestKnown(read: string, known: readonly string[]): { value: string; distance: number } | undefined {
  const key = surfaceKey(read);
  const close: { value: string; key: string; d: number; allowed: number }[] = [];
  const seen = new Set<string>();
  for (const value of known) {
    const k = surfaceKey(value);
    if (k.length < MIN_LENGTH || seen.has(k)) continue;
    seen.add(k);
    if (k === key) return undefined;
    const allowed = Math.floor(k.length * EDITS_PER_CHAR);
    const d = key.length > k.length ? distanceWithin(k, key, allowed) : editDistance(key, k, allowed);
    if (d <= allowed) close.push({ value, key: k, d, allowed });
  }
  if (close.length === 0) return undefined;
  close.sort((a, b) => a.d - b.d);
  const best = close[0];
  const rival = close.find((c) => c !== best && c.d <= best.d + 2 && editDistance(c.key, best.key, 2) > 2);
  return rival ? undefined : { value: best.value, distance: best.d };
}

/** The vendors a set of examples files: the seller and seller address each receipt or invoice answers as a value. */
export function knownVendorsOf(
  examples: readonly { text: string; kind: string; answers: FieldAnswers }[],
): KnownVendor[] {
  const out: KnownVendor[] = [];
  for (const ex of examples) {
    if (ex.kind !== 'receipt' && ex.kind !== 'invoice') continue;
    const v: KnownVendor = {};
    for (const [field, part] of VENDOR_FIELDS) {
      const a = ex.answers[field]?.[0];
      // a value typed or annotated; a mention picked is as printed, which OCR may have misread
      const text = a?.text ?? a?.value;
      if (text?.trim()) v[part] = text.replace(/\s+/g, ' ').trim();
    }
    if (v.seller || v.address) out.push(v);
  }
  return out;
}

/** `known` then `added`, each vendor once (by its upper-cased name and address). */
export function mergeVendors(known: readonly KnownVendor[], added: readonly KnownVendor[]): KnownVendor[] {
  const out: KnownVendor[] = [];
  const keys = new Set<string>();
  for (const v of [...known, ...added]) {
    const k = `${surfaceKey(v.seller ?? '')}\n${surfaceKey(v.address ?? '')}`;
    if (keys.has(k)) continue;
    keys.add(k);
    out.push(v);
  }
  return out;
}
