// What one thread does with one record of a document stream, whatever the command: read the
// document (the text given, or the file at "path": plain text, PDF or image, through the CLI's
// DocumentReader), refuse texts over the limit, hand it to the command's per-record function, and
// turn every failure into that record's error. The same handler runs inline (--workers 1), in each
// worker thread of a pool, and in the queue's workers, so their results cannot differ.
import {
  type ExtractedDocument,
  InputError,
  type ModelIdentity,
  type RecordOutcome,
  type StreamRecord,
  type TaskHandler,
  textTooLong,
} from '../../model';
import { errorText, type FlagSpec, type ParsedArgs } from '../args';
import { DocumentReader, type DocumentOptions } from '../documents';

/** A record's document as the command sees it. */
export interface StreamDocument {
  text: string;
  /** for a PDF or an image: the extraction (pages, word boxes) the text came from */
  extracted?: ExtractedDocument;
}

/**
 * A command's per-record function, opened once per thread (it loads the model then). `process`
 * returns the keys the command adds to the record's result line, e.g. `{entities: [...]}`; what
 * it throws becomes the record's error (one line).
 */
export interface RecordProcessor {
  process(doc: StreamDocument): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * A command that can run on a document stream. `options` must be plain data (it is copied to
 * worker threads); `open` runs once in each thread.
 */
export interface StreamCommand<O> {
  /** its key in STREAM_COMMANDS (stream/registry.ts), where worker threads look it up */
  name: string;
  /** the command's own flags (model, thresholds...), also accepted by `entity-lens worker` */
  flags: Record<string, FlagSpec>;
  /** the options its flags ask for (plain data; read from files once, before any thread opens) */
  optionsFrom(args: ParsedArgs): O | Promise<O>;
  /** the folder of the model it loads, whose identity every result line carries */
  modelDir(options: O): string;
  /** the identity its result lines carry, when more than the model folder's makes them (fields: the chooser too) */
  identity?(options: O): Promise<ModelIdentity>;
  open(options: O): Promise<RecordProcessor>;
}

/** Everything a thread needs to open a record handler (plain data). */
export interface HandlerOptions<O = unknown> {
  command: string;
  commandOptions: O;
  documents: DocumentOptions;
  maxChars: number;
}

/** A record in, its outcome out; never throws for a bad record. */
export type RecordHandler = TaskHandler<StreamRecord, RecordOutcome>;

/** Opens `command`'s processor and a document reader for this thread. */
export async function openRecordHandler<O>(
  command: StreamCommand<O>,
  options: HandlerOptions<O>,
): Promise<RecordHandler> {
  const processor = await command.open(options.commandOptions);
  const reader = new DocumentReader(options.documents, false);
  return {
    async handle(record: StreamRecord): Promise<RecordOutcome> {
      try {
        let doc: StreamDocument;
        if (record.path !== undefined) {
          doc = await reader.read(record.path);
          if (doc.text.length > options.maxChars) {
            throw new InputError(`${record.path}: ${textTooLong(doc.text.length, options.maxChars)}.`, record.path);
          }
        } else {
          doc = { text: record.text };
        }
        return { ok: true, fields: await processor.process(doc) };
      } catch (e) {
        return { ok: false, error: errorText(e) };
      }
    },
    async close(): Promise<void> {
      await reader.close();
      await processor.close();
    },
  };
}
