// The `entityLens.*` settings, read in one place with their defaults.
import * as vscode from 'vscode';
import { originalOf } from './pages/extracted-uri';

export type DiagnosticsMode = 'off' | 'lowConfidence' | 'all';

export interface Settings {
  languages: string[];
  include: string[];
  exclude: string[];
  labelColors: Record<string, string>;
  lowConfidenceThreshold: number;
  diagnostics: DiagnosticsMode;
  debounceMs: number;
  autoTrainAfter: number;
  maxDocumentSize: number;
  modelPath: string;
  trainingEpochs: number;
  /** let the rule annotators decide the labels a model's rule policy gives them */
  ruleAnnotators: boolean;
}

export const SECTION = 'entityLens';

/** Documents people write in (not output panes, diffs' git: side, settings or our own report). */
const CONTENT_SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs']);

export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const c = vscode.workspace.getConfiguration(SECTION, scope);
  const num = (key: string, fallback: number, min: number, max: number): number => {
    const v = c.get<number>(key, fallback);
    return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback;
  };
  const diagnostics = c.get<string>('diagnostics', 'lowConfidence');
  return {
    languages: c.get<string[]>('languages', ['plaintext', 'markdown']),
    include: c.get<string[]>('include', []),
    exclude: c.get<string[]>('exclude', ['**/.entity-lens/**', '**/node_modules/**']),
    labelColors: c.get<Record<string, string>>('labelColors', {}),
    lowConfidenceThreshold: num('lowConfidenceThreshold', 0.6, 0, 1),
    diagnostics: diagnostics === 'off' || diagnostics === 'all' ? diagnostics : 'lowConfidence',
    debounceMs: num('debounceMs', 300, 0, 10_000),
    autoTrainAfter: Math.round(num('autoTrainAfter', 25, 0, 1_000_000)),
    maxDocumentSize: num('maxDocumentSize', 20_000_000, 0, Number.MAX_SAFE_INTEGER),
    modelPath: c.get<string>('modelPath', '').trim(),
    trainingEpochs: Math.round(num('trainingEpochs', 12, 1, 200)),
    ruleAnnotators: c.get<boolean>('ruleAnnotators', true) !== false,
  };
}

/** Whether documents of this kind are tagged at all (language, include/exclude globs, scheme). */
export function isEnabledFor(doc: vscode.TextDocument, s: Settings = readSettings(doc.uri)): boolean {
  return isEnabledByPath(doc.uri, doc.languageId, s);
}

/**
 * isEnabledFor for a file that need not be open. The globs are matched by VS Code's own matcher
 * (`languages.match` with a RelativePattern on the file's workspace folder, the absolute path
 * outside any folder), so they mean what they mean in `files.exclude`: `**`, `*`, `?`, `[a-z]`,
 * `{a,b}`; and matching a user's pattern never backtracks.
 */
export function isEnabledByPath(uri: vscode.Uri, languageId: string, s: Settings = readSettings(uri)): boolean {
  // the text view of a PDF or image: opening it in the pages editor asked for it, whatever the
  // languages; the globs apply to the PDF or image
  const original = originalOf(uri);
  if (original)
    return (
      !matchesAny(original, languageId, s.exclude) &&
      (s.include.length === 0 || matchesAny(original, languageId, s.include))
    );
  if (!CONTENT_SCHEMES.has(uri.scheme)) return false;
  if (!s.languages.includes(languageId) && !s.languages.includes('*')) return false;
  if (matchesAny(uri, languageId, s.exclude)) return false;
  return s.include.length === 0 || matchesAny(uri, languageId, s.include);
}

function matchesAny(uri: vscode.Uri, languageId: string, globs: readonly string[]): boolean {
  if (globs.length === 0) return false;
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const selector = globs.map((glob) => ({ pattern: folder ? new vscode.RelativePattern(folder, glob) : glob }));
  // match() reads only the uri and language of the document for pattern filters, so a file that
  // is not open is matched without opening it (opening would start tagging it)
  const document = { uri, languageId } as vscode.TextDocument;
  return vscode.languages.match(selector, document) > 0;
}
