// Document-level consistency: contracts name a party once in full ("ArTara Therapeutics, Inc.
// (\"ArTara\")") and then use the short name throughout, in the signature block in capitals and
// in EDGAR's "Source: ARTARA THERAPEUTICS, INC." footers. A sentence-level tagger sees
// "ArTara shall ..." without that context, so confident PARTY entities lend their label to the
// other occurrences of their name, of the name without its corporate suffix and of the short
// names defined right after it, in the same or upper case and with any run of spaces.
//
// Linear in the text: the names are a sorted list searched one character at a time from each
// token start (no regular expression with one alternative per name), whether a short name is
// a role the contract uses in lower case is answered for all names in one pass, and at most
// MAX_NAMES names (the most confident) of at most MAX_NAME_LENGTH characters are lent.
import { firstEndingAfter } from '../core/ranges';
import type { Entity, Token } from '../core/types';

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

/** A person's name with middle initials: "Dennis W. Wells", "DONALD J. DEMARIE, JR.", "Brad N. Graves". */
const PERSON_WITH_INITIAL =
  /^[A-Z][A-Za-z'’-]{1,30}(?:\s{1,4}[A-Z]\.){1,3}\s{1,4}[A-Z][A-Za-z'’-]{1,40}(?:,?\s{1,4}(?:Jr|JR|Sr|SR)\.?|\s{1,4}(?:II|III|IV))?$/;

export interface PropagateOptions {
  labels?: string[];
  /** entities below this confidence lend nothing */
  minConfidence?: number;
}

/** At most this many distinct names are lent (the most confident), so work and memory stay bounded. */
export const MAX_NAMES = 20_000;
/** Longer names are not lent (no party name is this long; the search reads at most this far). */
export const MAX_NAME_LENGTH = 160;
/** A run of whitespace inside a name matches at most this many characters. */
const MAX_GAP = 64;

/** Answers of isRole for one text, by lower-case alias. */
type RoleCache = Map<string, boolean>;

const roleWord = (alias: string) => alias.toLowerCase().replace(/^the\s+/, '');

/**
 * Whether a defined term names a role, not a party: a known role word, or one the contract also
 * uses as a lower-case word in its prose ("Licensing", "Network"; "ebix" in "www.ebix.com" does
 * not count). `cache` holds the answers propagateEntities found for all names in one pass; a
 * word missing from it is looked up in the text directly.
 */
function isRole(text: string, alias: string, cache: RoleCache): boolean {
  const word = roleWord(alias);
  if (ROLES.has(word)) return true;
  let role = cache.get(word);
  if (role === undefined) {
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
function definedAliases(text: string, entity: Entity, roles: (alias: string) => boolean): string[] {
  const after = text.slice(entity.end, entity.end + DEFINITION_REACH);
  const nameWords = new Set(entity.text.toLowerCase().split(/[\s,.]+/));
  const fromName = (alias: string) => alias.split(/\s+/).every((w) => nameWords.has(w.toLowerCase())) && !roles(alias);
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
  return variantsOf(text, entity, (alias) => isRole(text, alias, roles));
}

function variantsOf(text: string, entity: Entity, roles: (alias: string) => boolean): string[] {
  const out = new Set<string>([entity.text]);
  const base = entity.text.replace(SUFFIX, '').trim();
  if (base.length >= 2 && base !== entity.text) out.add(base);
  for (const alias of definedAliases(text, entity, roles)) out.add(alias);
  // the first word of a longer name, when it is a name of its own: "Oxbow" of "Oxbow Carbon
  // LLC", "AT&T" of "AT&T Mobility LLC" (not "Global" of "Global Energy": see FIRST_WORDS;
  // not "Dennis" of "Dennis W. Wells": a person's first name names nobody in particular)
  const first = base.split(/\s+/)[0];
  if (
    base.includes(' ') &&
    !PERSON_WITH_INITIAL.test(base) &&
    first.length >= 3 &&
    /^[A-Z]/.test(first) &&
    !FIRST_WORDS.has(first.toLowerCase()) &&
    !roles(first)
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

/** WORD_CHAR for the code unit at `i` (false outside the text), without a regex for ASCII. */
function isWordAt(text: string, i: number): boolean {
  if (i < 0 || i >= text.length) return false;
  const c = text.charCodeAt(i);
  if (c < 0x80) return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
  return WORD_CHAR.test(text.charAt(i));
}

/** JavaScript's \s, by code unit. */
function isSpace(c: number): boolean {
  return (
    c === 0x20 ||
    (c >= 0x09 && c <= 0x0d) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** One code unit in lower case (a character whose lower case is longer stays as it is). */
function lowerCode(c: number): number {
  if (c < 0x80) return c >= 0x41 && c <= 0x5a ? c + 32 : c;
  const lower = String.fromCharCode(c).toLowerCase();
  return lower.length === 1 ? lower.charCodeAt(0) : c;
}

function lowerKey(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += String.fromCharCode(lowerCode(s.charCodeAt(i)));
  return out;
}

/**
 * Strings searched as prefixes of a text at a position: sorted, so the keys sharing the first d
 * characters read are a range that two binary searches narrow for character d + 1; the walk
 * stops when the range is empty or at the longest key's length. With `fold`, the text is read in
 * lower case and a run of whitespace (up to MAX_GAP) reads as one space, as the keys are written.
 */
class PrefixSearch {
  private readonly keys: string[];
  private readonly longest: number;
  /** code units that start a key: most positions of a text are ruled out by one lookup */
  private readonly starts = new Uint8Array(65536);
  /** the first two code units of the keys (one-unit keys apart): most of the rest by a second */
  private readonly pairs = new Set<number>();
  private readonly singles = new Uint8Array(65536);
  /** the end, in the text, of what the last longestAt matched */
  end = 0;

  constructor(
    keys: Iterable<string>,
    private readonly fold: boolean,
  ) {
    this.keys = [...new Set(keys)].filter((k) => k.length > 0).sort();
    this.longest = this.keys.reduce((m, k) => Math.max(m, k.length), 0);
    for (const k of this.keys) {
      this.starts[k.charCodeAt(0)] = 1;
      if (k.length === 1) this.singles[k.charCodeAt(0)] = 1;
      else this.pairs.add(k.charCodeAt(0) * 65536 + k.charCodeAt(1));
    }
  }

  /**
   * The longest key read in `text` at `at`, or undefined; `this.end` is then where it ends in
   * the text. What forEachAt's last call would give, without a callback per position.
   */
  longestAt(text: string, at: number): string | undefined {
    if (at >= text.length) return undefined;
    const first = this.fold ? lowerCode(text.charCodeAt(at)) : text.charCodeAt(at);
    if (!this.starts[first]) return undefined;
    if (!this.singles[first] && at + 1 < text.length) {
      let second = text.charCodeAt(at + 1);
      second = this.fold ? (isSpace(second) ? 0x20 : lowerCode(second)) : second;
      if (!this.pairs.has(first * 65536 + second)) return undefined;
    }
    let best: string | undefined;
    this.forEachAt(text, at, (key, end) => {
      best = key;
      this.end = end;
    });
    return best;
  }

  /** Calls `found(key, end)` for each key read in `text` at `at`, shortest first. */
  forEachAt(text: string, at: number, found: (key: string, end: number) => void): void {
    if (at >= text.length) return;
    const first = this.fold ? lowerCode(text.charCodeAt(at)) : text.charCodeAt(at);
    if (!this.starts[first]) return;
    let lo = 0;
    let hi = this.keys.length;
    let pos = at;
    for (let d = 0; d <= this.longest; d++) {
      if (this.keys[lo].length === d) {
        found(this.keys[lo], pos);
        if (++lo >= hi) return;
      }
      if (pos >= text.length) return;
      let code = text.charCodeAt(pos);
      pos++;
      if (this.fold) {
        if (isSpace(code)) {
          code = 0x20;
          const from = pos - 1;
          while (pos < text.length && isSpace(text.charCodeAt(pos))) if (++pos - from > MAX_GAP) return;
        } else code = lowerCode(code);
      }
      lo = this.first(lo, hi, d, code);
      hi = this.first(lo, hi, d, code + 1);
      if (lo >= hi) return;
    }
  }

  /** First index in [lo, hi) whose key has a code unit >= code at d (keys there all reach d). */
  private first(lo: number, hi: number, d: number, code: number): number {
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.keys[mid].charCodeAt(d) < code) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * The role answers every alias of these entities needs, found in one pass over the text: each
 * alias word is looked for after whitespace and before whitespace, ",", ";" or ":".
 */
function roleAnswers(text: string, words: Set<string>): RoleCache {
  const cache: RoleCache = new Map();
  const queries = [...words].filter((w) => !ROLES.has(w) && w.length > 0 && w.length <= MAX_NAME_LENGTH);
  for (const w of words) cache.set(w, ROLES.has(w));
  if (queries.length === 0) return cache;
  const search = new PrefixSearch(queries, false);
  for (let p = 1; p < text.length; p++) {
    if (!isSpace(text.charCodeAt(p - 1))) continue;
    search.forEachAt(text, p, (word, end) => {
      const c = text.charCodeAt(end);
      if (isSpace(c) || c === 0x2c || c === 0x3b || c === 0x3a) cache.set(word, true);
    });
  }
  return cache;
}

/** Token boundaries of a text, as sorted arrays: what propagation needs of a long text's tokens. */
export interface TokenBounds {
  starts: Int32Array;
  ends: Int32Array;
}

export function tokenBounds(tokens: readonly Token[]): TokenBounds {
  const starts = new Int32Array(tokens.length);
  const ends = new Int32Array(tokens.length);
  tokens.forEach((t, i) => {
    starts[i] = t.start;
    ends[i] = t.end;
  });
  return { starts, ends };
}

function indexOfSorted(a: Int32Array, value: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo < a.length && a[lo] === value ? lo : -1;
}

/** The variants confident entities lend, with the label and confidence of the best lender; bounded. */
function collectVariants(text: string, sources: Entity[]): Map<string, { label: string; confidence: number }> {
  // most confident first: they win ties and, past MAX_NAMES, the rest lend nothing
  const ordered = [...sources].sort((a, b) => b.confidence - a.confidence || a.start - b.start);
  // the role answers every alias needs, in as many passes as it takes (an answer can lead to
  // a later parenthesis and its words; in practice one or two)
  const asked = new Set<string>();
  let roles: RoleCache = new Map();
  for (let round = 0; round < 4; round++) {
    const fresh = new Set<string>();
    const answer = (alias: string): boolean => {
      const word = roleWord(alias);
      const known = ROLES.has(word) || roles.get(word);
      if (known === undefined && !asked.has(word)) fresh.add(word);
      return known ?? false;
    };
    for (const e of ordered) variantsOf(text, e, answer);
    if (fresh.size === 0) break;
    for (const w of fresh) asked.add(w);
    roles = new Map([...roles, ...roleAnswers(text, fresh)]);
  }
  const lentBy = new Map<Entity, string[]>();
  const lent = (e: Entity): string[] => {
    let keys = lentBy.get(e);
    if (!keys) {
      keys = variantsOf(text, e, (alias) => isRole(text, alias, roles))
        .map((v) => v.replace(/\s+/g, ' '))
        .filter((key) => key.length <= MAX_NAME_LENGTH && key.trim() !== '');
      lentBy.set(e, keys);
    }
    return keys;
  };
  // the names lent: the first MAX_NAMES of the most confident entities
  const allowed = new Set<string>();
  for (const e of ordered) {
    for (const key of lent(e)) if (allowed.size < MAX_NAMES) allowed.add(key);
    if (allowed.size >= MAX_NAMES) break;
  }
  // in document order, each with the label and confidence of its most confident lender
  const variants = new Map<string, { label: string; confidence: number }>();
  for (const e of sources) {
    for (const key of lent(e)) {
      if (!allowed.has(key)) continue;
      const known = variants.get(key);
      if (!known || known.confidence < e.confidence) variants.set(key, { label: e.label, confidence: e.confidence });
    }
  }
  return variants;
}

/**
 * Whether names are lent in a document of this kind: in contracts, not on receipts and invoices,
 * where a seller's name comes back as a brand on the item lines (the lent names on SROIE's
 * receipts are almost all wrong: the model card has the count).
 */
export function lendsNames(kind: string): boolean {
  return kind !== 'receipt' && kind !== 'invoice';
}

/**
 * Adds entities for further occurrences of confident names; returns all entities, sorted.
 * A match must cover whole tokens of `tokens` (the tokens, or their bounds for a long text);
 * without tokens (the editor, which does not keep a whole document's tokens), it must not touch
 * a letter or digit on either side. Time is linear in the text; at most MAX_NAMES names are lent.
 */
export function propagateEntities(
  text: string,
  tokens: readonly Token[] | TokenBounds | null,
  entities: Entity[],
  options: PropagateOptions = {},
): Entity[] {
  const labels = new Set(options.labels ?? ['PARTY']);
  const minConfidence = options.minConfidence ?? 0.5;
  const sources = entities.filter(
    (e) => labels.has(e.label) && e.confidence >= minConfidence && e.source !== 'document',
  );
  if (sources.length === 0) return entities;
  const variants = collectVariants(text, sources);
  if (variants.size === 0) return entities;
  // lower-case search keys, each with the names (cases) it stands for
  const byLower = new Map<string, string[]>();
  for (const key of variants.keys()) {
    const lower = lowerKey(key);
    const list = byLower.get(lower);
    if (list) list.push(key);
    else byLower.set(lower, [key]);
  }
  const search = new PrefixSearch(byLower.keys(), true);
  const bounds = tokens === null ? null : 'starts' in tokens ? tokens : tokenBounds(tokens);
  const taken = [...entities].sort((a, b) => a.start - b.start);
  const wholeTokens = (at: number, end: number): boolean => {
    if (!bounds) return !isWordAt(text, at - 1) && !isWordAt(text, end);
    return indexOfSorted(bounds.starts, at) >= 0 && indexOfSorted(bounds.ends, end) >= 0;
  };
  const added: Entity[] = [];
  // as a regular expression with one alternative per name (longest first) would: the longest
  // name read at a position is the match; if it is refused, the scan goes on after it
  const tryAt = (at: number): number => {
    const lower = search.longestAt(text, at);
    if (lower === undefined) return at + 1;
    const end = search.end;
    const names = byLower.get(lower) as string[];
    const name = names[names.length - 1];
    const found = text.slice(at, end);
    if (!sameName(found, name) || !wholeTokens(at, end)) return end;
    const k = firstEndingAfter(taken, at);
    if (k < taken.length && taken[k].start < end) return end;
    const { label, confidence } = variants.get(name) as { label: string; confidence: number };
    added.push({ label, start: at, end, text: found, confidence: confidence * 0.9, source: 'document' });
    return end;
  };
  for (let at = 0; at < text.length;) at = tryAt(at);
  return added.length ? [...entities, ...added].sort((a, b) => a.start - b.start) : entities;
}
