// Entity Lens: Next / Previous Uncertain Entity (Ctrl+Alt+] / Ctrl+Alt+[) — move the
// selection to the next entity below the confidence threshold, wrapping around.
import * as vscode from 'vscode';
import { displayEntities, toRange } from '../document-tagger';
import { readSettings } from '../settings';
import type { DisplayEntity, ExtensionState } from '../state';
import { activeTarget } from './common';

function go(state: ExtensionState, direction: 1 | -1): DisplayEntity | undefined {
  const t = activeTarget(state);
  if (!t) return undefined;
  const { editor, doc, ds } = t;
  const threshold = readSettings(doc.uri).lowConfidenceThreshold;
  const uncertain = displayEntities(ds).filter((e) => !e.reviewed && e.confidence < threshold);
  if (uncertain.length === 0) {
    vscode.window.setStatusBarMessage('Entity Lens: no uncertain entities in this document', 3000);
    return undefined;
  }
  const here = doc.offsetAt(direction > 0 ? editor.selection.end : editor.selection.start);
  const target =
    direction > 0
      ? (uncertain.find((e) => e.start >= here) ?? uncertain[0])
      : ([...uncertain].reverse().find((e) => e.end <= here) ?? uncertain[uncertain.length - 1]);
  const range = toRange(doc, target);
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  vscode.window.setStatusBarMessage(`Entity Lens: ${target.label} (${target.confidence.toFixed(2)})`, 3000);
  return target;
}

export function registerNextUncertain(state: ExtensionState): vscode.Disposable {
  return vscode.commands.registerCommand('entityLens.nextUncertainEntity', () => go(state, 1));
}

export function registerPreviousUncertain(state: ExtensionState): vscode.Disposable {
  return vscode.commands.registerCommand('entityLens.previousUncertainEntity', () => go(state, -1));
}
