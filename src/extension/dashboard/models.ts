// Models view: the base model and every trained version in .entity-lens/models/<version>/, with
// what was recorded when each was made — model.json's `training` record (data counts, and the
// per-epoch history when the recipe stores it) and report.json, which the training controller
// writes beside a version it swaps in ({reason, verdict: {heldOut, reference}, history}).
// Activating a version is a roll back to it: current.json's history stack grows, exactly as
// after a swap, so Entity Lens: Roll Back Model returns to what was active before.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DataCountsDto, EpochDto, LabelScoreDto, ModelVersionDto, ModelsDto } from '../../shared/messages';
import { retagAll } from '../document-tagger';
import { baseModel, invalidateModels, resolveModel } from '../model-manager';
import { type Ctx } from '../ctx';
import { exists, isSafeVersion, modelsDir, readCurrentModel, updateCurrentModel } from '../workspace-files';
import { type CurveVersion, versionCurve } from './version-curve';
import { describeScope } from '../../model';

export const BASE_ID = 'base';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
/** JSON turns NaN into null: anything not a finite number becomes `fallback`. */
const finite = <F>(v: unknown, fallback: F): number | F => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const count = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null);
const text = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);

async function readJson(file: string): Promise<Json | undefined> {
  try {
    const v = JSON.parse(await fs.readFile(file, 'utf8')) as unknown;
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export function epochs(v: unknown): EpochDto[] {
  if (!Array.isArray(v)) return [];
  const out: EpochDto[] = [];
  for (const h of v) {
    if (!isObject(h)) continue;
    const epoch = count(h.epoch);
    const loss = finite(h.loss, null);
    if (epoch === null || loss === null) continue;
    out.push({
      epoch,
      loss,
      devF1: finite(h.devF1, null),
      seconds: finite(h.seconds, 0),
      sentencesPerSecond: finite(h.sentencesPerSecond, 0),
    });
  }
  return out;
}

/** Per-label scores of an EvalReport (evaluate.ts) as stored in report.json. */
export function scores(report: unknown): { labels: LabelScoreDto[]; micro: number | null } {
  if (!isObject(report) || !Array.isArray(report.labels)) return { labels: [], micro: null };
  const labels: LabelScoreDto[] = [];
  for (const s of report.labels) {
    if (!isObject(s) || typeof s.label !== 'string') continue;
    labels.push({
      label: s.label,
      precision: finite(s.precision, null),
      recall: finite(s.recall, 0),
      f1: finite(s.f1, null),
      support: count(s.support) ?? 0,
    });
  }
  return { labels, micro: isObject(report.micro) ? finite(report.micro.f1, null) : null };
}

/** The data counts the controller writes into the run's summary ("Data: N training records, …"). */
function countsFromMarkdown(markdown: string): Partial<DataCountsDto> {
  const m = /Data: (\d+) training records, (\d+) held-out records, (\d+) replayed/.exec(markdown);
  return m ? { trainRecords: Number(m[1]), heldOutRecords: Number(m[2]), replayed: Number(m[3]) } : {};
}

async function describeVersion(
  dir: string,
  id: string,
  source: ModelVersionDto['source'],
  active: boolean,
): Promise<ModelVersionDto | undefined> {
  const manifest = await readJson(path.join(dir, 'model.json'));
  if (!manifest) return undefined;
  const training = isObject(manifest.training) ? manifest.training : {};
  const report = (await readJson(path.join(dir, 'report.json'))) ?? {};
  // the verdict's held-out comparison (older reports kept {heldOut: {candidate, current}})
  const verdict = isObject(report.verdict) ? report.verdict : {};
  const heldOut = isObject(verdict.heldOut) ? verdict.heldOut : isObject(report.heldOut) ? report.heldOut : {};
  const fromReport = scores(heldOut.candidate);
  // the default recipe records dev scores per label in its training record, when it does
  const fromTraining = scores(training.report);
  const chosen = fromReport.labels.length > 0 ? fromReport : fromTraining;
  const md = countsFromMarkdown(text(report.markdown));
  const config = isObject(manifest.config) ? manifest.config : {};
  const history = epochs(training.history);
  return {
    id,
    name: text(manifest.name, id),
    version: text(manifest.version, id),
    created: text(manifest.created),
    source,
    active,
    labels: Array.isArray(config.labels) ? config.labels.filter((l): l is string => typeof l === 'string') : [],
    data: {
      trainRecords: md.trainRecords ?? count(training.trainDocuments),
      heldOutRecords: md.heldOutRecords ?? null,
      trainSequences: count(training.trainSequences),
      devSequences: count(training.devSequences),
      replayed: md.replayed ?? null,
    },
    scores: chosen.labels,
    microF1: chosen.micro ?? finite(training.devF1, null),
    history: history.length > 0 ? history : epochs(report.history),
    note: text(report.reason) || (source === 'workspace' ? '' : `base model (${source})`),
    scope: scopeText(manifest.scope) ?? '',
  };
}

/** model.json's scope as a phrase, when it is one (a hand-edited file may hold anything). */
function scopeText(scope: unknown): string | undefined {
  if (!isObject(scope)) return undefined;
  const strings = (x: unknown): string[] =>
    Array.isArray(x) ? x.filter((v): v is string => typeof v === 'string') : [];
  const labels = strings(scope.labels);
  const kinds = strings(scope.kinds);
  return labels.length && kinds.length ? describeScope({ labels, kinds }) : undefined;
}

function versionNumber(id: string): number {
  const m = /^ws\.(\d+)$/.exec(id);
  return m ? Number(m[1]) : Number.MAX_SAFE_INTEGER;
}

/** Trained versions on disk, oldest first (folders being written, *.partial-*, are skipped). */
export async function listVersionIds(folder: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(modelsDir(folder));
  } catch {
    return [];
  }
  const ids: string[] = [];
  for (const name of names) {
    if (!isSafeVersion(name) || /\.(partial|previous)-/.test(name)) continue;
    if (await exists(path.join(modelsDir(folder), name, 'model.json'))) ids.push(name);
  }
  return ids.sort((a, b) => versionNumber(a) - versionNumber(b) || a.localeCompare(b));
}

export async function modelsData(
  ctx: Ctx,
  folder: vscode.WorkspaceFolder | undefined,
  fp: string | undefined,
  onScored: () => void = () => undefined,
): Promise<ModelsDto> {
  const activeDir = (await resolveModel(ctx, folder)).dir;
  const base = baseModel(folder);
  const versions: ModelVersionDto[] = [];
  const dirs: CurveVersion[] = [];
  const b = await describeVersion(base.dir, BASE_ID, base.origin, path.resolve(activeDir) === path.resolve(base.dir));
  if (b) {
    versions.push(b);
    dirs.push({ id: BASE_ID, dir: base.dir, labels: b.labels });
  }
  let canRollBack = false;
  if (fp) {
    for (const id of await listVersionIds(fp)) {
      const dir = path.join(modelsDir(fp), id);
      const v = await describeVersion(dir, id, 'workspace', path.resolve(activeDir) === path.resolve(dir));
      if (v) {
        versions.push(v);
        dirs.push({ id, dir, labels: v.labels });
      }
    }
    canRollBack = (await readCurrentModel(fp)).history.length > 0;
  }
  // trained versions exist only in a trusted folder; the curve compares them
  const curve =
    fp && vscode.workspace.isTrusted && dirs.length > 1 ? await versionCurve(ctx, fp, base.dir, dirs, onScored) : null;
  return { versions, canRollBack, trusted: vscode.workspace.isTrusted, curve };
}

/** Makes `id` (a trained version, or "base") the active model. Returns a message for the user. */
export async function activateVersion(ctx: Ctx, fp: string | undefined, id: string): Promise<string> {
  if (!vscode.workspace.isTrusted) throw new Error('changing the model is not available in an untrusted workspace');
  if (!fp) throw new Error('open a folder first: its models are in .entity-lens/models');
  if (ctx.training.running) throw new Error('wait for the training to finish (or cancel it) before changing the model');
  let target: string | null = null;
  if (id !== BASE_ID) {
    if (!isSafeVersion(id) || !(await exists(path.join(modelsDir(fp), id, 'model.json'))))
      throw new Error(`there is no model version ${id}`);
    target = id;
  }
  const before = await readCurrentModel(fp);
  if (before.active === target) return `${target ?? 'the base model'} is already in use`;
  await updateCurrentModel(fp, (c) =>
    c.active === target ? c : { active: target, history: [...c.history, c.active] },
  );
  await invalidateModels(ctx);
  retagAll(ctx);
  const text = `Entity Lens: now using ${target ?? 'the base model'} (was ${before.active ?? 'the base model'}).`;
  ctx.log.info(text);
  return text;
}
