// The `entityLens.*` settings, read in one place with their defaults.
import * as path from 'node:path';
import * as vscode from 'vscode';

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
  if (!CONTENT_SCHEMES.has(doc.uri.scheme)) return false;
  if (!s.languages.includes(doc.languageId) && !s.languages.includes('*')) return false;
  const candidates = relativeCandidates(doc.uri);
  const matches = (glob: string): boolean => candidates.some((p) => globMatch(glob, p));
  if (s.exclude.some(matches)) return false;
  if (s.include.length > 0 && !s.include.some(matches)) return false;
  return true;
}

/** The document's path relative to its workspace folder, and its absolute path. */
function relativeCandidates(uri: vscode.Uri): string[] {
  const out = [uri.path];
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (folder) out.push(path.posix.relative(folder.uri.path, uri.path));
  return out;
}

const globCache = new Map<string, RegExp>();

/** Minimal glob: `**` any path, `*` within a segment, `?` one character, `{a,b}` alternatives. */
export function globMatch(glob: string, p: string): boolean {
  let re = globCache.get(glob);
  if (!re) {
    let src = '';
    for (let i = 0; i < glob.length; i++) {
      const ch = glob[i];
      if (ch === '*' && glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          src += '(?:.*/)?';
        } else src += '.*';
      } else if (ch === '*') src += '[^/]*';
      else if (ch === '?') src += '[^/]';
      else if (ch === '{') src += '(?:';
      else if (ch === '}') src += ')';
      else if (ch === ',') src += '|';
      else src += ch.replace(/[.+^$()|[\]\\]/g, '\\$&');
    }
    re = new RegExp(`^(?:.*/)?${src}$`);
    globCache.set(glob, re);
  }
  return re.test(p);
}
