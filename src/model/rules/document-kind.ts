// Whether a text reads like a contract, an invoice or a receipt, or like something else (a code
// README, notes, a changelog), so the editor tags the documents Entity Lens is for and leaves the
// rest alone unless asked. A few cheap signals over the start of the text (the first
// SAMPLE_CHARS): legal phrasing (hereby, whereas, "shall", governing law, the parties, ...),
// commercial vocabulary (invoice, total, VAT, qty, cash, change, ...) with the dates and amounts
// the rule annotators find, against the marks of technical writing (code fences, inline code,
// shell prompts, file names, URLs, JSON). Calibrated on the CUAD contracts, the SROIE receipts
// and the sample workspace against READMEs and changelogs (numbers in the README).
import { findAmounts } from './amounts';
import { findDates } from './dates';
import { rule } from './common';

export type DocumentKind = 'contract' | 'invoice' | 'other';

export interface DocumentKindResult {
  kind: DocumentKind;
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
