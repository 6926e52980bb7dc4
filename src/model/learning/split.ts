// Which of a workspace's records train the next model and which judge it. Whole documents are
// held out, never single passages: two passages of one contract share its parties, so a model
// that saw one would be judged on a copy of what it learned. A document's side follows from a
// hash of its key alone, so it keeps its side as records come and go and across runs.
import { createHash } from 'node:crypto';
import type { AnnotatedDocument } from '../core/types';

export interface SplitOptions {
  /** share of documents held out, by hash (default 15) */
  percent?: number;
  /** documents held out at least once there are 3 or more (default 1) */
  minHeldOutDocuments?: number;
  /**
   * The document a record belongs to (default documentKey). The editor gives a folder-relative
   * path, so the same documents stay held out when the workspace folder moves.
   */
  key?: (record: AnnotatedDocument & { uri?: string }) => string;
  /**
   * Hold out more documents, next by hash, until the held-out records hold this many entities
   * of labels judged there (default 0: off): a verdict needs enough entities to tell, and
   * receipts carry two or three. Never beyond `maxPercent` of the documents.
   */
  minHeldOutEntities?: number;
  /** the most documents held out to reach minHeldOutEntities, as a share (default 30) */
  maxPercent?: number;
}

export interface Split<T> {
  train: T[];
  heldOut: T[];
}

/** The document a record comes from: its `uri`, else its id, up to the last '#' ("file.conll#3" → "file.conll"). */
export function documentKey(record: AnnotatedDocument & { uri?: string }): string {
  const key = record.uri ?? record.id;
  const hash = key.lastIndexOf('#');
  return hash > 0 ? key.slice(0, hash) : key;
}

/**
 * The entities a record gives the verdict: every confirmed span is one, as the held-out scoring
 * counts them (inference/held-out.ts: a span is its own judged range).
 */
function judgedEntities(r: AnnotatedDocument): number {
  return r.spans.length;
}

/** 0–99 from a hash of the key, then the rest of the hash to order keys of one bucket. */
function bucketOf(key: string): { bucket: number; rest: number } {
  const h = createHash('sha1').update(key).digest();
  return { bucket: h.readUInt32BE(0) % 100, rest: h.readUInt32BE(4) };
}

/**
 * Splits records by document: about `percent` of the documents are held out (those whose key
 * hashes below it); once there are 3 documents at least `minHeldOutDocuments` are (those
 * hashing nearest above it), and one document always stays to train on. Records keep their
 * input order on each side.
 */
export function splitByDocument<T extends AnnotatedDocument & { uri?: string }>(
  records: readonly T[],
  options: SplitOptions = {},
): Split<T> {
  const percent = options.percent ?? 15;
  const minHeld = options.minHeldOutDocuments ?? 1;
  const keyOf = options.key ?? documentKey;
  const keys = new Map<string, { bucket: number; rest: number }>();
  for (const r of records) {
    const key = keyOf(r);
    if (!keys.has(key)) keys.set(key, bucketOf(key));
  }
  // documents in the order they are held out: lowest bucket first
  const ranked = [...keys].sort(([, a], [, b]) => a.bucket - b.bucket || a.rest - b.rest).map(([key]) => key);
  let count = ranked.filter((key) => (keys.get(key) as { bucket: number }).bucket < percent).length;
  if (ranked.length >= 3) count = Math.max(count, minHeld);
  const wanted = options.minHeldOutEntities ?? 0;
  if (wanted > 0 && ranked.length >= 3) {
    const most = Math.floor((ranked.length * (options.maxPercent ?? 30)) / 100);
    const entities = new Map<string, number>();
    for (const r of records) entities.set(keyOf(r), (entities.get(keyOf(r)) ?? 0) + judgedEntities(r));
    let held = ranked.slice(0, count).reduce((n, key) => n + (entities.get(key) ?? 0), 0);
    while (held < wanted && count < most) held += entities.get(ranked[count++]) ?? 0;
  }
  count = Math.min(count, ranked.length - 1);
  const held = new Set(ranked.slice(0, Math.max(0, count)));
  const train: T[] = [];
  const heldOut: T[] = [];
  for (const r of records) (held.has(keyOf(r)) ? heldOut : train).push(r);
  return { train, heldOut };
}
