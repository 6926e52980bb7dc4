// Entity decorations: one TextEditorDecorationType per label and style (confident, low
// confidence = dashed border, reviewed = solid underline), coloured from the theme
// (contributes.colors) or the entityLens.labelColors setting, with overview-ruler marks.
import * as vscode from 'vscode';
import { toRange } from './document-text';
import { readSettings } from './settings';
import { type Ctx } from './ctx';
import { type DisplayEntity, type TrackedDocument } from './tracked-document';

/** Labels with theme colours in package.json (entityLens.<key>Background / <key>Border). */
const THEMED: Record<string, string> = {
  PARTY: 'party',
  ORG: 'party',
  PERSON: 'party',
  DATE: 'date',
  AMOUNT: 'amount',
  MONEY: 'amount',
  PERCENT: 'percent',
  DURATION: 'duration',
  JURISDICTION: 'jurisdiction',
  GOVERNING_LAW: 'jurisdiction',
  ADDRESS: 'address',
  LOCATION: 'address',
  BANK: 'bank',
  BANK_ACCOUNT: 'bank',
  IBAN: 'bank',
  BIC: 'bank',
  SWIFT: 'bank',
  ACCOUNT_NUMBER: 'bank',
  INVOICE_ID: 'identifier',
  INVOICE_NO: 'identifier',
  TAX_ID: 'identifier',
  VAT_ID: 'identifier',
};

/** For labels without a theme colour: a fixed palette picked by the label's hash. */
const PALETTE = [
  '#e6194b',
  '#3cb44b',
  '#4363d8',
  '#f58231',
  '#911eb4',
  '#42d4f4',
  '#f032e6',
  '#9a6324',
  '#469990',
  '#808000',
];

/** Above this many entities only the visible part of a document (plus a margin) is decorated. */
const MAX_DECORATED = 20_000;

type Style = 'normal' | 'low' | 'reviewed';

export interface DecorationState {
  types: Map<string, vscode.TextEditorDecorationType>;
}

export function createDecorationState(): DecorationState {
  return { types: new Map() };
}

function hashIndex(label: string, n: number): number {
  let h = 0;
  for (let i = 0; i < label.length; i++) h = (h * 31 + label.charCodeAt(i)) | 0;
  return Math.abs(h) % n;
}

export function themeKey(label: string): string | undefined {
  if (THEMED[label]) return THEMED[label];
  if (label.startsWith('BANK')) return 'bank';
  if (/_(?:ID|NO|NUMBER)$/.test(label)) return 'identifier';
  return undefined;
}

/** The fixed colour of a label without a theme colour (the dashboard shows the same). */
export function paletteColor(label: string): string {
  return PALETTE[hashIndex(label, PALETTE.length)];
}

function colors(
  label: string,
  overrides: Record<string, string>,
): { background: string | vscode.ThemeColor; border: string | vscode.ThemeColor } {
  const custom = overrides[label];
  if (custom) return { background: withAlpha(custom, '33'), border: custom };
  const key = themeKey(label);
  if (key)
    return {
      background: new vscode.ThemeColor(`entityLens.${key}Background`),
      border: new vscode.ThemeColor(`entityLens.${key}Border`),
    };
  const c = paletteColor(label);
  return { background: withAlpha(c, '33'), border: c };
}

function withAlpha(color: string, alpha: string): string {
  return /^#[0-9a-fA-F]{6}$/.test(color) ? color + alpha : color;
}

function typeFor(deco: DecorationState, label: string, style: Style): vscode.TextEditorDecorationType {
  const id = `${label}\u0000${style}`;
  let t = deco.types.get(id);
  if (t) return t;
  const { background, border } = colors(label, readSettings().labelColors);
  const options: vscode.DecorationRenderOptions = {
    overviewRulerColor: border,
    overviewRulerLane: vscode.OverviewRulerLane.Right,
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  };
  if (style === 'normal') {
    options.backgroundColor = background;
    options.borderRadius = '2px';
  } else if (style === 'low') {
    options.border = '1px dashed';
    options.borderColor = border;
    options.borderRadius = '2px';
  } else {
    options.backgroundColor = background;
    options.borderColor = border;
    options.borderStyle = 'solid';
    options.borderWidth = '0 0 2px 0';
  }
  t = vscode.window.createTextEditorDecorationType(options);
  deco.types.set(id, t);
  return t;
}

function styleOf(e: DisplayEntity, threshold: number): Style {
  if (e.reviewed) return 'reviewed';
  return e.confidence < threshold ? 'low' : 'normal';
}

/** Sets every label's decorations in the editors showing this document. */
export function renderDecorations(
  deco: DecorationState,
  ds: TrackedDocument | undefined,
  editors: readonly vscode.TextEditor[],
): void {
  for (const editor of editors) {
    const doc = editor.document;
    const threshold = readSettings(doc.uri).lowConfidenceThreshold;
    const byType = new Map<vscode.TextEditorDecorationType, vscode.DecorationOptions[]>();
    for (const t of deco.types.values()) byType.set(t, []);
    if (ds) {
      let list = ds.entities();
      if (list.length > MAX_DECORATED) list = nearVisible(editor, list);
      for (const e of list) {
        const t = typeFor(deco, e.label, styleOf(e, threshold));
        let bucket = byType.get(t);
        if (!bucket) byType.set(t, (bucket = []));
        bucket.push({ range: toRange(doc, e) });
      }
    }
    for (const [t, ranges] of byType) editor.setDecorations(t, ranges);
  }
}

function nearVisible(editor: vscode.TextEditor, list: DisplayEntity[]): DisplayEntity[] {
  const doc = editor.document;
  const spans = editor.visibleRanges.map((r) => ({
    start: doc.offsetAt(new vscode.Position(Math.max(0, r.start.line - 500), 0)),
    end: doc.offsetAt(new vscode.Position(Math.min(doc.lineCount - 1, r.end.line + 500), 0)),
  }));
  return list.filter((e) => spans.some((s) => e.end >= s.start && e.start <= s.end));
}

/** Drops every decoration type (colours changed): the next render recreates them. */
export function resetDecorationTypes(deco: DecorationState): void {
  for (const t of deco.types.values()) t.dispose();
  deco.types.clear();
}

export function renderAllEditors(ctx: Ctx, deco: DecorationState): void {
  for (const editor of vscode.window.visibleTextEditors) {
    renderDecorations(deco, ctx.document(editor.document.uri.toString()), [editor]);
  }
}
