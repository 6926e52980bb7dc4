// Hover on an entity: label, confidence (or "reviewed"), the normalised value where easy,
// the model's name and version, and links to accept, relabel or remove it. Everything that
// comes from a file (the label, the value read from the text, the model's name and version) goes
// into the Markdown through escapeMarkdown or markdownCode: shown as text, never as a link, HTML or emphasis.
import * as vscode from 'vscode';
import { toRange } from './document-text';
import { peekModel } from './model-manager';
import { displayLabel, escapeMarkdown, markdownCode, nameKey, normalizedValue } from '../model';
import { readSettings } from './settings';
import { type Ctx } from './ctx';
import { type DisplayEntity } from './tracked-document';
import { folderFor } from './workspace-files';
import { CommandId } from './command-ids';

/** What code actions, hovers and commands pass to identify an entity. */
export interface EntityRef {
  uri: string;
  start: number;
  end: number;
  label: string;
}

export function entityRef(uri: vscode.Uri, e: DisplayEntity): EntityRef {
  return { uri: uri.toString(), start: e.start, end: e.end, label: e.label };
}

export function commandLink(title: string, command: string, args: unknown[]): string {
  return `[${title}](command:${command}?${encodeURIComponent(JSON.stringify(args))} "${title}")`;
}

const LINK_COMMANDS = [
  CommandId.acceptEntity,
  CommandId.changeLabel,
  CommandId.removeEntity,
  CommandId.showModelReport,
  CommandId.nextOccurrence,
  CommandId.previousOccurrence,
];

export function createHoverProvider(ctx: Ctx): vscode.HoverProvider {
  return {
    async provideHover(doc, position) {
      const ds = ctx.document(doc.uri.toString());
      if (!ds) return undefined;
      const offset = doc.offsetAt(position);
      const e = ds.entityAt({ start: offset, end: offset });
      if (!e) return undefined;
      const threshold = readSettings(doc.uri).lowConfidenceThreshold;
      const md = new vscode.MarkdownString(undefined, true);
      md.isTrusted = { enabledCommands: LINK_COMMANDS };
      const confidence = e.reviewed
        ? 'reviewed'
        : `confidence ${e.confidence.toFixed(2)}${e.confidence < threshold ? ' — **low**' : ''}`;
      md.appendMarkdown(`**${escapeMarkdown(displayLabel(e.label))}** · ${confidence}\n\n`);
      const at = doc.positionAt(e.start);
      const startsLine = at.line > 0 && doc.lineAt(at.line).text.slice(0, at.character).trim() === '';
      const value = normalizedValue(e.label, e.text, startsLine ? doc.lineAt(at.line - 1).text : undefined);
      if (value) md.appendMarkdown(`Value: ${markdownCode(value)}\n\n`);
      const model = await peekModel(ctx, folderFor(doc.uri));
      if (model)
        md.appendMarkdown(
          `Model: ${escapeMarkdown(model.info.name)} ${escapeMarkdown(model.info.version)}${FOUND_BY[e.source ?? ''] ?? ''}\n\n`,
        );
      const ref = entityRef(doc.uri, e);
      const key = nameKey(e);
      const same = ds.entities().filter((x) => nameKey(x) === key);
      if (same.length > 1) {
        const at = same.findIndex((x) => x.start === e.start) + 1;
        md.appendMarkdown(
          `Occurrence ${at} of ${same.length} of this name · ` +
            `${commandLink('Previous', CommandId.previousOccurrence, [ref])} · ${commandLink('Next', CommandId.nextOccurrence, [ref])}\n\n`,
        );
      }
      const links = [];
      if (!e.reviewed) links.push(commandLink('Accept', CommandId.acceptEntity, [ref]));
      links.push(commandLink('Change label…', CommandId.changeLabel, [ref]));
      links.push(commandLink('Remove', CommandId.removeEntity, [ref]));
      md.appendMarkdown(links.join(' · '));
      return new vscode.Hover(md, toRange(doc, e));
    },
  };
}

/** how the entity was found, when not by the network itself */
const FOUND_BY: Record<string, string> = {
  rules: ' · found by the rule annotators',
  document: ' · same name as a party found elsewhere in the document',
};
