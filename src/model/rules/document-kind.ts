// What kind of document a text is — the one place that says it. Whether it reads like a
// contract, an invoice or a receipt, or like something else (a code README, notes, a
// changelog), so the editor tags the documents Entity Lens is for and leaves the rest alone
// unless asked; and which of the three it is, whose field schema the document fields use (a
// till slip's short lines, cash and change against an invoice's bill-to and payment terms).
// A few cheap signals over the start of the text (the first SAMPLE_CHARS): legal phrasing
// (hereby, whereas, "shall", governing law, the parties, ...), commercial vocabulary (invoice,
// total, VAT, qty, cash, change, ...) with the dates and amounts the rule annotators find,
// against the marks of technical writing (code fences, inline code, shell prompts, file names,
// URLs, JSON), and the shape of the lines. Calibrated on the CUAD contracts, the SROIE receipts,
// generated invoices and the sample workspace against READMEs and changelogs (numbers in the
// README).
import { findAmounts } from './amounts';
import { findDates } from './dates';
import { rule } from './common';

/** The kinds of document Entity Lens is for; each has its field schema. */
export const DOCUMENT_KINDS = ['contract', 'invoice', 'receipt'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** What a text reads like: a contract, a bill (an invoice or a receipt), or neither. */
export type ReadsLike = 'contract' | 'invoice' | 'other';

export interface DocumentKindResult {
  kind: ReadsLike;
  /**
   * Which of the three kinds the document is, for its fields: a contract; a bill split into an
   * invoice or a receipt; for a text that reads like neither, the nearest of the three.
   */
  documentKind: DocumentKind;
  /** one short phrase for a tooltip: what decided it */
  reason: string;
  /** the measured signals (for tests and the log) */
  signals: DocumentSignals;
}

export interface DocumentSignals {
  words: number;
  /** legal terms found, counting repeats, and how many different ones */
  legal: number;
  legalDistinct: number;
  commerce: number;
  commerceDistinct: number;
  dates: number;
  /** amounts the rule annotator finds (with a currency), and bare numbers with two decimals (receipt columns) */
  amounts: number;
  decimals: number;
  /** marks of technical writing: code fences, inline code, prompts, file names, URLs, braces */
  technical: number;
  /** words only till slips print (cash, change, cashier, rounding, ...) */
  till: number;
  /** words of invoices that receipts seldom print (bill to, due date, payment terms, IBAN, ...) */
  invoiceTerms: number;
  /** words receipts print (receipt, qty, total, GST, thank you, ...) */
  receiptTerms: number;
  /** the contract vocabulary's count (agreement, hereby, whereas, shall, parties, ...) */
  contractTerms: number;
  /** mean length of the non-blank lines (receipts and invoices print short fields) */
  meanLine: number;
  /** a good part of the text is in lines of over 100 characters (prose) */
  prose: boolean;
  /** a contract's title word (agreement, lease, licence, ...) near the top, and no "invoice" above it */
  contractTitle: boolean;
}

/** how much of the text is looked at: enough for any contract's preamble and an invoice */
export const SAMPLE_CHARS = 30_000;

const LEGAL: Array<[string, RegExp]> = [
  ['agreement', /\bagreements?\b/gi],
  ['contract', /\bcontract(?:s|or|ors)?\b/gi],
  ['hereby', /\bhereby\b/gi],
  ['here-words', /\b(?:hereto|hereof|hereunder|herein|hereinafter|heretofore)\b/gi],
  ['there-words', /\b(?:thereof|thereto|thereunder|therein)\b/gi],
  ['whereas', /\bwhereas\b/gi],
  ['witness', /\bin witness whereof\b/gi],
  ['shall', /\bshall\b/gi],
  ['agree', /\bagree(?:s|d)?\b|\bmutually\b/gi],
  ['party', /\b(?:the )?part(?:y|ies)\b/gi],
  ['governing law', /\bgoverning law\b|\blaws of the state of\b/gi],
  ['terminate', /\bterminat(?:e|ed|es|ion)\b/gi],
  ['indemnify', /\bindemnif(?:y|ied|ies|ication)\b|\bindemnity\b/gi],
  ['liability', /\bliab(?:le|ility)\b/gi],
  ['confidential', /\bconfidential(?:ity)?\b/gi],
  ['warranty', /\bwarrant(?:y|ies|s)\b|\brepresentations and warranties\b/gi],
  ['effective date', /\beffective date\b/gi],
  ['pursuant', /\bpursuant to\b|\bnotwithstanding\b/gi],
  ['breach', /\bbreach(?:es|ed)?\b/gi],
  ['obligations', /\bobligations?\b/gi],
  [
    'roles',
    /\b(?:lessor|lessee|landlord|tenant|licensor|licensee|supplier|distributor|contractor|employer|employee|buyer|seller|vendor|customer)s?\b/gi,
  ],
  ['clauses', /\b(?:clause|exhibit|schedule|amendment|appendix)s?\b/gi],
  ['signed', /\b(?:signature|signed|executed|duly authori[sz]ed)\b/gi],
];

const COMMERCE: Array<[string, RegExp]> = [
  ['invoice', /\binvoices?\b|\brechnung\b|\bfacture\b/gi],
  ['receipt', /\breceipts?\b|\bcash bill\b/gi],
  ['total', /\b(?:sub-?total|total|grand total|amount due|balance due|total due)\b/gi],
  ['tax', /\b(?:vat|gst|sst|tax|mwst|ust)\b/gi],
  ['qty', /\b(?:qty|quantity|u\/p|unit price|price|disc(?:ount)?)\b/gi],
  ['cash', /\b(?:cash|change|rounding|cashier|tendered)\b/gi],
  ['payment', /\b(?:payment|pay(?:able)?|due date|remit|iban|bic|swift|account no)\b/gi],
  ['bill to', /\b(?:bill(?:ed)? to|ship(?:ped)? to|sold to|customer no|order no)\b/gi],
  ['thanks', /\bthank you\b/gi],
  ['currency', /(?:\b(?:RM|USD|EUR|GBP|SGD|MYR|CHF)\b|[$€£¥])/g],
];

const TECHNICAL: RegExp[] = [
  /^\s*```/gm, // code fences (count double: see below)
  /`[^`\n]{1,80}`/g, // inline code
  /^\s*(?:\$|>|#|npm|npx|yarn|pip|git|cd|node|python)\s+[a-z-]/gm, // shell lines
  /\b[\w-]+\.(?:ts|js|mjs|json|py|sh|yml|yaml|toml|lock|tsx|jsx|css|html|rs|go|java|cpp|h)\b/g, // file names
  /\bhttps?:\/\/\S+/g, // URLs
  /[{}]\s*$/gm, // lines ending like code
  /^\s*(?:import|export|const|let|var|function|def|class|return|if|for)\b/gm, // code lines
];

const CONTRACT_TERMS = rule(
  /\b(?:agreement|hereby|hereof|hereto|hereunder|whereas|witnesseth|shall|parties|governed|terminat\w{0,8}|indemnif\w{0,8}|warrant\w{0,8}|covenant\w{0,8}|in witness whereof)\b/gi,
);
const INVOICE_TERMS = rule(
  /\b(?:invoice|bill to|billed to|sold to|ship to|due date|payment terms|net amount|subtotal|vat|iban|bic|swift|remit|amount due|balance due|customer no|po number|purchase order|payment due|days net|date of issue|service period)\b/gi,
);
const RECEIPT_TERMS = rule(
  /\b(?:receipt|cash|change|cashier|qty|gst|sst|thank you|come again|total|rounding|tender|member|counter|table|item|subtotal|sub total|tax invoice)\b/gi,
);
const TILL_WORDS = rule(
  /\b(?:cash|change|cashier|come again|rounding|round(?:ing)? adj|tender|counter|table no|pax)\b/gi,
);
const CONTRACT_TITLE = rule(
  /\b(?:agreement|contract|lease|deed|licen[cs]e|terms and conditions|amendment|addendum|memorandum)\b/i,
);

/** the opening words of open-source licences and notice files: legal text, but not a document to review */
const OPEN_SOURCE_LICENCE = rule(
  /apache license|gnu (?:lesser |affero )?general public license|mozilla public license|permission is hereby granted, free of charge|redistribution and use in source and binary forms|the software is provided "?as is"?|third[- ]party (?:software )?notices|creative commons|eclipse public license|isc license|the unlicense|boost software license|open source licen[cs]e/i,
);

function countAll(text: string, patterns: Array<[string, RegExp]>): { total: number; distinct: number } {
  let total = 0;
  let distinct = 0;
  for (const [, re] of patterns) {
    const n = text.match(re)?.length ?? 0;
    total += n;
    if (n > 0) distinct++;
  }
  return { total, distinct };
}

/** The signals of the start of a text (see DocumentSignals). */
export function documentSignals(text: string): DocumentSignals {
  const sample = text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text;
  const words = sample.match(/\p{L}+/gu)?.length ?? 0;
  const legal = countAll(sample, LEGAL);
  const commerce = countAll(sample, COMMERCE);
  let technical = 0;
  for (const re of TECHNICAL) technical += sample.match(re)?.length ?? 0;
  const lines = sample.split('\n').filter((l) => l.trim() !== '');
  const meanLine = lines.length ? lines.reduce((n, l) => n + l.trim().length, 0) / lines.length : 0;
  const longChars = lines.filter((l) => l.trim().length > 100).reduce((n, l) => n + l.length, 0);
  return {
    words,
    legal: legal.total,
    legalDistinct: legal.distinct,
    commerce: commerce.total,
    commerceDistinct: commerce.distinct,
    dates: findDates(sample).length,
    amounts: findAmounts(sample).length,
    decimals: sample.match(/(?<![\d.,])\d{1,7}[.,]\d{2}(?![\d.,])/g)?.length ?? 0,
    technical,
    till: sample.match(TILL_WORDS)?.length ?? 0,
    invoiceTerms: sample.match(INVOICE_TERMS)?.length ?? 0,
    receiptTerms: sample.match(RECEIPT_TERMS)?.length ?? 0,
    contractTerms: sample.match(CONTRACT_TERMS)?.length ?? 0,
    meanLine,
    prose: longChars > 0.3 * sample.length,
    contractTitle: CONTRACT_TITLE.test(sample.slice(0, 400)) && !/\binvoice\b/i.test(sample.slice(0, 200)),
  };
}

/**
 * Contract, invoice (or receipt) or other. A contract needs legal phrasing across many different
 * terms, dense enough for its length; an invoice needs commercial vocabulary with amounts; either
 * loses to a text whose technical marks are as frequent as its legal or commercial ones (a code
 * README that describes contracts still reads like a README).
 */
export function classifyDocument(text: string): DocumentKindResult {
  const s = documentSignals(text);
  const result = readsLike(text, s);
  const documentKind =
    result.kind === 'contract' ? 'contract' : result.kind === 'invoice' ? billKind(s) : nearestKind(text, s);
  return { ...result, documentKind };
}

/** Which of the three kinds a document is, for its field schema (classifyDocument's documentKind). */
export function detectKind(text: string): DocumentKind {
  return classifyDocument(text).documentKind;
}

/** A bill's kind: a till slip (short lines, cash and change) is a receipt; the rest invoices. */
function billKind(s: DocumentSignals): 'invoice' | 'receipt' {
  const shortLines = s.meanLine < 32;
  if (shortLines && s.till >= 2) return 'receipt';
  if (s.invoiceTerms >= 3) return 'invoice';
  if (shortLines && s.till >= 1 && s.receiptTerms >= 2) return 'receipt';
  if (s.invoiceTerms >= 2 && (s.invoiceTerms >= s.receiptTerms || !shortLines)) return 'invoice';
  if (s.receiptTerms >= 2 && shortLines) return 'receipt';
  if (s.invoiceTerms >= 1) return 'invoice';
  return shortLines ? 'receipt' : 'invoice';
}

/**
 * The nearest kind for a text that reads like none of them (a short agreement, a press release
 * about one, a receipt of a few lines): contract words against billing words, a contract's
 * title, prose against short lines.
 */
function nearestKind(text: string, s: DocumentSignals): DocumentKind {
  const contract = s.contractTerms;
  const bill = s.invoiceTerms + s.receiptTerms;
  if (contract >= 8 && contract > 2 * bill) return 'contract';
  if (text.length > 15_000 && contract >= 4) return 'contract';
  if (s.contractTitle && contract >= 3) return 'contract';
  if (s.prose && contract >= 2 && contract > s.invoiceTerms) return 'contract';
  if (s.invoiceTerms + s.receiptTerms + s.till > 0) return billKind(s);
  return contract >= 2 || s.meanLine > 60 ? 'contract' : billKind(s);
}

/** Contract, invoice (or receipt) or other, with the reason. */
function readsLike(text: string, s: DocumentSignals): Omit<DocumentKindResult, 'documentKind'> {
  const perThousand = (n: number): number => (1000 * n) / Math.max(s.words, 1);
  const technical = perThousand(s.technical);
  if (s.words < 8) return { kind: 'other', reason: 'too little text to tell', signals: s };
  if (OPEN_SOURCE_LICENCE.test(text.slice(0, 3000)))
    return { kind: 'other', reason: 'reads like an open-source licence or notice file', signals: s };
  const legalScore = perThousand(s.legal);
  const money = Math.max(s.amounts, s.decimals);
  const commerceScore = perThousand(s.commerce + money);
  // many kinds of legal terms over a long text, or fewer but denser in a short one
  const legalEnough =
    (s.legalDistinct >= 10 && legalScore >= 15) ||
    (s.legalDistinct >= 6 && legalScore >= 25) ||
    (s.legalDistinct >= 5 && s.legal >= 12 && legalScore >= 35);
  const contract = legalEnough && technical < legalScore / 4;
  const invoice =
    ((s.commerceDistinct >= 3 && money >= 2) || (s.commerceDistinct >= 4 && money >= 1)) &&
    commerceScore >= 40 &&
    technical < commerceScore / 4;
  // a contract that talks money (a lease: rent, deposit, payment terms) is still a contract
  if (contract && (!invoice || commerceScore < 1.5 * legalScore))
    return {
      kind: 'contract',
      reason: `reads like a contract (${s.legalDistinct} kinds of legal terms)`,
      signals: s,
    };
  if (invoice)
    return {
      kind: 'invoice',
      reason: `reads like an invoice or receipt (${money} amounts, ${s.commerceDistinct} kinds of billing terms)`,
      signals: s,
    };
  if (technical >= 20)
    return { kind: 'other', reason: 'reads like technical writing (code, commands, file names)', signals: s };
  return { kind: 'other', reason: 'does not read like a contract, invoice or receipt', signals: s };
}
