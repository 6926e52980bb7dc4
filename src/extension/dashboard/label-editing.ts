// Labels view: the labels on offer with their colour, description and how often the training
// set uses them; add, rename, recolour and describe.
//  - colours: decorations read entityLens.labelColors first (decorations.ts), so a new colour is
//    written there (workspace settings when a folder is open) and the editors redraw at once.
//  - descriptions: .entity-lens/label-descriptions.json ({"descriptions": {LABEL: text}});
//    labels.json stays as labels.ts writes it ({"labels": [...]}, rewritten whole on add).
//  - rename: rewrites annotations.jsonl under the store's lock in one atomic write (every line,
//    superseded ones too, so no older record brings the old name back; malformed lines stay
//    verbatim), then labels.json, the colour, the description and the open documents' confirmed
//    spans. A model that learnt the old name keeps predicting it until it is retrained.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isValidLabel, withFileLock, writeFileAtomic } from '../../model';
import type { LabelDto } from '../../shared/messages';
import { paletteColor, themeKey } from '../decorations';
import { addLabelToFile, availableLabels, labelProblem, readLabelFile, requireLabel } from '../labels';
import { modelFor } from '../model-manager';
import { readSettings, SECTION } from '../settings';
import { type Ctx } from '../ctx';
import { annotationsFile, dataDir, ensureDataDir, labelsFile } from '../workspace-files';
import { splitGoldSilver } from './training-set';

/** The colour decorations draw a label's border with, as CSS the webview understands. */
export function labelColor(label: string, overrides: Record<string, string>): { color: string; custom: boolean } {
  const custom = overrides[label];
  if (typeof custom === 'string' && custom) return { color: custom, custom: true };
  const key = themeKey(label);
  // contributed theme colours reach webviews as CSS variables (dots become dashes)
  if (key) return { color: `var(--vscode-entityLens-${key}Border)`, custom: false };
  return { color: paletteColor(label), custom: false };
}

export function descriptionsFile(folder: string): string {
  return path.join(dataDir(folder), 'label-descriptions.json');
}

export async function readDescriptions(folder: string | undefined): Promise<Record<string, string>> {
  if (!folder) return {};
  try {
    const raw = JSON.parse(await fs.readFile(descriptionsFile(folder), 'utf8')) as { descriptions?: unknown };
    const out: Record<string, string> = {};
    if (raw && typeof raw.descriptions === 'object' && raw.descriptions !== null) {
      // only labels' descriptions (a key like __proto__ or markup is not one)
      for (const [k, v] of Object.entries(raw.descriptions as Record<string, unknown>))
        if (isValidLabel(k) && typeof v === 'string') out[k] = v;
    }
    return out;
  } catch {
    return {};
  }
}

async function updateDescriptions(folder: string, fn: (d: Record<string, string>) => void): Promise<void> {
  await ensureDataDir(folder);
  const file = descriptionsFile(folder);
  await withFileLock(file, async () => {
    const d = await readDescriptions(folder);
    fn(d);
    const sorted = Object.fromEntries(Object.entries(d).sort(([a], [b]) => a.localeCompare(b)));
    await writeFileAtomic(file, JSON.stringify({ descriptions: sorted }, null, 2) + '\n');
  });
}

export async function labelsData(
  ctx: Ctx,
  folder: vscode.WorkspaceFolder | undefined,
  fp: string | undefined,
): Promise<LabelDto[]> {
  const names = await availableLabels(ctx, folder);
  const model = await modelFor(ctx, folder);
  const counts = new Map<string, { gold: number; silver: number }>();
  const bump = (label: string): { gold: number; silver: number } => {
    let c = counts.get(label);
    if (!c) counts.set(label, (c = { gold: 0, silver: 0 }));
    return c;
  };
  if (fp) {
    const store = await ctx.readAnnotations(fp);
    for (const r of store.records) {
      const { gold, silver } = splitGoldSilver(r);
      for (const s of gold) bump(s.label).gold++;
      for (const s of silver) bump(s.label).silver++;
    }
  }
  for (const l of counts.keys()) if (isValidLabel(l) && !names.includes(l)) names.push(l);
  const overrides = readSettings(folder?.uri).labelColors;
  const descriptions = await readDescriptions(fp);
  return names.map((name) => {
    const { color, custom } = labelColor(name, overrides);
    const c = counts.get(name);
    return {
      name,
      color,
      customColor: custom,
      description: descriptions[name] ?? '',
      gold: c?.gold ?? 0,
      silver: c?.silver ?? 0,
      inModel: model?.labels.includes(name) ?? false,
    };
  });
}

function requireFolder(fp: string | undefined): string {
  if (!vscode.workspace.isTrusted) throw new Error('changing labels is not available in an untrusted workspace');
  if (!fp) throw new Error('open a folder first: labels are kept in its .entity-lens folder');
  return fp;
}

export function normalizeLabel(name: string): string {
  return name.trim().toUpperCase();
}

export async function addLabel(
  ctx: Ctx,
  folder: vscode.WorkspaceFolder | undefined,
  fp: string | undefined,
  name: string,
  description: string,
): Promise<string> {
  const dir = requireFolder(fp);
  const label = normalizeLabel(name);
  const problem = labelProblem(label, await availableLabels(ctx, folder));
  if (problem) throw new Error(problem);
  await addLabelToFile(dir, label);
  if (description.trim()) await updateDescriptions(dir, (d) => void (d[label] = description.trim()));
  return `Entity Lens: added label ${label}.`;
}

export async function describeLabel(fp: string | undefined, name: string, description: string): Promise<void> {
  const dir = requireFolder(fp);
  requireLabel(name);
  await updateDescriptions(dir, (d) => {
    if (description.trim()) d[name] = description.trim();
    else delete d[name];
  });
}

const COLOR = /^#[0-9a-fA-F]{6}$/;

export async function recolorLabel(
  folder: vscode.WorkspaceFolder | undefined,
  name: string,
  color: string,
): Promise<void> {
  // writing the workspace's settings is a change to the workspace, refused like the others
  if (!vscode.workspace.isTrusted) throw new Error('changing label colours is not available in an untrusted workspace');
  requireLabel(name);
  if (color !== '' && !COLOR.test(color)) throw new Error(`"${color}" is not a colour like #ff8800`);
  // a window setting (the decorations are the same in every folder): read without a resource
  void folder;
  const c = vscode.workspace.getConfiguration(SECTION);
  const target = vscode.workspace.workspaceFolders?.length
    ? vscode.ConfigurationTarget.Workspace
    : vscode.ConfigurationTarget.Global;
  const inspected = c.inspect<Record<string, string>>('labelColors');
  const current = {
    ...((target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue) ?? {}),
  };
  if (color) current[name] = color;
  else delete current[name];
  await c.update('labelColors', current, target);
}

/** One JSONL line with `from` renamed in spans and silver; other lines come back unchanged. */
export function renameInLine(line: string, from: string, to: string): string {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return line;
  const o = v as Record<string, unknown>;
  let changed = false;
  for (const key of ['spans', 'silver']) {
    const list = o[key];
    if (!Array.isArray(list)) continue;
    for (const s of list) {
      if (typeof s === 'object' && s !== null && (s as { label?: unknown }).label === from) {
        (s as { label: string }).label = to;
        changed = true;
      }
    }
  }
  return changed ? JSON.stringify(o) : line;
}

export async function renameLabel(
  ctx: Ctx,
  folder: vscode.WorkspaceFolder | undefined,
  fp: string | undefined,
  fromName: string,
  toName: string,
): Promise<string> {
  const dir = requireFolder(fp);
  const from = fromName.trim();
  const to = normalizeLabel(toName);
  requireLabel(from);
  if (ctx.training.running) throw new Error('wait for the training to finish (or cancel it) before renaming a label');
  const existing = await availableLabels(ctx, folder);
  const problem = labelProblem(
    to,
    existing.filter((l) => l !== from),
  );
  if (problem) throw new Error(problem);
  if (from === to) return `Entity Lens: ${from} is already called ${to}.`;

  // 1. the training set, under the store's lock, in one atomic write
  const file = annotationsFile(dir);
  let renamed = 0;
  await withFileLock(file, async () => {
    let content: string;
    try {
      content = await fs.readFile(file, 'utf8');
    } catch {
      return; // no annotations yet
    }
    const lines = content.split('\n');
    const out = lines.map((line) => {
      const body = line.endsWith('\r') ? line.slice(0, -1) : line;
      const next = renameInLine(body, from, to);
      if (next !== body) renamed++;
      return next === body ? line : next;
    });
    if (renamed > 0) await writeFileAtomic(file, out.join('\n'));
  });
  ctx.storeCache.files.delete(file);

  // 2. labels.json (same format and lock as labels.ts), 3. colour, 4. description
  const listed = await readLabelFile(dir);
  if (listed.includes(from) || !listed.includes(to)) {
    const lf = labelsFile(dir);
    await ensureDataDir(dir);
    await withFileLock(lf, async () => {
      const labels = (await readLabelFile(dir)).map((l) => (l === from ? to : l));
      if (!labels.includes(to)) labels.push(to);
      await writeFileAtomic(lf, JSON.stringify({ labels: [...new Set(labels)] }, null, 2) + '\n');
    });
  }
  const colors = readSettings(folder?.uri).labelColors;
  if (colors[from]) {
    await recolorLabel(folder, to, colors[from]);
    await recolorLabel(folder, from, '');
  }
  const descriptions = await readDescriptions(dir);
  if (descriptions[from] !== undefined) {
    await updateDescriptions(dir, (d) => {
      d[to] = d[from];
      delete d[from];
    });
  }

  // 5. what the editors show as confirmed
  for (const ds of ctx.documents()) {
    let touched = false;
    for (const c of ds.confirmed) {
      if (c.label === from) {
        c.label = to;
        touched = true;
      }
    }
    if (touched) {
      ds.invalidate();
      ctx.entitiesChanged.fire(ds);
    }
  }
  const model = await modelFor(ctx, folder);
  const note = model?.labels.includes(from)
    ? ` The current model still predicts ${from} until it is trained again.`
    : '';
  const text = `Entity Lens: renamed ${from} to ${to} in ${renamed} training record line(s).${note}`;
  ctx.log.info(text);
  return text;
}
