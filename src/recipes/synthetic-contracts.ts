// Seeded generator of contract passages with complete PARTY and ADDRESS annotations: the parts
// of a contract the CUAD training data does not teach. CUAD labels no addresses and has few
// people as parties, and its notice and signature blocks are flattened into runs of spaces; the
// 1.2.0 model found one notice address in 90 test contracts and no employee of an employee
// agreement.
//
// A document is a title, a preamble naming the parties (companies or people, with their
// descriptions and sometimes an address), recitals and a few clauses that mostly use the
// parties' role names ("the Company", "Consultant": never labelled), a notice clause with each
// party's address block (name, address over one to four lines, "Attention:", phone and e-mail
// lines, a copy to counsel) and a signature block (role captions, names in capitals, "By:",
// "Name:", "Title:" of the officer who signs for a company, who is not a party; a person who is a
// party signs for themself). Layouts: line breaks with indentation and blank lines (as PDF text
// comes), the same blocks flattened into one line with runs of spaces between their lines (as
// CUAD's EDGAR text has them), and signature blocks side by side in two columns.
//
// Span conventions are CUAD's for PARTY (every occurrence of a party's name; the short name
// defined from its own words, "Kestrel" of "Kestrel Holdings, Inc.", too; role names never) and
// SROIE's for ADDRESS (the street line through the postcode or country, all its lines). Only
// PARTY and ADDRESS are complete: dates, durations and amounts in the text are left to the
// recipe's rule-made silver spans, as for CUAD. Names of companies and people come from an
// open vocabulary (invented words, a list of first names, invented and common surnames), so a
// network has to learn where names and addresses stand, not which they are.
import { type AnnotatedDocument, Rng, tokenize } from '../model';
import {
  Builder,
  between,
  capitalize,
  chance,
  checkDocument,
  companyName,
  COUNTRY_CODES,
  countryOf,
  type Country,
  type CountryCode,
  digits,
  formatDate,
  inventedWord,
  pick,
  SURNAMES,
  CHINESE_SYLLABLES,
} from './synthetic-invoices';

/** Labels this generator annotates completely. */
export const CONTRACT_LABELS = ['PARTY', 'ADDRESS'] as const;

export type ContractLayout = 'lines' | 'flat' | 'columns';

export interface ContractOptions {
  /** Value of each document's `split`. Default 'train'. */
  split?: string;
  /** Layouts to draw from; default all (lines 50 %, flat 35 %, columns 15 %). */
  layouts?: readonly ContractLayout[];
}

/** A generated contract plus what the generator knows about it (for checks). */
export interface ContractRecord {
  document: AnnotatedDocument;
  layout: ContractLayout;
  kind: string;
  parties: Party[];
}

// ---------------------------------------------------------------------------------------
// People

const FIRST_NAMES = [
  'James',
  'Mary',
  'Robert',
  'Patricia',
  'John',
  'Jennifer',
  'Michael',
  'Linda',
  'David',
  'Elizabeth',
  'William',
  'Barbara',
  'Richard',
  'Susan',
  'Joseph',
  'Jessica',
  'Thomas',
  'Sarah',
  'Charles',
  'Karen',
  'Daniel',
  'Nancy',
  'Matthew',
  'Lisa',
  'Anthony',
  'Margaret',
  'Mark',
  'Sandra',
  'Steven',
  'Ashley',
  'Paul',
  'Emily',
  'Andrew',
  'Donna',
  'Joshua',
  'Michelle',
  'Kenneth',
  'Carol',
  'Kevin',
  'Amanda',
  'Brian',
  'Melissa',
  'George',
  'Deborah',
  'Timothy',
  'Stephanie',
  'Ronald',
  'Rebecca',
  'Jason',
  'Laura',
  'Jeffrey',
  'Helen',
  'Ryan',
  'Sharon',
  'Gary',
  'Cynthia',
  'Nicholas',
  'Kathleen',
  'Eric',
  'Amy',
  'Wei',
  'Mei',
  'Hiroshi',
  'Yuki',
  'Rajesh',
  'Priya',
  'Ahmed',
  'Fatima',
  'Carlos',
  'Lucia',
  'Pierre',
  'Claire',
  'Klaus',
  'Anke',
  'Lars',
  'Ingrid',
  'Sven',
  'Marta',
  'Olu',
  'Amara',
  'Dmitri',
  'Olga',
  'Giovanni',
  'Chiara',
  'Sean',
  'Siobhan',
  'Mateo',
  'Sofia',
  'Noel',
  'Dennis',
  'Wayne',
  'Warren',
  'Albert',
  'Gregory',
  'Diane',
  'Ruth',
  'Howard',
  'Eleanor',
  'Vikram',
  'Anjali',
];
const COMMON_SURNAMES = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Miller',
  'Davis',
  'Garcia',
  'Wilson',
  'Anderson',
  'Taylor',
  'Thomas',
  'Moore',
  'Martin',
  'Jackson',
  'Thompson',
  'White',
  'Harris',
  'Clark',
  'Lewis',
  'Walker',
  'Young',
  'Allen',
  'King',
  'Wright',
  'Scott',
  'Green',
  'Baker',
  'Adams',
  'Nelson',
  'Schmidt',
  'Müller',
  'Dubois',
  'Rossi',
  'Nakamura',
  'Patel',
  'Singh',
  'Kim',
  'Nguyen',
  "O'Brien",
  'McDonald',
  'Fitzgerald',
  'van der Berg',
  'Kowalski',
  'Hansen',
  'Silva',
  'Okafor',
  'Haddad',
  'Cohen',
  'Ivanova',
];

interface Person {
  /** as written in full: "Dennis W. Wells" */
  name: string;
  surname: string;
}

function personName(rng: Rng): Person {
  const first = chance(rng, 0.8) ? pick(rng, FIRST_NAMES) : inventedWord(rng);
  const r = rng.next();
  const surname =
    r < 0.45
      ? pick(rng, COMMON_SURNAMES)
      : r < 0.55
        ? pick(rng, SURNAMES)
        : r < 0.6
          ? capitalize(pick(rng, CHINESE_SYLLABLES))
          : inventedWord(rng) + (chance(rng, 0.1) ? `-${inventedWord(rng)}` : '');
  const middle = chance(rng, 0.3) ? ` ${String.fromCharCode(65 + rng.int(26))}.` : '';
  const suffix = chance(rng, 0.04) ? pick(rng, [' Jr.', ' III', ', Jr.', ' Sr.']) : '';
  return { name: `${first}${middle} ${surname}${suffix}`, surname };
}

const TITLES = [
  'Chief Executive Officer',
  'President',
  'President and Chief Executive Officer',
  'Chief Financial Officer',
  'General Counsel',
  'Vice President',
  'Senior Vice President, Legal',
  'Managing Director',
  'Director',
  'Secretary',
  'EVP, COO, Corporate Secretary',
  'Chief Operating Officer',
  'Managing Member',
  'Authorized Signatory',
  'Head of Procurement',
];

// ---------------------------------------------------------------------------------------
// Parties and contract kinds

export interface Party {
  name: string;
  kind: 'company' | 'person';
  /** a short name drawn from the company name's words ("Kestrel"), used as its defined term */
  short?: string;
  /** the defined role: "Company", "Employee", "Recipient" */
  role: string;
  description: string;
  address: string[];
  country: Country;
  /** who signs for a company */
  signer?: Person;
  title?: string;
}

interface Kind {
  title: string[];
  /** roles of the first and second party; a role starting with '@' is a person's */
  roles: [string, string];
  /** chance that the second party is a person (when its role allows either) */
  person: number;
}

const KINDS: Kind[] = [
  {
    title: ['EMPLOYMENT AGREEMENT', 'Employment Agreement', 'EXECUTIVE EMPLOYMENT AGREEMENT'],
    roles: ['Company', '@Employee'],
    person: 1,
  },
  {
    title: ['EXECUTIVE AGREEMENT', 'Amended and Restated Employment Agreement'],
    roles: ['Company', '@Executive'],
    person: 1,
  },
  {
    title: ['CONSULTING AGREEMENT', 'Consulting Agreement', 'INDEPENDENT CONTRACTOR AGREEMENT'],
    roles: ['Company', 'Consultant'],
    person: 0.6,
  },
  {
    title: ['NON-DISCLOSURE AGREEMENT', 'Mutual Non-Disclosure Agreement', 'CONFIDENTIALITY AGREEMENT'],
    roles: ['Disclosing Party', 'Receiving Party'],
    person: 0.25,
  },
  {
    title: [
      'EMPLOYEE NON-DISCLOSURE AND INVENTION ASSIGNMENT AGREEMENT',
      'NON-COMPETITION, NON-SOLICITATION AND NON-DISCLOSURE AGREEMENT',
    ],
    roles: ['Company', '@Employee'],
    person: 1,
  },
  { title: ['ADVISORY AGREEMENT', 'Advisor Agreement'], roles: ['Company', 'Advisor'], person: 0.8 },
  { title: ['INDEMNIFICATION AGREEMENT'], roles: ['Company', '@Indemnitee'], person: 1 },
  {
    title: ['SEPARATION AGREEMENT AND GENERAL RELEASE', 'Separation Agreement'],
    roles: ['Company', '@Employee'],
    person: 1,
  },
  {
    title: ['SERVICES AGREEMENT', 'MASTER SERVICES AGREEMENT', 'Supply Agreement'],
    roles: ['Customer', 'Supplier'],
    person: 0,
  },
  { title: ['LICENSE AGREEMENT', 'SOFTWARE LICENSE AGREEMENT'], roles: ['Licensor', 'Licensee'], person: 0.1 },
  { title: ['DISTRIBUTION AGREEMENT', 'Reseller Agreement'], roles: ['Supplier', 'Distributor'], person: 0 },
  { title: ['AGENCY AGREEMENT', 'Sponsorship Agreement'], roles: ['Company', 'Agent'], person: 0.3 },
];

/** Countries whose companies and addresses appear in contracts (mostly the US, as in EDGAR). */
function contractCountry(rng: Rng): Country {
  return countryOf(rng.next() < 0.6 ? 'US' : (pick(rng, COUNTRY_CODES) as CountryCode));
}

const US_STATE_NAMES = [
  'Delaware',
  'Nevada',
  'California',
  'New York',
  'Texas',
  'Ohio',
  'Florida',
  'Washington',
  'Colorado',
  'Massachusetts',
];

function companyDescription(rng: Rng, country: Country): string {
  if (country.code === 'US') {
    const state = pick(rng, US_STATE_NAMES);
    return pick(rng, [
      `a ${state} corporation`,
      `a ${state} limited liability company`,
      `a corporation organized under the laws of the State of ${state}`,
      `a ${state} limited partnership`,
    ]);
  }
  return pick(rng, [
    `a company incorporated under the laws of ${country.name}`,
    `a company organised and existing under the laws of ${country.name}`,
    `a ${country.name === 'USA' ? 'US' : country.name} company`,
  ]);
}

/** A short name from the company's own words (its first word), or none. */
function shortName(name: string): string | undefined {
  const first = name.split(' ')[0].replace(/[,.]$/, '');
  return /^[A-Z][a-z]{3,}$/.test(first) ? first : undefined;
}

function makeParty(rng: Rng, role: string, person: boolean): Party {
  const country = contractCountry(rng);
  const cleanRole = role.replace('@', '');
  if (person) {
    const p = personName(rng);
    return {
      name: p.name,
      kind: 'person',
      role: cleanRole,
      description: pick(rng, [
        'an individual',
        'an individual residing in the State of New York',
        'an individual',
        'a natural person',
      ]),
      address: country.address(rng),
      country,
    };
  }
  const name = companyName(rng, country);
  return {
    name,
    kind: 'company',
    short: chance(rng, 0.35) ? shortName(name) : undefined,
    role: cleanRole,
    description: companyDescription(rng, country),
    address: country.address(rng),
    country,
    signer: personName(rng),
    title: pick(rng, TITLES),
  };
}

// ---------------------------------------------------------------------------------------
// Writing: a builder that lays lines out in one of the layouts

/** Writes the contract's lines; `flat` joins a block's lines with runs of spaces (CUAD). */
class Writer {
  readonly b = new Builder();
  /** how a flattened block joins its lines: runs of spaces, one space (as many EDGAR texts), or either */
  private readonly join: 'wide' | 'single' | 'mixed';
  constructor(
    readonly rng: Rng,
    readonly layout: ContractLayout,
  ) {
    this.join = pick(rng, ['wide', 'wide', 'single', 'mixed'] as const);
  }

  /** Separator between two lines of one block. */
  lineBreak(): string {
    if (this.layout !== 'flat') return '\n';
    if (this.join === 'single' || (this.join === 'mixed' && chance(this.rng, 0.5))) return ' ';
    return ' '.repeat(between(this.rng, 3, 9));
  }

  /** Separator between paragraphs. */
  paragraphBreak(): string {
    if (this.layout !== 'flat') return chance(this.rng, 0.8) ? '\n\n' : '\n';
    return chance(this.rng, 0.85) ? ' '.repeat(between(this.rng, 3, 6)) : '\n\n';
  }

  indent(): string {
    return this.layout === 'flat' ? '' : pick(this.rng, ['', '', '    ', '        ', '\t']);
  }
}

/**
 * Occurrences of a party's name in running text: its full name, or its short name once defined.
 * `endSentence`: a period follows, which an abbreviation at the name's end ("Ltd.") keeps.
 */
function mention(w: Writer, p: Party, endSentence = false): void {
  const name = p.short && chance(w.rng, 0.6) ? p.short : p.name;
  if (!endSentence) {
    w.b.entity(name, 'PARTY');
    return;
  }
  if (name.endsWith('.')) w.b.entity(name, 'PARTY');
  else if (tokenize(`${name}.`).pop()?.text === '.') w.b.entity(name, 'PARTY').text('.');
  else w.b.entity(`${name}.`, 'PARTY');
}

/** The role name as the contract uses it: "the Company", "Employee". */
function roleName(rng: Rng, p: Party): string {
  return p.kind === 'person' || chance(rng, 0.4) ? p.role : `the ${p.role}`;
}

function writeTitle(w: Writer, kind: Kind): void {
  const { rng, b } = w;
  if (chance(rng, 0.3))
    b.text(pick(rng, ['EXHIBIT 10.1', 'Exhibit 10.2', 'CONFIDENTIAL', 'Execution Version', 'EX-10.14'])).text(
      w.paragraphBreak(),
    );
  const centred = w.layout !== 'flat' && chance(rng, 0.5) ? ' '.repeat(between(rng, 8, 30)) : '';
  b.text(centred + pick(rng, kind.title)).text(w.paragraphBreak());
}

function dateText(rng: Rng): string {
  const d = { year: between(rng, 1998, 2024), month: between(rng, 1, 12), day: between(rng, 1, 28) };
  return formatDate(d, pick(rng, ['month-day', 'month-day', 'ordinal', 'numeric', 'day-month'] as const), 'MDY');
}

/** "123 Main Street, Suite 400, Springfield, OH 45502" inside a sentence. */
function inlineAddress(w: Writer, p: Party): void {
  w.b.entity(p.address.map((l) => l.replace(/[,.]$/, '')).join(', '), 'ADDRESS');
}

function partyIntro(w: Writer, p: Party): void {
  const { rng, b } = w;
  const upper = chance(rng, 0.15);
  b.entity(upper ? p.name.toUpperCase() : p.name, 'PARTY');
  b.text(`, ${p.description}`);
  if (chance(rng, p.kind === 'person' ? 0.45 : 0.4)) {
    b.text(
      p.kind === 'person'
        ? pick(rng, [' residing at ', ', whose address is ', ', of '])
        : pick(rng, [
            ', with its principal place of business at ',
            ', having offices at ',
            ', located at ',
            ' whose registered office is at ',
          ]),
    );
    inlineAddress(w, p);
  }
  if (p.kind === 'company' && p.short && chance(rng, 0.7)) {
    // the definition itself: the short name is the party's name, the role is not
    b.text(' ("').entity(p.short, 'PARTY').text(`" or the "${p.role}")`);
  } else {
    b.text(p.kind === 'person' ? ` ("${p.role}")` : ` (the "${p.role}")`);
  }
}

function writePreamble(w: Writer, kind: Kind, a: Party, c: Party): void {
  const { rng, b } = w;
  if (chance(rng, 0.25) && w.layout !== 'flat') {
    // English style: "BETWEEN:" and numbered parties on their own lines
    b.text(`THIS AGREEMENT is dated ${dateText(rng)}`).text(w.paragraphBreak());
    b.text(pick(rng, ['BETWEEN:', 'PARTIES', 'Between'])).text(w.paragraphBreak());
    b.text('(1) ');
    partyIntro(w, a);
    b.text('; and').text(w.paragraphBreak()).text('(2) ');
    partyIntro(w, c);
    b.text('.').text(w.paragraphBreak());
    return;
  }
  b.text(
    `This ${pick(rng, kind.title)
      .replace(/^(\w)(.*)$/, (_, f: string, r: string) => f + r.toLowerCase())
      .replace(/agreement/i, 'Agreement')} (this "Agreement") `,
  );
  b.text(pick(rng, ['is made and entered into as of ', 'is entered into on ', 'dated as of ', 'is made this '])).text(
    dateText(rng),
  );
  b.text(pick(rng, [' (the "Effective Date"), by and between ', ', by and between ', ' between ', ' by and among ']));
  partyIntro(w, a);
  b.text(', and ');
  partyIntro(w, c);
  b.text('.').text(w.paragraphBreak());
}

type Passage = (w: Writer, a: Party, c: Party) => void;

const RECITALS: Passage[] = [
  (w: Writer, a: Party, _c: Party) => {
    w.b.text('WHEREAS, ').text(roleName(w.rng, a)).text(' is engaged in the business of ');
    w.b.text(
      pick(w.rng, [
        'developing software',
        'designing lighting products',
        'providing logistics services',
        'manufacturing medical devices',
        'operating restaurants',
      ]),
    );
    w.b.text('; and');
  },
  (w: Writer, a: Party, c: Party) => {
    w.b.text('WHEREAS, ').text(roleName(w.rng, a)).text(' desires to ');
    w.b.text(c.kind === 'person' ? 'employ ' : 'engage ');
    if (chance(w.rng, 0.5)) mention(w, c);
    else w.b.text(roleName(w.rng, c));
    w.b
      .text(', and ')
      .text(roleName(w.rng, c))
      .text(' desires to accept such engagement, on the terms set forth herein;');
  },
  (w: Writer, a: Party, c: Party) => {
    w.b.text('WHEREAS, in connection with discussions between ');
    mention(w, a);
    w.b.text(' and ');
    mention(w, c);
    w.b.text(', each party may disclose Confidential Information to the other;');
  },
];

const CLAUSES: Passage[] = [
  (w: Writer, _a: Party, _c: Party) => {
    w.b.text('Term. The term of this Agreement shall commence on the Effective Date and continue for a period of ');
    w.b.text(pick(w.rng, ['two (2) years', 'one (1) year', '36 months', 'three (3) years']));
    w.b.text(
      `, unless earlier terminated by either party upon ${pick(w.rng, ['thirty (30)', 'sixty (60)', '90'])} days' written notice.`,
    );
  },
  (w: Writer, a: Party, c: Party) => {
    w.b.text('Compensation. ').text(roleName(w.rng, a)).text(' shall pay ').text(roleName(w.rng, c));
    w.b.text(
      ` a ${pick(w.rng, ['base salary', 'monthly fee', 'retainer'])} of $${between(w.rng, 5, 400)},${digits(w.rng, 3)} ${pick(w.rng, ['per year', 'per month', 'payable in arrears'])}.`,
    );
  },
  (w: Writer, a: Party, c: Party) => {
    w.b.text('Confidentiality. ').text(roleName(w.rng, c));
    w.b.text(' shall hold in strict confidence all Confidential Information of ');
    if (chance(w.rng, 0.4)) mention(w, a);
    else w.b.text(roleName(w.rng, a));
    w.b.text(' and shall not disclose it to any third party without prior written consent.');
  },
  (w: Writer, _a: Party, _c: Party) => {
    w.b.text('Governing Law. This Agreement shall be governed by the laws of the State of ');
    w.b.text(pick(w.rng, US_STATE_NAMES)).text(', without regard to its conflict of laws principles.');
  },
  (w: Writer, a: Party, c: Party) => {
    w.b.text('Assignment. Neither ').text(roleName(w.rng, a)).text(' nor ').text(roleName(w.rng, c));
    w.b.text(' may assign this Agreement without the prior written consent of the other party, except that ');
    mention(w, a);
    w.b.text(' may assign it to an affiliate.');
  },
  (w: Writer, a: Party, c: Party) => {
    w.b.text('Return of Materials. Upon termination, ').text(roleName(w.rng, c));
    w.b.text(' shall promptly return to ').text(roleName(w.rng, a)).text(' all documents and property of ');
    mention(w, a, true);
  },
];

const COUNSEL_WORDS = ['LLP', 'LLP', 'P.C.', 'PLLC', '& Partners LLP'];

/** One party's address block in the notice clause. */
function noticeBlock(w: Writer, p: Party): void {
  const { rng, b } = w;
  const ind = w.indent();
  const caption = pick(rng, [
    `If to ${roleName(rng, p)}:`,
    `If to ${roleName(rng, p)}, to:`,
    `To ${roleName(rng, p)}:`,
    `${p.role}:`,
  ]);
  b.text(ind + caption).text(w.lineBreak());
  if (p.kind === 'person' && chance(rng, 0.2)) {
    b.text(ind);
    b.entity(p.name, 'PARTY');
    b.text(
      pick(rng, [
        ' at the most recent address on file with the Company',
        ' at the address set forth in the records of the Company',
      ]),
    );
    b.text(w.lineBreak());
    return;
  }
  b.text(ind);
  b.entity(chance(rng, 0.2) ? p.name.toUpperCase() : p.name, 'PARTY');
  b.text(w.lineBreak());
  writeAddressLines(w, p.address, ind);
  if (p.kind === 'company' && p.signer && chance(rng, 0.75)) {
    b.text(
      `${ind}${pick(rng, ['Attention:', 'Attn:', 'Attention:', 'ATTN:'])} ${p.signer.name}${chance(rng, 0.5) ? `, ${p.title}` : ''}`,
    ).text(w.lineBreak());
  }
  if (chance(rng, 0.5))
    b.text(
      `${ind}${pick(rng, ['Telephone:', 'Tel:', 'Phone:', 'Facsimile:', 'Fax:'])} (${digits(rng, 3)}) ${digits(rng, 3)}-${digits(rng, 4)}`,
    ).text(w.lineBreak());
  if (chance(rng, 0.35))
    b.text(
      `${ind}${pick(rng, ['Email:', 'E-mail:'])} ${inventedWord(rng).toLowerCase()}@${inventedWord(rng).toLowerCase()}.com`,
    ).text(w.lineBreak());
  if (p.kind === 'company' && chance(rng, 0.3)) {
    b.text(
      `${ind}${pick(rng, ['with a copy (which shall not constitute notice) to:', 'with a copy to:', 'Copy to:'])}`,
    ).text(w.lineBreak());
    const firm = `${inventedWord(rng)} ${pick(rng, ['&', 'and'])} ${inventedWord(rng)} ${pick(rng, COUNSEL_WORDS)}`;
    b.text(ind + firm).text(w.lineBreak());
    writeAddressLines(w, contractCountry(rng).address(rng), ind);
    b.text(`${ind}Attention: ${personName(rng).name}, Esq.`).text(w.lineBreak());
  }
}

function writeAddressLines(w: Writer, lines: string[], ind: string): void {
  const { b } = w;
  b.text(ind);
  // the address is one span over its lines, with the separators of the layout between them
  const parts: string[] = [];
  for (let i = 0; i < lines.length; i++) parts.push(i === 0 ? lines[i] : `${w.lineBreak()}${ind}${lines[i]}`);
  b.entity(parts.join(''), 'ADDRESS');
  b.text(w.lineBreak());
}

function writeNotices(w: Writer, a: Party, c: Party, section: number): void {
  const { rng, b } = w;
  b.text(`${section}. ${pick(rng, ['Notices.', 'Notice.', 'NOTICES.'])} `);
  b.text(
    pick(rng, [
      'All notices and other communications hereunder shall be in writing and shall be deemed given when delivered personally or by overnight courier to the parties at the following addresses:',
      'Any notice required or permitted under this Agreement shall be in writing and addressed as follows:',
      'Notices shall be sent to the addresses below, or to such other address as a party may designate by notice:',
    ]),
  );
  b.text(w.paragraphBreak());
  noticeBlock(w, a);
  b.text(w.paragraphBreak());
  noticeBlock(w, c);
  b.text(w.paragraphBreak());
}

/** The lines one party's signature takes, each [text, label?] parts. */
function signatureLines(rng: Rng, p: Party): Array<Array<[string, string?]>> {
  const lines: Array<Array<[string, string?]>> = [];
  const caps = chance(rng, 0.6);
  if (chance(rng, 0.45))
    lines.push([
      [
        pick(rng, [
          `${p.role.toUpperCase()}:`,
          `"${p.role.toUpperCase()}"`,
          `${p.role}`,
          `THE ${p.role.toUpperCase()}`,
        ]),
      ],
    ]);
  if (p.kind === 'company' && p.signer) {
    lines.push([[caps ? p.name.toUpperCase() : p.name, 'PARTY']]);
    const signed = chance(rng, 0.6);
    lines.push([[pick(rng, ['By: ', 'By:  ', 'By ']) + (signed ? `/s/ ${p.signer.name}` : '_______________________')]]);
    lines.push([[`${chance(rng, 0.8) ? 'Name: ' : ''}${p.signer.name}`]]);
    lines.push([[`${chance(rng, 0.85) ? 'Title: ' : ''}${p.title}`]]);
  } else {
    if (chance(rng, 0.5)) lines.push([['/s/ '], [p.name, 'PARTY']]);
    else lines.push([['_______________________']]);
    lines.push(chance(rng, 0.6) ? [[caps ? p.name.toUpperCase() : p.name, 'PARTY']] : [['Name: '], [p.name, 'PARTY']]);
  }
  if (chance(rng, 0.3)) lines.push([[`Date: ${chance(rng, 0.5) ? dateText(rng) : '__________'}`]]);
  return lines;
}

function writeLine(w: Writer, parts: Array<[string, string?]>): void {
  for (const [text, label] of parts) {
    if (label) w.b.entity(text, label);
    else w.b.text(text);
  }
}

function writeSignatures(w: Writer, a: Party, c: Party): void {
  const { rng, b } = w;
  b.text(
    pick(rng, [
      'IN WITNESS WHEREOF, the parties have executed this Agreement as of the date first written above.',
      'IN WITNESS WHEREOF, the parties hereto have caused this Agreement to be executed by their duly authorized representatives.',
      'Agreed and accepted:',
    ]),
  );
  b.text(w.paragraphBreak());
  const left = signatureLines(rng, a);
  const right = signatureLines(rng, c);
  if (w.layout === 'columns') {
    // side by side, as PDF text keeps two signature columns on the same lines
    const width = between(rng, 42, 60);
    const rows = Math.max(left.length, right.length);
    for (let i = 0; i < rows; i++) {
      const l = left[i] ?? [['']];
      const r = right[i] ?? [['']];
      writeLine(w, l);
      const used = l.reduce((n, [t]) => n + t.length, 0);
      b.text(' '.repeat(Math.max(3, width - used)));
      writeLine(w, r);
      b.text('\n');
    }
    return;
  }
  for (const block of [left, right]) {
    for (const line of block) {
      b.text(w.indent());
      writeLine(w, line);
      b.text(w.lineBreak());
    }
    b.text(w.paragraphBreak());
  }
}

/**
 * Wraps lines longer than `width` at their last space before it, as text taken from a PDF comes:
 * a space becomes a line break, so every offset stays where it was.
 */
export function wrapLines(text: string, width: number): string {
  const chars = text.split('');
  let lineStart = 0;
  let lastSpace = -1;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '\n') {
      lineStart = i + 1;
      lastSpace = -1;
      continue;
    }
    if (c === ' ' && i > lineStart && chars[i - 1] !== ' ' && chars[i + 1] !== ' ') lastSpace = i;
    if (i - lineStart >= width && lastSpace > lineStart) {
      chars[lastSpace] = '\n';
      lineStart = lastSpace + 1;
      lastSpace = -1;
    }
  }
  return chars.join('');
}

// ---------------------------------------------------------------------------------------
// Entry points

const LAYOUT_DRAW: readonly ContractLayout[] = [
  ...Array(10).fill('lines'),
  ...Array(7).fill('flat'),
  ...Array(3).fill('columns'),
];

/** A seed for document `index` of a run seeded with `seed` (documents are independent). */
function documentSeed(seed: number, index: number): number {
  let h = (Math.imul(seed >>> 0, 0x2c1b3c6d) ^ Math.imul(index + 1, 0x297a2d39)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}

export function generateContractRecord(seed: number, index = 0, options: ContractOptions = {}): ContractRecord {
  const rng = new Rng(documentSeed(seed, index));
  const layout = options.layouts && options.layouts.length > 0 ? pick(rng, options.layouts) : pick(rng, LAYOUT_DRAW);
  const kind = pick(rng, KINDS);
  const [roleA, roleB] = kind.roles;
  const a = makeParty(rng, roleA, roleA.startsWith('@'));
  const c = makeParty(rng, roleB, roleB.startsWith('@') || chance(rng, kind.person));
  const w = new Writer(rng, layout);
  writeTitle(w, kind);
  writePreamble(w, kind, a, c);
  for (const recital of RECITALS)
    if (chance(rng, 0.5)) {
      recital(w, a, c);
      w.b.text(w.paragraphBreak());
    }
  let section = 1;
  const clauses = rng.shuffle([...CLAUSES]).filter(() => chance(rng, 0.5));
  for (const clause of clauses) {
    w.b.text(`${section++}. `);
    clause(w, a, c);
    w.b.text(w.paragraphBreak());
  }
  if (chance(rng, 0.85)) writeNotices(w, a, c, section++);
  if (chance(rng, 0.85)) writeSignatures(w, a, c);
  let text = w.b.value.replace(/\s+$/, '\n');
  // PDF text wraps its paragraphs: a name or an address may then run over a wrapped line
  if (layout !== 'flat' && chance(rng, 0.6)) text = wrapLines(text, between(rng, 60, 130));
  const document: AnnotatedDocument = {
    id: `synthetic-contract:${seed}:${index}`,
    text,
    spans: w.b.spans,
    source: 'synthetic-contracts',
    split: options.split ?? 'train',
    complete: [...CONTRACT_LABELS],
  };
  checkDocument(document);
  return { document, layout, kind: kind.title[0], parties: [a, c] };
}

export function generateContract(seed: number, index = 0, options: ContractOptions = {}): AnnotatedDocument {
  return generateContractRecord(seed, index, options).document;
}

/** `count` documents of the run seeded with `seed`. */
export function generateContracts(count: number, seed: number, options: ContractOptions = {}): AnnotatedDocument[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  return Array.from({ length: count }, (_, i) => generateContract(seed, i, options));
}
