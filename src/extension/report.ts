// The model report, a read-only markdown document (scheme entity-lens-report) shown in the
// markdown preview: the model, its training record, the workspace's annotations, per-label
// precision/recall/F1 on the held-out slice, and the last training run.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { evaluateOn, historyRows, recordRows, reportTable, splitByDocument, errorMessage } from '../model';
import { modelFor, resolveModel } from './model-manager';
import { type Ctx } from './ctx';
import { dataDir, folderPath, heldOutSplit, readCurrentModel } from './workspace-files';

export const REPORT_SCHEME = 'entity-lens-report';

export interface ReportState {
  content: Map<string, string>;
  changed: vscode.EventEmitter<vscode.Uri>;
}

export function createReportProvider(report: ReportState): vscode.TextDocumentContentProvider {
  return {
    onDidChange: report.changed.event,
    provideTextDocumentContent: (uri) => report.content.get(uri.toString()) ?? '# Entity Lens\n\nNo report yet.',
  };
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export async function buildReport(ctx: Ctx, folder: vscode.WorkspaceFolder | undefined): Promise<string> {
  const out: string[] = ['# Entity Lens — Model Report', ''];
  const model = await modelFor(ctx, folder);
  if (!model) {
    const choice = await resolveModel(ctx, folder);
    out.push(
      `**No model loaded.** Looked in \`${choice.dir}\`. Run **Entity Lens: Train Model** once there are annotations.`,
      '',
    );
  } else {
    out.push(
      `**Model:** ${model.info.name} ${model.info.version} (${model.origin}, runtime ${model.tagger.runtime.kind})`,
      '',
      `**Folder:** \`${model.dir}\``,
      '',
      `**Created:** ${model.info.created} · **Labels:** ${model.labels.join(', ')}`,
      '',
    );
    const training = model.info.training;
    if (training && Object.keys(training).length > 0) {
      out.push('## Training record', '', '| | |', '|---|---|');
      for (const r of recordRows(training)) out.push(`| ${cell(r.name)} | ${cell(r.value)} |`);
      out.push('');
      const history = historyRows(training);
      if (history.length > 0) {
        out.push('| epoch | training loss | dev F1 | seconds |', '|---:|---:|---:|---:|');
        for (const h of history) out.push(`| ${h.epoch} | ${h.loss} | ${h.devF1} | ${h.seconds} |`);
        out.push('');
      }
    }
  }
  const fp = folderPath(folder);
  if (fp) {
    const current = await readCurrentModel(fp);
    out.push(
      '## Workspace',
      '',
      `Active trained version: ${current.active ?? 'none (base model)'}; earlier: ${current.history.map((v) => v ?? 'base').join(' → ') || 'none'}`,
      '',
    );
    try {
      const store = await ctx.readAnnotations(fp);
      const counts = new Map<string, number>();
      for (const r of store.records) for (const s of r.spans) counts.set(s.label, (counts.get(s.label) ?? 0) + 1);
      const { train, heldOut } = splitByDocument(store.records, heldOutSplit(fp));
      out.push(
        `Annotations: ${store.records.length} passages (${train.length} for training, ${heldOut.length} in held-out documents), ${store.lines} lines in the file, ${store.superseded} superseded, ${store.problems.length} malformed (see the Entity Lens output).`,
        '',
      );
      if (counts.size > 0) {
        out.push('| label | annotated spans |', '|---|---:|');
        for (const [label, n] of [...counts].sort()) out.push(`| ${label} | ${n} |`);
        out.push('');
      }
      if (model && store.records.length > 0) {
        const labels = [...new Set([...model.labels, ...counts.keys()])];
        const slice = heldOut.length > 0 ? heldOut : store.records;
        const report = await evaluateOn(model.tagger, slice, labels);
        out.push(
          heldOut.length > 0
            ? `## Current model on the held-out slice (${heldOut.length} passages)`
            : `## Current model on all ${slice.length} annotated passages (no held-out passages yet: these are training data, so the scores are optimistic)`,
          '',
          reportTable(report),
          '',
        );
      }
    } catch (e) {
      out.push(`Annotations could not be read: ${errorMessage(e)}`, '');
    }
    const last = ctx.training.lastRun?.folder === fp ? ctx.training.lastRun : await readLastRun(fp);
    if (last?.markdown) out.push('## Last training run', '', last.markdown, '');
  }
  return out.join('\n');
}

async function readLastRun(folder: string): Promise<{ markdown?: string } | undefined> {
  try {
    return JSON.parse(await fs.readFile(path.join(dataDir(folder), 'last-training.json'), 'utf8')) as {
      markdown?: string;
    };
  } catch {
    return undefined;
  }
}
