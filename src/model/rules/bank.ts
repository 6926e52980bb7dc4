// Bank details. Span convention: the identifier only, without its label — "IBAN: DE89 3704
// 0044 0532 0130 00" → `DE89 3704 0044 0532 0130 00` (grouped or compact, as printed),
// "BIC: DEUTDEFF" → `DEUTDEFF`, "Account No.: 123-456-789" → `123-456-789`.
// - IBAN: country code, check digits and BBAN; the length must match the country's
//   registered length and the ISO 13616 mod-97 check must hold, so typos and look-alikes
//   are rejected.
// - BIC (ISO 9362): 8 or 11 characters with a valid country code, and only after a
//   BIC/SWIFT label on the same line (or the line before): `DELAWARE` has a BIC's shape.
// - ACCOUNT: digits (with spaces or hyphens) after an "Account No." style label.
import { forEachMatch, lineStartWithin, PRIORITY, rule, type Candidate } from './common';

/** Registered IBAN lengths by country (SWIFT IBAN registry). */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HN: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
};

/** ISO 3166-1 alpha-2 codes (for BIC country positions). */
const COUNTRY_CODES = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ ' +
    'BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM ' +
    'DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS ' +
    'GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN ' +
    'KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ ' +
    'MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM ' +
    'PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV ' +
    'SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI ' +
    'VN VU WF WS XK YE YT ZA ZM ZW'
  ).split(' '),
);

/** Whether `bic` has an ISO 9362 shape: bank (4 letters), a country code, location, optional branch. */
export function isBicShaped(bic: string): boolean {
  const m = /^[A-Z]{4}([A-Z]{2})[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/.exec(bic.replace(/[ \u00a0]/g, ''));
  return m !== null && COUNTRY_CODES.has(m[1]);
}

/** n mod 97 of a digit string of any length. */
function mod97(digits: string): number {
  let r = 0;
  for (let i = 0; i < digits.length; i += 7) r = Number(String(r) + digits.slice(i, i + 7)) % 97;
  return r;
}

/** Letters to numbers as ISO 13616 has it: A=10 ... Z=35. */
function ibanDigits(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    out += c >= 65 && c <= 90 ? String(c - 55) : ch;
  }
  return out;
}

/** Whether `iban` (spaces allowed) has a known country, its length and valid check digits. */
export function isValidIban(iban: string): boolean {
  const s = iban.replace(/[ \u00a0]/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) return false;
  const length = IBAN_LENGTHS[s.slice(0, 2)];
  if (length === undefined || s.length !== length) return false;
  return mod97(ibanDigits(s.slice(4) + s.slice(0, 4))) === 1;
}

/** Check digits for a country code and BBAN (what makes `isValidIban` true). */
export function ibanCheckDigits(country: string, bban: string): string {
  const r = mod97(ibanDigits(bban.toUpperCase() + country.toUpperCase() + '00'));
  return String(98 - r).padStart(2, '0');
}

/** Country code, check digits, then groups of 1-4 alphanumerics separated by one space, or compact. */
const IBAN_CANDIDATE = rule(/(?<![\p{L}\p{N}])[A-Z]{2}\d{2}(?:[ \u00a0]?[A-Z0-9]{1,4}){3,9}(?![\p{L}\p{N}])/gu);

const BIC_LABEL = rule(
  /(?:\bBIC\b|\bSWIFT\b|\bSwift\b|\bS\.W\.I\.F\.T\.|\bBank\s{1,24}Identifier\s{1,24}Code\b|\bswift\s{1,24}code\b)/iu,
);
const BIC = rule(/(?<![\p{L}\p{N}])[A-Z]{4}([A-Z]{2})[A-Z0-9]{2}(?:[A-Z0-9]{3})?(?![\p{L}\p{N}])/gu);

const ACCOUNT = rule(
  /(?<![\p{L}])(?:bank\s{1,24})?(?:account|acct\.?|a\/c|konto)(?:[\s-]{0,3}(?:no\.?|number|nr\.?|num\.?|#)\s{0,3}[:.#]?|\s{0,3}[:#])[ \t]{0,8}(?:\r?\n[ \t]{0,8}[:.]?[ \t]{0,8})?(\d[\d \-]{3,28}\d)(?![\p{L}\p{N}]|[.,]\d)/giu,
);

/** IBANs: the longest group-aligned prefix of a candidate that validates. */
function findIbans(text: string, out: Candidate[]): void {
  forEachMatch(IBAN_CANDIDATE, text, (m) => {
    const raw = m[0];
    const length = IBAN_LENGTHS[raw.slice(0, 2)];
    if (length === undefined) return;
    // Walk the raw text until `length` alphanumerics are consumed; the IBAN must end there
    // at a group boundary (end of raw, or a space follows).
    let count = 0;
    let i = 0;
    for (; i < raw.length && count < length; i++) if (raw[i] !== ' ' && raw[i] !== '\u00a0') count++;
    if (count !== length) return;
    if (i < raw.length && raw[i] !== ' ' && raw[i] !== '\u00a0') return;
    const candidate = raw.slice(0, i);
    if (!isValidIban(candidate)) return;
    out.push({ start: m.index, end: m.index + i, label: 'IBAN', priority: PRIORITY.IBAN });
  });
}

/** How far before a BIC its label may be. */
const LABEL_REACH = 60;

function findBics(text: string, out: Candidate[]): void {
  forEachMatch(BIC, text, (m) => {
    if (!COUNTRY_CODES.has(m[1])) return;
    // A BIC label before it on its line, or alone on the line before (OCR); at most 60
    // characters back, so a long line is never scanned whole.
    const lineStart = lineStartWithin(text, m.index, LABEL_REACH + 1);
    let before = text.slice(Math.max(lineStart, m.index - LABEL_REACH), m.index);
    if (!BIC_LABEL.test(before) && lineStart > 0 && /^[\s:.#]*$/.test(text.slice(lineStart, m.index))) {
      const prevStart = lineStartWithin(text, lineStart - 1, LABEL_REACH + 1);
      before = text.slice(Math.max(prevStart, lineStart - LABEL_REACH), lineStart);
    }
    if (!BIC_LABEL.test(before)) return;
    out.push({ start: m.index, end: m.index + m[0].length, label: 'BIC', priority: PRIORITY.BIC });
  });
}

function findAccounts(text: string, out: Candidate[]): void {
  forEachMatch(ACCOUNT, text, (m) => {
    const value = m[1].replace(/[ -]+$/, '');
    const digits = value.replace(/\D/g, '');
    if (digits.length < 6 || digits.length > 20) return;
    if (/ {2,}/.test(value)) return; // two columns, not one number
    const start = m.index + m[0].length - m[1].length;
    out.push({ start, end: start + value.length, label: 'ACCOUNT', priority: PRIORITY.ACCOUNT });
  });
}

export function findBankDetails(text: string, labels?: ReadonlySet<string>): Candidate[] {
  const out: Candidate[] = [];
  if (!labels || labels.has('IBAN')) findIbans(text, out);
  if (!labels || labels.has('BIC')) findBics(text, out);
  if (!labels || labels.has('ACCOUNT')) findAccounts(text, out);
  return out;
}
