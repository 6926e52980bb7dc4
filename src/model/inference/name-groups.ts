// The distinct names among a document's entities: every occurrence of one label and one text
// (whitespace and case aside) in one group, so the editor can show one Problems entry and one
// Outline entry per name, with its count, instead of one per occurrence (a party named 109
// times in a contract is one name to review, not 109).
import type { Entity } from '../core/types';

export interface NameGroup<E extends Entity = Entity> {
  /** label + normalised text: equal for every occurrence of the name */
  key: string;
  label: string;
  /** the text of the first occurrence, whitespace collapsed */
  name: string;
  /** occurrences, by start */
  items: E[];
  minConfidence: number;
  maxConfidence: number;
}

const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The key of an entity's name: its label and its text, whitespace collapsed and lower-cased. */
export function nameKey(e: { label: string; text: string }): string {
  return `${e.label}\u0000${collapse(e.text).toLowerCase()}`;
}

/**
 * Groups entities (sorted by start, as a document's are) by name, in the order of each name's
 * first occurrence; `keep` picks which entities count (e.g. the low-confidence ones).
 */
export function groupByName<E extends Entity>(entities: readonly E[], keep?: (e: E) => boolean): NameGroup<E>[] {
  const groups = new Map<string, NameGroup<E>>();
  for (const e of entities) {
    if (keep && !keep(e)) continue;
    const key = nameKey(e);
    let g = groups.get(key);
    if (!g) {
      g = { key, label: e.label, name: collapse(e.text), items: [], minConfidence: Infinity, maxConfidence: -Infinity };
      groups.set(key, g);
    }
    g.items.push(e);
    g.minConfidence = Math.min(g.minConfidence, e.confidence);
    g.maxConfidence = Math.max(g.maxConfidence, e.confidence);
  }
  return [...groups.values()];
}

/** The occurrence of `e`'s name after (delta 1) or before (-1) it, wrapping around; undefined if it has none. */
export function siblingOccurrence<E extends Entity>(entities: readonly E[], e: Entity, delta: 1 | -1): E | undefined {
  const key = nameKey(e);
  const same = entities.filter((x) => nameKey(x) === key);
  if (same.length < 2) return undefined;
  const at = same.findIndex((x) => x.start === e.start && x.end === e.end);
  const from = at >= 0 ? at : same.findIndex((x) => x.start > e.start) - (delta > 0 ? 1 : 0);
  return same[(from + delta + same.length) % same.length];
}
