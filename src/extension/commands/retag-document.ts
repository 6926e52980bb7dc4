// Entity Lens: Re-tag Document — forget the predictions and tag the whole document again.
import * as vscode from 'vscode';
import { docLength, schedule, whenIdle } from '../document-tagger';
import type { ExtensionState } from '../state';
import { activeTarget } from './common';

export function registerRetagDocument(state: ExtensionState): vscode.Disposable {
  return vscode.commands.registerCommand('entityLens.retagDocument', async () => {
    const t = activeTarget(state);
    if (!t) return false;
    t.ds.pending = [{ start: 0, end: docLength(t.doc) }];
    schedule(state, t.ds, 0);
    return whenIdle(state, t.ds.key, 120_000);
  });
}
