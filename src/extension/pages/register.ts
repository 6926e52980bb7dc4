// PDFs and images in the editor: the shared extractions, the extracted-text view's file system,
// the pages editor (two view types: PDFs and TIFFs by default, PNG and JPEG on request), Open as
// Pages, and (outside production mode) a test hook that reports what each open
// pages editor exchanged with its webview, delivers a message as if the webview had posted it,
// and cancels an extraction as the notification's Cancel does.
import * as vscode from 'vscode';
import { type Ctx } from '../ctx';
import { Extractions } from './extractions';
import { IMAGE_PAGES_VIEW_TYPE, PAGES_VIEW_TYPE, PagesEditorProvider } from './pages-editor';
import { registerOpenAsPages } from './open-as-pages';
import { registerTextView } from './text-view';

export const PAGES_TEST_HOOK = 'entityLens.pages.testHook';

interface TestHookArgs {
  /** the PDF or image (its uri as a string) */
  uri?: string;
  deliver?: unknown;
  cancel?: boolean;
}

export function registerPages(ctx: Ctx): vscode.Disposable {
  const testing = ctx.context.extensionMode !== vscode.ExtensionMode.Production;
  const extractions = new Extractions(ctx);
  const provider = new PagesEditorProvider(ctx, extractions, testing);
  const disposables: vscode.Disposable[] = [
    extractions,
    registerTextView(extractions),
    ...[PAGES_VIEW_TYPE, IMAGE_PAGES_VIEW_TYPE].map((viewType) =>
      vscode.window.registerCustomEditorProvider(viewType, provider, {
        webviewOptions: { retainContextWhenHidden: true },
        supportsMultipleEditorsPerDocument: true,
      }),
    ),
    registerOpenAsPages(),
  ];
  if (testing) {
    disposables.push(
      vscode.commands.registerCommand(PAGES_TEST_HOOK, async (arg: TestHookArgs = {}) => {
        const uri = arg.uri ? vscode.Uri.parse(arg.uri) : undefined;
        const sessions = [...provider.sessions].filter((s) => !uri || s.uri.toString() === uri.toString());
        const cancelled = uri && arg.cancel ? extractions.cancel(uri) : undefined;
        const accepted = arg.deliver !== undefined && sessions[0] ? await sessions[0].receive(arg.deliver) : undefined;
        const state = uri ? extractions.state(uri) : undefined;
        return {
          sessions: sessions.map((s) => s.trace),
          cancelled,
          accepted,
          extraction: state && {
            status: state.status,
            error: state.error,
            progress: state.progress,
            notified: state.notified,
            sha256: state.doc?.sha256,
          },
        };
      }),
    );
  }
  return vscode.Disposable.from(...disposables);
}
