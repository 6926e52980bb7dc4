// Which kind of document a text is: a contract (long prose that binds parties), an invoice
// (a bill with a number, a buyer and payment terms) or a receipt (a till slip: short lines,
// totals, cash and change). Counted from words each kind uses and the shape of its lines;
// the editor and the CLI let a user say otherwise per file.
import type { DocumentKind } from './schema';

const CONTRACT_WORDS =
  /\b(?:agreement|hereby|hereof|hereto|hereunder|whereas|witnesseth|shall|parties|governed|terminat\w*|indemnif\w*|warrant\w*|covenant\w*|in witness whereof)\b/gi;
const INVOICE_WORDS =
  /\b(?:invoice|bill to|billed to|sold to|ship to|due date|payment terms|net amount|subtotal|vat|iban|bic|swift|remit|amount due|balance due|customer no|po number|purchase order)\b/gi;
const RECEIPT_WORDS =
  /\b(?:receipt|cash|change|cashier|qty|gst|sst|thank you|come again|total|rounding|tender|member|counter|table|item|subtotal|sub total|tax invoice)\b/gi;

function count(re: RegExp, text: string): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(text) !== null) n++;
  return n;
}

/** Words only till slips use. */
const TILL_WORDS = /\b(?:cash|change|cashier|come again|rounding|round(?:ing)? adj|tender|counter|table no|pax)\b/gi;
const CONTRACT_TITLE =
  /\b(?:agreement|contract|lease|deed|licen[cs]e|terms and conditions|amendment|addendum|memorandum)\b/i;

/** The kind of a document from its text (the first 20,000 characters). */
export function detectKind(text: string): DocumentKind {
  const head = text.slice(0, 20_000);
  const lines = head.split('\n').filter((l) => l.trim() !== '');
  const meanLine = lines.length ? lines.reduce((s, l) => s + l.trim().length, 0) / lines.length : 0;
  // prose: a good part of the text in long lines (receipts and invoices print short fields)
  const longChars = lines.filter((l) => l.trim().length > 100).reduce((s, l) => s + l.length, 0);
  const prose = longChars > 0.3 * head.length;
  const contract = count(CONTRACT_WORDS, head);
  const invoice = count(INVOICE_WORDS, head);
  const receipt = count(RECEIPT_WORDS, head);
  const till = count(TILL_WORDS, head);
  // a contract is full of its words; an invoice may mention "agreement" once
  if (contract >= 8 && contract > 2 * (invoice + receipt)) return 'contract';
  if (text.length > 15_000 && contract >= 4) return 'contract';
  if (CONTRACT_TITLE.test(head.slice(0, 400)) && !/\binvoice\b/i.test(head.slice(0, 200)) && contract >= 3)
    return 'contract';
  if (prose && contract >= 2 && contract > invoice) return 'contract';
  const shortLines = meanLine < 32;
  if (shortLines && till >= 2) return 'receipt';
  if (invoice >= 3) return 'invoice';
  if (shortLines && till >= 1 && receipt >= 2) return 'receipt';
  if (invoice >= 2 && (invoice >= receipt || !shortLines)) return 'invoice';
  if (receipt >= 2 && shortLines) return 'receipt';
  if (invoice >= 1) return 'invoice';
  if (receipt >= 2) return 'receipt';
  return contract >= 2 || meanLine > 60 ? 'contract' : 'invoice';
}
