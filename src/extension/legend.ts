// The legend: a view in the Explorer ("Entity Labels") that says which colour is which label for
// the document in the active editor — one row per label with its colour (the same one the
// decorations use: the theme's, entityLens.labelColors or the fixed palette), how many names and
// occurrences it has there, and what the dashed border and the underline mean. A click on a
// label moves to its next occurrence after the cursor. When the document is not tagged, the
// view's welcome text says why and offers Tag This Document (package.json viewsWelcome).
import * as vscode from 'vscode';
import { displayLabel, escapeMarkdown, groupByName } from '../model';
import { paletteColor, themeKey } from './decorations';
import { toRange } from './document-text';
import { readSettings } from './settings';
import { type Ctx } from './ctx';
import { CommandId } from './command-ids';

export const LEGEND_VIEW = 'entityLens.legend';

type Row =
  | { kind: 'label'; label: string; names: number; occurrences: number; low: number }
  | { kind: 'style'; text: string; detail: string; tooltip: string; icon: string };

/** The colour of a label's swatch: a theme colour id, or a #rrggbb colour. */
export function swatchColor(label: string, overrides: Record<string, string>): vscode.ThemeColor | string {
  const custom = overrides[label];
  if (typeof custom === 'string' && /^#[0-9a-fA-F]{6}$/.test(custom)) return custom;
  const key = themeKey(label);
  return key ? new vscode.ThemeColor(`entityLens.${key}Border`) : paletteColor(label);
}

/** A filled circle in a fixed colour (like the theme icon the other labels get), for labels without a theme colour. */
function svgSwatch(color: string): vscode.Uri {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16"><circle cx="8" cy="8" r="6" fill="${color}"/></svg>`;
  return vscode.Uri.parse(`data:image/svg+xml;utf8,${encodeURIComponent(svg)}`);
}

export class LegendProvider implements vscode.TreeDataProvider<Row>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private timer?: NodeJS.Timeout;

  constructor(private readonly ctx: Ctx) {}

  /** Something it shows changed (entities, the active editor, colours): redraw soon. */
  refresh(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.changed.fire();
    }, 100);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.changed.dispose();
  }

  getChildren(element?: Row): Row[] {
    if (element) return [];
    const editor = vscode.window.activeTextEditor;
    const ds = editor ? this.ctx.document(editor.document.uri) : undefined;
    if (!editor || !ds) return []; // the welcome text explains
    const threshold = readSettings(editor.document.uri).lowConfidenceThreshold;
    const byLabel = new Map<string, Extract<Row, { kind: 'label' }>>();
    for (const g of groupByName(ds.entities())) {
      let row = byLabel.get(g.label);
      if (!row) byLabel.set(g.label, (row = { kind: 'label', label: g.label, names: 0, occurrences: 0, low: 0 }));
      row.names++;
      row.occurrences += g.items.length;
      row.low += g.items.filter((e) => !e.reviewed && e.confidence < threshold).length;
    }
    const labels = [...byLabel.values()].sort((a, b) => a.label.localeCompare(b.label));
    const styles: Row[] = [
      {
        kind: 'style',
        text: 'dashed border',
        detail: `confidence below ${threshold.toFixed(2)}`,
        tooltip: `Dashed border: the model is unsure (confidence below ${threshold.toFixed(2)}, entityLens.lowConfidenceThreshold). Next Uncertain Entity (Ctrl+Alt+]) visits them.`,
        icon: 'circle-large-outline',
      },
      {
        kind: 'style',
        text: 'underlined',
        detail: 'reviewed by you',
        tooltip: 'Underlined: accepted, labelled or drawn by a person, and saved to the training set.',
        icon: 'pass',
      },
    ];
    if (labels.length === 0)
      return [{ kind: 'style', text: 'no entities found yet', detail: '', tooltip: '', icon: 'info' }];
    return [...labels, ...styles];
  }

  /** The rows as shown (tests read them through the extension's API). */
  rows(): LegendRow[] {
    return this.getChildren().map((row) => {
      const item = this.getTreeItem(row);
      const color = row.kind === 'label' ? swatchColor(row.label, readSettings().labelColors) : '';
      return {
        label: typeof item.label === 'string' ? item.label : (item.label?.label ?? ''),
        description: typeof item.description === 'string' ? item.description : '',
        color: typeof color === 'string' ? color : color.id,
      };
    });
  }

  getTreeItem(row: Row): vscode.TreeItem {
    if (row.kind === 'style') {
      const item = new vscode.TreeItem(row.text);
      item.iconPath = new vscode.ThemeIcon(row.icon);
      item.description = row.detail || undefined;
      item.tooltip = row.tooltip || undefined;
      return item;
    }
    const item = new vscode.TreeItem(displayLabel(row.label));
    const color = swatchColor(row.label, readSettings().labelColors);
    item.iconPath = typeof color === 'string' ? svgSwatch(color) : new vscode.ThemeIcon('circle-large-filled', color);
    const names = `${row.names} ${row.names === 1 ? 'name' : 'names'}`;
    item.description = row.occurrences > row.names ? `${names}, ${row.occurrences}×` : names;
    item.tooltip = new vscode.MarkdownString(
      `**${escapeMarkdown(displayLabel(row.label))}**: ${names}, ${row.occurrences} ${row.occurrences === 1 ? 'occurrence' : 'occurrences'}` +
        (row.low > 0 ? `, ${row.low} below the confidence threshold` : '') +
        '\n\nClick: go to the next one after the cursor.',
    );
    item.id = `label:${row.label}`;
    item.contextValue = 'label';
    item.command = { command: CommandId.nextLabelOccurrence, title: 'Next Occurrence', arguments: [row.label] };
    return item;
  }
}

export interface LegendRow {
  label: string;
  description: string;
  /** a theme colour id or #rrggbb */
  color: string;
}

/** Entity Lens: go to the next entity with a label after the cursor (the legend's click), wrapping around. */
export function nextOfLabel(ctx: Ctx, label: unknown): boolean {
  const editor = vscode.window.activeTextEditor;
  const ds = editor ? ctx.document(editor.document.uri) : undefined;
  if (!editor || !ds || typeof label !== 'string') return false;
  const doc = editor.document;
  const list = ds.entities().filter((e) => e.label === label);
  if (list.length === 0) return false;
  const here = doc.offsetAt(editor.selection.end);
  const target = list.find((e) => e.start >= here) ?? list[0];
  const range = toRange(doc, target);
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  void vscode.window.showTextDocument(doc, { viewColumn: editor.viewColumn, preserveFocus: false });
  return true;
}
