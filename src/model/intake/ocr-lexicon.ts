// Words the recogniser misreads by a glyph or two on receipt photos ("MALAYSTA", "Jaian",
// "TOIAL", "5/B", "SON BHD"), put right against a lexicon of the words receipts print: their
// terms, company forms and the address words and place names of the receipts we read (Malaysian
// and English). A word is changed only when it is not itself a lexicon word, every changed glyph
// is one the recogniser confuses with the other (I/T/L/1, M/N/H, O/D/0/C…), and exactly one
// lexicon word is that close; a field is then the value printed, and a keyword is found.

const LEXICON_WORDS = `
  TOTAL SUBTOTAL AMOUNT CASH CHANGE ROUNDING ROUNDED DISCOUNT INVOICE RECEIPT TAX GST SST
  SERVICE CHARGE QTY ITEM ITEMS PRICE UNIT CASHIER COUNTER TABLE MEMBER DATE TIME NETT NET
  INCLUSIVE INCLUDING EXCLUDING SUMMARY SALES PAYMENT TENDER TENDERED CREDIT CARD DEBIT VISA
  MASTER BALANCE DUE THANK PLEASE AGAIN WELCOME GOODS SOLD RETURNABLE EXCHANGEABLE CUSTOMER
  COPY BILL ORDER REFUND TEL FAX EMAIL WEBSITE
  SDN BHD BERHAD ENTERPRISE ENTERPRISES TRADING COMPANY LIMITED RESTORAN RESTAURANT HARDWARE
  STATIONERY BOOKS BOOK MART MINIMARKET SUPERMARKET PASARAYA KEDAI FOOD BEVERAGE CAFE BAKERY
  FURNITURE ELECTRICAL MACHINERY INDUSTRIES INDUSTRY MARKETING SERVICES HOLDINGS GROUP
  PHARMACY STORE STORES CENTRE CENTER SPEED
  JALAN JLN LORONG LRG PERSIARAN LEBUH LEBUHRAYA TAMAN TMN BANDAR BATU KAMPUNG SEKSYEN PUSAT
  KAWASAN PERINDUSTRIAN PERUSAHAAN INDUSTRI BUKIT SUNGAI DESA SERI INDAH UTAMA BARU JAYA
  PERMAI SENTRAL PLAZA KOMPLEKS BANGUNAN MEDAN TINGKAT ARAS BLOK BLOCK LOT FLOOR GROUND
  STREET ROAD AVENUE LANE SQUARE PARK MALL SHOPPING OFF
  KUALA LUMPUR SELANGOR JOHOR BAHRU PENANG PULAU PINANG PERAK IPOH MELAKA NEGERI SEMBILAN
  SEREMBAN KEDAH KELANTAN TERENGGANU PAHANG SABAH SARAWAK PUTRAJAYA WILAYAH PERSEKUTUAN DARUL
  EHSAN TAKZIM MAKMUR RIDZUAN MALAYSIA SINGAPORE
  PETALING DAMANSARA SUBANG SHAH ALAM KLANG CHERAS AMPANG PUCHONG KAJANG SETAPAK KEPONG RAWANG
  SELAYANG SERDANG SEMENYIH BANGI CYBERJAYA KEMBANGAN BALAKONG SKUDAI MASAI PERMAS SENAI
  MALURI HARTAMAS BANGSAR MONT KIARA SENTUL GOMBAK BATANG BERJUNTAI DENGKIL BANTING SEPANG
  NILAI SERI KEMBANGAN MAHKOTA SRI MUDA KOTA KEMUNING BOTANIC SETIA TROPIKA CAHAYA PANDAN
`;

/** The lexicon (upper case). */
export const OCR_LEXICON: ReadonlySet<string> = new Set(LEXICON_WORDS.split(/\s+/).filter((w) => w.length >= 3));

/**
 * Words a lexicon word may be misread as that are words (or names) in their own right, as
 * found by running the correction over clean contract and receipt text: never changed.
 */
const REAL_WORDS = new Set(
  `SON DASH ALAN JUN WINE MADE ORE ERR TIN TILL TAIL TALL TELL SALT SALE MAIL NAIL COAT COST BATH
  LIME TIME LATE GATE TOLL HALL CALL TAME SAME CASE CART CARE CORE MET WET LENDER LENDERS JAVA
  WALL DALE LAKE JANE DOE QUE DUB SPI SRL SUN TRACING CAPE CORY FOUNDED FOUNDING JOT IOT PRIDE
  SAVES SATES SOLO FLUOR FLOUR KELANA PAX SSL SDK LPG LCT LOI VANE ORF TOT SAI DGE DARYL JURONG
  MCDA TRX GSI QTL CST`.split(/\s+/),
);

/** A word read at least this sure is kept: the recogniser is rarely that sure of a misread word. */
const SURE = 0.92;

/** Glyphs the recogniser takes for each other (each string is one class). */
const CONFUSABLE = ['IT1LJ|!', 'MNHKW', 'OD0QCGU', 'S5$', 'B8E', 'AR4', 'PFR', 'UVLY', 'Z2', '6G'];

function confusable(a: string, b: string): boolean {
  return CONFUSABLE.some((c) => c.includes(a) && c.includes(b));
}

/** The glyphs in which two words of the same length differ, or -1 when one of them is not a confusion. */
function confusedGlyphs(read: string, word: string): number {
  let n = 0;
  for (let i = 0; i < read.length; i++) {
    if (read[i] === word[i]) continue;
    if (!confusable(read[i], word[i])) return -1;
    n++;
  }
  return n;
}

const BY_LENGTH = new Map<number, string[]>();
for (const w of OCR_LEXICON) BY_LENGTH.set(w.length, [...(BY_LENGTH.get(w.length) ?? []), w]);

/** The word written in the read word's case (all capitals, Capitalised or lower case). */
function inCaseOf(read: string, word: string): string {
  if (read === read.toLowerCase()) return word.toLowerCase();
  if (read.length > 1 && read[0] === read[0].toUpperCase() && read.slice(1) === read.slice(1).toLowerCase())
    return word[0] + word.slice(1).toLowerCase();
  return word;
}

/** The lexicon word a misread word stands for, or undefined (the word is kept). */
export function lexiconWordFor(core: string): string | undefined {
  const upper = core.toUpperCase();
  if (upper.length < 3 || OCR_LEXICON.has(upper) || REAL_WORDS.has(upper)) return undefined;
  // three lower-case letters are too often a word of their own
  if (upper.length === 3 && core === core.toLowerCase()) return undefined;
  // mostly letters: a number with a letter misread in it is not a word
  const letters = upper.replace(/[^A-Z]/g, '').length;
  if (letters < 3 || letters < upper.length - 1) return undefined;
  const allowed = upper.length >= 6 ? 2 : 1;
  let found: string | undefined;
  for (const w of BY_LENGTH.get(upper.length) ?? []) {
    const n = confusedGlyphs(upper, w);
    if (n < 1 || n > allowed) continue;
    if (found !== undefined) return undefined; // two lexicon words as close: no guess
    found = w;
  }
  return found && inCaseOf(core, found);
}

/**
 * "JLN" read as "JUN", however sure: in an address line (a postcode or an address word on it),
 * before a street's name ("JUN JEJAKA", "OFF JUN BT 3"); "12 JUN 2018" has a number after it.
 */
const JLN_BEFORE = /^[A-Z]{2,}[,.]?$/;
const ADDRESS_WORD = /^(?:\d{5}[,.]?|TAMAN|TMN|JALAN|LOT|NO[.:]?\d*|OFF|SC|LORONG|BANDAR|KUALA|SELANGOR|JOHOR)[,.]?$/;

const COMPANY_AFTER = /^(?:[B83]HD|BERHAD|B\.H\.D)\.?,?$/i;
/** "SDN" as read before "BHD": "SON", "S0N", "Sun", "SCH" */
const SDN_READ = /^[S5][O0DUCQG][NHMK]\.?$/i;
/**
 * A floor's ordinal as read before "FLR" or "FLOOR": "IRD" and "3R0" are "3RD", "IST" is "1ST",
 * "2N0" is "2ND" (only 3 takes "RD", 1 "ST", 2 "ND").
 */
const ORDINAL_READ: [RegExp, string][] = [
  [/^(?:[I1l|]RD|3R[0OD])$/, '3RD'],
  [/^[I1l|]ST$/, '1ST'],
  [/^2N[0OD]$/, '2ND'],
];
const FLOOR_AFTER = /^FL(?:R|OOR)\b/i;
/** Initials with a "1" among them: "D.1.Y." is "D.I.Y." */
const INITIALS_WITH_1 = /^(?=(?:[A-Z1]\.){3,6}$)(?=(?:.*[A-Z]){2})[A-Z.]*1/;

/**
 * A read word as the lexicon word it stands for (punctuation around it kept: "MALAYSTA," →
 * "MALAYSIA,"), else as read. `next` and `previous` are the words beside it on its line. The
 * company form and initials are put right however sure the recogniser was, since "SON BHD",
 * "SDN 8HD" and "D.1.Y." are never written: "SON", "S0N", "Sun" or "SCH" before "BHD" is
 * "SDN", "8HD" or "3HD" after "SDN" is "BHD", a "1" among initials is an "I"; "5/B", "5/8",
 * "§/B", "&/B" and "S/F", read unsure, are "S/B"; a floor's ordinal before "FLR" is put
 * right ("IRD FLR" is "3RD FLR").
 */
export function correctOcrWord(
  text: string,
  confidence: number,
  next = '',
  previous = '',
  line: readonly string[] = [],
): string {
  const dot = text.endsWith('.') ? '.' : '';
  if (text === 'JUN' && JLN_BEFORE.test(next) && line.some((w) => ADDRESS_WORD.test(w))) return 'JLN';
  if (SDN_READ.test(text) && !/^SDN/i.test(text) && COMPANY_AFTER.test(next))
    return inCaseOf(text.slice(0, 3), 'SDN') + dot;
  if (/^[83]HD\.?$/i.test(text) && SDN_READ.test(previous)) return inCaseOf(text.slice(0, 3), 'BHD') + dot;
  if (INITIALS_WITH_1.test(text)) return text.replace(/1/g, 'I');
  if (FLOOR_AFTER.test(next)) {
    const ordinal = ORDINAL_READ.find(([read]) => read.test(text.replace(/[,.]$/, '')));
    if (ordinal) return ordinal[1] + (/[,.]$/.exec(text)?.[0] ?? '');
  }
  if (confidence >= SURE) return text;
  if (/^[S5$§&][/|][B8F]\.?$/.test(text)) return `S/B${dot}`;
  const m = /^([^\p{L}\p{N}$]*)([\p{L}\p{N}$]+)([^\p{L}\p{N}$]*)$/u.exec(text);
  if (!m) return text;
  const fixed = lexiconWordFor(m[2]);
  return fixed === undefined ? text : `${m[1]}${fixed}${m[3]}`;
}
