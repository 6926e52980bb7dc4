// Document-level consistency: contracts name a party once in full ("ArTara Therapeutics, Inc.
// (\"ArTara\")") and then use the short name throughout, in the signature block in capitals and
// in EDGAR's "Source: ARTARA THERAPEUTICS, INC." footers. A sentence-level tagger sees
// "ArTara shall ..." without that context, so confident PARTY entities lend their label to the
// other occurrences of their name, of the name without its corporate suffix and of the short
// names defined right after it, in the same or upper case and with any run of spaces.
import { firstEndingAfter } from '../core/ranges';
import type { Entity, Range, Token } from '../core/types';

const SUFFIX =
  /(?:[,\s]+(?:inc|incorporated|corp|corporation|ltd|limited|llc|l\.l\.c|lp|l\.p|llp|plc|gmbh|ag|s\.a|n\.v|b\.v|co|company|pte|pty|sdn\.?\s*bhd|bhd)\.?)+$/i;
/** a parenthesis right after a name: `("Acme")`, `(the "Company" or "Acme")`, `(Acme)` */
const GROUP = /\(([^()]{1,160})\)/g;
const QUOTED = /["\u201c]([^"\u201d]{1,40})["\u201d]/g;
/** how far after a name its definition may come ("Acme Ltd., a company registered at ... ("Acme")") */
const DEFINITION_REACH = 300;
/**
 * Defined terms that name a role, not a party ("Company", "Licensee", "Agent", "Shipper" …).
 * CUAD does not label them as parties (the model card has the count), and neither should we.
 */
const ROLES = new Set(
  (
    'agreement company corporation party parties agent distributor licensee licensor customer supplier manufacturer ' +
    'consultant sponsor bank client owner franchisee franchisor reseller shipper carrier operator buyer seller purchaser ' +
    'vendor contractor subcontractor developer merchant trust trustee lender borrower servicer depositor issuer guarantor ' +
    'investor partner affiliate member holder parent subsidiary provider recipient discloser landlord tenant lessor ' +
    'lessee employer employee executive contract term territory product products services service collaborator'
  ).split(' '),
);

/** Words that begin many company names without naming one ("First National Bank"). */
const FIRST_WORDS = new Set(
  'the first american national united general international global new north south east west royal pacific atlantic central western eastern northern southern'.split(
    ' ',
  ),
);

export interface PropagateOptions {
  labels?: string[];
  /** entities below this confidence lend nothing */
  minConfidence?: number;
}

/** Answers of isRole for one text: each answer scans the whole document. */
type RoleCache = Map<string, boolean>;

function isRole(text: string, alias: string, cache: RoleCache): boolean {
  const word = alias.toLowerCase().replace(/^the\s+/, '');
  if (ROLES.has(word)) return true;
  let role = cache.get(word);
  if (role === undefined) {
    // a defined term that the contract also uses as a lower-case word in its prose is a role
    // ("Licensing", "Network"); "ebix" in "www.ebix.com" does not count
    role = text.includes(word) && new RegExp(`\\s${escape(word)}[\\s,;:]`).test(text);
    cache.set(word, role);
  }
  return role;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Short names defined in the first parenthesis with a definition after the name, when drawn
 * from the name's own words: "Cellco Partnership … ("Cellco")", "ASHWORTH, INC. (the "Company"
 * or "Ashworth")". Other defined names ("PB", "SpinCo") are left alone: CUAD labels them in
 * some contracts and not in others, and lending them cost more precision than it won recall on
 * dev (figures in the model card).
 */
function definedAliases(text: string, entity: Entity, roles: RoleCache): string[] {
  const after = text.slice(entity.end, entity.end + DEFINITION_REACH);
  const nameWords = new Set(entity.text.toLowerCase().split(/[\s,.]+/));
  const fromName = (alias: string) =>
    alias.split(/\s+/).every((w) => nameWords.has(w.toLowerCase())) && !isRole(text, alias, roles);
  for (const group of after.matchAll(GROUP)) {
    const quoted = [...group[1].matchAll(QUOTED)].map((m) => m[1].trim());
    if (quoted.length) return quoted.filter(fromName);
    // unquoted, as some filings print it: "Bioeq IP AG … (Bioeq)"
    const bare = group[1].trim();
    if (/^[A-Z][\w&.'-]{1,30}$/.test(bare) && fromName(bare)) return [bare];
  }
  return [];
}

/** Name variants an entity lends its label to. */
export function nameVariants(text: string, entity: Entity, roles: RoleCache = new Map()): string[] {
  const out = new Set<string>([entity.text]);
  const base = entity.text.replace(SUFFIX, '').trim();
  if (base.length >= 2 && base !== entity.text) out.add(base);
  for (const alias of definedAliases(text, entity, roles)) out.add(alias);
  // the first word of a longer name, when it is a name of its own: "Oxbow" of "Oxbow Carbon
  // LLC", "AT&T" of "AT&T Mobility LLC" (not "Global" of "Global Energy": see FIRST_WORDS)
  const first = base.split(/\s+/)[0];
  if (
    base.includes(' ') &&
    first.length >= 3 &&
    /^[A-Z]/.test(first) &&
    !FIRST_WORDS.has(first.toLowerCase()) &&
    !isRole(text, first, roles)
  ) {
    out.add(first);
  }
  return [...out];
}

/** The same name in another case: as written, in capitals, or capitalised where the name is in capitals. */
function sameName(found: string, name: string): boolean {
  const squash = (s: string) => s.replace(/\s+/g, ' ');
  const f = squash(found);
  const n = squash(name);
  if (f === n) return true;
  if (f.toLowerCase() !== n.toLowerCase()) return false;
  if (f === f.toUpperCase()) return true;
  return n === n.toUpperCase() && /^[A-Z]/.test(f);
}

/** A letter, digit or joiner on either side means the match is part of a longer word. */
const WORD_CHAR = /[\p{L}\p{N}_]/u;

/**
 * Adds entities for further occurrences of confident names; returns all entities, sorted.
 * A match must cover whole tokens of `tokens`; without tokens (the editor, which does not keep
 * a whole document's tokens), it must not touch a letter or digit on either side.
 */
export function propagateEntities(
  text: string,
  tokens: Token[] | null,
  entities: Entity[],
  options: PropagateOptions = {},
): Entity[] {
  const labels = new Set(options.labels ?? ['PARTY']);
  const minConfidence = options.minConfidence ?? 0.5;
  const variants = new Map<string, { label: string; confidence: number }>();
  const roles: RoleCache = new Map();
  for (const e of entities) {
    if (!labels.has(e.label) || e.confidence < minConfidence || e.source === 'document') continue;
    for (const v of nameVariants(text, e, roles)) {
      const key = v.replace(/\s+/g, ' ');
      const known = variants.get(key);
      if (!known || known.confidence < e.confidence) variants.set(key, { label: e.label, confidence: e.confidence });
    }
  }
  if (variants.size === 0) return entities;
  const taken: Range[] = entities.map((e) => ({ start: e.start, end: e.end })).sort((a, b) => a.start - b.start);
  const startsAt = new Map<number, number>();
  tokens?.forEach((t, i) => startsAt.set(t.start, i));
  const wholeTokens = (at: number, end: number): boolean => {
    if (!tokens) return !WORD_CHAR.test(text.charAt(at - 1)) && !WORD_CHAR.test(text.charAt(end));
    const first = startsAt.get(at);
    if (first === undefined) return false;
    let last = first;
    while (last < tokens.length && tokens[last].end < end) last++;
    return last < tokens.length && tokens[last].end === end;
  };
  const added: Entity[] = [];
  // one pass over the text for all names; at each place the longest name is tried first, so
  // "Acme Corp." is taken before "Acme" could take its first word
  const keys = [...variants.keys()].sort((a, b) => b.length - a.length);
  const byKey = new Map(keys.map((k) => [k.toLowerCase(), k]));
  const pattern = new RegExp(keys.map((k) => k.split(' ').map(escape).join('\\s+')).join('|'), 'gi');
  for (const m of text.matchAll(pattern)) {
    const at = m.index ?? 0;
    const end = at + m[0].length;
    const key = byKey.get(m[0].replace(/\s+/g, ' ').toLowerCase());
    if (key === undefined || !sameName(m[0], key)) continue;
    // whole tokens only: "Acme" must not match inside "Acmeon"
    if (!wholeTokens(at, end)) continue;
    const k = firstEndingAfter(taken, at);
    if (k < taken.length && taken[k].start < end) continue;
    const { label, confidence } = variants.get(key) as { label: string; confidence: number };
    added.push({ label, start: at, end, text: m[0], confidence: confidence * 0.9, source: 'document' });
    taken.splice(k, 0, { start: at, end });
  }
  return added.length ? [...entities, ...added].sort((a, b) => a.start - b.start) : entities;
}
