// Entity Lens: Open Dashboard — the command, the panel serializer (a dashboard open when the
// window reloads comes back) and, outside production mode, a test hook reporting the messages
// exchanged with the webview and a ping round trip (with the text of a view, as the page shows it).
import * as vscode from 'vscode';
import { type Ctx } from '../ctx';
import { type FieldsService } from '../fields';
import { attach, createDashboardHost, openDashboard, ping, receive, trackEditor, VIEW_TYPE } from './panel';
import { CommandId } from '../command-ids';
import type { ViewId } from '../../shared/messages';

export function registerDashboard(ctx: Ctx, fields: FieldsService): vscode.Disposable {
  const testing = ctx.context.extensionMode !== vscode.ExtensionMode.Production;
  const host = createDashboardHost(ctx, fields, testing);
  trackEditor(host, vscode.window.activeTextEditor);
  const disposables: vscode.Disposable[] = [
    vscode.commands.registerCommand(CommandId.openDashboard, () => {
      trackEditor(host, vscode.window.activeTextEditor);
      openDashboard(host);
    }),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => {
        if (host.current) {
          panel.dispose();
          return;
        }
        attach(host, panel);
      },
    }),
    vscode.window.onDidChangeActiveTextEditor((e) => trackEditor(host, e)),
    { dispose: () => host.current?.panel.dispose() },
  ];
  if (testing) {
    disposables.push(
      // deliver: a message as if the webview had posted it (same checks and handlers)
      vscode.commands.registerCommand(
        'entityLens.dashboard.testHook',
        async (arg?: { ping?: boolean; read?: ViewId; deliver?: unknown }) => {
          const dash = host.current;
          const trace = host.trace ?? { received: [], sent: [] };
          const pong = dash && arg?.ping ? await ping(host, dash, arg.read ?? null) : undefined;
          const accepted = dash && arg && 'deliver' in arg ? await receive(host, dash, arg.deliver) : undefined;
          return {
            accepted,
            open: !!dash,
            received: trace.received.map((m) => m.type),
            sent: trace.sent.map((m) => m.type),
            lastSent: trace.sent.length ? trace.sent[trace.sent.length - 1] : undefined,
            /** the latest message of each type sent to the webview */
            lastByType: Object.fromEntries(trace.sent.map((m) => [m.type, m])),
            pong,
          };
        },
      ),
    );
  }
  return vscode.Disposable.from(...disposables);
}
