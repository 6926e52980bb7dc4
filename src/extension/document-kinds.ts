// A document's kind (contract, invoice, receipt): the one a person set with Set Document Kind,
// kept in the workspace state, else detected from its text. The fields read it for their schema,
// the tagger for a model tuned on some kinds only (model/inference/scope.ts), and corrections
// record it, since a passage alone may not tell.
import * as vscode from 'vscode';
import { detectKind, type DocumentKind } from '../model';
import { storedUri } from './pages/extracted-uri';

const KINDS_KEY = 'entityLens.fieldKinds';

/** The kind a person set for a file, if any. */
export function setKindOf(state: vscode.Memento, uri: vscode.Uri): DocumentKind | undefined {
  return state.get<Record<string, DocumentKind>>(KINDS_KEY, {})[storedUri(uri).toString()];
}

export async function storeKind(state: vscode.Memento, uri: vscode.Uri, kind: DocumentKind | undefined): Promise<void> {
  const kinds = { ...state.get<Record<string, DocumentKind>>(KINDS_KEY, {}) };
  const key = storedUri(uri).toString();
  if (kind) kinds[key] = kind;
  else delete kinds[key];
  await state.update(KINDS_KEY, kinds);
}

/** The kind set for the document, else the one its text reads as. */
export function kindOfDocument(state: vscode.Memento, doc: Pick<vscode.TextDocument, 'uri' | 'getText'>): DocumentKind {
  return setKindOf(state, doc.uri) ?? detectKind(doc.getText());
}
