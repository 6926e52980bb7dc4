// The queue's jobs: one per document, whose id is a digest of the document's id and content
// hash, so adding the same document twice is one job and a changed document is a new one. A job
// holds the stream record (`{id, text}` or `{id, path}`: a path must be readable by every worker)
// and gives back the record's result line, the very line `tag --jsonl` writes; a document that
// cannot be processed fails with its error and stays in the queue's failed set.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import {
  INTAKE_EXTENSIONS,
  InputError,
  MAX_DOCUMENT_BYTES,
  type ModelIdentity,
  type StreamRecord,
  contentHash,
  documentJobId,
  readFileBytes,
  resultLine,
} from '../../model';

/** What a job carries. */
export interface DocumentJob {
  record: StreamRecord;
  /** "sha256:..." of the text, or of the file's bytes when it was added */
  hash: string;
}

/** A job ready to add: its id and data. */
export interface JobToAdd {
  jobId: string;
  data: DocumentJob;
}

/** What a worker records on a job while it works (read back for failed jobs' lines). */
export interface JobProgress {
  model?: ModelIdentity;
}

/** Plain-text documents a folder may hold, besides the PDFs and images intake reads. */
export const TEXT_EXTENSIONS = ['.txt', '.text', '.md'] as const;

/** Whether `file` looks like a document `queue add DIR` should enqueue. */
export function isDocumentFile(file: string): boolean {
  const ext = path.extname(file).toLowerCase();
  return (TEXT_EXTENSIONS as readonly string[]).includes(ext) || INTAKE_EXTENSIONS.includes(ext);
}

/** The job of a record: the content hash of its text, or of its file's bytes (the file is read here). */
export async function jobFor(record: StreamRecord): Promise<JobToAdd> {
  let hash: string;
  if (record.path !== undefined) {
    try {
      hash = contentHash(await readFileBytes(record.path, { maxBytes: MAX_DOCUMENT_BYTES }));
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      throw new InputError(
        `${e.message.replace(/\.$/, '')}; a path is read here (for its content hash) and by the workers, or pass --text to enqueue the text itself.`,
        record.path,
      );
    }
  } else {
    hash = contentHash(record.text);
  }
  return { jobId: documentJobId(record.id, hash), data: { record, hash } };
}

/** The document files under `dir` (recursively; hidden entries skipped), sorted. */
export async function documentsIn(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    const entries = await fs.readdir(d, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && isDocumentFile(e.name)) out.push(p);
    }
  };
  await walk(dir);
  return out;
}

/** A finished job as the line `tag --jsonl` would write for its record. */
export function finishedLine(job: {
  data: DocumentJob;
  returnvalue?: unknown;
  failedReason?: string;
  progress?: unknown;
}): Record<string, unknown> {
  if (job.failedReason === undefined && typeof job.returnvalue === 'object' && job.returnvalue !== null) {
    return job.returnvalue as Record<string, unknown>;
  }
  const progress = (typeof job.progress === 'object' && job.progress !== null ? job.progress : {}) as JobProgress;
  const { id, path: file } = job.data.record;
  return resultLine({ id, path: file }, progress.model, {
    ok: false,
    error: job.failedReason ?? 'the job finished without a result',
  });
}
