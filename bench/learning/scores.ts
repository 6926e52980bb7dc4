// Exact-span F1 of a model on scored documents (each counts only its own labels' gold and
// predictions), with each model's predictions kept per text: the base model tags every
// evaluation document once for the whole bench, a candidate once for all its sets.
import { evaluateSpans, type Span, type Tagger } from '../../src/model';
import type { ScoredDocument } from './scenarios';

export class Predictions {
  private readonly cache = new Map<string, Span[]>();

  constructor(private readonly tagger: Tagger) {}

  async of(text: string): Promise<Span[]> {
    let found = this.cache.get(text);
    if (!found) {
      found = (await this.tagger.tag(text)).map((e) => ({ start: e.start, end: e.end, label: e.label }));
      this.cache.set(text, found);
    }
    return found;
  }
}

/** F1 (0–1) per label, and `micro` over them; a label without gold in the set is left out. */
export async function f1On(
  docs: readonly ScoredDocument[],
  predictions: Predictions,
  labels: readonly string[],
): Promise<Record<string, number>> {
  const gold: Span[][] = [];
  const pred: Span[][] = [];
  for (const d of docs) {
    const own = labels.filter((l) => d.labels.includes(l));
    gold.push(d.gold.filter((s) => own.includes(s.label)));
    pred.push((await predictions.of(d.text)).filter((s) => own.includes(s.label)));
  }
  const report = evaluateSpans(gold, pred, { labels: [...labels], match: 'exact' });
  const out: Record<string, number> = {};
  for (const s of report.labels) if (s.support > 0) out[s.label] = s.f1 ?? 0;
  out.micro = report.micro.f1;
  return out;
}

/** A memo of the base model's tagging, for the bench's current model: the reference set is scored once. */
export function memoTagger(tagger: Tagger): Tagger {
  const cache = new Map<string, ReturnType<Tagger['tag']>>();
  const tag = tagger.tag.bind(tagger);
  tagger.tag = (text, options) => {
    if (options) return tag(text, options);
    let found = cache.get(text);
    if (!found) cache.set(text, (found = tag(text)));
    return found.then((entities) => entities.slice());
  };
  return tagger;
}
