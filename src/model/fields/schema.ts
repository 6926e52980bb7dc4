// What a document's fields are: per kind of document (contract, invoice, receipt: the kinds of
// rules/document-kind.ts), the fields a paralegal or an accounts-payable clerk records, each
// with the entity labels whose mentions may fill it, the kind of value it holds, how its
// mention is chosen and how many values it keeps. A workspace changes or adds fields with a
// fields.json (fields/config.ts).
import type { DocumentKind } from '../rules/document-kind';

/** The kind of value a field holds: how its mentions are normalised and compared. */
export const FIELD_TYPES = [
  'party',
  'address',
  'date',
  'duration',
  'amount',
  'percent',
  'law',
  'identifier',
  'iban',
  'bic',
  'currency',
  'text',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/**
 * How the mention that fills a field is chosen: `learned` by the field chooser (falls back to
 * `first` for a field it has no weights for), or a fixed rule: the first or last mention in
 * the text, the largest or smallest amount, or every mention (`all`, one value per distinct value).
 */
export const PICKS = ['learned', 'first', 'last', 'largest', 'smallest', 'all'] as const;
export type PickRule = (typeof PICKS)[number];

export interface FieldSpec {
  name: string;
  /** entity labels whose mentions may fill the field */
  labels: string[];
  type: FieldType;
  pick: PickRule;
  /** at most this many values */
  max: number;
  /** with a fixed pick: only mentions with one of these words before them on their line or in their sentence */
  keywords?: string[];
}

/** The entity label a field type is usually filled from. */
export const TYPE_LABELS: Readonly<Record<FieldType, string[]>> = {
  party: ['PARTY'],
  address: ['ADDRESS'],
  date: ['DATE'],
  duration: ['DURATION'],
  amount: ['AMOUNT'],
  percent: ['PERCENT'],
  law: ['JURISDICTION'],
  identifier: ['INVOICE_ID'],
  iban: ['IBAN'],
  bic: ['BIC'],
  currency: ['AMOUNT'],
  text: [],
};

/** The field type of a label's values (a workspace label is `text`). */
export function typeOfLabel(label: string): FieldType {
  switch (label) {
    case 'PARTY':
      return 'party';
    case 'ADDRESS':
      return 'address';
    case 'DATE':
      return 'date';
    case 'DURATION':
      return 'duration';
    case 'AMOUNT':
      return 'amount';
    case 'PERCENT':
      return 'percent';
    case 'JURISDICTION':
      return 'law';
    case 'IBAN':
      return 'iban';
    case 'BIC':
      return 'bic';
    case 'INVOICE_ID':
    case 'TAX_ID':
    case 'ACCOUNT':
      return 'identifier';
    default:
      return 'text';
  }
}

function field(name: string, type: FieldType, max = 1, labels: string[] = TYPE_LABELS[type]): FieldSpec {
  return { name, labels, type, pick: 'learned', max };
}

const CONTRACT: FieldSpec[] = [
  field('parties', 'party', 100),
  field('agreement_date', 'date'),
  field('effective_date', 'date'),
  field('expiration_date', 'date'),
  field('term', 'duration'),
  field('renewal_term', 'duration'),
  field('notice_period', 'duration'),
  field('governing_law', 'law'),
];

const INVOICE: FieldSpec[] = [
  field('seller', 'party'),
  field('seller_address', 'address'),
  field('buyer', 'party'),
  field('buyer_address', 'address'),
  field('invoice_number', 'identifier'),
  field('date', 'date'),
  field('due_date', 'date'),
  field('subtotal', 'amount'),
  field('tax', 'amount'),
  field('tax_rate', 'percent'),
  field('total', 'amount'),
  field('currency', 'currency'),
  field('iban', 'iban'),
  field('bic', 'bic'),
  field('tax_id', 'identifier', 1, ['TAX_ID']),
];

/** The fields of a kind of document before a workspace changes them (a fresh copy). */
export function defaultFields(kind: DocumentKind): FieldSpec[] {
  const specs = kind === 'contract' ? CONTRACT : INVOICE;
  return specs.map((s) => ({ ...s, labels: [...s.labels] }));
}
