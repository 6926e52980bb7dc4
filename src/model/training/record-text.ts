// A model's training record (model.json's free-form `training` object) in words, for the Model
// Report: named rows instead of field names ("Dev F1 at the chosen epoch: not measured", not
// `devF1 null`; "Loss: partial-annotation CRF …", not `partial true`), nested counts as phrases
// and the per-epoch history as its own table. Fields it does not know are shown with their name
// split into words, so a record written by a newer trainer still reads.

/** One row of the record table: what, and its value in words. */
export interface RecordRow {
  name: string;
  value: string;
}

const NAMES: Record<string, string> = {
  trainDocuments: 'Training documents',
  trainRecords: 'Training passages',
  heldOutRecords: 'Held-out passages',
  trainSequences: 'Training windows',
  devSequences: 'Dev windows',
  replayed: 'Replayed windows (earlier training data)',
  epoch: 'Chosen epoch',
  epochs: 'Epochs',
  devF1: 'Dev F1 at the chosen epoch',
  partial: 'Loss',
  seed: 'Random seed',
  recipe: 'Recipe',
  minutes: 'Training time',
  seconds: 'Training time',
  base: 'Started from',
  data: 'Data',
  cancelled: 'Cancelled',
};

/** "contractWindowsDropped" -> "contract windows dropped" */
export function fieldWords(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim();
  return words.replace(/\b([A-Z][a-z])/g, (w) => w.toLowerCase()).replace(/\bf1\b/gi, 'F1');
}

function sentence(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A value in words: numbers grouped, booleans yes/no, null "not measured", objects as "a 1, b 2". */
export function valueWords(key: string, v: unknown): string {
  if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return 'not measured';
  if (key === 'partial' && typeof v === 'boolean')
    return v
      ? 'partial-annotation CRF (text nobody labelled is unknown, not “outside”)'
      : 'plain CRF (every unlabelled token counts as outside)';
  if (key === 'minutes' && typeof v === 'number') return `${v < 10 ? v.toFixed(1) : Math.round(v)} min`;
  if (key === 'seconds' && typeof v === 'number')
    return `${v < 120 ? Math.round(v) + ' s' : (v / 60).toFixed(1) + ' min'}`;
  if (key === 'seed' && typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') return Number.isInteger(v) ? integer.format(v) : v.toFixed(4);
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map((x) => valueWords('', x)).join(', ');
  if (typeof v === 'object')
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${fieldWords(k)} ${valueWords(k, x)}`)
      .join(', ');
  return String(v);
}

/** The record as rows (the per-epoch history is left to historyRows). */
export function recordRows(training: Record<string, unknown>): RecordRow[] {
  return Object.entries(training)
    .filter(([k]) => k !== 'history')
    .map(([k, v]) => ({ name: NAMES[k] ?? sentence(fieldWords(k)), value: valueWords(k, v) }));
}

export interface EpochRow {
  epoch: string;
  loss: string;
  devF1: string;
  seconds: string;
}

/** The per-epoch history (`history: [{epoch, loss, devF1, seconds}]`), if the record has one. */
export function historyRows(training: Record<string, unknown>): EpochRow[] {
  const h = training.history;
  if (!Array.isArray(h)) return [];
  const num = (x: unknown, digits: number): string =>
    typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '—';
  return h
    .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
    .map((e) => ({
      epoch: typeof e.epoch === 'number' ? String(e.epoch) : '—',
      loss: num(e.loss, 4),
      devF1: num(e.devF1, 4),
      seconds: num(e.seconds, 0),
    }));
}
