// Entity labels on offer: the model's own, the workspace's `.entity-lens/labels.json`
// (labels added by hand, learnt at the next training), and those used in annotations. One label
// grammar, the engine's (core/labels.ts): what a person types, labels.json and every label a
// command or the dashboard is given are checked against it, so nothing the trainer and the
// annotation store would refuse is offered, shown or saved.
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { isValidLabel, labelProblem as grammarProblem, withFileLock, writeFileAtomic } from '../model';
import { modelFor } from './model-manager';
import { type Ctx } from './ctx';
import { ensureDataDir, folderPath, labelsFile } from './workspace-files';

/** Offered when no model exists yet. */
export const DEFAULT_LABELS = [
  'PARTY',
  'DATE',
  'AMOUNT',
  'PERCENT',
  'DURATION',
  'JURISDICTION',
  'ADDRESS',
  'BANK_ACCOUNT',
];

/** Why a new label cannot be added (the grammar, or it exists already), or undefined. */
export function labelProblem(label: string, existing: readonly string[]): string | undefined {
  if (!label) return 'Type a label, e.g. INVOICE_NUMBER';
  const problem = grammarProblem(label);
  if (problem !== null) return problem;
  if (existing.includes(label)) return `${label} already exists`;
  return undefined;
}

/** Throws an Error saying why when `label` breaks the label grammar (a command's or the dashboard's argument). */
export function requireLabel(label: unknown): string {
  const problem = grammarProblem(label);
  if (problem !== null) throw new Error(problem);
  return label as string;
}

/** Labels in labels.json: `{"labels": [...]}` or a bare array. Unreadable files count as empty. */
export async function readLabelFile(folder: string | undefined): Promise<string[]> {
  if (!folder) return [];
  try {
    const raw = JSON.parse(await fs.readFile(labelsFile(folder), 'utf8')) as unknown;
    const list = Array.isArray(raw) ? raw : (raw as { labels?: unknown }).labels;
    return Array.isArray(list) ? list.filter(isValidLabel) : [];
  } catch {
    return [];
  }
}

export async function addLabelToFile(folder: string, label: string): Promise<void> {
  await ensureDataDir(folder);
  const file = labelsFile(folder);
  await withFileLock(file, async () => {
    const labels = await readLabelFile(folder);
    if (!labels.includes(label)) labels.push(label);
    await writeFileAtomic(file, JSON.stringify({ labels }, null, 2) + '\n');
  });
}

/** Every label a person can pick for documents of this folder. */
export async function availableLabels(ctx: Ctx, folder: vscode.WorkspaceFolder | undefined): Promise<string[]> {
  const model = await modelFor(ctx, folder);
  const out: string[] = (model?.labels ?? []).filter(isValidLabel);
  for (const l of await readLabelFile(folderPath(folder))) if (!out.includes(l)) out.push(l);
  for (const ds of ctx.documents())
    for (const s of ds.confirmed) if (isValidLabel(s.label) && !out.includes(s.label)) out.push(s.label);
  if (out.length === 0) out.push(...DEFAULT_LABELS);
  return out;
}
