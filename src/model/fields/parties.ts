// Parties as a document names them: a full name in a defining mention ("ArTara Therapeutics,
// Inc. ("ArTara")"), then short names, capitals in the signature block and defined aliases
// ("the Company", "HOC"). The PARTY mentions are grouped into one cluster per party: a mention
// joins a cluster when its name is the cluster's name, that name without its legal form, its
// first word, or an alias defined right after the cluster's defining mention.
import type { Range } from '../core/types';
import type { Mention } from './mentions';
import { FieldText } from './text';
import { nameWords, partyKey, partyNameRange } from './values';

export interface Alias extends Range {
  text: string;
}

export interface PartyCluster {
  /** the full name, as written in the defining mention (line breaks collapsed) */
  name: string;
  /** the defining mention's name range */
  start: number;
  end: number;
  /** every PARTY mention of the party, in text order */
  mentions: (Range & { confidence: number; source: Mention['source'] })[];
  /** terms defined for it right after its defining mention: `"ArTara"`, `the "Company"` */
  aliases: Alias[];
  /** comparison keys of the names it answers to */
  keys: Set<string>;
}

const LEGAL_FORM =
  /(?:[,\s]+(?:inc|incorporated|corp|corporation|ltd|limited|llc|l\.l\.c|lp|l\.p|llp|plc|gmbh|ag|s\.a|sa|n\.v|b\.v|co|company|pte|pty|sdn\.?\s*bhd|bhd|s\/b)\.?)+$/i;
/** Quoted terms in the parenthesis after a name: `("Acme")`, `(the "Company" or "Acme")`, `(hereinafter "HOC")`. */
const DEFINITION = /^[^()]{0,160}?\(([^()]{1,200})\)/s;
const QUOTED = /["“”']([^"“”']{1,50})["“”']/g;
const DEFINITION_REACH = 300;

/** The name without its legal form ("Acme Holdings, Inc." → "Acme Holdings"). */
export function withoutLegalForm(name: string): string {
  return name.replace(LEGAL_FORM, '').trim();
}

/**
 * Defined terms in the parenthesis right after a mention: the parenthesis must open before
 * `limit` (where the next name starts), so that "Acme Inc. and Beta LLC ("Beta")" gives Acme none.
 */
export function definedAliases(text: string, end: number, limit: number): Alias[] {
  const after = text.slice(end, Math.min(text.length, end + DEFINITION_REACH));
  const group = DEFINITION.exec(after);
  if (!group || end + group[0].length - group[1].length - 2 >= limit) return [];
  const inside = group[1];
  const insideAt = end + (group.index ?? 0) + group[0].length - 1 - inside.length;
  const out: Alias[] = [];
  for (const q of inside.matchAll(QUOTED)) {
    const term = q[1].trim();
    if (!/\p{L}/u.test(term)) continue;
    const start = insideAt + (q.index ?? 0) + q[0].indexOf(q[1]) + (q[1].length - q[1].trimStart().length);
    // "the" before a quoted term belongs to it: (the "Company")
    const the = /\bthe\s+["“]$/i.exec(text.slice(Math.max(end, start - 6), start));
    const from = the ? start - the[0].length : start;
    out.push({
      start: from,
      end: start + term.length,
      text: text.slice(from, start + term.length).replace(/["“”]/g, ''),
    });
  }
  return out;
}

/** Whether two names differ by at most two letters (Levenshtein), for names of 12 letters or more. */
function closeTo(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 2) return false;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let min = i;
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      min = Math.min(min, row[j]);
    }
    if (min > 2) return false;
    prev = row;
  }
  return prev[b.length] <= 2;
}

/** Whether the words of `prefix` (a party key's words) end the line's text before `at`. */
function startsLineBefore(text: string, at: number, prefix: string): boolean {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  if (at - lineStart > 200) return false;
  const before = nameWords(text.slice(lineStart, at));
  return before === prefix || before.endsWith(` ${prefix}`);
}

/** Clusters of the PARTY mentions, in the order their defining mentions appear. */
export function partyClusters(ft: FieldText, mentions: readonly Mention[]): PartyCluster[] {
  const text = ft.text;
  const named = mentions
    .filter((m) => m.label === 'PARTY')
    .map((m) => {
      const [a, b] = partyNameRange(text.slice(m.start, m.end));
      const start = m.start + a;
      const end = m.start + b;
      const name = text.slice(start, end);
      return { ...m, start, end, key: partyKey(name), legal: LEGAL_FORM.test(name) };
    })
    .filter((m) => m.key !== '' && !/[<>[\]{}]|__/.test(text.slice(m.start, m.end)));
  // a span the network began a word or two late ("SYSTEM SERVICES, INC." after "TOTAL" on its
  // line) is the name it ends when those words are there: "HealthPlan Services, Inc." standing
  // alone stays apart from "Sykes HealthPlan Services, Inc."
  const keys = [...new Set(named.map((m) => m.key))];
  for (const m of named) {
    if (!m.key.includes(' ')) continue;
    const longer = keys.find(
      (k) => k.endsWith(` ${m.key}`) && startsLineBefore(text, m.start, k.slice(0, -m.key.length - 1)),
    );
    if (longer) m.key = longer;
  }
  // a name the network cut short where a rule read it whole from the same word ("Dynamic
  // Response" and "Dynamic Response Group, Inc"): the longer name
  const byStart = new Map<number, (typeof named)[number]>();
  for (const m of named) {
    const other = byStart.get(m.start);
    if (!other || m.end > other.end) byStart.set(m.start, m);
  }
  for (const m of named) m.key = byStart.get(m.start)!.key;
  // a mention's defined terms: in its parenthesis, before the next name starts
  const aliasesAfter = (end: number) =>
    definedAliases(text, end, named.find((n) => n.start >= end)?.start ?? text.length);
  const clusters: PartyCluster[] = [];
  const byKey = new Map<string, PartyCluster>();
  const addTo = (c: PartyCluster, m: (typeof named)[number]) => {
    c.mentions.push({ start: m.start, end: m.end, confidence: m.confidence, source: m.source });
  };
  // names with a legal form first, then other names of several words, then single words: a
  // short name joins the full name it is a variant of, wherever in the text either appears
  const rank = (m: (typeof named)[number]) => (m.legal ? 0 : m.key.includes(' ') ? 1 : 2);
  for (const pass of [0, 1, 2]) {
    for (const m of named) {
      if (rank(m) !== pass) continue;
      // a name one or two letters off a long one is a typo or an OCR misreading of it
      const known =
        byKey.get(m.key) ??
        (m.key.length >= 12 ? [...byKey].find(([k]) => k.length >= 12 && closeTo(k, m.key))?.[1] : undefined);
      if (known) {
        addTo(known, m);
        byKey.set(m.key, known);
        known.keys.add(m.key);
        continue;
      }
      const c: PartyCluster = {
        name: ft.surface(m),
        start: m.start,
        end: m.end,
        mentions: [],
        aliases: [],
        keys: new Set([m.key]),
      };
      addTo(c, m);
      clusters.push(c);
      byKey.set(m.key, c);
      if (pass === 2) continue;
      c.aliases = aliasesAfter(m.end);
      const base = partyKey(withoutLegalForm(c.name));
      const variants = [base, ...c.aliases.map((a) => partyKey(a.text))];
      const first = base.split(' ')[0];
      if (base.includes(' ') && first.length >= 3) variants.push(first);
      for (const v of variants) {
        if (v && !byKey.has(v)) {
          byKey.set(v, c);
          c.keys.add(v);
        }
      }
    }
  }
  for (const c of clusters) c.mentions.sort((a, b) => a.start - b.start);
  // the defining mention: the first mention of the longest name; where a spelling of it a
  // letter or two off is defined and it is not ("SUPERMICRO Computer, Inc." (“SUPERMICRO”) in
  // the preamble, "Super Micro Computer, Inc." over the signature), the first such spelling
  for (const c of clusters) {
    let best = c.mentions[0];
    for (const m of c.mentions) if (m.end - m.start > best.end - best.start) best = m;
    const longest = partyKey(text.slice(best.start, best.end));
    const keyOf = (m: { start: number; end: number }) => partyKey(text.slice(m.start, m.end));
    const isDefined = (m: { end: number }) => aliasesAfter(m.end).length > 0;
    const spellings = c.mentions.filter((m) => {
      const key = keyOf(m);
      return key === longest || (longest.length >= 12 && key.length >= longest.length - 2 && closeTo(key, longest));
    });
    const exact = spellings.filter((m) => keyOf(m) === longest);
    const first = (exact.some(isDefined) ? undefined : spellings.find(isDefined)) ?? exact[0] ?? best;
    c.start = first.start;
    c.end = first.end;
    c.name = ft.surface(first);
  }
  return clusters.sort((a, b) => a.mentions[0].start - b.mentions[0].start);
}
