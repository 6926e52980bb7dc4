// A mention's text as a field value: dates ISO, durations ISO 8601 in the unit written, amounts
// a decimal string with an ISO 4217 currency, governing law a place name, a party its name
// without the words around it that are not part of it. The normalisers are the rules' own
// (rules/normalize.ts, rules/jurisdiction.ts); this file only picks one per field type and
// cleans party names.
import { governingLawName } from '../rules/jurisdiction';
import {
  currencyAtLineEnd,
  currencyOf,
  decimalString,
  normalizeAmount,
  normalizeDate,
  normalizeDuration,
  normalizePercent,
  type DateOrder,
} from '../rules/normalize';
import type { FieldType } from './schema';
import { collapseSpaces } from './text';

export interface NormalizedValue {
  value: string;
  /** amounts: the ISO 4217 code when the mention or its line shows one */
  currency?: string;
}

/** What "$" in `surface` stands for: `dollar` where it is bare ("$8.20", not "US$" or "USD"). */
export function dollarIn(surface: string, dollar: string | undefined): string {
  return dollar && !/US\$|USD|U\.S\./i.test(surface) ? dollar : 'USD';
}

export interface ValueContext {
  /** how numeric dates in this document are ordered */
  dateOrder?: DateOrder;
  /** the line above the mention when the mention starts its line (a receipt's currency column) */
  lineAbove?: string;
  /** the currency a bare "$" stands for in this document, when not the US dollar */
  dollar?: string;
}

/** Role labels printed before a party's name: `Party A (Shipper):`, `The buyer/End-User:`, `BETWEEN`. */
const ROLE_PREFIX =
  /^(?:(?:(?:by\s+and\s+)?between|among|and|by|from|to|with|attest|witness)\b|party\s+[a-z0-9]\b(?:\s*\([^)]{1,30}\))?|the\s+[a-z/ -]{2,30}:|[a-z/ -]{2,30}:|\(\s*(?:\d{1,2}|[a-z]|[ivx]{1,4})\s*\))[\s:,-]*/i;
/** What follows a name without being part of it: `, a Delaware corporation`, `, with offices at`. */
const DESCRIPTOR =
  /(?:,?\s+(?:a|an|the)\s+(?:[\w.&'-]+\s+){0,6}?(?:corporation|company|partnership|limited|llc|l\.l\.c\.|entity|organization|organisation|association|bank|trust|individual|person|society|body|firm|undertaking|subsidiary|division)\b.*|,?\s+(?:having|with|whose|located|organi[sz]ed|incorporated|existing|acting|residing|registered|doing\s+business|on\s+behalf|through|in\s+its\s+capacity)\b.*|\s*\((?:as|the|hereinafter|collectively|each|together|referred|"|“|').*|\s*[("“][^)]*$)/is;
/** A legal form, then a comma and a capitalised word that is not another legal form (an address, a city, another name). */
const FORM_THEN_MORE =
  /(?<=[\p{L}\p{N}.&)]\s)(?:inc|corp|corporation|ltd|limited|llc|l\.l\.c|llp|plc|gmbh|gbr|kg|ohg|ug|mbh|ag|se|sas|sarl|s\.a|s\.l|s\.p\.a|spa|srl|bv|b\.v|nv|n\.v|oy|ab|aps|pte|pty|bhd)\.?(?=,\s+(?!(?:inc|corp|ltd|limited|llc|l\.l\.c|llp|lp|l\.p|plc|co|gmbh|ag|sa|s\.a|n\.a|pte|pty|sdn|bhd|kg)\b)\p{Lu})/iu;
/**
 * A registration number after a receipt's seller: `(519537-X)`, `273500-U (KSB)`, `(1035693-T)`,
 * and one whose check letter OCR misread as a sign (`(519537-%)`).
 */
const REGISTRATION =
  /[\s,]*(?:\(?\s*(?:co\.?\s*(?:reg\.?\s*)?no\.?|company\s+no\.?|roc\s+no\.?)?\s*[:.]?\s*\d{3,}(?:[-\s]?[A-Z]|-[%$&#*@])\s*\)?.*)$/i;

/**
 * Where a party's name lies in a mention's text, as offsets into it: role labels before it and
 * descriptions after it (`, a Delaware corporation`, `(the "Company")`, a registration number)
 * left out. The whole text when nothing is to be cut.
 */
export function partyNameRange(text: string): [number, number] {
  let start = 0;
  let end = text.length;
  for (let i = 0; i < 3; i++) {
    const m = ROLE_PREFIX.exec(text.slice(start, end));
    if (!m || m[0].length >= end - start) break;
    start += m[0].length;
  }
  const d = DESCRIPTOR.exec(text.slice(start, end));
  if (d && d.index > 1) end = start + d.index;
  // a parenthesis that ends the name unless a legal form follows it: "McDATA CORPORATION(McDATA)
  // RESELLER ..." ends before it, "AEON CO. (M) BHD" does not
  for (const p of text.slice(start, end).matchAll(/\s*\([^()]{1,40}\)/g)) {
    const after = text.slice(start + (p.index ?? 0) + p[0].length, end);
    if (
      (p.index ?? 0) > 1 &&
      !/^\s*(?:$|[,.]|(?:sdn|bhd|berhad|ltd|limited|inc|pte|pty|llc|corp|co|s\/b|gmbh|plc|sa|ag|bv|nv|lp|llp)\b)/i.test(
        after,
      )
    ) {
      end = start + (p.index ?? 0);
      break;
    }
  }
  const r = REGISTRATION.exec(text.slice(start, end));
  if (r && r.index > 1) end = start + r.index;
  // a legal form ends the name: "Studio Okafor & Lind GbR, Reichenberger Strasse" → "... GbR"
  const form = FORM_THEN_MORE.exec(text.slice(start, end));
  if (form) end = start + form.index + form[0].length;
  // and the punctuation and markup around it (Markdown's ** and _)
  while (end > start && /[\s,;:(*_#]/.test(text[end - 1])) end--;
  while (start < end && /[\s,;:)"“”*_#]/.test(text[start])) start++;
  return start < end ? [start, end] : [0, text.length];
}

/** A party's name as users file it: role labels before it and descriptions after it removed. */
export function cleanPartyName(text: string): string {
  const [start, end] = partyNameRange(text);
  return collapseSpaces(text.slice(start, end));
}

const LEGAL_FORMS: [RegExp, string][] = [
  [/\bincorporated\b/g, 'inc'],
  [/\bcorporation\b/g, 'corp'],
  [/\bcompany\b/g, 'co'],
  [/\blimited\b/g, 'ltd'],
  [/\bl l c\b/g, 'llc'],
  [/\bl l p\b/g, 'llp'],
  [/\bl p\b/g, 'lp'],
  [/\bs a\b/g, 'sa'],
  [/\bn v\b/g, 'nv'],
  [/\bb v\b/g, 'bv'],
  [/\bsendirian berhad\b/g, 'sdn bhd'],
  [/\bs b\b/g, 'sdn bhd'],
];

/** Legal forms at the end of a name, in partyKey's spelling. */
const TRAILING_FORMS =
  /(?: (?:inc|corp|co|ltd|llc|llp|lp|plc|gmbh|ag|sa|nv|bv|pte|pty|sdn bhd|bhd|kg|sarl|srl|spa|oy|ab|as))+$/;

/**
 * A party's name reduced for comparison: case, punctuation and spacing ignored, legal forms
 * ignored at the end ("Acme Holdings Incorporated", "ACME HOLDINGS, INC." and "Acme Holdings"
 * name one party), a leading "the" dropped.
 */
/** A name's words, lower-cased, punctuation as spaces, runs of space as one: "acme holdings inc". */
export function nameWords(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^\p{L}\p{N}& ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function partyKey(name: string): string {
  let s = nameWords(name);
  for (const [re, to] of LEGAL_FORMS) s = s.replace(re, to);
  s = s.replace(/^the /, '').replace(/\s+/g, ' ').trim();
  const base = s.replace(TRAILING_FORMS, '');
  return base === '' ? s : base;
}

/** The field value of a mention's text, or undefined when it cannot be read as the field's type. */
export function normalizeFieldValue(
  type: FieldType,
  text: string,
  ctx: ValueContext = {},
): NormalizedValue | undefined {
  const flat = collapseSpaces(text);
  if (flat === '') return undefined;
  switch (type) {
    case 'date': {
      const v = normalizeDate(flat, ctx.dateOrder);
      return v ? { value: v } : undefined;
    }
    case 'duration': {
      const v = normalizeDuration(flat);
      return v ? { value: v } : undefined;
    }
    case 'amount': {
      const a = normalizeAmount(flat);
      if (!a) return undefined;
      const currency = a.currency ?? (ctx.lineAbove !== undefined ? currencyAtLineEnd(ctx.lineAbove) : undefined);
      return { value: decimalString(a), currency: currency === 'USD' ? dollarIn(flat, ctx.dollar) : currency };
    }
    case 'percent': {
      const p = normalizePercent(flat);
      return p === undefined ? undefined : { value: String(Math.round(p * 1e6) / 1e6) };
    }
    case 'law': {
      const v = governingLawName(flat);
      return v ? { value: v } : undefined;
    }
    case 'party': {
      const v = cleanPartyName(flat);
      // a form's placeholder is no name: "<<enter Company Name>>", "[●]", "__________"
      return /\p{L}{2}/u.test(v) && !/[<>[\]{}]|__/.test(v) ? { value: v } : undefined;
    }
    case 'iban':
    case 'bic':
      return { value: flat.replace(/\s+/g, '').toUpperCase() };
    case 'currency': {
      const c = currencyOf(flat);
      return c ? { value: c } : undefined;
    }
    default:
      return { value: flat };
  }
}
