// The line a document stream writes for each record: the record's id (and path), the model that
// made it, and either what the command found (entities, fields) or the record's error, always in
// this key order so results from one worker, many workers or the queue are byte-identical.
import type { ModelIdentity } from '../nn/model-identity';
import type { RecordId } from './records';

/** Where a result comes from: the record's id and path, or for a line with no usable id its number. */
export interface ResultSource {
  id: RecordId | null;
  path?: string;
  /** 1-based input line, for lines without a usable id */
  line?: number;
}

/** What one record gave: the command's keys (e.g. `entities`), or an error sentence. */
export type RecordOutcome = { ok: true; fields: Record<string, unknown> } | { ok: false; error: string };

/** Keys of a result line that a command's fields cannot replace. */
export const RESERVED_KEYS = ['id', 'path', 'line', 'model', 'error'] as const;

/** The result line of one record as an object (JSON.stringify it for the stream). */
export function resultLine(
  source: ResultSource,
  model: ModelIdentity | undefined,
  outcome: RecordOutcome,
): Record<string, unknown> {
  const out: Record<string, unknown> = { id: source.id };
  if (source.path !== undefined) out.path = source.path;
  if (source.line !== undefined) out.line = source.line;
  if (model) out.model = model;
  if (!outcome.ok) {
    out.error = outcome.error;
    return out;
  }
  for (const [key, value] of Object.entries(outcome.fields)) {
    if ((RESERVED_KEYS as readonly string[]).includes(key)) throw new Error(`a command's result cannot set "${key}"`);
    out[key] = value;
  }
  return out;
}
