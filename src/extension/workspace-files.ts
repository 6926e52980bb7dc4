// Where a workspace folder keeps Entity Lens data: `.entity-lens/` with annotations.jsonl,
// labels.json and models/<version>/ (+ models/current.json naming the active version).
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  appendRecords,
  compactIfWorthIt,
  documentKey,
  withFileLock,
  writeFileAtomic,
  type AnnotationRecord,
  type SplitOptions,
} from '../model';
import { storedUri } from './pages/extracted-uri';

export const DATA_DIR = '.entity-lens';

/** The workspace folder that owns a document's data: its own folder, else the first one. */
export function folderFor(uri?: vscode.Uri): vscode.WorkspaceFolder | undefined {
  // a PDF's or image's text view belongs where the file is
  const own = uri ? vscode.workspace.getWorkspaceFolder(storedUri(uri)) : undefined;
  if (own) return own;
  const active = vscode.window.activeTextEditor?.document.uri;
  const fromActive = active ? vscode.workspace.getWorkspaceFolder(active) : undefined;
  return fromActive ?? vscode.workspace.workspaceFolders?.[0];
}

/** Local path of a folder, or undefined for virtual file systems (no data is written there). */
export function folderPath(folder: vscode.WorkspaceFolder | undefined): string | undefined {
  return folder && folder.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
}

/**
 * How the folder's records are split into training and held-out documents: by the path of their
 * document relative to the folder (its URI outside it), so the held-out documents stay the same
 * when the folder moves or is opened on another machine.
 */
export function heldOutSplit(folder: string): SplitOptions {
  return {
    key: (r) => {
      const key = documentKey(r);
      if (!key.startsWith('file:')) return key;
      const rel = path.relative(folder, vscode.Uri.parse(key).fsPath);
      return rel.startsWith('..') || path.isAbsolute(rel) ? key : rel.split(path.sep).join('/');
    },
  };
}

export function dataDir(folder: string): string {
  return path.join(folder, DATA_DIR);
}
export function annotationsFile(folder: string): string {
  return path.join(dataDir(folder), 'annotations.jsonl');
}
export function labelsFile(folder: string): string {
  return path.join(dataDir(folder), 'labels.json');
}
export function modelsDir(folder: string): string {
  return path.join(dataDir(folder), 'models');
}
export function currentModelFile(folder: string): string {
  return path.join(modelsDir(folder), 'current.json');
}

export async function ensureDataDir(folder: string): Promise<void> {
  await fs.mkdir(dataDir(folder), { recursive: true });
}

/**
 * Which trained version is active (null = the base model). `history` is a stack of what was
 * active before each swap or reset, so Roll Back returns to exactly the previous state.
 */
export interface CurrentModel {
  active: string | null;
  history: Array<string | null>;
}

export async function readCurrentModel(folder: string): Promise<CurrentModel> {
  try {
    const raw = JSON.parse(await fs.readFile(currentModelFile(folder), 'utf8')) as Partial<CurrentModel>;
    const history = Array.isArray(raw.history)
      ? raw.history.filter((v): v is string | null => v === null || (typeof v === 'string' && isSafeVersion(v)))
      : [];
    const active = typeof raw.active === 'string' && isSafeVersion(raw.active) ? raw.active : null;
    return { active, history };
  } catch {
    return { active: null, history: [] };
  }
}

export async function updateCurrentModel(folder: string, fn: (c: CurrentModel) => CurrentModel): Promise<CurrentModel> {
  await fs.mkdir(modelsDir(folder), { recursive: true });
  const file = currentModelFile(folder);
  return withFileLock(file, async () => {
    const next = fn(await readCurrentModel(folder));
    await writeFileAtomic(file, JSON.stringify(next, null, 2) + '\n');
    return next;
  });
}

/** A version name is a folder name: no separators, no dot-dot. */
export function isSafeVersion(v: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(v) && !v.includes('..');
}

export async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}

/** Appends records to the folder's training set (creating `.entity-lens/` first). */
export async function appendAnnotations(folder: string, records: AnnotationRecord[]): Promise<void> {
  if (records.length === 0) return;
  await ensureDataDir(folder);
  await appendRecords(annotationsFile(folder), records);
}

/** Rewrites the folder's training set without superseded records when they are most of it. */
export function compactAnnotations(folder: string): Promise<boolean> {
  return compactIfWorthIt(annotationsFile(folder));
}
