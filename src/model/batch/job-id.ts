// Identities that make a distributed queue idempotent: a document's content hash (of its text, or
// of a file's bytes) and, from the record's id and that hash, the one job id it can have, so the
// same document added twice is one job and a changed document is a new one.
import { createHash } from 'node:crypto';
import type { RecordId } from './records';

/** "sha256:" and the hex SHA-256 of a text (as UTF-8) or of bytes. */
export function contentHash(content: string | Uint8Array): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

/**
 * The job id of a document: a digest of its id (with its JSON type, so 7 and "7" differ) and its
 * content hash. "doc-" and 40 hex digits: never a bare number (queues treat numeric ids specially).
 */
export function documentJobId(id: RecordId, hash: string): string {
  return `doc-${createHash('sha256')
    .update(`${JSON.stringify(id)}\n${hash}`)
    .digest('hex')
    .slice(0, 40)}`;
}
