// Document-level consistency: contracts name a party once in full ("ArTara Therapeutics, Inc.
// (\"ArTara\")") and then use the short name throughout. A sentence-level tagger sees "ArTara
// shall ..." without that context, so confident PARTY entities lend their label to the other
// occurrences of their name, of the name without its corporate suffix, and of a defined short
// name that is part of the full name.
import type { Entity, Token } from './types';

const SUFFIX = /(?:[,\s]+(?:inc|incorporated|corp|corporation|ltd|limited|llc|l\.l\.c|lp|l\.p|llp|plc|gmbh|ag|s\.a|n\.v|b\.v|co|company|pte|pty|sdn\.?\s*bhd|bhd)\.?)+$/i;
const DEFINED = /\(\s*(?:the\s+|hereinafter\s+|collectively,?\s+)?(?:referred\s+to\s+as\s+)?(?:the\s+)?["\u201c]([^"\u201d]{2,40})["\u201d]/gi;
/** how far after a name its definition may come ("Acme Ltd., a company registered at ... ("Acme")") */
const DEFINITION_REACH = 300;

export interface PropagateOptions {
  labels?: string[];
  /** entities below this confidence lend nothing */
  minConfidence?: number;
}

/** Name variants an entity lends its label to. */
export function nameVariants(text: string, entity: Entity): string[] {
  const out = new Set<string>([entity.text]);
  const base = entity.text.replace(SUFFIX, '').trim();
  if (base.length >= 2 && base !== entity.text) out.add(base);
  const nameWords = new Set(entity.text.toLowerCase().split(/[\s,.]+/));
  for (const defined of text.slice(entity.end, entity.end + DEFINITION_REACH).matchAll(DEFINED)) {
    const alias = defined[1].trim();
    // only short names drawn from the full name: role words like "Company" are not names
    if (alias.split(/\s+/).every((w) => nameWords.has(w.toLowerCase()))) {
      out.add(alias);
      break;
    }
  }
  return [...out];
}

/** Adds entities for further occurrences of confident names; returns all entities, sorted. */
export function propagateEntities(text: string, tokens: Token[], entities: Entity[], options: PropagateOptions = {}): Entity[] {
  const labels = new Set(options.labels ?? ['PARTY']);
  const minConfidence = options.minConfidence ?? 0.5;
  const variants = new Map<string, { label: string; confidence: number }>();
  for (const e of entities) {
    if (!labels.has(e.label) || e.confidence < minConfidence) continue;
    for (const v of nameVariants(text, e)) {
      const known = variants.get(v);
      if (!known || known.confidence < e.confidence) variants.set(v, { label: e.label, confidence: e.confidence });
    }
  }
  if (variants.size === 0) return entities;
  const taken = entities.map((e) => [e.start, e.end] as const).sort((a, b) => a[0] - b[0]);
  const overlaps = (s: number, e: number) => {
    let lo = 0;
    let hi = taken.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (taken[mid][1] <= s) lo = mid + 1;
      else hi = mid;
    }
    return lo < taken.length && taken[lo][0] < e;
  };
  const startsAt = new Map<number, number>();
  tokens.forEach((t, i) => startsAt.set(t.start, i));
  const added: Entity[] = [];
  for (const [name, { label, confidence }] of variants) {
    for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
      const end = at + name.length;
      // whole tokens only: "Acme" must not match inside "Acmeon"
      const first = startsAt.get(at);
      if (first === undefined) continue;
      let last = first;
      while (last < tokens.length && tokens[last].end < end) last++;
      if (last >= tokens.length || tokens[last].end !== end) continue;
      if (overlaps(at, end)) continue;
      added.push({ label, start: at, end, text: name, confidence: confidence * 0.9 });
      taken.push([at, end]);
      taken.sort((a, b) => a[0] - b[0]);
    }
  }
  return added.length ? [...entities, ...added].sort((a, b) => a.start - b.start) : entities;
}
