// Where the network's ADDRESS and PARTY spans should end, as the rule policy's format checks
// (policy.ts CONFORM) apply them. An address does not take in a phone line or a registration
// number printed on the line above or below it ("NO : SA0099552-P" over a receipt's address,
// "07 3823455" under it), the outlet's name over its street line ("MYDIN MART SRI MUDA" over
// "4-20, JALAN RIA"), a "TAX INVOICE" or web address line under it, nor the name of the next
// party after its postcode ("KY 40511 and Daniel Powell"), and an address the network split in
// two around one line it was unsure of ("(X) U13/X, SETIA ALAM,") is one address. A party's
// name stops before the defined term in brackets after it: "Nexeon MedSystems Inc (“Company”)"
// is "Nexeon MedSystems Inc" (no gold PARTY span in CUAD holds a bracketed quote), takes the
// place it is "of" ("The University" ⏎ "of Iowa"), and a seller printed over two lines is one
// party. And an identifier printed right after a phone or fax label is that phone number.
import { lineEndWithin, lineStartWithin, rule } from './common';
import type { Entity } from '../core/types';

/** A phone line: an optional "Tel:" label, then digits, spaces and + ( ) - / . only. */
const PHONE_LINE = rule(
  /^(?:(?:tel|phone|fax|h\/p|hp|mobile|ph)\.?[ \t]{0,4}(?:no\.?)?[ \t]{0,4}[:.]?[ \t]{0,4})?[+(]?\d[\d ()+\-/.]{5,40}$/i,
);
/** A labelled registration or tax number: "CO-REG:860671-D", "(GST REG. NO : 001685499904)", "NO : SA0099552-P". */
const LABELLED_ID_LINE = rule(
  /^\(?(?:(?:co\.?[ -]{0,2}reg(?:istration)?\.?|company[ \t]{1,4}reg(?:istration)?\.?|roc|brn|br|gst(?:[ \t]{1,4}reg\.?)?|sst|tax[ \t]{1,4}id|reg\.?)[ \t]{0,4}(?:no\.?|id)?|no\.?|id)[ \t]{0,4}[:.#]?[ \t]{0,4}[A-Z]{0,4}\d{5,14}(?:-?[A-Z])?\)?$/i,
);
/** A bare number line: 7+ digits or a one-letter suffix ("1168272-U", "(001451637-M)", "JM0325955-V", "000965911.P"). */
const BARE_ID_LINE = rule(/^\(?[A-Z]{0,4}\d{7,14}(?:[-.]?[A-Z])?\)?$|^\(?[A-Z]{0,4}\d{4,14}-[A-Z]\)?$/);
/** The end of a bracketed number broken over two lines: "5033)". */
const BRACKET_TAIL_LINE = rule(/^[A-Z]{0,2}\d{1,8}(?:-?[A-Z])?\)$/);
/** A quote opening a defined term in brackets after a name: `(“Company”)`, `("ATC")`, `(the "Seller")`. */
const DEFINED_TERM = rule(/[ \t\r\n]{0,8}\([ \t]{0,4}(?:the[ \t]{1,4})?["\u201c]/);
/** A name after a postcode that ends an address: "KY 40511 and Daniel Powell" (the next party). */
const AND_NAME_TAIL = rule(/\d[ \t]{1,4}and[ \t]{1,4}[A-Z][^\d\n]{0,60}$/);
/** What may separate two parts of one address: no blank line, no column gap. */
const COLUMN_GAP = rule(/[ \t]{3}|\t|\n[ \t]{0,8}\n/);

/** How long the text between two parts of one address may be. */
const MAX_ADDRESS_GAP = 30;
/** How much of the line under a name line is read to tell a street line. */
const MAX_STREET_LINE = 120;
/** Lines longer than this are never taken for a phone or registration line. */
const MAX_ID_LINE = 48;

/** A phone or fax label ending right before a value on its line: "FAX:", "Tel. No.", "H/P :". */
const PHONE_LABEL_BEFORE = rule(
  /(?:^|[^\p{L}])(?:tel|telephone|phone|fax|h\/p|hp|mobile|mob|ph)\.?[ \t]{0,4}(?:no\.?)?[ \t]{0,4}[:.]?[ \t]{0,4}$/iu,
);

/**
 * Whether the value at `start` is printed right after a phone or fax label on its line: then it
 * is a phone number, whatever its shape ("FAX:07-3558160" is no tax id).
 */
export function isAfterPhoneLabel(text: string, start: number): boolean {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  return PHONE_LABEL_BEFORE.test(text.slice(Math.max(lineStart, start - 40), start));
}

/** Whether a line of an address is a phone or registration number line, not part of it. */
export function isNumberLine(line: string): boolean {
  const s = line.trim().replace(/[,;]$/, ''); // "03-3279 1851," ends a line as an address line does
  if (s.length === 0 || s.length > MAX_ID_LINE) return false;
  const digits = s.replace(/\D/g, '').length;
  return (
    (PHONE_LINE.test(s) && digits >= 7) || BARE_ID_LINE.test(s) || LABELLED_ID_LINE.test(s) || BRACKET_TAIL_LINE.test(s)
  );
}

/** A receipt's heading, a web or mail address: a line an address never ends with. */
const NOT_ADDRESS_END = rule(
  /^(?:(?:SIMPLIFIED[ ]?)?TAX[ ]?INVOICE|INVOICE|(?:OFFICIAL[ ]?)?RECEIPT|CASH[ ]?(?:BILL|SALES?)|(?:https?:\/\/|www\.)[^ ]{1,80}|[^ @]{1,64}@[^ @]{1,80}\.[a-z]{2,6})$/i,
);
/** An address's own label at its start: "HQ ADD:", "Address :". */
const ADDRESS_LABEL = rule(/^(?:(?:HQ|HEAD[ ]OFFICE)[ ]{1,3})?(?:ADD|ADDR|ADDRESS)\.?[ \t]{0,3}:[ \t]{0,3}/i);
/** How a street address's first line starts: a number, "NO", "LOT", a unit ("G-26", "K3-113"). */
const STREET_START = rule(/^[ \t]{0,8}(?:NO\b|NO\.|LOT\b|\d|[A-Z]{1,2}-?\d)/i);
/** A street line has a comma or a street word ("22241 WS CUT SCUSSORS" is an item line). */
const STREET_WORD = rule(
  /,|(?:^|[^\p{L}])(?:JALAN|JLN|JL|LORONG|LRG|TAMAN|TMN|LOT|NO|ROAD|RD|STREET|ST|AVENUE|AVE|LEVEL|FLOOR|FLR|BLOCK|BLK|SUITE|UNIT|PERSIARAN|LEBUH|LEBUHRAYA|KAMPUNG|KG|DRIVE|LANE|WAY|PLAZA)(?![\p{L}])/iu,
);

/**
 * An ADDRESS without phone and registration lines at its start or end, without a shop's or
 * building's name line over its street line, without a heading, web or mail address line at its
 * end, and without its own "Address:" label (null when nothing of it is left). Only whole lines
 * of a multi-line address are cut.
 */
export function conformAddress(text: string, e: Entity): Entity | null {
  let start = e.start;
  let end = e.end;
  // line breaks are looked for inside the entity only (no scan of a long text beyond it)
  for (;;) {
    const nl = lineEndWithin(text, start, end - start);
    if (nl < 0 || nl >= end) break;
    const line = text.slice(start, nl);
    // a number line, or a name without digits over the street line: "MYDIN MART SRI MUDA" ⏎ "4-20, JALAN RIA"
    const next = text.slice(nl + 1, Math.min(end, nl + 1 + MAX_STREET_LINE)).split('\n')[0];
    const nameOverStreet = !/\d/.test(line) && STREET_START.test(next) && STREET_WORD.test(next);
    if (!isNumberLine(line) && !nameOverStreet) break;
    start = nl + 1;
    while (start < end && /\s/.test(text[start])) start++;
  }
  for (;;) {
    const nl = lineStartWithin(text, end, end - start) - 1;
    if (nl < start) break;
    const line = text.slice(nl + 1, end).trim();
    if (!isNumberLine(line) && !NOT_ADDRESS_END.test(line)) break;
    end = nl;
    while (end > start && /\s/.test(text[end - 1])) end--;
  }
  const label = ADDRESS_LABEL.exec(text.slice(start, end));
  if (label && start + label[0].length < end) start += label[0].length;
  const tail = AND_NAME_TAIL.exec(text.slice(start, end));
  if (tail) end = start + tail.index + 1;
  if (end <= start) return null;
  return start === e.start && end === e.end ? e : { ...e, start, end, text: text.slice(start, end) };
}

/** The end of the party before it and "and": `ADA”) and ` of `ADA”) and Industrial Furnace Company`. */
const EARLIER_TERM_END = rule(/^[^\s"“”()]{1,30}["”][ \t]{0,4}\)[ \t]{0,4},?[ \t]{0,4}and[ \t]{1,4}(?=\p{Lu})/u);

/**
 * A PARTY without the bracketed defined term after its name (null when nothing is left), nor
 * the end of the party defined before it ("ADA”) and Industrial Furnace Company").
 */
export function conformParty(text: string, e: Entity): Entity | null {
  const head = EARLIER_TERM_END.exec(e.text);
  if (head) e = { ...e, start: e.start + head[0].length, text: e.text.slice(head[0].length) };
  const m = DEFINED_TERM.exec(e.text);
  if (!m) return withPlaceOf(text, e);
  let end = e.start + m.index;
  while (end > e.start && /[\s,]/.test(text[end - 1])) end--;
  return end > e.start ? { ...e, end, text: text.slice(e.start, end) } : null;
}

/** A name ending in a word that is named "of" a place or body: `The University`, `Bank`, `Board of Regents`. */
const INSTITUTION_END = rule(
  /(?:^|[^\p{L}])(?:University|College|Institute|Regents|Trustees|Board|Bank|Government|Republic|Commonwealth|Department|Ministry|Council|County|Hospital|School|Academy|Museum|Trust)$/u,
);
/**
 * ` of Iowa`, ` of Texas M. D. Anderson Cancer Center`, ` of the City of New York`: capitalised
 * words, initials and short abbreviations (`St.`), of / the / for.
 */
const OF_PLACE = rule(
  /^[ \t]{1,2}of[ \t]{1,2}(?:the[ \t]{1,2})?(?:[A-Z][a-z]?\.|[A-Z][\p{L}'’&-]{0,30})(?:[ \t]{1,2}(?:[A-Z][a-z]?\.|[A-Z][\p{L}'’&-]{0,30}|of|the|for)){0,12}/u,
);

/**
 * A party the network ended at its institution word takes the place or body it is "of" on the
 * same line: "The University" before "of Iowa, located at ..." is "The University of Iowa".
 */
function withPlaceOf(text: string, e: Entity): Entity {
  if (!INSTITUTION_END.test(e.text)) return e;
  const m = OF_PLACE.exec(text.slice(e.end, e.end + 400));
  if (!m) return e;
  // a name's words end it, not a connector; a full stop is never taken ("of Iowa."), initials are ("M. D.")
  const tail = m[0].replace(/(?:[ \t]{1,2}(?:of|the|for))+$/u, '');
  const end = e.end + tail.length;
  return { ...e, end, text: text.slice(e.start, end) };
}

/**
 * Sorted entities with the parts of one address joined: two ADDRESS entities with at most
 * MAX_ADDRESS_GAP characters between them, at most one line break, no blank line, no column
 * gap (two addresses side by side in a signature block) and no other entity.
 */
export function joinAddressParts(text: string, entities: Entity[]): Entity[] {
  return joinNeighbours(text, entities, (last, e) => {
    if (last.label !== 'ADDRESS' || e.label !== 'ADDRESS' || e.start < last.end) return false;
    const gap = text.slice(last.end, e.start);
    const breaks = gap.split('\n').length - 1;
    return gap.length <= MAX_ADDRESS_GAP && breaks <= 1 && !COLUMN_GAP.test(gap);
  });
}

/**
 * Sorted entities with each one that `joins` the one before it merged into it (the span of
 * both, the lower confidence).
 */
function joinNeighbours(text: string, entities: Entity[], joins: (last: Entity, e: Entity) => boolean): Entity[] {
  const out: Entity[] = [];
  for (const e of entities) {
    const last = out[out.length - 1];
    if (last && joins(last, e)) {
      out[out.length - 1] = {
        ...last,
        end: e.end,
        text: text.slice(last.start, e.end),
        confidence: Math.min(last.confidence, e.confidence),
      };
    } else out.push(e);
  }
  return out;
}

/** Words that end a company's name: a line of only these is the end of the name above it. */
const COMPANY_SUFFIX = rule(
  /^(?:SDN\.?|BHD\.?|BERHAD|S\/B|LTD\.?|LIMITED|INC\.?|LLC|L\.L\.C\.|CO\.?,?|CORP\.?|CORPORATION|PLC|GMBH|AG|PTE\.?|PTY\.?|LLP|LP|\(M\))$/i,
);
/** A name's line: up to five capitalised words (letters, &, ', ., -, brackets), no digit. */
const NAME_LINE = rule(
  /^[ \t]{0,8}[A-Z][\p{L}&'’.()-]{0,30}(?:[ \t]{1,3}[\p{Lu}&(][\p{L}&'’.()-]{0,30}){0,4}[ \t]{0,8}$/u,
);
/** Heading words of a receipt or invoice, never part of a seller's name. */
const HEADING = rule(
  /(?:^|[^\p{L}])(?:TAX|INVOICE|RECEIPT|BILL|WELCOME|THANK|COPY|ORIGINAL|DUPLICATE|STATEMENT|CUSTOMER|MERCHANT|SIMPLIFIED|CASH|SALES?|TEL|FAX)(?![\p{L}])/iu,
);
/** A name's last word that cannot end it: "HOME MASTER HARDWARE &" continues on the next line. */
const DANGLING = rule(/(?:&|[^\p{L}](?:AND|OF|THE)|-)[ \t]{0,8}$/iu);
/** Longest line either side that a party's name is continued onto. */
const MAX_NAME_LINE = 48;

/** Whether a line (without its break) can carry on a party's name: a short name line, no heading. */
function isNameLine(line: string): boolean {
  return line.length <= MAX_NAME_LINE && NAME_LINE.test(line) && !HEADING.test(line);
}

/**
 * Party names a receipt or letterhead prints over two lines, which the network (keeping a
 * party within a line) cut at the break: "HOME MASTER HARDWARE &" takes the line below it, and
 * "SDN BHD" or "RESTAURANT SDN BHD" alone at a line's start takes the name line above it
 * ("LIAN CHI PU TIAN VEGETARIAN"), and two parties on consecutive lines are one when the second
 * starts with a company suffix ("POPULAR BOOK" ⏎ "CO. (M) SDN BHD"). Only over a line no other
 * entity touches; never a heading.
 */
export function joinPartyLines(text: string, entities: Entity[]): Entity[] {
  // a line is free when no other entity touches it, as the entities stand after the joins
  // before: two names never take the same line ("HOME &" ⏎ "MASTER" ⏎ "SDN BHD")
  const joined = [...entities];
  const free = (a: number, b: number, self: number) => !joined.some((o, j) => j !== self && o.start < b && a < o.end);
  // every look is bounded (lineStartWithin / lineEndWithin): a one-line text of megabytes costs
  // no more per entity than a receipt
  for (const [i, e] of joined.entries()) {
    if (e.label !== 'PARTY') continue;
    let { start, end } = e;
    // the next line, when the name ends on a dangling word at its line's end
    const lineEnd = lineEndWithin(text, end, MAX_NAME_LINE);
    if (
      lineEnd >= 0 &&
      lineEnd < text.length &&
      DANGLING.test(text.slice(Math.max(start, end - 12), end)) &&
      /^[ \t\r]*$/.test(text.slice(end, lineEnd))
    ) {
      const nextEnd = lineEndWithin(text, lineEnd + 1, MAX_NAME_LINE + 1);
      const next = nextEnd < 0 ? '' : text.slice(lineEnd + 1, nextEnd).replace(/\r$/, '');
      if (isNameLine(next)) {
        const a = lineEnd + 1 + (next.length - next.trimStart().length);
        const b = a + next.trim().length;
        if (free(a, b, i)) end = b;
      }
    }
    // the line above, when the name's first line is no more than a word and company suffixes
    const lineStart = lineStartWithin(text, start, MAX_NAME_LINE);
    if (lineStart > 0 && /^[ \t]*$/.test(text.slice(lineStart, start))) {
      const own = text.slice(start, end);
      // a bracket's words ("(SETIA" of "ENTERPRISE (SETIA ⏎ ALAM) SDN BHD") are not the name's
      const words = own
        .split('\n')[0]
        .trim()
        .split(/[ \t]+/)
        .filter((w) => !COMPANY_SUFFIX.test(w) && !/^\(|\)$/.test(w));
      const suffixed = own.split(/\s+/).some((w) => COMPANY_SUFFIX.test(w));
      const prevStart = words.length <= 1 && suffixed ? lineStartWithin(text, lineStart - 1, MAX_NAME_LINE + 1) : -1;
      if (prevStart >= 0) {
        const prev = text.slice(prevStart, lineStart - 1).replace(/\r$/, '');
        if (isNameLine(prev)) {
          const a = prevStart + (prev.length - prev.trimStart().length);
          if (free(a, lineStart - 1, i)) start = a;
        }
      }
    }
    if (start !== e.start || end !== e.end) joined[i] = { ...e, start, end, text: text.slice(start, end) };
  }
  // a name the network split in two at the break before its suffix: "POPULAR BOOK" ⏎ "CO. (M) SDN BHD"
  return joinNeighbours(
    text,
    joined,
    (last, e) =>
      last.label === 'PARTY' &&
      e.label === 'PARTY' &&
      /^[ \t]*\r?\n[ \t]*$/.test(text.slice(last.end, e.start)) &&
      COMPANY_SUFFIX.test(e.text.trim().split(/\s+/)[0] ?? ''),
  );
}
