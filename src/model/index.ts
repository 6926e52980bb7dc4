// The engine's one door: everything outside src/model (the extension, the CLI, the recipes,
// the benches) imports from here, never from a file behind it (eslint keeps it so). Stages in
// pipeline order; each folder imports only from the folders above it.

// core: shared types, the label grammar and safe display, range algebra, seeded random numbers,
// error text, the validators for values from outside, glob patterns matched in linear time
export * from './core/types';
export * from './core/labels';
export * from './core/glob';
export * from './core/ranges';
export * from './core/random';
export * from './core/errors';
// (the validator combinators stay behind the door: only the JSON readers and src/shared's message checks use them)
export { describeValue, type Validator } from './core/validate';

// io: text files, JSONL, atomic writes, locks, all-or-nothing appends, the package's own files, lines of a stream
export * from './io/files';
export * from './io/encoding';
export * from './io/jsonl';
export * from './io/lock';
export * from './io/append';
export * from './io/paths';
export * from './io/annotation-store';
export * from './io/lines';

// intake: PDFs and scans into text, pages and boxes (pdf.js text layers, tesseract.js OCR)
export * from './intake/document';
export * from './intake/extract';
export * from './intake/boxes';
export { userCacheDir } from './intake/cache';
export { INTAKE_EXTENSIONS, isIntakePath, sniffKind } from './intake/formats';
export { OcrEngine, type OcrLine, type OcrPage, type RecognizeOptions } from './intake/ocr';
export { extractInWorker, intakeWorkerFile, type WorkerExtractOptions } from './intake/worker';

// text: tokens with exact offsets, sentences, windows, tag schemes, line and page features, the passage a correction is saved with
export * from './text/tokenizer';
export * from './text/windows';
export * from './text/tags';
export * from './text/line-features';
export * from './text/passages';

// rules: annotators, the rule policy a model carries, normalised values
export * from './rules/annotate';
export * from './rules/bank';
export * from './rules/policy';
export * from './rules/normalize';
export * from './rules/document-kind';

// nn: architecture, vocabulary, embeddings, the network, the model folder, ONNX export, model identity
export * from './nn/architecture';
export * from './nn/vocabulary';
export * from './nn/embeddings';
export * from './nn/gemm';
export * from './nn/network';
export * from './nn/tcn';
export * from './nn/ensemble';
export * from './nn/model-folder';
export * from './nn/onnx-export';
export * from './nn/model-identity';

// crf: Viterbi, marginals, losses, the decoder
export * from './crf/structure';
export * from './crf/viterbi';
export * from './crf/lattice';
export * from './crf/loss';
export * from './crf/decoder';

// evaluation: entity-level precision, recall, F1
export * from './evaluation/evaluate';

// inference: the tagger, onnxruntime, party names across a document, held-out scoring
export * from './inference/tagger';
export * from './inference/scope';
export * from './inference/onnx-runner';
export * from './inference/emission-threads';
export * from './inference/propagate';
export * from './inference/name-groups';
export * from './inference/held-out';

// training: the trainer, Adam, the worker, new labels, exchange formats
export * from './training/sequences';
export * from './training/dev-scoring';
export * from './training/trainer';
export * from './training/adam';
export * from './training/worker';
export * from './training/add-labels';
export * from './training/converters';
export * from './training/record-text';

// learning: the editor's loop after training: held-out documents, the reference set shipped with
// a model, the fine-tuning plan and its rehearsal set, promotion, and learnFromRecords, the one
// path from corrections to a model in use; scoring in a worker, and how a verdict reads
export * from './learning/split';
export * from './learning/reference-set';
export * from './learning/fine-tune';
export * from './learning/promotion';
export * from './learning/learn';
export * from './learning/scoring-worker';
export * from './learning/verdict-text';

// fields: document kind, field schema and fields.json, candidates, the field chooser, values, checks
export * from './fields/schema';
export * from './fields/config';
export * from './fields/text';
export * from './fields/values';
export * from './fields/mentions';
export * from './fields/parties';
export * from './fields/candidates';
export * from './fields/chooser';
export * from './fields/answers';
export * from './fields/result';
export * from './fields/extract';
export * from './fields/checks';
export * from './fields/corrections';
export * from './fields/training';
export * from './fields/score';
export * from './fields/export';
export * from './fields/vendors';

// batch: many documents: stream records and result lines, in-order concurrency, worker threads, job ids
export * from './batch/records';
export * from './batch/result-line';
export * from './batch/ordered';
export * from './batch/thread-pool';
export * from './batch/job-id';
