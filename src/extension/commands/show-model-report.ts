// Entity Lens: Show Model Report — the report (report.ts) in the markdown preview; returns its text.
import * as vscode from 'vscode';
import { buildReport, REPORT_SCHEME, type ReportState } from '../report';
import { type Ctx } from '../ctx';
import { folderFor } from '../workspace-files';
import { CommandId } from '../command-ids';
import { errorMessage } from '../../model';

export function registerShowModelReport(ctx: Ctx, report: ReportState): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.showModelReport, async (options?: { preview?: boolean }) => {
    const markdown = await buildReport(ctx, folderFor(vscode.window.activeTextEditor?.document.uri));
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: '/Entity Lens Model Report.md' });
    report.content.set(uri.toString(), markdown);
    report.changed.fire(uri);
    if (options?.preview !== false) {
      try {
        await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
      } catch (e) {
        ctx.log.warn(`markdown preview unavailable (${errorMessage(e)}); opening the report as text`);
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), {
          preview: true,
          viewColumn: vscode.ViewColumn.Beside,
        });
      }
    }
    return markdown;
  });
}
