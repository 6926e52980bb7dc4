// A model tuned on a person's corrections decides only what they corrected: the labels they
// confirmed, removed or declared complete, on the kinds of documents they corrected them in.
// Everything else (the other labels there, every label on other kinds) comes from the model it
// was tuned from, unchanged. Fine-tuning a network on receipts moves its weights for contracts
// too (the learning bench's forgetting columns, README); routing by kind and label keeps what
// the user did not touch exactly as it was.
import { detectKind } from '../rules/document-kind';
import type { Entity } from '../core/types';
import type { ModelScope } from '../nn/trained-model';

/** Invoices and receipts are one family: a user's corrections on one apply to the other. */
const FAMILIES: readonly (readonly string[])[] = [['invoice', 'receipt'], ['contract']];

/** The kinds a scope covers for documents of `kinds`: each kind with its family. */
export function scopeKinds(kinds: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const k of kinds) {
    const family = FAMILIES.find((f) => f.includes(k));
    for (const x of family ?? [k]) out.add(x);
  }
  return [...out].sort();
}

/** The kind a scoped model routes a text by: the caller's when it knows it, else detected from the text. */
export function routingKind(text: string, kind: string | undefined): string {
  return kind ?? detectKind(text);
}

export function inScope(scope: ModelScope, kind: string): boolean {
  return scope.kinds.includes(kind);
}

/**
 * The entities of a document in scope: the tuned network's of the scope's labels, the base's
 * of every other label. Where they overlap, the base's stay (the user never judged those labels,
 * so a new label does not take over a party's name), unless every base entity there is of a
 * label the scope says the network's label takes over (`takesOver`).
 */
export function mergeScoped(own: readonly Entity[], base: readonly Entity[], scope: ModelScope): Entity[] {
  const labels = new Set(scope.labels);
  const notLent = new Set(scope.notLent ?? []);
  const kept = base.filter((e) => !labels.has(e.label)).sort((a, b) => a.start - b.start);
  const replaced = new Set<number>();
  const mine: Entity[] = [];
  // kept entities never overlap each other: a binary search finds the first that may overlap e,
  // and the ones after it that do are consecutive
  for (const e of own) {
    if (!labels.has(e.label) || (e.source === 'document' && notLent.has(e.label))) continue;
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (kept[mid].end <= e.start) lo = mid + 1;
      else hi = mid;
    }
    const over: number[] = [];
    for (let i = lo; i < kept.length && kept[i].start < e.end; i++) over.push(i);
    const yields = scope.takesOver?.[e.label];
    if (over.length > 0 && !(yields && over.every((i) => yields.includes(kept[i].label)))) continue;
    for (const i of over) replaced.add(i);
    mine.push(e);
  }
  return [...kept.filter((_, i) => !replaced.has(i)), ...mine].sort((a, b) => a.start - b.start || a.end - b.end);
}

/** One line for a person: "PARTY and ADDRESS on invoices and receipts". */
export function describeScope(scope: ModelScope): string {
  const list = (xs: string[]): string =>
    xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
  return `${list(scope.labels)} on ${list(scope.kinds.map((k) => `${k}s`))}`;
}
