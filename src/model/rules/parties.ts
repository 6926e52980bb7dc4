// Parties a contract's preamble names, which the network misses: people ("between Global
// Technologies, Ltd (...) and Timothy Cabrera (hereinafter the "Consultant"), an individual",
// "and Paul Silas ("Celebrity"), an individual", "and Brent C. Jewell, who resides at ...
// ("Employee")"; its training contracts are between companies),
// and organisations named inside a long sentence or without a legal form ("by and between
// Russian Standard Vodka (the "Receiving Party") and ..."). Span convention: the name as
// written, without a title ("Mr.") and without the defined term. Only where the name is
// introduced as a party: after "between", "among", "and" or "with", followed by its defined
// term in brackets (or, for a person, by ", an individual"), with "between" or "among" shortly
// before; where the contract is made between them, an organisation named by its legal form
// needs no defined term ("and Ablecom Technology Inc. to assure ..."). The policy adds these
// only where the network found nothing (a `fill` label), so a name the network found keeps the
// network's span.
import { forEachMatch, HS0, PRIORITY, rule, WS, WS0, type Candidate } from './common';

/** A name word: capitalised or all capitals, DeMarie, hyphenated parts, O'Brien; or an initial. */
const WORD =
  "(?:[A-Z][a-z]{1,20}(?:[A-Z][a-z]{1,20})?(?:[-'’][A-Z][a-z]{1,20})?|[A-Z]{2,20}(?:[-'’][A-Z]{2,20})?|[A-Z]\\.)";
/** Two to four words, the first not an initial (McDonald, O'Brien, JAMES), and a generational suffix. */
const NAME = `(?:[A-Z][a-z]{1,20}(?:[A-Z][a-z]{1,20})?(?:[-'’][A-Z][a-z]{1,20})?|[A-Z]{2,20})(?:[ ]${WORD}){1,3}(?:,?[ ](?:Jr\\.|Sr\\.|II|III|IV))?`;
const TITLE = '(?:(?:Mr|Mrs|Ms|Dr|Prof)\\.?[ ])?';
/** A first initial before a name: "R. David Banyard", "H. Reg McDaniel". */
const INITIAL = '(?:[A-Z]\\.[ ])?';
/** `(hereinafter the "Consultant")`, `("Employee")`, `(the “Executive”)`. */
const DEFINED_AS = `\\(${HS0}(?:(?:hereinafter|herein)${HS0}(?:(?:referred|called)${HS0}to${HS0}as${HS0})?)?(?:the${HS0})?["“]`;
/** A role in capitals, bare in brackets, as a "PARTIES:" header gives it: `Mindy Grossman (EMPLOYEE)`. */
const BARE_ROLE = `${WS0}\\(${HS0}(?:EMPLOYEE|EXECUTIVE|CONSULTANT|CONTRACTOR)${HS0}\\)`;
/**
 * What follows a person introduced as a party: the defined term, a bare role, `, an
 * individual`, or where they live and then the defined term (", who resides at 3165 Lake Shore
 * Boulevard, ... ("Employee")", ", whose address is ...", ", located at xxx (the "Receiving
 * Party")", ", his heirs, executors ... ("Faulkner")").
 */
const INTRODUCED = `(?:${WS0}${DEFINED_AS}|${BARE_ROLE}|,${WS}an${WS}individual|,${WS}(?:who${WS}resides|residing|located|whose${WS}(?:address|residence)|his${WS}heirs|her${WS}heirs)[^();]{1,200}${DEFINED_AS})`;

const PERSON_PARTY = rule(
  new RegExp(
    `(?<![\\p{L}])(?:between|among|and|with|BETWEEN|AMONG|AND|PARTIES:|Parties:)${WS}${TITLE}(${INITIAL}${NAME})(?=${INTRODUCED})`,
    'gu',
  ),
);
/** Words of an organisation's, an office's or a role's name, never of a person's (any case). */
const NOT_A_PERSON = rule(
  /(?:^|[ ,])(?:Inc|Incorporated|LLC|L\.L\.C|Ltd|Limited|Corporation|Corp|Company|Co|Group|Holdings?|Partners|Partnership|Fund|Funds|Bank|Trust|University|College|Institute|Agreement|Party|Parties|Section|State|County|City|Board|Association|Foundation|Technologies|Technology|Systems|Services|Solutions|Capital|Management|Enterprises?|Industries|International|Global|Media|Pharmaceuticals?|Therapeutics|Labs?|Laboratories|Office|Commission|Union|Administration|Agency|Authority|Department|Ministry|Council|Committee|Exchange|Research|Sciences?|Online|Insurance|Production|Products|Energy|Resources|Communications|Networks?|Software|Entertainment|Sports|Marketing|Financial|Investments?|Properties|Realty|Motors|Foods|Brands|Micro|Module|Accounts|Times|Oil|AG|GmbH|SA|S\.A|BV|B\.V|NV|N\.V|PLC|LP|L\.P|LLP|SE|SpA|Pty|The|Borrower|Lender|Buyer|Seller|Licensee|Licensor|Employer|Consultant|Employee|Executive|Contractor|Customer|Supplier|Distributor|Franchisee|Franchisor)(?=$|[ ,.])/iu,
);
/**
 * A capitalised word right before "and": the "and" joins one name ("Patent and Trademark
 * Office", "Securities and Exchange Commission"), unless the word ends a company's name.
 */
const NAME_BEFORE_AND = rule(/(?<![\p{L}])([A-Z][\p{L}]{0,30})\.?[ \t]{1,8}(?:and|AND)$/u);
const COMPANY_END = rule(/^(?:Inc|Corp|Corporation|Ltd|Limited|LLC|Co|Company|LP|LLP|PLC|AG|GmbH|SA|NV|BV)$/iu);
/** "between" or "among" this far before the name: the name is in a list of parties. */
const LIST_WINDOW = 600;
const LIST_WORD = rule(/(?<![\p{L}])(?:between|among|BETWEEN|AMONG|Between|Among|PARTIES:|Parties:)(?![\p{L}])/u);

/** Whether "between" or "among" comes shortly before `at` (or is the word there). */
function inListOfParties(text: string, at: number): boolean {
  return LIST_WORD.test(text.slice(Math.max(0, at - LIST_WINDOW), at + 8));
}

/** Whether the "and" at `at` may join two parties: not one name ("Research and Engineering Company"). */
function afterAPartyName(text: string, at: number): boolean {
  const before = NAME_BEFORE_AND.exec(text.slice(Math.max(0, at - 32), at + 3));
  return !before || COMPANY_END.test(before[1]);
}

export function findPersonParties(text: string): Candidate[] {
  const out: Candidate[] = [];
  forEachMatch(PERSON_PARTY, text, (m) => {
    const name = m[1];
    if (NOT_A_PERSON.test(name)) return;
    if (/^(?:and|AND)/.test(m[0]) && !afterAPartyName(text, m.index)) return;
    const start = m.index + m[0].length - name.length;
    if (!inListOfParties(text, m.index)) return;
    out.push({ start, end: start + name.length, label: 'PARTY', priority: PRIORITY.PARTY });
  });
  return out;
}

/** A word of an organisation's name: capitalised or all capitals, "iPass" or "eBay", or "&". */
const ORG_WORD = "(?:[A-Z][\\p{L}'’.-]{0,30}|[a-z]{1,2}[A-Z][\\p{L}'’.-]{0,30}|&)";
/** A legal form after a comma: `Comverge, Inc.`, `Telco Solutions III, LLC`. */
const COMMA_FORM = ',[ ](?:Inc|Ltd|LLC|L\\.L\\.C|LP|L\\.P|LLP|Corp|PLC|N\\.A|S\\.A|AG|GmbH)\\.?';
const ORG = `${ORG_WORD}(?:[ ](?:of[ ]|for[ ])?${ORG_WORD}|${COMMA_FORM}){0,6}`;
/** `(the "Receiving Party")`, `("RSV")`, `(hereinafter referred to as the "Company")`: the defined term. */
const DEFINED = `${WS0}\\(${WS0}(?:(?:hereinafter|herein)${WS}(?:(?:referred|called)${WS}to${WS}as${WS})?)?(?:the${WS})?["“]([^"”\\n]{1,40})["”]`;
/** What a preamble may say of a party before defining it: ", a California corporation". */
const DESCRIBED = `(?:,${WS}an?${WS}(?:[A-Z][\\p{L}.]{1,20}${WS}){0,3}(?:corporation|company|limited${WS}liability${WS}company|limited${WS}partnership|partnership|bank|trust|association)(?:${WS}(?:having|with|whose|organized|organised|existing|incorporated|and)[^()\\n]{1,160})?${HS0},?)?`;
const ORG_PARTY = rule(
  new RegExp(
    `(?:(?<![\\p{L}])(?:between|among|and|with|BETWEEN|AMONG|AND)|[)”"],)${WS}(${ORG})(?=${DESCRIBED}${DEFINED})`,
    'gu',
  ),
);
const ORG_DEFINED = rule(new RegExp(`^${DESCRIBED}${DEFINED}`, 'u'));
/** Defined terms that name a party by its role. */
const ROLE_TERM = rule(
  /^(?:(?:Receiving|Disclosing|Other|First|Second|Each)[ ]Party|Party|Recipient|Discloser|Company|Corporation|Buyer|Seller|Purchaser|Vendor|Licensee|Licensor|Lender|Borrower|Customer|Client|Supplier|Distributor|Manufacturer|Reseller|Contractor|Consultant|Provider|Service[ ]Provider|Agent|Partner|Investor|Shareholder|Stockholder|Parent|Acquirer|Bidder|Owner|Landlord|Tenant|Franchisor|Franchisee|Sponsor|Developer|Publisher|Producer|Employer|Bank|Trustee|Guarantor|Issuer|Holder|Member|Manager|Advisor|Adviser|Sub|Merger[ ]Sub|Acquiror|Target)$/iu,
);
/** Capitalised words that start a defined thing, not a party ("Confidential Information"). */
const NOT_AN_ORG = rule(
  /(?:^|[ ])(?:Agreement|Section|Exhibit|Schedule|Annex|Appendix|Article|Confidential|Information|Effective|Date|Purpose|Plan|Transaction|Proposed|Project|Program|Property|Premises|Territory|Term|Notes?|Shares?|Stock|Securities|Act|Code|Rules?|Policy|Evaluation|Material|Materials|Business|Opportunity|Merger|Offer|Loan|Credit|Facility|Closing|Parties|Party|Commission|Court|Tribunal|Arbitration)(?=$|[ ,.])/iu,
);

/** A name that ends in a legal form: "Ablecom Technology Inc.", "Comverge, Inc.", "Tiffany Company". */
const FORMED = rule(
  /[ ,](?:Inc|Incorporated|Corp|Corporation|Company|Co|Ltd|Limited|LLC|L\.L\.C|LP|L\.P|LLP|PLC|N\.A|S\.A|AG|GmbH|SE|Pty|BV|B\.V|NV|N\.V|SAS|SpA|KK)\.?$/u,
);
/**
 * An organisation a party list names by its full legal name without defining it: "by and
 * between SUPERMICRO Computer, Inc., a California Corporation, and Ablecom Technology Inc. to
 * assure ...". Only in a list this contract is made between ("This ..." "made", "entered into",
 * "executed" or "dated" shortly before "between" or "among"): elsewhere, "between" lists
 * companies that are not parties ("disputes between the parties and Wells Fargo Bank, N.A., as
 * trustee"). A cue in the text around the name, not its place in the document, so that a text
 * tagged a part at a time finds the same names.
 */
const FORMED_PARTY = rule(
  new RegExp(
    `(?<![\\p{L}])(?:between|among|and|with|BETWEEN|AMONG|AND)${WS}(${ORG})(?![ ](?:of[ ]|for[ ])?${ORG_WORD}|${COMMA_FORM})`,
    'gu',
  ),
);

/** "between" or "among" wherever they are, as LIST_WORD finds one. */
const LIST_WORDS = rule(new RegExp(LIST_WORD.source, 'gu'));
const MADE = rule(/(?<![\p{L}])(?:made|entered[ \t\n]{1,4}into|executed|dated)(?![\p{L}])/giu);
const THIS = rule(/(?<![\p{L}])this(?![\p{L}])/iu);
/** How far before "between" the verb may be, and "This" before the verb. */
const MADE_REACH = 250;
const THIS_REACH = 200;

/**
 * Whether this contract is said to be made between the parties shortly before `at`: "This
 * Agreement is made and entered into as of ... by and between", not another agreement it names
 * ("License Agreement dated February 3, 2006, by and between MeadWestvaco Corporation and ABI").
 */
function inMadeBetween(text: string, at: number): boolean {
  const before = text.slice(Math.max(0, at - LIST_WINDOW), at + 8);
  for (const list of before.matchAll(LIST_WORDS)) {
    const from = Math.max(0, list.index - MADE_REACH);
    const verb = [...before.slice(from, list.index).matchAll(MADE)].pop();
    if (!verb) continue;
    const at0 = from + verb.index;
    if (THIS.test(before.slice(Math.max(0, at0 - THIS_REACH), at0))) return true;
  }
  return false;
}

/** A sentence's full stop is not the name's ("Erchonia Corporation."), an abbreviation's is. */
function trimName(name: string): string {
  return name.replace(/[ ,]+$/, '').replace(/(?<![A-Z]|\b(?:Inc|Corp|Co|Ltd|Bros|Assn))\.$/, '');
}

/** The initials or first word of a name: the short name a party is defined by ("RSV", "LSI"). */
function isShortNameOf(term: string, name: string): boolean {
  const words = name.split(/[ ]+/).filter((w) => /^[a-z]{0,2}[A-Z]/.test(w));
  const initials = words.map((w) => w[0]).join('');
  const t = term.replace(/[.\s]/g, '');
  const same = (a: string, b: string) => a.toUpperCase() === b.toUpperCase();
  return t.length >= 2 && (same(t, initials) || words.some((w) => same(w.replace(/[.,]/g, ''), term.trim())));
}

/**
 * `, collectively the "Parties"` shortly after a name: it is in the list of parties, whatever
 * word introduced the list ("a possible business transaction involving Manpower Inc.
 * ("COMPANY") and Comsys IT Partners, Inc. ("COMSYS"), collectively the "Parties"").
 */
const CALLED_PARTIES = rule(/^[^;]{0,200}?(?:collectively|together)[ ,]{1,3}(?:the[ ]{1,2})?["“]Parties[,.]?["”]/u);

/**
 * Organisations a preamble names and defines: "by and between Russian Standard Vodka (the
 * "Receiving Party") and ...", "and Sonic Solutions, a California corporation ("Sonic")". A run
 * of capitalised words after "between", "among", "and" or "with", then (after what kind of
 * entity it is) its defined term in brackets: a party's role or the name's short form.
 */
export function findNamedParties(text: string): Candidate[] {
  const out: Candidate[] = [];
  forEachMatch(ORG_PARTY, text, (m) => {
    const name = trimName(m[1]);
    // a defined thing ("Confidential Information"), unless a legal form ends it ("Information Spectrum, Inc.")
    if ((NOT_AN_ORG.test(name) && !FORMED.test(name)) || ROLE_TERM.test(name)) return;
    const start = m.index + m[0].length - m[1].length;
    const term = ORG_DEFINED.exec(text.slice(start + m[1].length, start + m[1].length + 240))?.[1];
    if (!term || !(ROLE_TERM.test(term) || isShortNameOf(term, name))) return;
    if (!inListOfParties(text, m.index) && !CALLED_PARTIES.test(text.slice(start, start + 300))) return;
    out.push({ start, end: start + name.length, label: 'PARTY', priority: PRIORITY.PARTY });
  });
  return out;
}

/**
 * The name a run of capitalised words gives, ending in its legal form: the whole run, or the
 * part before a sentence that starts after it ("Umbrella S.A.. The parties ..."); else undefined.
 */
function formedName(run: string): string | undefined {
  const whole = trimName(run);
  if (FORMED.test(whole)) return whole;
  for (const end of run.matchAll(/\.(?=[ ])/g)) {
    const name = trimName(run.slice(0, end.index + 1));
    if (FORMED.test(name)) return name;
  }
  return undefined;
}

/** Organisations a preamble's list of parties names by a legal form, undefined; none overlaps `found`. */
export function findFormedParties(text: string, found: readonly Candidate[] = []): Candidate[] {
  const out: Candidate[] = [];
  forEachMatch(FORMED_PARTY, text, (m) => {
    const name = formedName(m[1]);
    if (!name || !name.includes(' ') || NOT_AN_ORG.test(name)) return;
    if (/^(?:and|AND)/.test(m[0]) && !afterAPartyName(text, m.index)) return;
    const start = m.index + m[0].length - m[1].length;
    if (found.some((c) => c.start < start + name.length && start < c.end)) return;
    if (!inMadeBetween(text, m.index)) return;
    out.push({ start, end: start + name.length, label: 'PARTY', priority: PRIORITY.PARTY });
  });
  return out;
}
