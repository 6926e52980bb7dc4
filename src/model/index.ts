// The engine's one door: everything outside src/model (the extension, the CLI, the recipes,
// the benches) imports from here, never from a file behind it (eslint keeps it so). Stages in
// pipeline order; each folder imports only from the folders above it.

// core: shared types, range algebra, seeded random numbers
export * from './core/types';
export * from './core/ranges';
export * from './core/random';

// io: text files, JSONL, atomic writes, locks, the package's own files
export * from './io/files';
export * from './io/paths';

// text: tokens with exact offsets, sentences, windows, tag schemes, line and page features
export * from './text/tokenizer';
export * from './text/windows';
export * from './text/tags';
export * from './text/line-features';

// rules: annotators, the rule policy a model carries, normalised values
export * from './rules/annotate';
export * from './rules/bank';
export * from './rules/policy';
export * from './rules/normalize';

// nn: architecture, vocabulary, embeddings, the network, the model folder, ONNX export
export * from './nn/architecture';
export * from './nn/vocabulary';
export * from './nn/embeddings';
export * from './nn/gemm';
export * from './nn/network';
export * from './nn/model-folder';
export * from './nn/onnx-export';

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
export * from './inference/onnx-runner';
export * from './inference/propagate';
export * from './inference/held-out';

// training: the trainer, Adam, the worker, new labels, exchange formats
export * from './training/sequences';
export * from './training/dev-scoring';
export * from './training/trainer';
export * from './training/adam';
export * from './training/worker';
export * from './training/add-labels';
export * from './training/converters';
