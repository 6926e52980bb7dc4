// `entity-lens eval`: scores a model against annotated documents. Each document's whole text
// is tagged exactly as `entity-lens tag` would tag it, and the predictions are compared with
// the document's spans of the model's labels (entity level: same start, end and label).
import { evaluateSpans, formatConfusion, formatReport, type Runtime, type Span } from '../../model';
import { printWarning, type CommandSpec, type ParsedArgs } from '../args';
import { StatusLine, formatDuration } from '../progress';
import { openTagger } from './tag';
import { formatUnverified, readDocuments } from './train';

export const spec: CommandSpec = {
  name: 'eval',
  summary: 'Score a model against annotated documents (precision, recall, F1 per label).',
  synopsis: 'eval --model DIR --data FILE.jsonl [--split NAME] [--recall-only L1,L2] [--confusion] [--json]',
  description:
    'Tags the whole text of each document, as `tag` does, and compares the entities with the\n' +
    "document's spans of the model's labels; a prediction counts only with the exact start, end and label.",
  flags: {
    model: { kind: 'string', required: true, value: 'DIR', description: 'model folder' },
    data: { kind: 'string', required: true, value: 'FILE.jsonl', description: 'annotated documents' },
    split: { kind: 'string', value: 'NAME', description: 'use only the records whose "split" is NAME (e.g. test)' },
    'recall-only': {
      kind: 'list',
      labels: true,
      value: 'L1,L2',
      description: 'incompletely annotated labels: score their recall only (unmatched predictions are not errors)',
    },
    confusion: { kind: 'boolean', description: 'also print the label confusion table' },
    json: { kind: 'boolean', description: 'print the full report as one JSON object instead' },
    runtime: { kind: 'choice', choices: ['auto', 'onnx', 'tfjs'], description: 'inference runtime', default: 'auto' },
  },
  examples: [
    'entity-lens eval --model my-model --data cuad.jsonl --split test --recall-only DATE,DURATION --confusion',
  ],
};

export async function run(args: ParsedArgs): Promise<number> {
  const started = Date.now();
  const dataFile = args.string('data') as string;
  const docs = await readDocuments(dataFile, args.string('split'));
  const tagger = await openTagger(args.string('model') as string, args.choice<Runtime>('runtime') ?? 'auto');
  const labels = tagger.model.config.labels;
  const known = new Set(labels);
  const recallOnly = args.list('recall-only');
  const unknown = (recallOnly ?? []).filter((l) => !known.has(l));
  if (unknown.length > 0)
    printWarning(`--recall-only: the model has no label ${unknown.join(', ')} (its labels: ${labels.join(', ')}).`);
  const foreign = new Set<string>();
  for (const d of docs) for (const s of d.spans) if (!known.has(s.label)) foreign.add(s.label);
  if (foreign.size > 0)
    printWarning(`spans labelled ${[...foreign].sort().join(', ')} are not scored (the model has no such label).`);

  const gold: Span[][] = [];
  const pred: Span[][] = [];
  const status = new StatusLine(process.stderr);
  try {
    for (const [i, doc] of docs.entries()) {
      status.update(`tagging ${i + 1}/${docs.length}: ${doc.id}`);
      gold.push(doc.spans.filter((s) => known.has(s.label)));
      pred.push(await tagger.tag(doc.text));
    }
  } finally {
    status.done();
    await tagger.dispose();
  }
  const report = evaluateSpans(gold, pred, { labels, recallOnly });
  if (args.flag('json')) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return 0;
  }
  const chars = docs.reduce((n, d) => n + d.text.length, 0);
  process.stdout.write(
    `${docs.length} document${docs.length === 1 ? '' : 's'} (${chars} characters, ` +
      `${gold.reduce((n, g) => n + g.length, 0)} gold spans) evaluated with ${tagger.runtime.kind} in ` +
      `${formatDuration((Date.now() - started) / 1000)}\n\n${formatReport(report)}\n${formatUnverified(report)}`,
  );
  if (args.flag('confusion')) process.stdout.write(`\n${formatConfusion(report.confusion)}\n`);
  return 0;
}
