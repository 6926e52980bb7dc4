// The simulated users of `npm run bench:learning`: what each kind of user corrects, the units
// they draw (whole documents or sentences, a seeded order per user, so a user's k = 10 holds
// their k = 5), the records the editor writes for them, and the documents their corrections are
// scored on. Every pool is disjoint from the fixed evaluation samples.
//
// - receipts: SROIE receipts; the user checks PARTY and ADDRESS over the whole receipt (only the
//   labels the receipt's transcription holds: a receipt whose seller name the data could not
//   locate would otherwise teach "no seller here").
// - contracts: CUAD test contracts; the user marks JURISDICTION in their own convention, the
//   jurisdiction with its designation ("State of New York", where CUAD and the rules mark "New
//   York"), in every paragraph where the model shows one or the data has one.
// - location-sentences: sentences holding a LOCATION in the training filings of
//   sec-filings.jsonl, a new label; scored on the test filings.
// - location-docs: whole filings checked for LOCATION; scored on the filings the user left.
import * as path from 'node:path';
import {
  type AnnotatedDocument,
  type AnnotationRecord,
  Rng,
  readJsonl,
  type Span,
  splitSentences,
  tokenize,
} from '../../src/model';
import { dataDir } from '../../src/recipes/default-data';
import { editorRecords, passageAround, type Review, type UserDocument } from './editor-records';

/** A document scored on some labels: only those labels' predictions and gold count. */
export interface ScoredDocument {
  id: string;
  text: string;
  gold: Span[];
  labels: string[];
}

export interface Scenario {
  name: string;
  /** the labels the user corrects, scored on the held-out documents of the kind */
  labels: string[];
  unit: 'documents' | 'sentences';
  /** the largest k the pool allows */
  maxK: number;
  records(user: number, k: number): AnnotationRecord[];
  /** the documents of the kind the user's model is scored on (the same for every user unless said) */
  heldOut(user: number, k: number): ScoredDocument[];
  /** forgetting sets that are this scenario's own kind (their change is learning, not forgetting) */
  ownSets: string[];
}

/** The fixed samples scored for forgetting, and drawn from by nobody. */
export interface ForgettingSets {
  cuad: ScoredDocument[];
  sroie: ScoredDocument[];
}

export const RECEIPT_LABELS = ['PARTY', 'ADDRESS'];
const TIME = '2026-01-01T00:00:00.000Z';
/** how a jurisdiction's designation reads right before its name */
const DESIGNATION = /\b(?:State|Commonwealth|Province|Republic|Kingdom|Territory)\s+of\s+(?:the\s+)?$/i;

function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function shuffled<T>(items: readonly T[], seed: string): T[] {
  return new Rng(seedOf(seed)).shuffle([...items]);
}

function uriOf(id: string): string {
  return `file:///bench/${id.replace(/[^A-Za-z0-9_.-]+/g, '_')}.txt`;
}

/** The user's convention: a jurisdiction's designation ("State of", "Commonwealth of") is part of it. */
export function userJurisdiction(text: string, s: Span): Span {
  const before = text.slice(Math.max(0, s.start - 60), s.start);
  const m = DESIGNATION.exec(before);
  return m ? { ...s, start: s.start - before.length + m.index } : s;
}

/** The labels of `labels` a document has gold for. */
function present(d: AnnotatedDocument, labels: string[]): string[] {
  return labels.filter((l) => d.spans.some((s) => s.label === l));
}

export interface ScenarioData {
  sroie: AnnotatedDocument[];
  cuadTest: AnnotatedDocument[];
  filings: AnnotatedDocument[];
  /** JURISDICTION entities the base model shows in a contract (the user checks those too) */
  shownJurisdictions: (d: AnnotatedDocument) => Promise<Span[]>;
}

export async function readScenarioData(shownJurisdictions: ScenarioData['shownJurisdictions']): Promise<ScenarioData> {
  const dir = dataDir();
  const all = async (file: string) => (await readJsonl(path.join(dir, file))).docs;
  const cuad = await all('cuad.jsonl');
  return {
    sroie: await all('sroie-dev.jsonl'),
    cuadTest: cuad.filter((d) => d.split === 'test'),
    filings: await all('sec-filings.jsonl'),
    shownJurisdictions,
  };
}

/** The fixed evaluation samples: `cuad` CUAD test contracts and `sroie` receipts, seeded. */
export function forgettingSets(data: ScenarioData, size: { cuad: number; sroie: number }): ForgettingSets {
  const cuad = shuffled(data.cuadTest, 'eval:cuad').slice(0, size.cuad);
  const sroie = shuffled(data.sroie, 'eval:sroie').slice(0, size.sroie);
  return {
    cuad: cuad.map((d) => ({
      id: d.id,
      text: d.text,
      gold: [
        ...d.spans.filter((s) => s.label === 'PARTY'),
        ...d.spans.filter((s) => s.label === 'JURISDICTION').map((s) => userJurisdiction(d.text, s)),
      ],
      labels: ['PARTY', 'JURISDICTION'],
    })),
    sroie: sroie.map((d) => ({ id: d.id, text: d.text, gold: d.spans, labels: present(d, RECEIPT_LABELS) })),
  };
}

function receipts(data: ScenarioData, sets: ForgettingSets): Scenario {
  const evalIds = new Set(sets.sroie.map((d) => d.id));
  const pool = data.sroie.filter((d) => !evalIds.has(d.id) && present(d, RECEIPT_LABELS).length > 0);
  return {
    name: 'receipts',
    labels: RECEIPT_LABELS,
    unit: 'documents',
    maxK: pool.length,
    records: (user, k) =>
      shuffled(pool, `receipts:${user}`)
        .slice(0, k)
        .flatMap((d) =>
          editorRecords(
            { id: d.id, uri: uriOf(d.id), text: d.text, gold: d.spans },
            [{ range: { start: 0, end: d.text.length }, labels: present(d, RECEIPT_LABELS) }],
            TIME,
          ),
        ),
    heldOut: () => sets.sroie.map((d) => ({ ...d, labels: d.labels })),
    ownSets: ['SROIE PARTY', 'SROIE ADDRESS'],
  };
}

async function contracts(data: ScenarioData, sets: ForgettingSets): Promise<Scenario> {
  const evalIds = new Set(sets.cuad.map((d) => d.id));
  const pool: { doc: UserDocument; reviews: Review[] }[] = [];
  for (const d of data.cuadTest) {
    if (evalIds.has(d.id)) continue;
    const gold = d.spans.filter((s) => s.label === 'JURISDICTION').map((s) => userJurisdiction(d.text, s));
    const shown = await data.shownJurisdictions(d);
    const reviews = [...gold, ...shown].map((s) => ({
      range: passageAround(d.text, s),
      labels: ['JURISDICTION'],
    }));
    if (reviews.length > 0) pool.push({ doc: { id: d.id, uri: uriOf(d.id), text: d.text, gold }, reviews });
  }
  return {
    name: 'contracts',
    labels: ['JURISDICTION'],
    unit: 'documents',
    maxK: pool.length,
    records: (user, k) =>
      shuffled(pool, `contracts:${user}`)
        .slice(0, k)
        .flatMap((u) => editorRecords(u.doc, u.reviews, TIME)),
    heldOut: () => sets.cuad.map((d) => ({ ...d, labels: ['JURISDICTION'] })),
    ownSets: [],
  };
}

function locationDocument(d: AnnotatedDocument): UserDocument {
  return { id: d.id, uri: uriOf(d.id), text: d.text, gold: d.spans.filter((s) => s.label === 'LOCATION') };
}

function scoredLocation(d: AnnotatedDocument): ScoredDocument {
  return { id: d.id, text: d.text, gold: d.spans.filter((s) => s.label === 'LOCATION'), labels: ['LOCATION'] };
}

function locationSentences(data: ScenarioData): Scenario {
  const train = data.filings.filter((d) => d.split === 'train').map(locationDocument);
  const test = data.filings.filter((d) => d.split !== 'train').map(scoredLocation);
  const pool: { doc: UserDocument; review: Review }[] = [];
  for (const doc of train) {
    const tokens = tokenize(doc.text);
    for (const s of splitSentences(doc.text, tokens)) {
      if (doc.gold.some((g) => g.start >= s.start && g.end <= s.end))
        pool.push({ doc, review: { range: { start: s.start, end: s.end }, labels: ['LOCATION'] } });
    }
  }
  return {
    name: 'location-sentences',
    labels: ['LOCATION'],
    unit: 'sentences',
    maxK: pool.length,
    records: (user, k) => {
      const drawn = shuffled(pool, `location-sentences:${user}`).slice(0, k);
      // a document's sentences are saved together, as one editor session would
      return train.flatMap((doc) => {
        const reviews = drawn.filter((x) => x.doc === doc).map((x) => x.review);
        return reviews.length > 0 ? editorRecords(doc, reviews, TIME) : [];
      });
    },
    heldOut: () => test,
    ownSets: [],
  };
}

/** Filings a location-docs user leaves unread are that user's held-out documents. */
const MIN_LEFT_FILINGS = 3;

function locationDocs(data: ScenarioData): Scenario {
  const order = (user: number) => shuffled(data.filings, `location-docs:${user}`);
  return {
    name: 'location-docs',
    labels: ['LOCATION'],
    unit: 'documents',
    maxK: data.filings.length - MIN_LEFT_FILINGS,
    records: (user, k) =>
      order(user)
        .slice(0, k)
        .flatMap((d) =>
          editorRecords(locationDocument(d), [{ range: { start: 0, end: d.text.length }, labels: ['LOCATION'] }], TIME),
        ),
    heldOut: (user, k) => order(user).slice(k).map(scoredLocation),
    ownSets: [],
  };
}

export const SCENARIO_NAMES = ['receipts', 'contracts', 'location-sentences', 'location-docs'];

export async function makeScenario(name: string, data: ScenarioData, sets: ForgettingSets): Promise<Scenario> {
  if (name === 'receipts') return receipts(data, sets);
  if (name === 'contracts') return contracts(data, sets);
  if (name === 'location-sentences') return locationSentences(data);
  if (name === 'location-docs') return locationDocs(data);
  throw new Error(`unknown scenario "${name}" (one of ${SCENARIO_NAMES.join(', ')})`);
}
