// Document symbols: entities grouped by label, for the Outline view, breadcrumbs and
// Go to Symbol in Editor (Ctrl+Shift+O).
import * as vscode from 'vscode';
import { whenIdle } from './document-tagger';
import { toRange } from './document-text';
import { type Ctx } from './ctx';
import { type DisplayEntity } from './tracked-document';

/** per label, so a 10 MB document's outline stays usable */
const MAX_PER_LABEL = 2000;

const KINDS: Record<string, vscode.SymbolKind> = {
  PARTY: vscode.SymbolKind.Class,
  DATE: vscode.SymbolKind.Event,
  AMOUNT: vscode.SymbolKind.Number,
  PERCENT: vscode.SymbolKind.Number,
  DURATION: vscode.SymbolKind.Constant,
  JURISDICTION: vscode.SymbolKind.Namespace,
  ADDRESS: vscode.SymbolKind.String,
};

function kindOf(label: string): vscode.SymbolKind {
  return KINDS[label] ?? (label.startsWith('BANK') ? vscode.SymbolKind.Key : vscode.SymbolKind.Field);
}

function name(e: DisplayEntity): string {
  const t = e.text.replace(/\s+/g, ' ').trim();
  return t.length > 80 ? `${t.slice(0, 77)}...` : t || e.label;
}

export function createSymbolProvider(ctx: Ctx): vscode.DocumentSymbolProvider {
  return {
    async provideDocumentSymbols(doc) {
      const key = doc.uri.toString();
      // a freshly opened document: give tagging a moment so the outline is not empty
      await whenIdle(ctx, key, 3000);
      const ds = ctx.document(key);
      if (!ds) return [];
      const groups = new Map<string, DisplayEntity[]>();
      for (const e of ds.entities()) {
        let g = groups.get(e.label);
        if (!g) groups.set(e.label, (g = []));
        if (g.length < MAX_PER_LABEL) g.push(e);
      }
      const out: vscode.DocumentSymbol[] = [];
      for (const label of [...groups.keys()].sort()) {
        const list = groups.get(label) as DisplayEntity[];
        const first = toRange(doc, list[0]);
        const whole = new vscode.Range(first.start, toRange(doc, list[list.length - 1]).end);
        const parent = new vscode.DocumentSymbol(label, `${list.length}`, vscode.SymbolKind.Enum, whole, first);
        parent.children = list.map((e) => {
          const r = toRange(doc, e);
          const detail = e.reviewed ? `${label} · reviewed` : `${label} · ${e.confidence.toFixed(2)}`;
          return new vscode.DocumentSymbol(name(e), detail, kindOf(label), r, r);
        });
        out.push(parent);
      }
      return out;
    },
  };
}
