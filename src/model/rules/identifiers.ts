// Document and tax identifiers, found only after their label. Span convention: the value
// without the label, as printed — "Invoice No.: INV-2024-0012" → `INV-2024-0012`,
// "VAT Reg. No. DE 123 456 789" → `DE 123 456 789`, "GST ID : 000750673920" →
// `000750673920`, "EIN: 12-3456789" → `12-3456789`. On receipts the receipt/bill/document
// number plays the invoice number's role and is tagged INVOICE_ID; an OCR value on the line
// after its label counts (`INVOICE NO.:` ⏎ `CS 67832`).
import { forEachMatch, lineEndWithin, lineStartWithin, PRIORITY, rule, type Candidate } from './common';

/**
 * Separator between a label and its value: colon/hash/period, spaces, at most one line break.
 * After a colon or hash the value may sit in an aligned column (`Invoice No.:      FOS-2026-0117`).
 */
const SEP = '[ \\t]{0,4}(?:[:#.][ \\t]{0,24}){0,2}(?:\\r?\\n[ \\t]{0,4}(?:[:#][ \\t]{0,4})?)?';

const ID_WORD = '(?:no\\.?|nos?\\.|number|nr\\.?|num\\.?|#|id|ref(?:erence)?\\.?)';

const INVOICE_LABEL = `(?:(?:tax[ ])?invoice|inv\\.|rechnung|facture|factura|receipt|bill|document|doc\\.?|cash[ ]bill|slip)`;
/** `Invoice No.`, `INVOICE #`, `Invoice:`, `Rechnungsnr.`, `RECEIPT #`, `DOC NO.`, `BILL:`. */
const INVOICE = rule(
  new RegExp(
    `(?<![\\p{L}])(?:${INVOICE_LABEL}[ \\t]{0,3}(?:${ID_WORD}[ \\t]{0,3}){1,2}|rechnungs-?nr\\.?|${INVOICE_LABEL}(?=[ \\t]{0,3}:))${SEP}` +
      `((?:[A-Z]{1,4}[ ](?=\\d{3}))?[A-Za-z0-9](?:[A-Za-z0-9]|[-/._](?=[A-Za-z0-9])){2,29})(?![\\p{L}\\p{N}])`,
    'giu',
  ),
);

const TAX_LABEL =
  '(?:VAT|GST|SST|HST|TVA|IVA|MwSt\\.?|USt\\.?|UID|ABN|TIN|EIN|NIF|CIF|NIP|CNPJ|RFC|Steuer-?|tax(?:payer)?|USt-?IdNr\\.?|company[ ]tax)';
const TAX_ID_WORD =
  '(?:reg(?:istration)?\\.?|registered|identification|ident\\.?|id\\.?|idnr\\.?|no\\.?|number|nr\\.?|num\\.?|code|#|nummer)';
/** Labels that name a tax id on their own (`EIN 12-3456789`, `N° TVA FR...`, `BTW-nr.`). */
const BARE_TAX_LABEL =
  '(?:VAT|GST|SST|ABN|TIN|EIN|UID|USt-?IdNr\\.?|N°[ ]?TVA|TVA|BTW(?:-?nr\\.?)?|MWST(?:-?Nr\\.?)?|NIF|CIF|NIP|CNPJ|RFC)';
/**
 * A tax label, then id words (`VAT Reg. No.`, `Tax ID`, `GST REG #`); "Tax" alone is never
 * enough (`Tax 19%`, `TAX: 5.37`). The value needs at least 8 digits.
 */
const TAX = rule(
  new RegExp(
    `(?<![\\p{L}])(?:(?:${TAX_LABEL})(?:[ \\t-]{0,3}${TAX_ID_WORD}){1,3}|${BARE_TAX_LABEL})${SEP}` +
      `((?:[A-Z]{2,3}[- ]?)?\\d(?:[\\d]|[ .\\-/](?=\\d)){6,20}(?:[ ]?[A-Z]{1,4}\\d{0,4})?)(?![\\p{L}\\p{N}])`,
    'giu',
  ),
);
/** The value again, case-sensitive: labels are caseless, the letters of an id are capitals. */
const TAX_VALUE = rule(/^(?:[A-Z]{2,3}[- ]?)?\d(?:\d|[ .\-/](?=\d)){6,20}(?:[ ]?[A-Z]{1,4}\d{0,4}(?![\p{L}\p{N}]))?/u);

const WEAK_INVOICE_LABEL = rule(/^(?:bill|document|doc|slip)\b/i);
const MAX_HEADER_LINE = 48;

/** Whether the line around `at` is longer than `max` (looking no further than that). */
function lineLongerThan(text: string, at: number, max: number): boolean {
  const start = lineStartWithin(text, at, max + 1);
  const end = lineEndWithin(text, at, max + 1);
  return start < 0 || end < 0 || end - start > max;
}

/**
 * "invoice INV-2024-0153", "quote INV-2024-0153": an id-shaped value (letters and digits,
 * or digits with a separator, 4+ digits) right after the word invoice or reference.
 */
const INVOICE_PROSE = rule(
  /(?<![\p{L}])(?:invoice|quote|reference)[ \t]{1,3}((?=(?:[A-Za-z/-]{0,40}\d){4})(?:[A-Z]{1,4}[-/]?\d[\dA-Z]{0,30}(?:[-/][\dA-Z]{1,30}){0,6}|\d{1,20}[-/]\d{1,20}(?:[-/]\d{1,20}){0,6}))(?![\p{L}\p{N}]|[.,]\d)/gu,
);

/** "invoice 173955": digits only after the word invoice, 5+ of them (not a year). */
const INVOICE_NUMBER_PROSE = rule(
  /(?<![\p{L}])invoice[ \t]{1,3}(\d{5,12})(?![\p{L}\p{N}]|[.,/-]\d|[ \t]{1,8}(?:days?|months?|weeks?|years?)\b)/giu,
);

/**
 * Values that are dates or amounts, not identifiers; or start with a date: OCR puts a receipt's
 * date and time on the line after an empty `GST No. :` (`14/03/2018 557.07PM`).
 */
const NOT_AN_ID = rule(/^(?:(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2})(?=\s|$)|\d{1,15}[.,]\d{2}$)/);

export function findIdentifiers(text: string, labels?: ReadonlySet<string>): Candidate[] {
  const out: Candidate[] = [];
  const push = (m: RegExpExecArray, value: string, label: 'INVOICE_ID' | 'TAX_ID'): void => {
    if (NOT_AN_ID.test(value) || !/\d/.test(value)) return;
    const start = m.index + m[0].length - m[1].length;
    out.push({ start, end: start + value.length, label, priority: PRIORITY[label] });
  };
  if (!labels || labels.has('INVOICE_ID')) {
    forEachMatch(INVOICE, text, (m) => {
      // "Document No." / "Bill:" name an invoice only on a receipt or invoice header line;
      // in a contract "ExxonMobil Document No. EM09080" is some other document.
      if (WEAK_INVOICE_LABEL.test(m[0]) && lineLongerThan(text, m.index, MAX_HEADER_LINE)) return;
      push(m, m[1], 'INVOICE_ID');
    });
    forEachMatch(INVOICE_PROSE, text, (m) => push(m, m[1], 'INVOICE_ID'));
    forEachMatch(INVOICE_NUMBER_PROSE, text, (m) => push(m, m[1], 'INVOICE_ID'));
  }
  if (!labels || labels.has('TAX_ID')) {
    forEachMatch(TAX, text, (m) => {
      const value = TAX_VALUE.exec(m[1]);
      if (!value || digitCount(value[0]) < 8) return;
      push(m, value[0], 'TAX_ID');
    });
  }
  return out;
}

function digitCount(s: string): number {
  return s.replace(/\D/g, '').length;
}
