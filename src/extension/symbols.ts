// Document symbols for the Outline view, breadcrumbs, Sticky Scroll and Go to Symbol in Editor
// (Ctrl+Shift+O): one group per label, and in it one symbol per distinct name with its count
// ("Bravatek" ×109), not one per occurrence. Every symbol's range is its first occurrence only,
// so breadcrumbs name an entity when the cursor is on it and nothing elsewhere, and Sticky Scroll
// never pins a label over a stretch of text.
//
// A DocumentSymbolProvider has no change event: VS Code's outline, breadcrumbs and Sticky Scroll
// cache the symbols per document version and ask again when the text changes or when the set of
// symbol providers changes (documentSymbolProvider.onDidChange). Entities change without an
// edit too (a correction, a new model, a rollback), so SymbolRefresher registers the provider
// anew when the shown entities differ from what it last provided: the views then ask again.
import * as vscode from 'vscode';
import { displayLabel, groupByName, type NameGroup } from '../model';
import { whenIdle } from './document-tagger';
import { toRange } from './document-text';
import { type Ctx } from './ctx';
import { type DisplayEntity } from './tracked-document';

/** names per label, so a 10 MB document's outline stays usable */
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

function shortName(name: string, label: string): string {
  return name.length > 80 ? `${name.slice(0, 77)}...` : name || displayLabel(label);
}

/** "×3 · 0.52–0.61", "0.93", "reviewed" */
export function nameDetail(g: NameGroup<DisplayEntity>): string {
  const reviewed = g.items.every((e) => e.reviewed);
  const conf = reviewed
    ? 'reviewed'
    : g.minConfidence.toFixed(2) === g.maxConfidence.toFixed(2)
      ? g.minConfidence.toFixed(2)
      : `${g.minConfidence.toFixed(2)}–${g.maxConfidence.toFixed(2)}`;
  return g.items.length > 1 ? `×${g.items.length} · ${conf}` : conf;
}

/** The symbols of a document's shown entities (see the header). */
export function documentSymbols(doc: vscode.TextDocument, entities: readonly DisplayEntity[]): vscode.DocumentSymbol[] {
  const byLabel = new Map<string, NameGroup<DisplayEntity>[]>();
  for (const g of groupByName(entities)) {
    let list = byLabel.get(g.label);
    if (!list) byLabel.set(g.label, (list = []));
    if (list.length < MAX_PER_LABEL) list.push(g);
  }
  const out: vscode.DocumentSymbol[] = [];
  for (const label of [...byLabel.keys()].sort()) {
    const names = byLabel.get(label) as NameGroup<DisplayEntity>[];
    const occurrences = names.reduce((n, g) => n + g.items.length, 0);
    const first = toRange(doc, names[0].items[0]);
    const detail = `${names.length} ${names.length === 1 ? 'name' : 'names'}${occurrences > names.length ? `, ${occurrences} occurrences` : ''}`;
    const parent = new vscode.DocumentSymbol(displayLabel(label), detail, vscode.SymbolKind.Enum, first, first);
    parent.children = names.map((g) => {
      const r = toRange(doc, g.items[0]);
      return new vscode.DocumentSymbol(shortName(g.name, label), nameDetail(g), kindOf(label), r, r);
    });
    out.push(parent);
  }
  return out;
}

/** What the symbols of a document depend on: names, counts, first positions, confidences as shown. */
function signature(entities: readonly DisplayEntity[]): string {
  let h = 0;
  for (const e of entities) {
    const s = `${e.label}|${e.text}|${e.start}|${e.end}|${e.reviewed ? 'r' : e.confidence.toFixed(2)};`;
    for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  }
  return `${entities.length}:${h}`;
}

/** Registers the symbol provider, and registers it again when a document's entities change without an edit. */
export class SymbolRefresher implements vscode.Disposable {
  private registration?: vscode.Disposable;
  private selector: vscode.DocumentSelector = [];
  /** per document: the version and the signature of the entities last given to VS Code */
  private readonly provided = new Map<string, { version: number; signature: string }>();
  private timer?: NodeJS.Timeout;
  /** how many times the provider was registered again (tests read it) */
  refreshes = 0;

  constructor(private readonly ctx: Ctx) {}

  register(selector: vscode.DocumentSelector): void {
    this.selector = selector;
    this.reregister();
  }

  /**
   * The shown entities of a document may have changed. After an edit VS Code asks again by
   * itself (its caches are per version); otherwise, if they differ from what it was given, the
   * provider is registered again so that it asks.
   */
  entitiesChanged(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    const last = this.provided.get(key);
    if (!last || last.version !== doc.version) return;
    const ds = this.ctx.document(key);
    if (signature(ds ? ds.entities() : []) !== last.signature) this.schedule();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.registration?.dispose();
  }

  private schedule(): void {
    if (this.timer) return;
    // coalesce a burst (a model swap re-tags every open document)
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.reregister();
    }, 30);
  }

  private reregister(): void {
    this.refreshes++;
    this.registration?.dispose();
    this.registration = vscode.languages.registerDocumentSymbolProvider(this.selector, this.provider(), {
      label: 'Entity Lens',
    });
  }

  private provider(): vscode.DocumentSymbolProvider {
    return {
      provideDocumentSymbols: async (doc) => {
        const key = doc.uri.toString();
        // a freshly opened document: give tagging a moment so the outline is not empty
        await whenIdle(this.ctx, key, 3000);
        const ds = this.ctx.document(key);
        const entities = ds ? ds.entities() : [];
        this.provided.set(key, { version: doc.version, signature: signature(entities) });
        return ds ? documentSymbols(doc, entities) : [];
      },
    };
  }

  /** A closed document: nothing to keep. */
  forget(key: string): void {
    this.provided.delete(key);
  }
}
