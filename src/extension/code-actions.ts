// Quick fixes on an entity (accept, change label to …, remove, resize to the selection) and
// on a selection (tag it as …, accept every entity in it, mark labels complete in it). They run commands: nothing here
// edits the text.
import * as vscode from 'vscode';
import { displayLabel } from '../model';
import { snapToTokens } from './document-text';
import { entityRef } from './hover';
import { availableLabels } from './labels';
import { describeEntity, DIAGNOSTIC_SOURCE } from './diagnostics';
import { type Ctx } from './ctx';
import { folderFor } from './workspace-files';
import { CommandId } from './command-ids';

export const ENTITY_ACTION = vscode.CodeActionKind.QuickFix.append('entityLens');

export function createCodeActionProvider(ctx: Ctx): vscode.CodeActionProvider {
  return {
    async provideCodeActions(doc, range, context) {
      const ds = ctx.document(doc.uri.toString());
      if (!ds) return [];
      if (context.only && !ENTITY_ACTION.intersects(context.only)) return [];
      const sel = { start: doc.offsetAt(range.start), end: doc.offsetAt(range.end) };
      const e = ds.entityAt(sel);
      const actions: vscode.CodeAction[] = [];
      const make = (title: string, command: string, args: unknown[], preferred = false): vscode.CodeAction => {
        const a = new vscode.CodeAction(title, ENTITY_ACTION);
        a.command = { title, command, arguments: args };
        a.isPreferred = preferred;
        actions.push(a);
        return a;
      };
      if (e) {
        const ref = entityRef(doc.uri, e);
        const quoted = describeEntity(e);
        const diags = context.diagnostics.filter(
          (d) =>
            d.source === DIAGNOSTIC_SOURCE &&
            doc.offsetAt(d.range.start) === e.start &&
            doc.offsetAt(d.range.end) === e.end,
        );
        const own: vscode.CodeAction[] = [];
        if (!e.reviewed) own.push(make(`Accept ${quoted}`, CommandId.acceptEntity, [ref], true));
        for (const label of await availableLabels(ctx, folderFor(doc.uri))) {
          if (label !== e.label)
            own.push(make(`Change label to ${displayLabel(label)}`, CommandId.changeLabel, [ref, label]));
        }
        own.push(
          make(
            `Remove entity ${displayLabel(e.label)} "${e.text.length > 30 ? e.text.slice(0, 27) + '...' : e.text}"`,
            CommandId.removeEntity,
            [ref],
          ),
        );
        if (sel.end > sel.start) {
          const snapped = snapToTokens(doc, sel);
          if (snapped && (snapped.start !== e.start || snapped.end !== e.end)) {
            own.push(
              make(`Resize ${displayLabel(e.label)} entity to the selection`, CommandId.resizeEntity, [ref, snapped]),
            );
          }
        }
        for (const a of own) a.diagnostics = diags;
      }
      if (sel.end > sel.start) {
        make('Tag Selection As…', CommandId.tagSelectionAs, []);
        make('Accept All Entities in Selection', CommandId.acceptAllInSelection, []);
        make('Mark Labels Complete Here…', CommandId.markLabelsComplete, []);
      }
      return actions;
    },
  };
}

export const codeActionMetadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [ENTITY_ACTION] };
