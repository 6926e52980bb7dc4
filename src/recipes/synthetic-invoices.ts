// Seeded generator of invoice-like documents with complete gold annotations.
//
// No public source labels invoices the way the tagger needs (every amount, VAT rate, IBAN,
// invoice number...), so this writes them: invented sellers and buyers in several countries,
// dates in many formats, line items, net / VAT / total in each country's currency style,
// payment terms, bank details with valid IBAN check digits. Because the generator knows
// everything it wrote, each document's spans are GOLD and `complete: 'all'`: every mention of
// PARTY, ADDRESS, DATE, AMOUNT, PERCENT, DURATION, IBAN, BIC, INVOICE_ID and TAX_ID is
// labelled, and nothing else in the text belongs to any label (no account numbers or
// governing-law clauses are written, since those labels are not produced here).
//
// Span conventions are the rules' (src/model/rules): amounts include a currency written on
// the same line (`1.234,56 €`, `RM9.00`), receipt amounts without one are the number alone;
// percent `19%` / `19 %`; durations `30 days` / `thirty (30) days`; identifiers without
// their label; a company name includes its legal form (`Kestrel Foods Ltd.`); an address
// spans all its lines (as in SROIE).
//
// Layouts: OCR receipts (one field per line, mostly upper case, value under its label; most
// of them Malaysian or Singaporean shops), OCR-like invoices (one field per line, mixed case)
// and prose (a letter or e-mail describing the invoice).
//
// Names and addresses vary so that a network has to learn their shape and place rather than
// their words: name words are mostly built from syllables (an open vocabulary), shops and
// companies have many trades, sellers come with or without a legal form (receipts: about
// half), and streets, areas and towns are generated per country (Malaysia: `No. 12-1, Jalan
// <word> 3/2, Taman <word>, 81100 <town>, Johor Darul Takzim`, laid out over one to four
// lines with or without commas). A receipt may carry a registration number line
// (`(123456-K)`) between the name and the address. Company and street names are invented (no
// real company or address); a few real town and state names are used as places.
import { type AnnotatedDocument, ibanCheckDigits, Rng, type Span, tokenize } from '../model';

/** Labels this generator annotates (completely). */
export const INVOICE_LABELS = [
  'PARTY',
  'ADDRESS',
  'DATE',
  'AMOUNT',
  'PERCENT',
  'DURATION',
  'IBAN',
  'BIC',
  'INVOICE_ID',
  'TAX_ID',
] as const;

export type InvoiceLayout = 'receipt' | 'invoice' | 'prose';

export interface InvoiceOptions {
  /** Layouts to draw from (uniformly). Default: all three. */
  layouts?: readonly InvoiceLayout[];
  /** Country codes to draw from. Default: all of COUNTRY_CODES. */
  countries?: readonly CountryCode[];
  /** Value of each document's `split`. Default 'train'. */
  split?: string;
}

/** An entity as the generator wrote it. */
export interface WrittenEntity {
  label: string;
  text: string;
}

/** A generated document plus what was written into it, in writing order (for checks). */
export interface InvoiceRecord {
  document: AnnotatedDocument;
  layout: InvoiceLayout;
  country: CountryCode;
  entities: WrittenEntity[];
}

// ---------------------------------------------------------------------------------------
// Text builder: appends text and records spans at exact offsets.

export class Builder {
  private readonly parts: string[] = [];
  private length = 0;
  readonly spans: Span[] = [];
  /** What each entity() call wrote, in order (to check offsets against). */
  readonly written: WrittenEntity[] = [];

  text(s: string): this {
    this.parts.push(s);
    this.length += s.length;
    return this;
  }

  entity(s: string, label: string): this {
    if (s.length === 0) return this;
    this.spans.push({ start: this.length, end: this.length + s.length, label });
    this.written.push({ label, text: s });
    return this.text(s);
  }

  line(s = ''): this {
    return this.text(s + '\n');
  }

  /** An entity on a line of its own. */
  entityLine(s: string, label: string): this {
    return this.entity(s, label).text('\n');
  }

  get value(): string {
    return this.parts.join('');
  }
}

// ---------------------------------------------------------------------------------------
// Random helpers

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.int(items.length)];
}

export function chance(rng: Rng, p: number): boolean {
  return rng.next() < p;
}

export function digits(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(rng.int(10));
  return s;
}

export function letters(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(65 + rng.int(26));
  return s;
}

export function between(rng: Rng, lo: number, hi: number): number {
  return lo + rng.int(hi - lo + 1);
}

// ---------------------------------------------------------------------------------------
// Numbers, money, dates

type NumberStyle = 'en' | 'de' | 'fr' | 'ch';

/** `cents` formatted with two decimals in a locale style: 1,234.56 / 1.234,56 / 1 234,56 / 1'234.56. */
export function formatNumber(cents: number, style: NumberStyle, group = true): string {
  const negative = cents < 0;
  const abs = Math.abs(Math.round(cents));
  const whole = String(Math.floor(abs / 100));
  const frac = String(abs % 100).padStart(2, '0');
  const sep = { en: ',', de: '.', fr: ' ', ch: "'" }[style];
  const dec = style === 'de' || style === 'fr' ? ',' : '.';
  const grouped = group ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, sep) : whole;
  return `${negative ? '-' : ''}${grouped}${dec}${frac}`;
}

/** How a country writes money: `before` + number + `after`. */
interface MoneyStyle {
  before: string;
  after: string;
  number: NumberStyle;
}

const UNITS_WORDS = [
  '',
  'One',
  'Two',
  'Three',
  'Four',
  'Five',
  'Six',
  'Seven',
  'Eight',
  'Nine',
  'Ten',
  'Eleven',
  'Twelve',
  'Thirteen',
  'Fourteen',
  'Fifteen',
  'Sixteen',
  'Seventeen',
  'Eighteen',
  'Nineteen',
];
const TENS_WORDS = ['', '', 'Twenty', 'Thirty', 'Forty', 'Fifty', 'Sixty', 'Seventy', 'Eighty', 'Ninety'];

function below1000(n: number): string {
  const words: string[] = [];
  if (n >= 100) {
    words.push(UNITS_WORDS[Math.floor(n / 100)], 'Hundred');
    n %= 100;
  }
  if (n >= 20) {
    words.push(TENS_WORDS[Math.floor(n / 10)] + (n % 10 ? '-' + UNITS_WORDS[n % 10] : ''));
  } else if (n > 0) {
    words.push(UNITS_WORDS[n]);
  }
  return words.join(' ');
}

/** An integer below one million in words: `One Thousand Two Hundred Fifty`. */
export function numberToWords(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n >= 1_000_000) throw new RangeError(`numberToWords: ${n}`);
  const thousands = Math.floor(n / 1000);
  const rest = n % 1000;
  const parts: string[] = [];
  if (thousands) parts.push(below1000(thousands), 'Thousand');
  if (rest) parts.push(below1000(rest));
  return parts.join(' ');
}

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

function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

export type DateFormat = 'numeric' | 'iso' | 'dotted' | 'day-month' | 'month-day' | 'dashed' | 'ordinal';

export interface Day {
  year: number;
  month: number; // 1-12
  day: number;
}

export function addDays(d: Day, days: number): Day {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

export function formatDate(d: Day, format: DateFormat, order: 'DMY' | 'MDY', upper = false): string {
  const dd = String(d.day).padStart(2, '0');
  const mm = String(d.month).padStart(2, '0');
  const month = MONTHS[d.month - 1];
  let s: string;
  switch (format) {
    case 'numeric':
      s = order === 'MDY' ? `${mm}/${dd}/${d.year}` : `${dd}/${mm}/${d.year}`;
      break;
    case 'iso':
      s = `${d.year}-${mm}-${dd}`;
      break;
    case 'dotted':
      s = `${dd}.${mm}.${d.year}`;
      break;
    case 'day-month':
      s = `${d.day} ${month} ${d.year}`;
      break;
    case 'month-day':
      s = `${month} ${d.day}, ${d.year}`;
      break;
    case 'dashed':
      s = `${dd}-${month.slice(0, 3)}-${d.year}`;
      break;
    case 'ordinal':
      s = order === 'MDY' ? `${month} ${ordinal(d.day)}, ${d.year}` : `${ordinal(d.day)} ${month} ${d.year}`;
      break;
  }
  return upper ? s.toUpperCase() : s;
}

// ---------------------------------------------------------------------------------------
// Countries: invented names, streets and cities; real formats.

export const COUNTRY_CODES = ['US', 'DE', 'FR', 'GB', 'CH', 'NL', 'MY', 'SG'] as const;
export type CountryCode = (typeof COUNTRY_CODES)[number];

export interface Country {
  code: CountryCode;
  name: string;
  legalForms: readonly string[];
  address(rng: Rng): string[];
  money: readonly MoneyStyle[];
  dateOrder: 'DMY' | 'MDY';
  dateFormats: readonly DateFormat[];
  taxName: string;
  taxRates: readonly number[];
  taxLabels: readonly string[];
  taxId(rng: Rng): string;
  /** BBAN generator; absent = no IBAN (domestic account numbers are never written). */
  bban?: (rng: Rng) => string;
}

// Names: an open vocabulary. Words are built from syllables (so the network cannot learn the
// names by heart and has to read their shape and place), mixed with a few fixed word lists.

const NAME_WORDS = [
  'Brightwater',
  'Kestrel',
  'Larkspur',
  'Meridale',
  'Tannfeld',
  'Solenne',
  'Harrowgate',
  'Quillon',
  'Ambergate',
  'Nordvik',
  'Corvane',
  'Elmstead',
  'Fennick',
  'Glenmora',
  'Halvard',
  'Ironbark',
  'Juniper Hill',
  'Kalmora',
  'Lindqvist',
  'Marrow & Finch',
  'Oakhurst',
  'Pellworth',
  'Redcliffe',
  'Silverbirch',
  'Thornbury',
  'Umberfield',
  'Valdoro',
  'Westerlund',
  'Yarrowby',
  'Zephyrine',
  'Bluefinch',
  'Copperleaf',
  'Driftwood',
  'Everhart',
  'Foxglove',
  'Greystone',
  'Hollowell',
];
/** Trades of companies that send invoices. */
const NAME_TRADES = [
  'Consulting',
  'Logistics',
  'Trading',
  'Systems',
  'Foods',
  'Print Works',
  'Engineering',
  'Software',
  'Hardware',
  'Design Studio',
  'Supplies',
  'Textiles',
  'Electronics',
  'Catering',
  'Media',
  'Office Solutions',
  'Analytics',
  'Building Services',
  'Packaging',
  'Translations',
  'Holdings',
  'Industries',
  'Manufacturing',
  'Marketing',
  'Services',
  'Resources',
  'Ventures',
  'Group',
  'Partners',
  'Associates',
  'Solutions',
  'Technologies',
  'International',
  'Construction',
  'Agency',
  'Distribution',
  'Laboratories',
  'Pharma',
  'Motors',
  'Interiors',
  'Security',
  'Facilities',
  'Energy',
  'Freight',
  'Publishing',
  'Imports',
  'Cleaning',
  'Architects',
  'Medical',
  'Robotics',
  'Networks',
  'Studios',
];
/** Trades of shops and restaurants that print receipts. */
export const SHOP_TRADES = [
  'Mini Market',
  'Supermarket',
  'Hypermarket',
  'Mart',
  'Minimart',
  'Restaurant',
  'Cafe',
  'Bakery',
  'Bakery & Cafe',
  'Hardware',
  'Hardware & Electrical',
  'Stationery & Books',
  'Book Store',
  'Bookshop',
  'Enterprise',
  'Enterprises',
  'Trading',
  'Trading Co.',
  'Electrical',
  'Auto Parts',
  'Motor',
  'Motors',
  'Tyre & Battery',
  'Furniture',
  'Pharmacy',
  'Medical Hall',
  'Clinic',
  'Optical',
  'Photo Studio',
  'Printing',
  'Gift Shop',
  'Florist',
  'Seafood Restaurant',
  'Steamboat',
  'Noodle House',
  'Kopitiam',
  'Food Court',
  'Confectionery',
  'Fruits',
  'Frozen Food',
  'Textile',
  'Tailor',
  'Boutique',
  'Hair Salon',
  'Laundry',
  'Car Wash',
  'Aquarium',
  'Pet Shop',
  'Sports',
  'Mobile',
  'Computer',
  'Electronics',
  'Home Deco',
  'Lighting',
  'Plumbing',
  'Glass & Aluminium',
  'Building Materials',
  'Paint',
  'Marketing',
  'Services',
  'Resources',
  'Holdings',
  'Food Industries',
  'Beverages',
  'Catering',
  'Travel & Tours',
  'Agency',
  'Store',
  'Stores',
  'Emporium',
  'Gallery',
  'Centre',
  'Kitchen',
  'Grill',
  'Bistro',
  'Tea House',
  'Coffee House',
  'Dim Sum',
  'Curry House',
  'Bar & Grill',
  'Deli',
  'Grocer',
  'Grocery',
  'Butchery',
  'Fish Market',
  'Herbs',
  'Chinese Medical Hall',
  'Engineering',
  'Machinery',
  'Industrial Supply',
  'Packaging',
  'Cosmetics',
  'Fashion',
  'Toys',
  'Bicycle',
  'Music',
  'Watch & Jewellery',
  'Jewellers',
  'Mattress',
  'Kitchenware',
  'Ceramics',
  'Agriculture',
  'Nursery',
  'Garden Centre',
  'Recycling',
  'Copy Centre',
  'Signage',
  'Trading & Services',
];
/** Malay words that open shop names ("Kedai Runcit ...", "Restoran ..."). */
const MY_SHOP_PREFIXES = [
  'Kedai Runcit',
  'Restoran',
  'Kedai Makan',
  'Perniagaan',
  'Syarikat',
  'Kedai Ubat',
  'Farmasi',
  'Kedai Perabot',
  'Pasar Mini',
  'Kedai Buku',
];
/** Malay vocabulary common in names of places and businesses. */
export const MALAY_WORDS = [
  'Jaya',
  'Maju',
  'Sinar',
  'Bintang',
  'Mutiara',
  'Cahaya',
  'Sejahtera',
  'Mewah',
  'Indah',
  'Makmur',
  'Permai',
  'Sentosa',
  'Harmoni',
  'Bahagia',
  'Murni',
  'Damai',
  'Berjaya',
  'Gemilang',
  'Setia',
  'Bestari',
  'Ria',
  'Suria',
  'Pelangi',
  'Impian',
  'Bayu',
  'Delima',
  'Kenanga',
  'Melati',
  'Anggerik',
  'Seri',
  'Melur',
  'Cempaka',
  'Angsana',
  'Seroja',
  'Teratai',
  'Mawar',
  'Dahlia',
  'Kemuning',
  'Meranti',
  'Cengal',
  'Merbau',
  'Jati',
  'Rimba',
  'Bukit',
  'Sungai',
  'Tasik',
  'Padang',
  'Pantai',
  'Muara',
  'Baru',
  'Lama',
  'Utama',
  'Tengah',
  'Timur',
  'Barat',
  'Utara',
  'Selatan',
  'Mas',
  'Emas',
  'Perdana',
  'Wawasan',
  'Harapan',
  'Sejati',
  'Mulia',
  'Aman',
  'Bunga',
  'Kelapa',
  'Pinang',
  'Durian',
  'Rambutan',
  'Manggis',
  'Nangka',
  'Pandan',
  'Kasturi',
  'Kiambang',
  'Puteri',
  'Perkasa',
  'Tunku',
  'Dato',
  'Raja',
  'Laksamana',
];
/** Romanised Chinese syllables common in Malaysian and Singaporean shop names ("Seng Heng"). */
export const CHINESE_SYLLABLES = [
  'Seng',
  'Hock',
  'Heng',
  'Kee',
  'Wah',
  'Leong',
  'Soon',
  'Huat',
  'Choon',
  'Teck',
  'Guan',
  'Kim',
  'Yew',
  'Lian',
  'Fatt',
  'Meng',
  'Chuan',
  'Hin',
  'Hup',
  'Loong',
  'Siang',
  'Tong',
  'Weng',
  'Yuen',
  'Cheong',
  'Khoon',
  'Boon',
  'Poh',
  'Aik',
  'Ann',
  'Hoe',
  'Sin',
  'Tat',
  'Fong',
  'Lee',
  'Ming',
  'Chye',
  'Keat',
  'Lai',
  'Shun',
  'Thye',
  'Wing',
  'Yong',
  'Chong',
  'Hong',
  'Kwong',
  'Nam',
  'Onn',
  'Sang',
];

const ONSETS = [
  'b',
  'br',
  'c',
  'ch',
  'd',
  'dr',
  'f',
  'g',
  'gr',
  'h',
  'j',
  'k',
  'kl',
  'l',
  'm',
  'n',
  'p',
  'pr',
  'r',
  's',
  'sh',
  'st',
  't',
  'tr',
  'v',
  'w',
  'y',
  'z',
  'qu',
  'bl',
  'fl',
  'sk',
  '',
];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'a', 'e', 'o', 'ai', 'ea', 'ou', 'ee', 'oo', 'ia', 'y'];
const CODAS = ['', '', '', 'n', 'r', 'l', 'm', 's', 'ng', 't', 'k', 'rd', 'nd', 'x', 'ck', 'st', 'll', 'th'];
const ENDINGS = [
  '',
  '',
  '',
  'a',
  'o',
  'ia',
  'ton',
  'ford',
  'ley',
  'well',
  'son',
  'ex',
  'ix',
  'ra',
  'den',
  'ham',
  'vale',
  'ine',
];

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** An invented, pronounceable word of 1-3 syllables: "Bravenley", "Torquix", "Shalden". */
export function inventedWord(rng: Rng): string {
  let s = '';
  const syllables = pick(rng, [1, 2, 2, 2, 3]);
  for (let i = 0; i < syllables; i++)
    s += pick(rng, ONSETS) + pick(rng, VOWELS) + (i === syllables - 1 || chance(rng, 0.25) ? pick(rng, CODAS) : '');
  if (syllables < 3 && chance(rng, 0.4)) s += pick(rng, ENDINGS);
  if (s.length < 3) s += pick(rng, ['ton', 'ra', 'mex', 'dor']);
  return capitalize(s);
}

/** Flavour of the invented words a country's names are made of. */
type NameFlavour = 'western' | 'malaysian';

/**
 * Common English words businesses take as names, alone or in pairs ("Golden Key", "Health and
 * Beauty", "Cash & Carry"): words a reader knows, where the invented ones are words nobody does.
 */
const ENGLISH_NAME_WORDS = [
  'Golden',
  'Royal',
  'Fresh',
  'Happy',
  'Star',
  'Super',
  'Prime',
  'Green',
  'Sunrise',
  'Ocean',
  'Lucky',
  'Guardian',
  'Health',
  'Beauty',
  'Home',
  'Family',
  'City',
  'Express',
  'Global',
  'United',
  'Eagle',
  'Lion',
  'Phoenix',
  'Dragon',
  'Crown',
  'Diamond',
  'Silver',
  'Rainbow',
  'Harmony',
  'Victory',
  'Unique',
  'Smart',
  'Perfect',
  'Grand',
  'Classic',
  'Modern',
  'Quality',
  'Cash',
  'Carry',
  'Circle',
  'Key',
  'Maker',
  'Kitchen',
  'Corner',
  'Garden',
  'Valley',
  'Pacific',
  'Everest',
  'Summit',
  'Delight',
  'Good',
  'Best',
  'Bright',
  'New',
  'Sun',
  'Moon',
  'Tiger',
  'Panda',
  'Kings',
];

function englishName(rng: Rng): string {
  const first = pick(rng, ENGLISH_NAME_WORDS);
  if (chance(rng, 0.5)) return first;
  return `${first}${pick(rng, [' ', ' ', ' and ', ' & ', ' N '])}${pick(rng, ENGLISH_NAME_WORDS)}`;
}

/** A number at the head of a name: "99 Speed Mart", "One One Three Seafood", "3K Hardware". */
function numberWord(rng: Rng): string {
  switch (rng.int(4)) {
    case 0:
      return String(between(rng, 1, 999));
    case 1:
      return `${between(rng, 1, 9)}${letters(rng, 1)}`;
    case 2:
      return numberToWords(between(rng, 1, 12));
    default:
      return `${numberToWords(between(rng, 1, 9))} ${numberToWords(between(rng, 1, 9))}`;
  }
}

/** One word of a name: invented, Malay, Chinese syllables, English words or a fixed name word. */
function nameWord(rng: Rng, flavour: NameFlavour): string {
  if (chance(rng, 0.05)) return `${numberWord(rng)} ${chance(rng, 0.5) ? englishName(rng) : inventedWord(rng)}`;
  if (chance(rng, 0.12)) return englishName(rng);
  const r = rng.next();
  if (flavour === 'malaysian') {
    // initials: "S.H.H. Motor", "GL Handicraft", "Mr. D.I.Y."
    if (chance(rng, 0.08)) {
      const initials = letters(rng, between(rng, 1, 3));
      return pick(rng, [initials, initials.split('').join('.') + '.', `Mr. ${initials.split('').join('.')}.`]);
    }
    if (r < 0.35) return `${pick(rng, CHINESE_SYLLABLES)} ${pick(rng, CHINESE_SYLLABLES)}`;
    if (r < 0.6) return pick(rng, MALAY_WORDS) + (chance(rng, 0.5) ? ` ${pick(rng, MALAY_WORDS)}` : '');
    if (r < 0.92) return inventedWord(rng) + (chance(rng, 0.4) ? ` ${inventedWord(rng)}` : '');
    return pick(rng, NAME_WORDS);
  }
  if (r < 0.6) return inventedWord(rng) + (chance(rng, 0.25) ? ` ${pick(rng, ['&', 'and'])} ${inventedWord(rng)}` : '');
  if (r < 0.75)
    return `${inventedWord(rng)} ${pick(rng, ['Hill', 'Bay', 'Park', 'Bridge', 'Valley', 'Star', 'Oak', 'River', 'Point', 'Stone', 'Field', 'Green'])}`;
  return pick(rng, NAME_WORDS);
}

function flavourOf(country: Country): NameFlavour {
  return country.code === 'MY' || country.code === 'SG' ? 'malaysian' : 'western';
}

/**
 * A seller's or buyer's name. `shop`: a shop or restaurant (receipts), which often has no legal
 * form; otherwise a company sending invoices, which mostly has one. The legal form, if any, is
 * part of the name (the PARTY span convention).
 */
export function companyName(rng: Rng, country: Country, shop = false): string {
  const flavour = flavourOf(country);
  const trades = shop ? SHOP_TRADES : NAME_TRADES;
  let base: string;
  const r = rng.next();
  if (flavour === 'malaysian' && shop && r < 0.12) base = `${pick(rng, MY_SHOP_PREFIXES)} ${nameWord(rng, flavour)}`;
  else if (r < 0.8) base = `${nameWord(rng, flavour)} ${pick(rng, trades)}`;
  else if (r < 0.9) base = `${inventedWord(rng)} ${pick(rng, trades)}`;
  else base = nameWord(rng, flavour);
  // a Malaysian company may name its place in brackets: "Mr. D.I.Y. (Kuchai) Sdn Bhd"
  if (flavour === 'malaysian' && chance(rng, 0.1))
    base += ` (${chance(rng, 0.5) ? pick(rng, MY_TOWNS) : malayName(rng, between(rng, 1, 2))})`;
  if (chance(rng, shop ? 0.5 : 0.85)) return `${base} ${pick(rng, country.legalForms)}`;
  return base;
}

// Addresses: every part generated (numbers, invented street and place names), then laid out
// over one to four lines with or without commas.

/** Joins address parts into 1-`maxLines` lines: parts on a line are joined by ", " or " ". */
function layoutAddress(rng: Rng, parts: string[], maxLines = 4): string[] {
  const lineCount = Math.min(parts.length, pick(rng, [1, 2, 2, 2, 3, 3, 3, 3, 4, 4]), maxLines);
  // choose lineCount - 1 distinct break positions among the parts.length - 1 gaps
  const gaps = Array.from({ length: parts.length - 1 }, (_, i) => i + 1);
  const breaks = new Set<number>();
  while (breaks.size < lineCount - 1) breaks.add(gaps.splice(rng.int(gaps.length), 1)[0]);
  const comma = chance(rng, 0.75);
  const lineEnd = chance(rng, 0.6) ? pick(rng, [',', ',', ',', '.']) : '';
  const lines: string[] = [];
  let current = parts[0];
  for (let i = 1; i < parts.length; i++) {
    if (breaks.has(i)) {
      lines.push(current + lineEnd);
      current = parts[i];
    } else current += (comma ? ', ' : ' ') + parts[i];
  }
  lines.push(current + (chance(rng, 0.35) ? '.' : chance(rng, 0.05) ? ',' : ''));
  return lines;
}

const MY_STREET_WORDS = [
  'Jalan',
  'Jalan',
  'Jalan',
  'Jalan',
  'Jln',
  'Jln.',
  'Lorong',
  'Persiaran',
  'Lebuh',
  'Lebuhraya',
  'Lingkaran',
  'Jalan Besar',
];
const MY_SECTION_CODES = ['SS', 'PJU', 'USJ', 'BP', 'TU', 'SD', 'KU', 'PJS', 'TSB', 'BK', 'SP', 'TPK', 'U', 'PU'];
const MY_AREA_WORDS = [
  'Taman',
  'Taman',
  'Taman',
  'Bandar',
  'Bandar Baru',
  'Kampung',
  'Kg.',
  'Desa',
  'Pusat Perniagaan',
  'Taman Perindustrian',
  'Kawasan Perindustrian',
  'Pangsapuri',
  'Medan',
  'Dataran',
  'Pekan',
];
/** Buildings: Malay words come before the name (`Wisma Bayu`), English ones after (`Bayu Mall`). */
const MY_BUILDINGS_BEFORE = ['Plaza', 'Kompleks', 'Wisma', 'Menara', 'Pusat Komersial', 'Bangunan'];
const MY_BUILDINGS_AFTER = [
  'Complex',
  'Square',
  'Mall',
  'Point',
  'Galleria',
  'Avenue',
  'Business Centre',
  'Arcade',
  'Plaza',
  'City',
];
/** States with their postcode ranges and their full (honorific) names. */
const MY_STATES: ReadonlyArray<[string, string, number, number]> = [
  ['Selangor', 'Selangor Darul Ehsan', 40000, 48300],
  ['Johor', 'Johor Darul Takzim', 79000, 86900],
  ['Kuala Lumpur', 'Wilayah Persekutuan Kuala Lumpur', 50000, 60000],
  ['Perak', 'Perak Darul Ridzuan', 30000, 36810],
  ['Pulau Pinang', 'Pulau Pinang', 10000, 14400],
  ['Negeri Sembilan', 'Negeri Sembilan Darul Khusus', 70000, 73509],
  ['Melaka', 'Melaka', 75000, 78309],
  ['Pahang', 'Pahang Darul Makmur', 25000, 28800],
  ['Kedah', 'Kedah Darul Aman', 5000, 9810],
  ['Kelantan', 'Kelantan Darul Naim', 15000, 18500],
  ['Terengganu', 'Terengganu Darul Iman', 20000, 24300],
  ['Sabah', 'Sabah', 88000, 91309],
  ['Sarawak', 'Sarawak', 93000, 98859],
  ['Perlis', 'Perlis Indera Kayangan', 1000, 2800],
];
/** Towns (a few real ones; most town names are generated). */
const MY_TOWNS = [
  'Johor Bahru',
  'Shah Alam',
  'Kuala Lumpur',
  'Ipoh',
  'Petaling Jaya',
  'Klang',
  'Seremban',
  'Kajang',
  'Kuantan',
  'Alor Setar',
  'Kota Bharu',
  'Batu Pahat',
  'Muar',
  'Cheras',
  'Puchong',
  'Rawang',
  'Seri Kembangan',
  'Skudai',
  'Kluang',
  'Taiping',
  'Georgetown',
  'Butterworth',
  'Kota Kinabalu',
  'Kuching',
  'Sibu',
  'Miri',
  'Subang Jaya',
  'Ampang',
  'Bangi',
  'Semenyih',
];

function malayName(rng: Rng, words = between(rng, 1, 2)): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(chance(rng, 0.7) ? pick(rng, MALAY_WORDS) : inventedWord(rng));
  return out.join(' ');
}

function myUnit(rng: Rng): string {
  const n = between(rng, 1, 250);
  switch (rng.int(10)) {
    case 0:
      return `Lot ${n}${chance(rng, 0.3) ? pick(rng, ['A', 'B', 'C']) : ''}`;
    case 1:
      return `Lot ${pick(rng, ['G', 'F', 'L1', 'LG', '1'])}-${String(between(rng, 1, 60)).padStart(2, '0')}`;
    case 2:
      return `${pick(rng, ['G', 'A', 'B', 'C', 'D'])}-${String(between(rng, 1, 40)).padStart(2, '0')}`;
    case 3:
      return `No. ${n}-${between(rng, 1, 5)}`;
    case 4:
      return `No.${n}${chance(rng, 0.3) ? pick(rng, ['A', 'B']) : ''}`;
    case 5:
      return `${pick(rng, ['A', 'B', 'C'])}-${between(rng, 1, 12)}-${between(rng, 1, 20)}`;
    case 6:
      return `No ${n} & ${n + 1}`;
    case 7:
      return `PT ${between(rng, 100, 9999)}`;
    case 8:
      return myUnitMore(rng, n);
    default:
      return `No. ${n}${chance(rng, 0.15) ? pick(rng, ['A', 'B']) : ''}`;
  }
}

/** More unit and floor formats: `No: 28`, `Unit G-5B`, `Lot No. G1.116A`, `F-G-01`, `No 12 GF`. */
function myUnitMore(rng: Rng, n: number): string {
  const floor = pick(rng, ['G', 'GF', '1', '2', 'LG', 'UG', 'F']);
  switch (rng.int(9)) {
    case 0:
      return `No: ${n}`;
    case 1:
      return `Unit ${floor}-${between(rng, 1, 40)}${pick(rng, ['', 'A', 'B'])}`;
    case 2:
      return `Lot No. ${floor}${between(rng, 1, 3)}.${between(rng, 1, 200)}${pick(rng, ['', 'A'])}`;
    case 3:
      return `${pick(rng, ['A', 'B', 'C', 'D', 'F'])}-${floor}-${String(between(rng, 1, 30)).padStart(2, '0')}`;
    case 4:
      return `No ${n} ${floor}`;
    case 5:
      return `${n}-${between(rng, 1, 3)}&${between(rng, 2, 4)}`;
    case 6:
      return `No.${n}-${floor}`;
    case 7:
      return `Lot ${between(rng, 1000, 40000)}`;
    default:
      return `${pick(rng, ['HQ: ', 'Office: ', ''])}${n}`;
  }
}

/** A floor or shop-lot line before the street: `Ground Floor`, `Level 1`, `3rd Flr`. */
function myFloor(rng: Rng): string {
  return pick(rng, [
    'Ground Floor',
    'Grd Floor',
    'G Floor',
    `Level ${between(rng, 1, 12)}`,
    `${pick(rng, ['1st', '2nd', '3rd', '4th'])} ${pick(rng, ['Floor', 'Flr', 'Fl.'])}`,
    `Lot ${pick(rng, ['G', 'F', '1', '2'])}${between(rng, 1, 3)}.${between(rng, 1, 150)}, ${pick(rng, ['Ground Floor', 'First Floor'])}`,
    `Block ${pick(rng, ['A', 'B', 'C', 'D1', 'E'])}`,
  ]);
}

function myStreet(rng: Rng): string {
  if (chance(rng, 0.06)) return `Off ${pick(rng, ['Jalan', 'Jln'])} ${malayName(rng)}`;
  if (chance(rng, 0.04))
    return `Batu ${between(rng, 2, 12)}${pick(rng, ['', ' 1/2'])}, ${pick(rng, ['Jalan', 'Jln'])} ${malayName(rng)}`;
  const word = pick(rng, MY_STREET_WORDS);
  const r = rng.next();
  let suffix = '';
  if (r < 0.3) suffix = ` ${between(rng, 1, 12)}/${between(rng, 1, 30)}`;
  else if (r < 0.45) suffix = ` ${between(rng, 1, 40)}`;
  else if (r < 0.6)
    return `${word} ${pick(rng, MY_SECTION_CODES)} ${between(rng, 1, 30)}${chance(rng, 0.7) ? `/${between(rng, 1, 50)}` : ''}`;
  return `${word} ${malayName(rng)}${suffix}`;
}

function myArea(rng: Rng): string {
  const word = pick(rng, MY_AREA_WORDS);
  if (chance(rng, 0.1)) return `Seksyen ${between(rng, 1, 40)}`;
  if (chance(rng, 0.05))
    return `${pick(rng, ['Seksyen', 'Sek.', 'Sek'])} ${pick(rng, MY_SECTION_CODES)}${between(rng, 1, 20)}`;
  if (chance(rng, 0.04)) return `Mukim ${malayName(rng, 1)}`;
  return `${word} ${malayName(rng)}${chance(rng, 0.1) ? ` ${between(rng, 2, 5)}` : ''}`;
}

function myAddress(rng: Rng): string[] {
  const [short, long, lo, hi] = pick(rng, MY_STATES);
  const postcode = String(between(rng, lo, hi)).padStart(5, '0');
  const town = chance(rng, 0.45) ? pick(rng, MY_TOWNS) : malayName(rng);
  const parts: string[] = [];
  if (chance(rng, 0.15))
    parts.push(
      chance(rng, 0.5)
        ? `${pick(rng, MY_BUILDINGS_BEFORE)} ${malayName(rng)}`
        : `${malayName(rng)} ${pick(rng, MY_BUILDINGS_AFTER)}`,
    );
  if (chance(rng, 0.1)) parts.push(myFloor(rng));
  const unit = myUnit(rng);
  const street = myStreet(rng);
  if (chance(rng, 0.8)) parts.push(`${unit}${pick(rng, [', ', ' ', ',', ' ', ' , '])}${street}`);
  else parts.push(unit, street);
  if (chance(rng, 0.7)) parts.push(myArea(rng));
  // the postcode before the town, or after it; OCR keeps odd separators
  const r = rng.next();
  if (r < 0.8) parts.push(`${postcode}${pick(rng, [' ', ' ', ' ', ', ', '. ', ','])}${town}`);
  else parts.push(`${town}${pick(rng, [', ', ' '])}${postcode}`);
  if (chance(rng, 0.8)) parts.push(chance(rng, 0.5) ? long : chance(rng, 0.8) ? short : myStateShort(short));
  if (chance(rng, 0.15)) parts.push('Malaysia');
  return layoutAddress(rng, parts);
}

/** How receipts shorten a state: `Selangor D.E.`, `W.P.`, `KL`. */
function myStateShort(state: string): string {
  const short: Record<string, string> = {
    Selangor: 'Selangor D.E.',
    'Kuala Lumpur': 'W.P. Kuala Lumpur',
    Johor: 'Johor D.T.',
  };
  return short[state] ?? state;
}

const SG_STREET_TYPES = [
  'Road',
  'Avenue',
  'Street',
  'Drive',
  'Crescent',
  'Link',
  'Walk',
  'Place',
  'Rise',
  'Lane',
  'Way',
  'Close',
  'Terrace',
  'Central',
  'View',
  'Loop',
  'Grove',
];
const SG_AREAS = [
  'Tampines',
  'Jurong',
  'Ubi',
  'Kallang',
  'Serangoon',
  'Bedok',
  'Woodlands',
  'Yishun',
  'Toa Payoh',
  'Ang Mo Kio',
  'Bukit Batok',
  'Clementi',
  'Pasir Ris',
  'Hougang',
  'Sengkang',
  'Geylang',
  'Choa Chu Kang',
  'Bishan',
];

function sgAddress(rng: Rng): string[] {
  const area = chance(rng, 0.5) ? pick(rng, SG_AREAS) : nameWord(rng, chance(rng, 0.5) ? 'malaysian' : 'western');
  const r = rng.next();
  let street: string;
  if (r < 0.4)
    street = `${chance(rng, 0.5) ? 'Blk ' : ''}${between(rng, 1, 999)}${chance(rng, 0.15) ? 'A' : ''} ${area} ${pick(rng, ['Street', 'St', 'Avenue', 'Ave', 'Industrial Park', 'North Street'])} ${between(rng, 1, 90)}`;
  else street = `${between(rng, 1, 300)} ${area} ${pick(rng, SG_STREET_TYPES)}`;
  const parts = [street];
  if (chance(rng, 0.7))
    parts.push(
      `#${pick(rng, ['0', '0', '1', 'B'])}${between(rng, 1, 9)}-${String(between(rng, 1, 120)).padStart(2, '0')}`,
    );
  if (chance(rng, 0.3))
    parts.push(
      `${nameWord(rng, 'western')} ${pick(rng, ['Building', 'Plaza', 'Centre', 'Point', 'Tower', 'Hub', 'Industrial Building'])}`,
    );
  parts.push(`Singapore ${digits(rng, 6)}`);
  return layoutAddress(rng, parts, 3);
}

/** A street name: a fixed one, or an invented word with a street suffix (`Torvale Road`, `Kelmstraße`). */
function streetName(rng: Rng, fixed: readonly string[], make: (word: string) => string): string {
  return chance(rng, 0.35) ? pick(rng, fixed) : make(inventedWord(rng));
}

function cityName(rng: Rng, fixed: readonly string[]): string {
  return chance(rng, 0.5)
    ? pick(rng, fixed)
    : inventedWord(rng) +
        (chance(rng, 0.15) ? ` ${pick(rng, ['am See', 'on Sea', 'Springs', 'Falls', 'Heights'])}` : '');
}

const US_STREETS = [
  'Alder Creek Road',
  'Maple Hollow Drive',
  'Quarry Lane',
  'Birchwood Avenue',
  'Harbor View Boulevard',
  'Cedar Ridge Court',
];
const US_STREET_TYPES = [
  'Road',
  'Drive',
  'Avenue',
  'Street',
  'Boulevard',
  'Court',
  'Lane',
  'Way',
  'Parkway',
  'Place',
  'Circle',
  'Trail',
  'Pike',
];
const US_CITIES: ReadonlyArray<[string, string]> = [
  ['Portland', 'OR'],
  ['Columbus', 'OH'],
  ['Raleigh', 'NC'],
  ['Boise', 'ID'],
  ['Madison', 'WI'],
  ['Tucson', 'AZ'],
];
const US_STATES = [
  'OR',
  'OH',
  'NC',
  'ID',
  'WI',
  'AZ',
  'TX',
  'CA',
  'NY',
  'PA',
  'GA',
  'MI',
  'CO',
  'WA',
  'MN',
  'FL',
  'IL',
  'VA',
];
const DE_STREETS = ['Lindenweg', 'Ahornstraße', 'Mühlenkamp', 'Birkenallee', 'Am Kornfeld', 'Talstraße'];
const DE_CITIES = [
  'Frankfurt am Main',
  'Leipzig',
  'Hannover',
  'Freiburg',
  'Bremen',
  'Kassel',
  'Dresden',
  'Mainz',
  'Augsburg',
  'Münster',
];
const FR_STREETS = [
  'rue des Tilleuls',
  'avenue des Peupliers',
  'rue du Moulin',
  'boulevard des Lilas',
  'chemin des Vignes',
];
const FR_CITIES = ['Lyon', 'Nantes', 'Lille', 'Rennes', 'Dijon', 'Grenoble', 'Tours', 'Nancy', 'Reims', 'Angers'];
const GB_STREETS = ['Hawthorn Lane', 'Kingfisher Road', 'Mill Street', 'Orchard Close', 'Bramble Way', 'Church Walk'];
const GB_STREET_TYPES = [
  'Lane',
  'Road',
  'Street',
  'Close',
  'Way',
  'Walk',
  'Crescent',
  'Gardens',
  'Avenue',
  'Terrace',
  'Row',
  'Mews',
];
const GB_CITIES = ['Leeds', 'Bristol', 'Norwich', 'York', 'Exeter', 'Derby', 'Leicester', 'Bath', 'Cardiff', 'Reading'];
const CH_STREETS = ['Bahnhofstrasse', 'Seeweg', 'Rosenbergstrasse', 'Obere Gasse', 'Kirchweg'];
const CH_CITIES: ReadonlyArray<[string, string]> = [
  ['Zürich', '8001'],
  ['Bern', '3011'],
  ['Basel', '4051'],
  ['Luzern', '6003'],
  ['Winterthur', '8400'],
];
const NL_STREETS = ['Keizersgracht', 'Lindengracht', 'Molenstraat', 'Kerkweg', 'Havenkade'];
const NL_CITIES = [
  'Amsterdam',
  'Utrecht',
  'Haarlem',
  'Leiden',
  'Groningen',
  'Zwolle',
  'Delft',
  'Breda',
  'Arnhem',
  'Tilburg',
];

/** A country's names, address format, money and tax conventions (for other generators too). */
export function countryOf(code: CountryCode): Country {
  return COUNTRIES[code];
}

const COUNTRIES: Record<CountryCode, Country> = {
  US: {
    code: 'US',
    name: 'USA',
    legalForms: ['Inc.', 'LLC', 'Corp.', 'Co.'],
    address: (rng) => {
      const [city, state] = chance(rng, 0.5) ? pick(rng, US_CITIES) : [inventedWord(rng), pick(rng, US_STATES)];
      const lines = [
        `${between(rng, 10, 9800)} ${streetName(rng, US_STREETS, (w) => `${w} ${pick(rng, US_STREET_TYPES)}`)}`,
      ];
      if (chance(rng, 0.4)) lines.push(`Suite ${between(rng, 100, 950)}`);
      lines.push(`${city}, ${state} ${digits(rng, 5)}`);
      if (chance(rng, 0.5)) lines.push('USA');
      return lines;
    },
    money: [
      { before: '$', after: '', number: 'en' },
      { before: 'USD ', after: '', number: 'en' },
      { before: 'US$ ', after: '', number: 'en' },
      { before: '', after: ' USD', number: 'en' },
    ],
    dateOrder: 'MDY',
    dateFormats: ['numeric', 'iso', 'month-day', 'ordinal'],
    taxName: 'Sales tax',
    taxRates: [6, 7.25, 8.875, 4.5],
    taxLabels: ['EIN', 'Tax ID', 'Federal Tax ID'],
    taxId: (rng) => `${digits(rng, 2)}-${digits(rng, 7)}`,
  },
  DE: {
    code: 'DE',
    name: 'Germany',
    legalForms: ['GmbH', 'AG', 'GmbH & Co. KG', 'KG'],
    address: (rng) => [
      `${streetName(rng, DE_STREETS, (w) => w + pick(rng, ['straße', 'weg', 'allee', 'ring', 'gasse', 'platz']))} ${between(rng, 1, 120)}${chance(rng, 0.1) ? 'a' : ''}`,
      `${digits(rng, 5)} ${cityName(rng, DE_CITIES)}`,
      ...(chance(rng, 0.6) ? ['Germany'] : []),
    ],
    money: [
      { before: '', after: ' €', number: 'de' },
      { before: 'EUR ', after: '', number: 'de' },
      { before: '', after: ' EUR', number: 'de' },
      { before: '€', after: '', number: 'en' },
    ],
    dateOrder: 'DMY',
    dateFormats: ['dotted', 'dotted', 'iso', 'day-month', 'numeric'],
    taxName: 'VAT',
    taxRates: [19, 7],
    taxLabels: ['VAT ID', 'USt-IdNr.', 'VAT Reg. No.'],
    taxId: (rng) => `DE${digits(rng, 9)}`,
    bban: (rng) => digits(rng, 18),
  },
  FR: {
    code: 'FR',
    name: 'France',
    legalForms: ['SARL', 'SAS', 'SA'],
    address: (rng) => [
      `${between(rng, 1, 90)}${chance(rng, 0.1) ? ' bis' : ''} ${streetName(rng, FR_STREETS, (w) => `${pick(rng, ['rue', 'avenue', 'boulevard', 'chemin', 'place', 'allée'])} ${pick(rng, ['de', 'du', 'des'])} ${w}`)}`,
      `${digits(rng, 5)} ${cityName(rng, FR_CITIES)}`,
      ...(chance(rng, 0.6) ? ['France'] : []),
    ],
    money: [
      { before: '', after: ' €', number: 'fr' },
      { before: '', after: ' EUR', number: 'fr' },
      { before: 'EUR ', after: '', number: 'de' },
    ],
    dateOrder: 'DMY',
    dateFormats: ['numeric', 'numeric', 'day-month', 'iso'],
    taxName: 'VAT',
    taxRates: [20, 10, 5.5],
    taxLabels: ['VAT No.', 'N° TVA', 'VAT ID'],
    taxId: (rng) => `FR${digits(rng, 2)}${digits(rng, 9)}`,
    bban: (rng) => digits(rng, 23),
  },
  GB: {
    code: 'GB',
    name: 'United Kingdom',
    legalForms: ['Ltd', 'Ltd.', 'Limited', 'PLC', 'LLP'],
    address: (rng) => {
      const lines: string[] = [];
      if (chance(rng, 0.3)) lines.push(`Unit ${between(rng, 1, 30)}`);
      lines.push(`${between(rng, 1, 220)} ${streetName(rng, GB_STREETS, (w) => `${w} ${pick(rng, GB_STREET_TYPES)}`)}`);
      lines.push(
        `${cityName(rng, GB_CITIES)} ${letters(rng, 2)}${between(rng, 1, 20)} ${between(rng, 1, 9)}${letters(rng, 2)}`,
      );
      if (chance(rng, 0.5)) lines.push('United Kingdom');
      return lines;
    },
    money: [
      { before: '£', after: '', number: 'en' },
      { before: 'GBP ', after: '', number: 'en' },
    ],
    dateOrder: 'DMY',
    dateFormats: ['numeric', 'day-month', 'ordinal', 'dashed', 'iso'],
    taxName: 'VAT',
    taxRates: [20, 5],
    taxLabels: ['VAT Reg. No.', 'VAT No.', 'VAT Registration Number'],
    taxId: (rng) =>
      chance(rng, 0.5) ? `GB${digits(rng, 9)}` : `GB ${digits(rng, 3)} ${digits(rng, 4)} ${digits(rng, 2)}`,
    bban: (rng) => `${letters(rng, 4)}${digits(rng, 14)}`,
  },
  CH: {
    code: 'CH',
    name: 'Switzerland',
    legalForms: ['AG', 'GmbH', 'SA'],
    address: (rng) => {
      const [city, zip] = pick(rng, CH_CITIES);
      return [
        `${streetName(rng, CH_STREETS, (w) => w + pick(rng, ['strasse', 'weg', 'gasse']))} ${between(rng, 1, 80)}`,
        `${zip} ${city}`,
        ...(chance(rng, 0.6) ? ['Switzerland'] : []),
      ];
    },
    money: [
      { before: 'CHF ', after: '', number: 'ch' },
      { before: '', after: ' CHF', number: 'fr' },
      { before: 'CHF ', after: '', number: 'en' },
    ],
    dateOrder: 'DMY',
    dateFormats: ['dotted', 'dotted', 'day-month', 'iso'],
    taxName: 'VAT',
    taxRates: [8.1, 2.6, 7.7],
    taxLabels: ['VAT No.', 'UID', 'MWST-Nr.'],
    taxId: (rng) => `CHE-${digits(rng, 3)}.${digits(rng, 3)}.${digits(rng, 3)}${chance(rng, 0.5) ? ' MWST' : ''}`,
    bban: (rng) => digits(rng, 17),
  },
  NL: {
    code: 'NL',
    name: 'Netherlands',
    legalForms: ['B.V.', 'N.V.', 'BV'],
    address: (rng) => [
      `${streetName(rng, NL_STREETS, (w) => w + pick(rng, ['straat', 'gracht', 'weg', 'laan', 'kade', 'plein']))} ${between(rng, 1, 300)}`,
      `${digits(rng, 4)} ${letters(rng, 2)} ${cityName(rng, NL_CITIES)}`,
      ...(chance(rng, 0.6) ? ['Netherlands'] : []),
    ],
    money: [
      { before: '€ ', after: '', number: 'de' },
      { before: 'EUR ', after: '', number: 'de' },
      { before: '', after: ' €', number: 'de' },
    ],
    dateOrder: 'DMY',
    dateFormats: ['numeric', 'iso', 'day-month', 'dashed'],
    taxName: 'VAT',
    taxRates: [21, 9],
    taxLabels: ['VAT No.', 'BTW-nr.', 'VAT ID'],
    taxId: (rng) => `NL${digits(rng, 9)}B${digits(rng, 2)}`,
    bban: (rng) => `${letters(rng, 4)}${digits(rng, 10)}`,
  },
  MY: {
    code: 'MY',
    name: 'Malaysia',
    legalForms: [
      'Sdn Bhd',
      'Sdn. Bhd.',
      'Sdn Bhd',
      'Sdn. Bhd',
      '(M) Sdn Bhd',
      '(M) Sdn. Bhd.',
      'Bhd',
      'Berhad',
      'Sdn Berhad',
      'PLT',
      'S/B',
      'SB',
      'Sdn.Bhd',
    ],
    address: myAddress,
    money: [
      { before: 'RM', after: '', number: 'en' },
      { before: 'RM ', after: '', number: 'en' },
      { before: 'MYR ', after: '', number: 'en' },
    ],
    dateOrder: 'DMY',
    dateFormats: ['numeric', 'numeric', 'day-month', 'dashed'],
    taxName: 'SST',
    taxRates: [6, 10, 8],
    taxLabels: ['GST ID', 'GST Reg No', 'SST ID'],
    taxId: (rng) => `000${digits(rng, 9)}`,
  },
  SG: {
    code: 'SG',
    name: 'Singapore',
    legalForms: ['Pte. Ltd.', 'Pte Ltd', 'Pte Ltd', 'LLP', '(S) Pte Ltd', 'Private Limited'],
    address: sgAddress,
    money: [
      { before: 'S$', after: '', number: 'en' },
      { before: 'SGD ', after: '', number: 'en' },
      { before: 'S$ ', after: '', number: 'en' },
    ],
    dateOrder: 'DMY',
    dateFormats: ['numeric', 'day-month', 'iso', 'dashed'],
    taxName: 'GST',
    taxRates: [9, 8],
    taxLabels: ['GST Reg. No.', 'GST Registration No.'],
    taxId: (rng) => `${between(rng, 1990, 2023)}${digits(rng, 5)}${letters(rng, 1)}`,
  },
};

function makeIban(rng: Rng, country: Country): string | undefined {
  if (!country.bban) return undefined;
  const bban = country.bban(rng);
  const compact = country.code + ibanCheckDigits(country.code, bban) + bban;
  if (chance(rng, 0.3)) return compact;
  return compact.replace(/(.{4})(?=.)/g, '$1 ');
}

function makeBic(rng: Rng, country: Country): string {
  const location = letters(rng, 1) + (chance(rng, 0.5) ? letters(rng, 1) : String(rng.int(10)));
  const branch = chance(rng, 0.4) ? '' : chance(rng, 0.5) ? 'XXX' : letters(rng, 1) + digits(rng, 2);
  return `${letters(rng, 4)}${country.code}${location}${branch}`;
}

function invoiceNumber(rng: Rng, year: number): string {
  switch (rng.int(7)) {
    case 0:
      return `INV-${year}-${digits(rng, 4)}`;
    case 1:
      return `${year}-${digits(rng, 4)}`;
    case 2:
      return `RE-${between(rng, 10000, 99999)}`;
    case 3:
      return `CS${digits(rng, 8)}`;
    case 4:
      return `F${year}/${digits(rng, 4)}`;
    case 5:
      return `SI-${String(year).slice(2)}-${digits(rng, 5)}`;
    default:
      return `${between(rng, 10000, 999999)}`;
  }
}

// ---------------------------------------------------------------------------------------
// Line items

interface Item {
  /** description parts: plain text, or [text, label] for an entity inside it */
  description: Array<string | [string, string]>;
  quantity: number;
  unitCents: number;
}

const PLAIN_ITEMS = [
  'Consulting services',
  'Installation and setup',
  'Freight and handling',
  'Office chairs',
  'Printer toner cartridge',
  'Training workshop',
  'Translation services',
  'Network switch',
  'Maintenance visit',
  'Design revisions',
  'Copy paper A4',
  'Catering for meeting',
  'Data migration',
  'Website hosting',
  'Cable set',
  'Spare parts kit',
  'Project management',
  'Laptop stand',
  'Cleaning supplies',
  'Label printer',
];
const DURATION_ITEMS: ReadonlyArray<[string, string, string]> = [
  ['Support subscription (', 'MONTHS', ')'],
  ['Software licence, ', 'YEARS', ''],
  ['Warranty extension - ', 'YEARS', ''],
  ['Cloud storage plan, ', 'MONTHS', ''],
];

function durationText(rng: Rng, unit: 'MONTHS' | 'YEARS' | 'DAYS'): string {
  const n =
    unit === 'MONTHS'
      ? pick(rng, [3, 6, 12, 24])
      : unit === 'YEARS'
        ? pick(rng, [1, 2, 3])
        : pick(rng, [7, 10, 14, 30, 45, 60]);
  const word = { MONTHS: 'month', YEARS: 'year', DAYS: 'day' }[unit] + (n === 1 ? '' : 's');
  switch (rng.int(3)) {
    case 0:
      return `${n} ${word}`;
    case 1:
      return n < 100 && n > 0 ? `${wordsLower(n)} (${n}) ${word}` : `${n} ${word}`;
    default:
      return n === 1 ? `one ${word}` : `${n} ${word}`;
  }
}

export function wordsLower(n: number): string {
  return numberToWords(n).toLowerCase();
}

function makeItems(rng: Rng): Item[] {
  const count = between(rng, 1, 5);
  const items: Item[] = [];
  for (let i = 0; i < count; i++) {
    const quantity = chance(rng, 0.6) ? 1 : between(rng, 2, 12);
    const unitCents = chance(rng, 0.5) ? between(rng, 150, 9_999) : between(rng, 10_000, 250_000);
    if (chance(rng, 0.15)) {
      const [head, unit, tail] = pick(rng, DURATION_ITEMS);
      items.push({
        description: [head, [durationText(rng, unit as 'MONTHS' | 'YEARS'), 'DURATION'], tail],
        quantity,
        unitCents,
      });
    } else {
      items.push({ description: [pick(rng, PLAIN_ITEMS)], quantity, unitCents });
    }
  }
  return items;
}

function writeDescription(b: Builder, item: Item, upper: boolean): void {
  for (const part of item.description) {
    if (typeof part === 'string') b.text(upper ? part.toUpperCase() : part);
    else b.entity(upper ? part[0].toUpperCase() : part[0], part[1]);
  }
}

// ---------------------------------------------------------------------------------------
// The invoice being written

interface Invoice {
  country: Country;
  seller: string;
  sellerAddress: string[];
  buyer: string;
  buyerCountry: Country;
  buyerAddress: string[];
  number: string;
  date: Day;
  due: Day;
  termDays: number;
  items: Item[];
  netCents: number;
  taxRate: number;
  taxCents: number;
  totalCents: number;
  money: MoneyStyle;
  dateFormat: DateFormat;
  taxLabel: string;
  taxId: string;
  buyerTaxId?: string;
  iban?: string;
  bic?: string;
}

/**
 * Countries of receipts when the caller does not restrict them: receipts are mostly Malaysian
 * or Singaporean (the layout is the one of their OCR'd till receipts), the rest spread evenly.
 */
function receiptCountry(rng: Rng, countries: readonly CountryCode[]): CountryCode {
  if (countries.length === COUNTRY_CODES.length) {
    const r = rng.next();
    if (r < 0.45) return 'MY';
    if (r < 0.6) return 'SG';
  }
  return pick(rng, countries);
}

function makeInvoice(rng: Rng, countries: readonly CountryCode[], layout: InvoiceLayout): Invoice {
  const country = COUNTRIES[layout === 'receipt' ? receiptCountry(rng, countries) : pick(rng, countries)];
  const buyerCountry = chance(rng, 0.7) ? country : COUNTRIES[pick(rng, COUNTRY_CODES)];
  const date: Day = { year: between(rng, 2016, 2025), month: between(rng, 1, 12), day: between(rng, 1, 28) };
  const termDays = pick(rng, [7, 10, 14, 21, 30, 45, 60, 90]);
  const items = makeItems(rng);
  const netCents = items.reduce((sum, it) => sum + it.quantity * it.unitCents, 0);
  const taxRate = pick(rng, country.taxRates);
  const taxCents = Math.round((netCents * taxRate) / 100);
  const iban = makeIban(rng, country);
  return {
    country,
    seller: companyName(rng, country, layout === 'receipt' || chance(rng, 0.15)),
    sellerAddress: country.address(rng),
    buyer: companyName(rng, buyerCountry, chance(rng, 0.1)),
    buyerCountry,
    buyerAddress: buyerCountry.address(rng),
    number: invoiceNumber(rng, date.year),
    date,
    due: addDays(date, termDays),
    termDays,
    items,
    netCents,
    taxRate,
    taxCents,
    totalCents: netCents + taxCents,
    money: pick(rng, country.money),
    dateFormat: pick(rng, country.dateFormats),
    taxLabel: pick(rng, country.taxLabels),
    taxId: country.taxId(rng),
    buyerTaxId:
      buyerCountry.code !== country.code && buyerCountry.code !== 'US' && chance(rng, 0.5)
        ? buyerCountry.taxId(rng)
        : undefined,
    iban,
    bic: iban || chance(rng, 0.3) ? makeBic(rng, country) : undefined,
  };
}

function money(inv: Invoice, cents: number, style: MoneyStyle = inv.money): string {
  return `${style.before}${formatNumber(cents, style.number)}${style.after}`;
}

function percent(rng: Rng, rate: number, style: NumberStyle): string {
  const text = style === 'de' || style === 'fr' ? String(rate).replace('.', ',') : String(rate);
  return chance(rng, 0.75) ? `${text}%` : `${text} %`;
}

function date(inv: Invoice, d: Day, upper = false, format: DateFormat = inv.dateFormat): string {
  return formatDate(d, format, inv.country.dateOrder, upper);
}

function termsText(rng: Rng, days: number): string {
  return chance(rng, 0.3) && days < 100 ? `${wordsLower(days)} (${days}) days` : `${days} days`;
}

const RECEIPT_HEADERS = [
  'WELCOME',
  'WELCOME TO',
  '*** WELCOME ***',
  'OFFICIAL RECEIPT',
  'CASH SALES',
  'TAX INVOICE',
  'THANK YOU FOR SHOPPING',
  'ORIGINAL',
];
export const SURNAMES = [
  'Tan',
  'Lim',
  'Lee',
  'Wong',
  'Ng',
  'Chan',
  'Ong',
  'Goh',
  'Chong',
  'Teo',
  'Yap',
  'Low',
  'Chua',
  'Koh',
  'Ho',
];

/** A company registration number line, printed under the name or the address: `(123456-K)`. */
export function registrationLine(rng: Rng): string {
  const suffix = letters(rng, 1);
  const number = pick(rng, [
    `${digits(rng, 6)}-${suffix}`,
    `${digits(rng, 7)}-${suffix}`,
    `00${digits(rng, 7)}-${suffix}`,
    `${digits(rng, 6)}${suffix}`,
  ]);
  switch (rng.int(7)) {
    case 0:
      return `CO. NO. ${number}`;
    case 1:
      return `${pick(rng, ['COMPANY NO', 'CO. REG', 'ROC NO', 'REG. NO', 'BR NO', 'BRN', 'SSM NO', 'CO REG NO'])}${pick(rng, [': ', ' : ', ' ', '.: '])}${pick(rng, [number, `(${number})`])}`;
    case 2:
      return `${digits(rng, 12)} (${number})`;
    case 3:
      return number;
    default:
      return `(${number})`;
  }
}

/**
 * What a till receipt prints above its seller: a brand or outlet ("KIKU JAPANESE RESTAURANT",
 * "TEALIVE", "IKEA CHERAS", "MYNEWS.COM"), an outlet code and place, or a web address. Not the
 * seller (the company name below it is).
 */
function outletLine(rng: Rng, country: Country): string {
  const brand = chance(rng, 0.6) ? inventedWord(rng) : nameWord(rng, flavourOf(country));
  const place = chance(rng, 0.5) ? pick(rng, MY_TOWNS) : malayName(rng, 1);
  switch (rng.int(6)) {
    case 0:
      return `${brand} ${pick(rng, SHOP_TRADES)}`.toUpperCase();
    case 1:
      return `${brand} ${place}`.toUpperCase();
    case 2:
      return `${letters(rng, 2)}${digits(rng, 3)} - ${brand} ${place}`.toUpperCase();
    case 3:
      return `${pick(rng, ['WWW.', ''])}${brand.replace(/ /g, '')}.COM${pick(rng, ['', '.MY', '.SG'])}`.toUpperCase();
    case 4:
      return brand.toUpperCase();
    default:
      return `${brand} - ${place}`.toUpperCase();
  }
}

/** A branch line under the seller or its address: `(BRANCH: TAMAN MALURI)`, `CAWANGAN KAJANG`. */
function branchLine(rng: Rng): string {
  const place = (chance(rng, 0.5) ? pick(rng, MY_TOWNS) : `Taman ${malayName(rng, 1)}`).toUpperCase();
  return pick(rng, [`(BRANCH: ${place})`, `CAWANGAN ${place}`, `OUTLET: ${place}`, `${place} BRANCH`, `HQ`]);
}

const PRODUCT_WORDS = [
  'RICE',
  'SUGAR',
  'FLOUR',
  'MILK',
  'TEA',
  'COFFEE',
  'BREAD',
  'EGG',
  'NOODLE',
  'BISCUIT',
  'SOAP',
  'SHAMPOO',
  'TISSUE',
  'DETERGENT',
  'OIL',
  'SAUCE',
  'CHILLI',
  'WATER',
  'JUICE',
  'CANDY',
  'PEN',
  'PENCIL',
  'NOTEBOOK',
  'FILE',
  'GLUE',
  'TAPE',
  'BATTERY',
  'BULB',
  'CABLE',
  'SOCKET',
  'SCREW',
  'NAIL',
  'PAINT',
  'BRUSH',
  'HOSE',
  'CHICKEN',
  'FISH',
  'BEEF',
  'PORK',
  'TOFU',
  'CAKE',
  'BUN',
  'LATTE',
  'MOCHA',
  'NASI LEMAK',
  'ROTI',
  'TEH TARIK',
  'MEE GORENG',
  'KUEY TEOW',
  'CLAY',
  'LAMP',
  'CARD',
  'BAG',
  'TOWEL',
  'CUP',
  'PLATE',
  'SPOON',
  'KEY',
];
const PRODUCT_SIZES = ['500G', '1KG', '1.5L', '250ML', "12'S", '6X', 'S', 'M', 'L', 'XL', '2PCS', '100G', 'A4', '3IN1'];

/** A till receipt's item description: brand, product words, size; sometimes a code. */
function receiptItem(rng: Rng): string {
  const words: string[] = [];
  if (chance(rng, 0.6))
    words.push(
      inventedWord(rng)
        .toUpperCase()
        .slice(0, between(rng, 2, 8)),
    );
  words.push(pick(rng, PRODUCT_WORDS));
  if (chance(rng, 0.4)) words.push(pick(rng, PRODUCT_WORDS));
  if (chance(rng, 0.5)) words.push(pick(rng, PRODUCT_SIZES));
  let text = words.join(' ');
  if (chance(rng, 0.15)) text = `${letters(rng, 2)}-${text}`;
  if (chance(rng, 0.1)) text += `/${inventedWord(rng).toUpperCase()}`;
  // item codes and counts around the description: "1974 GARBAGE BAG (GREEN) 74", "SR: 10# GLOVE"
  if (chance(rng, 0.25)) text = `${digits(rng, between(rng, 3, 5))} ${text}`;
  if (chance(rng, 0.08)) text = `${pick(rng, ['SR: ', 'ZR: ', '* '])}${between(rng, 1, 20)}# ${text}`;
  if (chance(rng, 0.1))
    text += ` (${pick(rng, ['GREEN', 'BLACK', 'RED', 'L', 'S', 'BIG'])})${chance(rng, 0.5) ? ` ${between(rng, 1, 99)}` : ''}`;
  if (chance(rng, 0.1)) text += ` ${between(rng, 1, 48)}X${between(rng, 50, 500)}${pick(rng, ['ML', 'G'])}`;
  return text;
}

/** Column headers of a receipt's item list, over one or several lines. */
function columnHeaders(rng: Rng, currency: string): string {
  const words = rng.shuffle([
    pick(rng, ['ITEM', 'DESC', 'CODE/DESC', 'DESCRIPTION', 'DESC/ITEM', 'PRODUCT']),
    pick(rng, ['QTY', 'QTY', 'QUANTITY']),
    pick(rng, ['PRICE', 'U/P', 'U.PRICE', 'S/PRICE', 'UNIT PRICE']),
    pick(rng, ['AMOUNT', 'AMT', 'TOTAL', `AMT(${currency})`]),
    ...(chance(rng, 0.3) ? [pick(rng, ['DISC', 'UOM', 'CODE', 'NO'])] : []),
  ]);
  if (chance(rng, 0.3)) words.push(currency, currency);
  const r = rng.next();
  if (r < 0.45) return words.join('\n');
  if (r < 0.75) return words.join(pick(rng, [' ', '  ', '   ']));
  const half = between(rng, 1, words.length - 1);
  return `${words.slice(0, half).join(' ')}\n${words.slice(half).join(' ')}`;
}

// ---------------------------------------------------------------------------------------
// Layout 1: OCR receipt — upper case, one field per line, value under its label.

function writeReceipt(rng: Rng, inv: Invoice, b: Builder): void {
  const upper = (s: string): string => s.toUpperCase();
  const colon = (): string => pick(rng, [':', ' :', '']);
  // On receipts amounts are mostly bare numbers under an "RM"/"$" column header.
  const bare = chance(rng, 0.6);
  const amount = (cents: number): string => (bare ? formatNumber(cents, 'en', false) : money(inv, cents));
  // most OCR'd till receipts are in capitals; a few keep the printed mixed case
  const heading = chance(rng, 0.88) ? upper : (s: string): string => s;
  if (chance(rng, 0.2)) b.line(pick(rng, RECEIPT_HEADERS));
  else if (chance(rng, 0.1))
    b.line(upper(`${pick(rng, SURNAMES)} ${pick(rng, CHINESE_SYLLABLES)} ${pick(rng, CHINESE_SYLLABLES)}`));
  // a brand, outlet or web address printed above the company that issues the receipt
  if (chance(rng, 0.25)) b.line(outletLine(rng, inv.country));
  if (chance(rng, 0.05)) b.line(outletLine(rng, inv.country));
  // a long name may be printed over two lines; the span covers both (as an address's)
  const words = inv.seller.split(' ');
  const cut = words.length >= 3 && chance(rng, 0.1) ? between(rng, 1, words.length - 1) : 0;
  const seller = cut ? `${words.slice(0, cut).join(' ')}\n${words.slice(cut).join(' ')}` : inv.seller;
  const registration = chance(rng, 0.6) ? registrationLine(rng) : undefined;
  // the registration number on the name's own line: "99 SPEED MART S/B (519537-X)"
  const sameLine = registration !== undefined && chance(rng, 0.2);
  b.entity(heading(seller), 'PARTY');
  if (registration && sameLine) b.line(` ${/^\(/.test(registration) ? registration : `(${registration})`}`);
  else b.text('\n');
  const registrationFirst = chance(rng, 0.75);
  if (registration && !sameLine && registrationFirst) b.line(registration);
  if (chance(rng, 0.1)) b.line(branchLine(rng));
  if (chance(rng, 0.06)) b.line(outletLine(rng, inv.country));
  const taxFirst = chance(rng, 0.25);
  if (taxFirst) {
    const paren = chance(rng, 0.5);
    b.text(`${paren ? '(' : ''}${upper(inv.taxLabel)}${colon()} `)
      .entity(inv.taxId, 'TAX_ID')
      .line(paren ? ')' : '');
  }
  b.entity(inv.sellerAddress.map(heading).join('\n'), 'ADDRESS').text('\n');
  if (registration && !sameLine && !registrationFirst) b.line(registration);
  if (chance(rng, 0.08)) b.line(branchLine(rng));
  // a mall or outlet name, or a phone number without its label, right under the address
  if (chance(rng, 0.06)) b.line(outletLine(rng, inv.country));
  if (chance(rng, 0.08)) b.line(`${digits(rng, 2)}-${digits(rng, pick(rng, [7, 8]))}`);
  const phone = (): string => `${digits(rng, 2)}-${digits(rng, between(rng, 3, 4))} ${digits(rng, 4)}`;
  if (chance(rng, 0.7))
    b.line(
      `${pick(rng, ['TEL', 'TEL NO', 'TEL.', 'PHONE', 'H/P'])}${colon()} ${phone()}${chance(rng, 0.3) ? ` FAX${colon()} ${phone()}` : ''}`,
    );
  if (chance(rng, 0.15))
    b.line(
      `${pick(rng, ['EMAIL', 'E-MAIL'])}${colon()} ${inventedWord(rng).toUpperCase()}@${pick(rng, ['GMAIL.COM', 'YAHOO.COM', 'HOTMAIL.COM'])}`,
    );
  if (!taxFirst) b.text(`${upper(inv.taxLabel)}${colon()} `).entityLine(inv.taxId, 'TAX_ID');
  b.line(pick(rng, ['TAX INVOICE', 'SIMPLIFIED TAX INVOICE', 'CASH BILL', 'RECEIPT']));
  const numberLabel = pick(rng, ['INVOICE NO', 'RECEIPT #', 'INVOICE #', 'DOC NO.', 'BILL NO']);
  if (chance(rng, 0.5)) b.text(`${numberLabel}${colon()} `).entityLine(inv.number, 'INVOICE_ID');
  else b.line(`${numberLabel}${colon()}`).entityLine(inv.number, 'INVOICE_ID');
  const time = `${between(rng, 1, 12)}:${String(rng.int(60)).padStart(2, '0')}:${String(rng.int(60)).padStart(2, '0')} ${pick(rng, ['AM', 'PM'])}`;
  const dateText = date(inv, inv.date, true, pick(rng, ['numeric', 'numeric', 'dashed', 'iso'] as const));
  if (chance(rng, 0.5))
    b.text(`DATE${colon()} `)
      .entity(dateText, 'DATE')
      .line(chance(rng, 0.6) ? ` ${time}` : '');
  else
    b.line(`DATE${colon()}`)
      .entity(dateText, 'DATE')
      .line(chance(rng, 0.6) ? ` ${time}` : '');
  const cashier = chance(rng, 0.5) ? pick(rng, ['USER', 'ADMIN', 'MANIS', 'CN']) : inventedWord(rng).toUpperCase();
  b.line(`${pick(rng, ['CASHIER', 'CASHIER', 'SERVED BY', 'SALESPERSON'])}${colon()} ${cashier}`);
  if (chance(rng, 0.2))
    b.line(`${pick(rng, ['TABLE', 'MEMBER', 'COUNTER', 'POS'])}${colon()} ${digits(rng, between(rng, 1, 6))}`);
  const currency = inv.money.before.trim() || inv.money.after.trim() || 'RM';
  b.line(
    chance(rng, 0.3)
      ? ['ITEM', 'QTY', bare ? `U/P (${currency})` : 'U/P', 'AMOUNT'].join('\n')
      : columnHeaders(rng, currency),
  );
  for (const item of inv.items) {
    if (chance(rng, 0.25)) b.line(digits(rng, 13));
    // till receipts list goods; a few list the invoice items (services, durations)
    if (chance(rng, 0.7)) b.text(receiptItem(rng));
    else writeDescription(b, item, true);
    b.text('\n').line(
      chance(rng, 0.3) ? `${item.quantity} ${pick(rng, ['PC', 'PCS', 'X', 'UNIT'])}` : String(item.quantity),
    );
    b.entityLine(amount(item.unitCents), 'AMOUNT');
    b.entity(amount(item.quantity * item.unitCents), 'AMOUNT').line(chance(rng, 0.4) ? ' SR' : '');
  }
  b.line(`SUB TOTAL${colon()}`).entityLine(amount(inv.netCents), 'AMOUNT');
  b.text(`${upper(inv.country.taxName)} @`)
    .entity(percent(rng, inv.taxRate, 'en'), 'PERCENT')
    .line(colon());
  b.entityLine(amount(inv.taxCents), 'AMOUNT');
  if (chance(rng, 0.5)) b.line(`ROUNDING ADJ${colon()}`).entityLine(amount(0), 'AMOUNT');
  b.line(pick(rng, ['TOTAL', 'TOTAL:', 'GRAND TOTAL', 'TOTAL (INCL. TAX)', 'NETT TOTAL :'])).entityLine(
    amount(inv.totalCents),
    'AMOUNT',
  );
  const paid = Math.ceil(inv.totalCents / 1000) * 1000 + (chance(rng, 0.5) ? 1000 : 0);
  b.line('CASH').entityLine(amount(paid), 'AMOUNT');
  b.line('CHANGE').entityLine(amount(paid - inv.totalCents), 'AMOUNT');
  b.line(pick(rng, ['GOODS SOLD ARE NOT RETURNABLE', 'THANK YOU', 'THANK YOU! PLEASE COME AGAIN']));
  if (chance(rng, 0.12)) b.text('THANK YOU FOR SHOPPING AT ').entityLine(heading(inv.seller), 'PARTY');
  if (chance(rng, 0.05))
    b.line(
      `BANK ACC ${pick(rng, ['MBB', 'CIMB', 'PBB', 'RHB'])} ${digits(rng, 4)} ${digits(rng, 4)} ${digits(rng, 4)}`,
    );
  if (chance(rng, 0.05))
    b.line('OPENING HOURS').line(
      `${pick(rng, ['MON-FRI', 'SUN-THU', 'DAILY'])}: ${between(rng, 7, 11)}AM - ${between(rng, 8, 11)}PM`,
    );
}

// ---------------------------------------------------------------------------------------
// Layout 2: invoice, one field per line (as OCR reads a printed invoice), mixed case.

function writeInvoiceSheet(rng: Rng, inv: Invoice, b: Builder): void {
  const sep = (): string => pick(rng, [': ', ': ', ' ', ':\n']);
  b.line(pick(rng, ['INVOICE', 'Invoice', 'TAX INVOICE', 'Commercial Invoice']));
  b.entityLine(inv.seller, 'PARTY');
  b.entity(inv.sellerAddress.join('\n'), 'ADDRESS').text('\n');
  b.text(`${inv.taxLabel}${sep()}`).entityLine(inv.taxId, 'TAX_ID');
  b.line(pick(rng, ['Bill to:', 'Customer:', 'Invoice to:', 'Sold to']));
  b.entityLine(inv.buyer, 'PARTY');
  b.entity(inv.buyerAddress.join('\n'), 'ADDRESS').text('\n');
  if (inv.buyerTaxId) b.text(`Customer VAT ID${sep()}`).entityLine(inv.buyerTaxId, 'TAX_ID');
  b.text(`${pick(rng, ['Invoice No.', 'Invoice number', 'Invoice #', 'Invoice No'])}${sep()}`).entityLine(
    inv.number,
    'INVOICE_ID',
  );
  b.text(`${pick(rng, ['Invoice date', 'Date', 'Date of issue'])}${sep()}`).entityLine(date(inv, inv.date), 'DATE');
  if (chance(rng, 0.4)) {
    const start = addDays(inv.date, -between(rng, 20, 40));
    b.text('Service period: ')
      .entity(date(inv, start), 'DATE')
      .text(pick(rng, [' - ', ' to ', ' – ']))
      .entityLine(date(inv, addDays(start, 29)), 'DATE');
  }
  b.text(`${pick(rng, ['Due date', 'Payment due', 'Due'])}${sep()}`).entityLine(date(inv, inv.due), 'DATE');
  b.line(
    pick(rng, [
      'Description  Qty  Unit price  Amount',
      'Item | Quantity | Price | Total',
      'Description\nQty\nUnit price\nAmount',
    ]),
  );
  const oneLine = chance(rng, 0.5);
  for (const item of inv.items) {
    writeDescription(b, item, false);
    b.text(oneLine ? '  ' : '\n')
      .text(String(item.quantity))
      .text(oneLine ? '  ' : '\n');
    b.entity(money(inv, item.unitCents), 'AMOUNT').text(oneLine ? '  ' : '\n');
    b.entityLine(money(inv, item.quantity * item.unitCents), 'AMOUNT');
  }
  b.text(`${pick(rng, ['Net amount', 'Subtotal', 'Total net', 'Net'])}${sep()}`).entityLine(
    money(inv, inv.netCents),
    'AMOUNT',
  );
  b.text(`${inv.country.taxName} `)
    .entity(percent(rng, inv.taxRate, inv.money.number), 'PERCENT')
    .text(sep())
    .entityLine(money(inv, inv.taxCents), 'AMOUNT');
  b.text(`${pick(rng, ['Total', 'Total due', 'Amount due', 'Invoice total', 'TOTAL'])}${sep()}`).entityLine(
    money(inv, inv.totalCents),
    'AMOUNT',
  );
  switch (rng.int(3)) {
    case 0:
      b.text('Payment terms: within ').entity(termsText(rng, inv.termDays), 'DURATION').line();
      break;
    case 1:
      b.text('Terms: ').entity(`${inv.termDays} days`, 'DURATION').line(' net');
      break;
    default:
      b.text(`Please pay within `).entity(termsText(rng, inv.termDays), 'DURATION').line(' of the invoice date.');
  }
  if (chance(rng, 0.25)) {
    b.entity(percent(rng, 2, inv.money.number), 'PERCENT')
      .text(' discount if paid within ')
      .entity(`${pick(rng, [7, 10])} days`, 'DURATION')
      .line();
  }
  if (inv.iban) b.text(`IBAN${sep()}`).entityLine(inv.iban, 'IBAN');
  if (inv.bic) b.text(`${pick(rng, ['BIC', 'SWIFT', 'BIC/SWIFT', 'SWIFT code'])}${sep()}`).entityLine(inv.bic, 'BIC');
  if (chance(rng, 0.3)) b.text('Please quote ').entity(inv.number, 'INVOICE_ID').line(' with your payment.');
  if (chance(rng, 0.3)) b.text('Thank you for your business. ').entity(inv.seller, 'PARTY').line();
}

// ---------------------------------------------------------------------------------------
// Layout 3: prose (cover letter or e-mail).

function writeProse(rng: Rng, inv: Invoice, b: Builder): void {
  const addressInline = (lines: string[]): string => lines.map((l) => l.replace(/[,.]$/, '')).join(', ');
  b.text(pick(rng, ['Dear Sir or Madam,', 'Hello,', 'Dear customer,', 'To whom it may concern,'])).text('\n\n');
  b.text(pick(rng, ['Please find enclosed invoice ', 'Attached is invoice ', 'We hereby send you invoice ']));
  b.entity(inv.number, 'INVOICE_ID').text(' dated ').entity(date(inv, inv.date), 'DATE').text(', issued by ');
  b.entity(inv.seller, 'PARTY')
    .text(', ')
    .entity(addressInline(inv.sellerAddress), 'ADDRESS')
    .text(` (${inv.taxLabel} `)
    .entity(inv.taxId, 'TAX_ID')
    .text('), to ');
  b.entity(inv.buyer, 'PARTY').text(', ');
  // an address ending in an abbreviation ("Selangor D.E") keeps the sentence's period in its token
  const buyerAddress = addressInline(inv.buyerAddress);
  if (tokenize(`${buyerAddress}.`).pop()?.text === '.') b.entity(buyerAddress, 'ADDRESS').text('.\n\n');
  else b.entity(`${buyerAddress}.`, 'ADDRESS').text('\n\n');
  const [first, ...rest] = inv.items;
  b.text('It covers ');
  writeDescription(
    b,
    { ...first, description: first.description.map((p) => (typeof p === 'string' ? p.toLowerCase() : p)) },
    false,
  );
  b.text(` (${first.quantity} x `).entity(money(inv, first.unitCents), 'AMOUNT').text(')');
  for (const item of rest) {
    b.text('; ');
    writeDescription(
      b,
      { ...item, description: item.description.map((p) => (typeof p === 'string' ? p.toLowerCase() : p)) },
      false,
    );
    b.text(` at `).entity(money(inv, item.quantity * item.unitCents), 'AMOUNT');
  }
  b.text('. The net amount is ').entity(money(inv, inv.netCents), 'AMOUNT').text(`; ${inv.country.taxName} at `);
  b.entity(percent(rng, inv.taxRate, inv.money.number), 'PERCENT')
    .text(' comes to ')
    .entity(money(inv, inv.taxCents), 'AMOUNT');
  const wholeTotal = inv.totalCents % 100 === 0 && inv.totalCents / 100 < 1_000_000 && inv.country.code === 'US';
  if (wholeTotal && chance(rng, 0.7)) {
    const words = `${numberToWords(inv.totalCents / 100)} Dollars (${money(inv, inv.totalCents, { before: '$', after: '', number: 'en' })})`;
    b.text(', for a total of ').entity(words, 'AMOUNT').text('.\n\n');
  } else {
    b.text(', for a total of ').entity(money(inv, inv.totalCents), 'AMOUNT').text('.\n\n');
  }
  b.text(pick(rng, ['Payment is due within ', 'Kindly settle the invoice within ', 'Please pay within ']));
  b.entity(termsText(rng, inv.termDays), 'DURATION').text(', that is by ').entity(date(inv, inv.due), 'DATE');
  if (inv.iban) {
    b.text(', to IBAN ').entity(inv.iban, 'IBAN');
    if (inv.bic) b.text(' (BIC ').entity(inv.bic, 'BIC').text(')');
  } else if (inv.bic) {
    b.text(', by wire transfer (SWIFT ').entity(inv.bic, 'BIC').text(')');
  }
  b.text('. ');
  if (chance(rng, 0.4)) {
    b.text('Late payments bear interest of ')
      .entity(percent(rng, pick(rng, [5, 8, 9, 1.5]), 'en'), 'PERCENT')
      .text(' per month. ');
  }
  b.text('Please quote the invoice number ').entity(inv.number, 'INVOICE_ID').text(' as the payment reference.\n\n');
  b.text(pick(rng, ['Kind regards,', 'Best regards,', 'Sincerely,']))
    .text('\n')
    .entity(inv.seller, 'PARTY')
    .text('\n');
}

// ---------------------------------------------------------------------------------------
// Entry points

const LAYOUTS: readonly InvoiceLayout[] = ['receipt', 'invoice', 'prose'];
const LAYOUT_DRAW: readonly InvoiceLayout[] = [
  ...Array(9).fill('receipt'),
  ...Array(6).fill('invoice'),
  ...Array(5).fill('prose'),
];

/** A seed for document `index` of a run seeded with `seed` (documents are independent). */
function documentSeed(seed: number, index: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}

/** Document `index` of the run seeded with `seed`: the same arguments give the same document. */
export function generateInvoice(seed: number, index = 0, options: InvoiceOptions = {}): AnnotatedDocument {
  return generateInvoiceRecord(seed, index, options).document;
}

/** `generateInvoice` plus the layout, country and entities as written. */
export function generateInvoiceRecord(seed: number, index = 0, options: InvoiceOptions = {}): InvoiceRecord {
  const rng = new Rng(documentSeed(seed, index));
  const layouts = options.layouts && options.layouts.length > 0 ? options.layouts : LAYOUTS;
  const countries = options.countries && options.countries.length > 0 ? options.countries : COUNTRY_CODES;
  // unrestricted: receipts 45%, invoices 30%, prose 25% (receipts vary the most in layout)
  const layout = options.layouts && options.layouts.length > 0 ? pick(rng, layouts) : pick(rng, LAYOUT_DRAW);
  const inv = makeInvoice(rng, countries, layout);
  const b = new Builder();
  if (layout === 'receipt') writeReceipt(rng, inv, b);
  else if (layout === 'invoice') writeInvoiceSheet(rng, inv, b);
  else writeProse(rng, inv, b);
  const document: AnnotatedDocument = {
    id: `synthetic-invoice:${seed}:${index}`,
    text: b.value,
    spans: b.spans,
    source: 'synthetic-invoices',
    split: options.split ?? 'train',
    complete: 'all',
  };
  checkDocument(document);
  return { document, layout, country: inv.country.code, entities: b.written };
}

/** `count` documents of the run seeded with `seed`. */
export function generateInvoices(count: number, seed: number, options: InvoiceOptions = {}): AnnotatedDocument[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  return Array.from({ length: count }, (_, i) => generateInvoice(seed, i, options));
}

/**
 * Throws unless the spans are sorted, non-overlapping, trimmed and on token boundaries: a
 * template that breaks these is a bug, and training on it would teach wrong boundaries.
 */
export function checkDocument(doc: AnnotatedDocument): void {
  const tokens = tokenize(doc.text);
  const starts = new Set(tokens.map((t) => t.start));
  const ends = new Set(tokens.map((t) => t.end));
  let previousEnd = 0;
  for (const s of doc.spans) {
    const surface = JSON.stringify(doc.text.slice(s.start, s.end));
    if (s.start < previousEnd) throw new Error(`${doc.id}: span ${surface} overlaps or is out of order`);
    if (!starts.has(s.start) || !ends.has(s.end))
      throw new Error(
        `${doc.id}: span ${s.label} ${surface} is not on token boundaries (in ${JSON.stringify(doc.text.slice(Math.max(0, s.start - 20), s.end + 20))})`,
      );
    previousEnd = s.end;
  }
}
