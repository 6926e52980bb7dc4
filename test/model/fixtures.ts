// Synthetic contract sentences written for the tests: parties and dates in varied templates.
import { Rng } from '../../src/model/random';
import type { AnnotatedDocument, Span } from '../../src/model/types';

const PARTIES = [
  'Acme Corp.',
  'Beta Holdings LLC',
  'Northwind Traders Inc.',
  'Globex GmbH',
  'Initech Ltd.',
  'Umbrella S.A.',
  'Stark Industries',
  'Wayne Enterprises',
];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const TEMPLATES = [
  'This Agreement is made on {D} between {P} and {P}.',
  '{P} shall pay the invoice no later than {D}.',
  'The term begins on {D} and ends on {D}.',
  'Notice was given by {P} to {P} on {D}.',
  'As of {D}, {P} assigns its rights to {P}.',
  'The parties signed the amendment on {D} in New York.',
  '{P} agrees to deliver the goods to {P} within a reasonable time.',
];

function date(rng: Rng): string {
  const m = MONTHS[rng.int(12)];
  const d = 1 + rng.int(28);
  const y = 2000 + rng.int(30);
  switch (rng.int(3)) {
    case 0:
      return `${m} ${d}, ${y}`;
    case 1:
      return `${d} ${m} ${y}`;
    default:
      return `${String(d).padStart(2, '0')}/${String(1 + rng.int(12)).padStart(2, '0')}/${y}`;
  }
}

/** Documents of a few sentences each, with every PARTY and DATE mention labelled. */
export function syntheticContracts(count: number, seed: number): AnnotatedDocument[] {
  const rng = new Rng(seed);
  const docs: AnnotatedDocument[] = [];
  for (let n = 0; n < count; n++) {
    let text = '';
    const spans: Span[] = [];
    const sentences = 2 + rng.int(3);
    for (let s = 0; s < sentences; s++) {
      const template = TEMPLATES[rng.int(TEMPLATES.length)];
      for (const part of template.split(/(\{[PD]\})/)) {
        if (part === '{P}' || part === '{D}') {
          const value = part === '{P}' ? PARTIES[rng.int(PARTIES.length)] : date(rng);
          spans.push({ start: text.length, end: text.length + value.length, label: part === '{P}' ? 'PARTY' : 'DATE' });
          text += value;
        } else {
          text += part;
        }
      }
      text += ' ';
    }
    docs.push({ id: `synthetic:${seed}:${n}`, text: text.trimEnd(), spans, complete: 'all' });
  }
  return docs;
}

/** Drops about `share` of the DATE spans and marks DATE as incompletely annotated. */
export function hideDates(docs: AnnotatedDocument[], share: number, seed: number): AnnotatedDocument[] {
  const rng = new Rng(seed);
  return docs.map((d) => ({
    ...d,
    spans: d.spans.filter((s) => s.label !== 'DATE' || rng.next() >= share),
    complete: ['PARTY'],
  }));
}
