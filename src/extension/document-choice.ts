// Which documents are tagged. Eligible documents (scheme, entityLens.languages, not excluded) are
// tagged when a person turned them on (Tag This Document, remembered per workspace), when they
// match entityLens.include, or — by default — when their text reads like a contract, an invoice
// or a receipt (classifyDocument in the engine); `entityLens.tagDocuments` can make it every
// eligible document or the included ones only. A person's "off" always wins.
import * as vscode from 'vscode';
import { classifyDocument, SAMPLE_CHARS } from '../model';
import { originalOf } from './pages/extracted-uri';
import { isEligible, isIncluded, readSettings, type Settings } from './settings';

export interface TagDecision {
  tag: boolean;
  /** what decided: the person, the include globs, the setting, or the text */
  source: 'person' | 'include' | 'setting' | 'text';
  /** a phrase for the status bar's tooltip, e.g. "it reads like a contract (9 kinds of legal terms)" */
  reason: string;
}

const STATE_KEY = 'entityLens.documentChoices';

/** A person's choices (Tag This Document / Stop Tagging This Document), by document URI. */
export class DocumentChoices {
  constructor(private readonly state: vscode.Memento) {}

  get(uri: vscode.Uri): boolean | undefined {
    const all = this.state.get<Record<string, boolean>>(STATE_KEY, {});
    const v = all[uri.toString()];
    return typeof v === 'boolean' ? v : undefined;
  }

  async set(uri: vscode.Uri, tag: boolean): Promise<void> {
    const all = { ...this.state.get<Record<string, boolean>>(STATE_KEY, {}) };
    all[uri.toString()] = tag;
    await this.state.update(STATE_KEY, all);
  }
}

/**
 * Whether a document is tagged, or undefined when it is not eligible at all (another language,
 * excluded, not a text document). `text` is read only when the decision depends on it.
 */
export function decideDocument(
  uri: vscode.Uri,
  languageId: string,
  text: () => string,
  choices: DocumentChoices | undefined,
  s: Settings = readSettings(uri),
): TagDecision | undefined {
  if (!isEligible(uri, languageId, s)) return undefined;
  const chosen = choices?.get(uri);
  if (chosen !== undefined)
    return {
      tag: chosen,
      source: 'person',
      reason: chosen ? 'you chose to tag it' : 'you chose not to tag it',
    };
  if (originalOf(uri))
    return { tag: true, source: 'person', reason: 'it is the text of a PDF or image you opened as pages' };
  if (isIncluded(uri, languageId, s)) return { tag: true, source: 'include', reason: 'it matches entityLens.include' };
  if (s.tagDocuments === 'all') return { tag: true, source: 'setting', reason: 'entityLens.tagDocuments is "all"' };
  if (s.tagDocuments === 'includedOnly')
    return {
      tag: false,
      source: 'setting',
      reason: 'entityLens.tagDocuments is "includedOnly" and it does not match entityLens.include',
    };
  const kind = classifyDocument(text());
  return { tag: kind.kind !== 'other', source: 'text', reason: `it ${kind.reason}` };
}

/** decideDocument for an open document. */
export function decideOpenDocument(
  doc: vscode.TextDocument,
  choices: DocumentChoices | undefined,
  s: Settings = readSettings(doc.uri),
): TagDecision | undefined {
  const head = (): string => doc.getText(new vscode.Range(new vscode.Position(0, 0), doc.positionAt(SAMPLE_CHARS)));
  return decideDocument(doc.uri, doc.languageId, head, choices, s);
}
