// Scoring models off the caller's thread. Judging a candidate tags the held-out passages and the
// reference set with two models, and the Models view scores every version on the same sets:
// onnxruntime's session.run blocks its thread, which in the editor is the extension host's.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { AnnotatedDocument, Entity } from '../core/types';
import { errorMessage } from '../core/errors';
import type { EvalReport } from '../evaluation/evaluate';
import { evaluateOn } from '../inference/held-out';
import { Tagger } from '../inference/tagger';
import { scoringWorkerFile } from '../io/paths';
import { judgeCandidate, type Verdict } from './promotion';

interface Sets {
  heldOut: AnnotatedDocument[];
  reference: AnnotatedDocument[];
  labels: string[];
  /** let the rule annotators decide the labels a model's policy names (the editor's setting) */
  rules?: boolean;
}

export interface JudgeRequest extends Sets {
  kind: 'judge';
  candidateDir: string;
  currentDir?: string;
  userLabels?: string[];
  minHeldOutEntities?: number;
  seed?: number;
}

export interface VersionsRequest extends Sets {
  kind: 'versions';
  dirs: string[];
}

/** One model's scores on the two sets (null where the set is empty). */
export interface VersionScore {
  dir: string;
  heldOut: EvalReport | null;
  reference: EvalReport | null;
}

/** One model's entities of each text (a text's `kind` routes a scoped model). */
export interface EntitiesRequest {
  kind: 'entities';
  dir: string;
  texts: { text: string; kind?: string }[];
  rules?: boolean;
}

type Request = JudgeRequest | VersionsRequest | EntitiesRequest;
type Result = Verdict | VersionScore[] | Entity[][];
type Reply =
  { type: 'progress'; message: string } | { type: 'done'; result: Result } | { type: 'error'; message: string };

export interface ScoringJob<T> {
  done: Promise<T>;
  /** stops the worker; `done` then rejects with "cancelled" */
  cancel(): void;
}

function start<T>(request: Request, onProgress?: (message: string) => void, file = scoringWorkerFile()): ScoringJob<T> {
  const worker = new Worker(file, { workerData: { scoringRequest: request } });
  let cancelled = false;
  const done = new Promise<T>((resolve, reject) => {
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
      void worker.terminate();
    };
    worker.on('message', (m: Reply) => {
      if (m.type === 'progress') onProgress?.(m.message);
      else if (m.type === 'done') settle(() => resolve(m.result as T));
      else settle(() => reject(new Error(m.message)));
    });
    worker.on('error', (e) => settle(() => reject(e)));
    worker.on('exit', (code) =>
      settle(() => reject(new Error(cancelled ? 'cancelled' : `scoring worker exited with code ${code}`))),
    );
  });
  return {
    done,
    cancel: () => {
      cancelled = true;
      void worker.terminate();
    },
  };
}

/** `judgeCandidate` in a worker thread, the models loaded there from their folders. */
export function judgeInWorker(
  request: Omit<JudgeRequest, 'kind'>,
  onProgress?: (m: string) => void,
): ScoringJob<Verdict> {
  return start<Verdict>({ ...request, kind: 'judge' }, onProgress);
}

/** Every model folder in `dirs` scored on the same held-out passages and reference set. */
export function scoreVersionsInWorker(
  request: Omit<VersionsRequest, 'kind'>,
  onProgress?: (m: string) => void,
): ScoringJob<VersionScore[]> {
  return start<VersionScore[]>({ ...request, kind: 'versions' }, onProgress);
}

/** A model's entities of each text, tagged off the caller's thread. */
export function entitiesInWorker(request: Omit<EntitiesRequest, 'kind'>): ScoringJob<Entity[][]> {
  return start<Entity[][]>({ ...request, kind: 'entities' });
}

async function withTagger<T>(dir: string, rules: boolean | undefined, f: (t: Tagger) => Promise<T>): Promise<T> {
  const tagger = await Tagger.load(dir, { rules });
  try {
    return await f(tagger);
  } finally {
    await tagger.dispose();
  }
}

async function run(request: Request, progress: (m: string) => void): Promise<Result> {
  if (request.kind === 'entities') {
    return withTagger(request.dir, request.rules, async (tagger) => {
      const out: Entity[][] = [];
      for (const t of request.texts) out.push(await tagger.tag(t.text, t.kind ? { kind: t.kind } : {}));
      return out;
    });
  }
  if (request.kind === 'judge') {
    return withTagger(request.candidateDir, request.rules, async (candidate) => {
      const judge = (current?: Tagger) =>
        judgeCandidate({
          candidate,
          current,
          heldOut: request.heldOut,
          reference: request.reference,
          labels: request.labels,
          userLabels: request.userLabels,
          minHeldOutEntities: request.minHeldOutEntities,
          seed: request.seed,
          onProgress: progress,
        });
      return request.currentDir ? withTagger(request.currentDir, request.rules, judge) : judge();
    });
  }
  const out: VersionScore[] = [];
  for (const [i, dir] of request.dirs.entries()) {
    progress(`scoring version ${i + 1} of ${request.dirs.length}`);
    out.push(
      await withTagger(dir, request.rules, async (t) => ({
        dir,
        heldOut: request.heldOut.length > 0 ? await evaluateOn(t, request.heldOut, request.labels) : null,
        reference: request.reference.length > 0 ? await evaluateOn(t, request.reference, request.labels) : null,
      })),
    );
  }
  return out;
}

const data = workerData as { scoringRequest?: Request } | null;
if (!isMainThread && parentPort && data?.scoringRequest) {
  const post = (m: Reply) => parentPort?.postMessage(m);
  run(data.scoringRequest, (message) => post({ type: 'progress', message })).then(
    (result) => post({ type: 'done', result }),
    (e: unknown) => post({ type: 'error', message: errorMessage(e) }),
  );
}
