// The Models view's curve: every version scored on the SAME two sets — the workspace's held-out
// documents as they are now, and the reference set shipped with the base model — so a user sees
// whether their corrections pay off. The scores recorded when a version was trained were made on
// the held-out slice of that day and cannot share a column. Scoring runs in a worker (tagging
// blocks its thread); each version's scores are kept in .entity-lens/version-scores.json under a
// key of its model.json and the two sets, so only new versions or changed sets are scored again.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import {
  type AnnotatedDocument,
  type EvalReport,
  errorMessage,
  loadReferenceSet,
  REFERENCE_FILE,
  scoreVersionsInWorker,
  splitByDocument,
  writeFileAtomic,
} from '../../model';
import type { CurveDto } from '../../shared/messages';
import { type Ctx } from '../ctx';
import { readSettings } from '../settings';
import { dataDir, heldOutSplit } from '../workspace-files';

interface Cached {
  key: string;
  heldOut: number | null;
  reference: number | null;
}

export interface CurveVersion {
  id: string;
  dir: string;
  labels: string[];
}

const running = new Map<string, Promise<void>>();

function hashOf(docs: AnnotatedDocument[]): string {
  const h = createHash('sha256');
  for (const d of docs)
    h.update(JSON.stringify([d.id, d.text, d.spans, d.judged ?? null, d.reviewed ?? null, d.complete ?? null]));
  return h.digest('hex');
}

/** The base model's reference set and its hash, read again only when the file changes (it is MBs; the view refreshes often). */
const references = new Map<string, { mtimeMs: number; size: number; docs: AnnotatedDocument[]; hash: string }>();

async function referenceOf(baseDir: string): Promise<{ docs: AnnotatedDocument[]; hash: string }> {
  const file = path.join(baseDir, REFERENCE_FILE);
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat) return { docs: [], hash: hashOf([]) };
  const known = references.get(file);
  if (known && known.mtimeMs === stat.mtimeMs && known.size === stat.size) return known;
  const docs = await loadReferenceSet(baseDir).catch(() => []);
  const entry = { mtimeMs: stat.mtimeMs, size: stat.size, docs, hash: hashOf(docs) };
  references.set(file, entry);
  return entry;
}

const scoresFile = (fp: string) => path.join(dataDir(fp), 'version-scores.json');

async function readCache(fp: string): Promise<Record<string, Cached>> {
  try {
    const v = JSON.parse(await fs.readFile(scoresFile(fp), 'utf8')) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, Cached>) : {};
  } catch {
    return {};
  }
}

const size = (docs: AnnotatedDocument[]) =>
  docs.length > 0 ? { documents: docs.length, entities: docs.reduce((n, d) => n + d.spans.length, 0) } : null;
const micro = (r: EvalReport | null): number | null => (r && Number.isFinite(r.micro.f1) ? r.micro.f1 : null);

/**
 * The curve as far as it is known now. Versions not scored on the current sets are scored in the
 * background; `onScored` is called once they are (the view then asks again).
 */
export async function versionCurve(
  ctx: Ctx,
  fp: string,
  baseDir: string,
  versions: CurveVersion[],
  onScored: () => void,
): Promise<CurveDto> {
  const [store, ref] = await Promise.all([ctx.readAnnotations(fp), referenceOf(baseDir)]);
  const reference = ref.docs;
  const { heldOut } = splitByDocument(store.records, heldOutSplit(fp));
  const sets = `${hashOf(heldOut)}:${ref.hash}`;
  const cache = await readCache(fp);
  const keys = new Map<string, string>();
  for (const v of versions) {
    const manifest = await fs.readFile(path.join(v.dir, 'model.json'), 'utf8').catch(() => '');
    keys.set(v.id, createHash('sha256').update(manifest).update(sets).digest('hex'));
  }
  const missing = versions.filter((v) => cache[v.id]?.key !== keys.get(v.id));
  if (missing.length > 0 && (heldOut.length > 0 || reference.length > 0) && !running.has(fp)) {
    const labels = [
      ...new Set([...versions.flatMap((v) => v.labels), ...heldOut.flatMap((d) => d.spans.map((s) => s.label))]),
    ];
    const job = scoreVersionsInWorker({
      dirs: missing.map((v) => v.dir),
      heldOut,
      reference,
      labels,
      rules: readSettings().ruleAnnotators,
    });
    running.set(
      fp,
      job.done
        .then(async (scored) => {
          const next = await readCache(fp);
          scored.forEach((s, i) => {
            const id = missing[i].id;
            next[id] = { key: keys.get(id) as string, heldOut: micro(s.heldOut), reference: micro(s.reference) };
          });
          await fs.mkdir(dataDir(fp), { recursive: true });
          await writeFileAtomic(scoresFile(fp), JSON.stringify(next, null, 2) + '\n');
          onScored();
        })
        .catch((e: unknown) => ctx.log.warn(`scoring the model versions failed: ${errorMessage(e)}`))
        .finally(() => running.delete(fp)),
    );
  }
  return {
    heldOut: size(heldOut),
    reference: size(reference),
    pending: running.has(fp),
    points: versions.map((v) => {
      const c = cache[v.id]?.key === keys.get(v.id) ? cache[v.id] : undefined;
      return { id: v.id, heldOut: c?.heldOut ?? null, reference: c?.reference ?? null };
    }),
  };
}
