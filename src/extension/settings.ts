// The `entityLens.*` settings, read in one place with their defaults. Settings that may differ
// per folder have "scope": "resource" in package.json and are read for the document or folder
// at hand; the others are window settings, read without a resource (reading a window setting
// for a resource makes VS Code log a warning on every read).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { compileGlob, type Glob } from '../model';
import { originalOf } from './pages/extracted-uri';

export type DiagnosticsMode = 'off' | 'lowConfidence' | 'all';

/** Which documents are tagged without being asked (see package.json). */
export type TagDocumentsMode = 'contractsAndInvoices' | 'all' | 'includedOnly';

export interface Settings {
  languages: string[];
  include: string[];
  exclude: string[];
  tagDocuments: TagDocumentsMode;
  labelColors: Record<string, string>;
  lowConfidenceThreshold: number;
  diagnostics: DiagnosticsMode;
  debounceMs: number;
  autoTrainAfter: number;
  maxDocumentSize: number;
  modelPath: string;
  /** 0: the fine-tune plan's schedule (12 for a new encoder) */
  trainingEpochs: number;
  /** the encoder of trained workspace models: the current model's ("default"), or lstm, gru, tcn */
  trainingArchitecture: 'default' | 'lstm' | 'gru' | 'tcn';
  /** let the rule annotators decide the labels a model's rule policy gives them */
  ruleAnnotators: boolean;
}

export const SECTION = 'entityLens';

/** Settings with "scope": "resource" in package.json (a unit test keeps the two in step). */
export const RESOURCE_SETTINGS = [
  'languages',
  'include',
  'exclude',
  'tagDocuments',
  'lowConfidenceThreshold',
  'diagnostics',
  'maxDocumentSize',
  'modelPath',
] as const;

/** Documents people write in (not output panes, diffs' git: side, settings or our own report). */
const CONTENT_SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs']);

export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const r = vscode.workspace.getConfiguration(SECTION, scope);
  const w = vscode.workspace.getConfiguration(SECTION);
  const num = (c: vscode.WorkspaceConfiguration, key: string, fallback: number, min: number, max: number): number => {
    const v = c.get<number>(key, fallback);
    return typeof v === 'number' && Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : fallback;
  };
  const diagnostics = r.get<string>('diagnostics', 'lowConfidence');
  const tagDocuments = r.get<string>('tagDocuments', 'contractsAndInvoices');
  return {
    languages: r.get<string[]>('languages', ['plaintext', 'markdown']),
    include: r.get<string[]>('include', []),
    exclude: r.get<string[]>('exclude', ['**/.entity-lens/**', '**/node_modules/**']),
    tagDocuments: tagDocuments === 'all' || tagDocuments === 'includedOnly' ? tagDocuments : 'contractsAndInvoices',
    labelColors: w.get<Record<string, string>>('labelColors', {}),
    lowConfidenceThreshold: num(r, 'lowConfidenceThreshold', 0.6, 0, 1),
    diagnostics: diagnostics === 'off' || diagnostics === 'all' ? diagnostics : 'lowConfidence',
    debounceMs: num(w, 'debounceMs', 300, 0, 10_000),
    autoTrainAfter: Math.round(num(w, 'autoTrainAfter', 25, 0, 1_000_000)),
    maxDocumentSize: num(r, 'maxDocumentSize', 20_000_000, 0, Number.MAX_SAFE_INTEGER),
    modelPath: r.get<string>('modelPath', '').trim(),
    trainingEpochs: Math.round(num(w, 'trainingEpochs', 0, 0, 200)),
    trainingArchitecture: architecture(w.get<unknown>('trainingArchitecture', 'default')),
    ruleAnnotators: w.get<boolean>('ruleAnnotators', true) !== false,
  };
}

function architecture(v: unknown): Settings['trainingArchitecture'] {
  return v === 'lstm' || v === 'gru' || v === 'tcn' ? v : 'default';
}

/**
 * Whether documents of this kind may be tagged at all: scheme, language and the exclude globs.
 * Which of them are tagged is document-choice.ts's decision (include globs, the text, the person).
 */
export function isEligible(uri: vscode.Uri, languageId: string, s: Settings = readSettings(uri)): boolean {
  // the text view of a PDF or image: whatever its language; the exclude globs apply to the file
  const original = originalOf(uri);
  if (original) return !matchesAny(original, s.exclude);
  if (!CONTENT_SCHEMES.has(uri.scheme)) return false;
  if (!s.languages.includes(languageId) && !s.languages.includes('*')) return false;
  return !matchesAny(uri, s.exclude);
}

/** The file matches entityLens.include: tagged whatever its text. */
export function isIncluded(uri: vscode.Uri, languageId: string, s: Settings = readSettings(uri)): boolean {
  return matchesAny(uri, s.include);
}

/** Compiled globs by pattern (a setting's patterns are few and change rarely); null: refused. */
const globs = new Map<string, Glob | null>();

function globFor(pattern: string): Glob | null {
  let g = globs.get(pattern);
  if (g === undefined) {
    try {
      g = compileGlob(pattern);
    } catch {
      g = null; // longer than any real pattern: matches nothing
    }
    if (globs.size > 1000) globs.clear();
    globs.set(pattern, g);
  }
  return g;
}

/**
 * Globs with files.exclude's syntax (`**`, `*`, `?`, `[a-z]`, `{a,b}`), relative to the file's
 * workspace folder (the absolute path outside any folder), matched by the engine's glob
 * automaton (core/glob.ts) in time linear in the path, whatever the pattern. A workspace sets
 * these, also an untrusted one, and VS Code's own matcher (languages.match) backtracks: a few
 * `*a` in a row against a long file name froze the extension host (test/extension/suite/7-settings).
 */
function matchesAny(uri: vscode.Uri, patterns: readonly string[]): boolean {
  if (patterns.length === 0) return false;
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const target = folder ? path.posix.relative(folder.uri.path, uri.path) : uri.path;
  return patterns.some((p) => typeof p === 'string' && globFor(p)?.matches(target) === true);
}
