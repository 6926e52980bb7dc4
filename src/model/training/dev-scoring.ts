// Scoring during training: the windows of the dev documents decoded by the network as it is
// after an epoch, and the score that chooses the best epoch.
import type { Span } from '../core/types';
import { Decoder } from '../crf/decoder';
import { evaluateSpans, type EvalReport } from '../evaluation/evaluate';
import type { Network } from '../nn/network';
import type { Vocabulary } from '../nn/vocabulary';
import { bucketBatches } from '../text/windows';
import { sequenceFeatures, type Sequence } from './sequences';
import { featureDim } from '../nn/architecture';

/**
 * Decodes sequences with a network (no dropout) and scores them against their gold spans.
 * Windows carry no text, so unlike tagging they are not decoded paragraph by paragraph.
 */
export function evaluateSequences(
  network: Network,
  vocab: Vocabulary,
  sequences: Sequence[],
  options: { recallOnly?: string[]; batchSize?: number; labelBias?: Record<string, number> } = {},
): EvalReport {
  const decoder = new Decoder(network.config, network.weights, options.labelBias);
  const T = network.config.tags.length;
  const K = featureDim(network.config);
  const gold: Span[][] = [];
  const pred: Span[][] = [];
  for (const batch of bucketBatches(sequences, options.batchSize ?? 64)) {
    const enc = vocab.encode(
      batch.map((s) => s.tokens),
      network.config.maxChars,
      K > 0 ? sequenceFeatures(batch, K) : undefined,
    );
    const { emissions } = network.forward(enc);
    batch.forEach((s, b) => {
      gold.push(s.gold);
      pred.push(decoder.entities('', s.tokens, emissions, b * enc.length * T));
    });
  }
  return evaluateSpans(gold, pred, { labels: network.config.labels, recallOnly: options.recallOnly });
}

/** The dev score that picks the best epoch: micro F1, over `labels` when given. */
export function selectionF1(report: EvalReport, labels?: string[]): number {
  if (!labels) return report.micro.f1;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const l of report.labels) {
    if (!labels.includes(l.label)) continue;
    tp += l.tp;
    fp += l.fp;
    fn += l.fn;
  }
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}
