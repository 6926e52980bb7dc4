// The Document Fields view (Explorer): the active document's fields — a contract's parties,
// dates, term and governing law; an invoice's or receipt's seller, numbers, dates and amounts —
// each with its value, as printed, and the chooser's confidence; the checks that fail on top.
// A click reveals the value's mention in the editor; a field's context menu corrects it (pick
// another mention, type the value) or clears it. The view's description says the document's kind.
import * as vscode from 'vscode';
import type { FieldCheck, FieldValue } from '../model';
import { type Ctx } from './ctx';
import { CommandId } from './command-ids';
import { type FieldsService, type DocumentFieldsView } from './fields';

export const FIELDS_VIEW = 'entityLens.fields';

export type FieldNode =
  | { kind: 'checks'; uri: string; checks: FieldCheck[] }
  | { kind: 'check'; uri: string; check: FieldCheck }
  | { kind: 'field'; uri: string; field: string; values: FieldValue[]; failing: boolean }
  | { kind: 'value'; uri: string; field: string; value: FieldValue };

/** A value as one short line: the normalised value, and the surface when it reads otherwise. */
function valueLine(v: FieldValue): string {
  const shown = v.value.length > 70 ? `${v.value.slice(0, 67)}...` : v.value;
  return shown;
}

/** The confidence (or "corrected"), and the page where the document has pages. */
function confidenceText(v: FieldValue): string {
  const confidence = v.corrected
    ? 'corrected'
    : `${v.derivedFrom ? 'computed · ' : v.known ? 'known vendor · ' : ''}${Math.round(100 * v.confidence)}%`;
  return v.page !== undefined ? `${confidence} · p. ${v.page}` : confidence;
}

function valueTooltip(field: string, v: FieldValue): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${field}**: \`${v.value.replace(/`/g, "'")}\`\n\n`);
  if (v.derivedFrom) md.appendMarkdown(`computed: ${v.derivedFrom.join(' + ')} (no mention states it)\n\n`);
  else md.appendMarkdown(`as printed: ${v.text.replace(/[\\`*_[\]<>]/g, (c) => `\\${c}`)}\n\n`);
  if (v.known)
    md.appendMarkdown('filed as a known vendor: the printed text nearly spells it (a misread glyph or two)\n\n');
  md.appendMarkdown(
    `${v.corrected ? 'your correction' : `confidence ${v.confidence.toFixed(2)}`}${v.page ? ` · page ${v.page}` : ''}`,
  );
  return md;
}

/** A field's icon: a failing check, a correction, a computed value, a value, none. */
function fieldIcon(failing: boolean, corrected: boolean, first: FieldValue | undefined, many: boolean): string {
  if (failing) return 'warning';
  if (corrected) return 'edit';
  if (!first) return 'circle-outline';
  return first.derivedFrom && !many ? 'symbol-operator' : 'symbol-field';
}

export class FieldsViewProvider implements vscode.TreeDataProvider<FieldNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.emitter.event;
  private view?: vscode.TreeView<FieldNode>;
  private timer?: NodeJS.Timeout;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly ctx: Ctx,
    private readonly service: FieldsService,
  ) {
    this.subscriptions.push(
      service.changed.event((key) => {
        if (key === this.activeKey()) this.refresh();
      }),
    );
  }

  attach(view: vscode.TreeView<FieldNode>): void {
    this.view = view;
    this.refresh();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.emitter.dispose();
  }

  /** The active editor changed, or what it shows: redraw soon. */
  refresh(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.updateDescription();
      this.emitter.fire();
    }, 50);
  }

  private activeKey(): string | undefined {
    return vscode.window.activeTextEditor?.document.uri.toString();
  }

  /** The fields shown now (the active editor's document). */
  current(): DocumentFieldsView | undefined {
    const key = this.activeKey();
    return key ? this.service.view(key) : undefined;
  }

  private updateDescription(): void {
    if (!this.view) return;
    const v = this.current();
    this.view.description = v ? `${v.result.kind}${v.kindSet ? ' (set)' : ''}` : undefined;
  }

  getChildren(element?: FieldNode): FieldNode[] {
    const v = this.current();
    if (!v) return [];
    const uri = v.uri.toString();
    if (!element) {
      const failing = new Set(v.result.checks.flatMap((c) => c.fields));
      const fields: FieldNode[] = Object.entries(v.result.fields).map(([field, values]) => ({
        kind: 'field',
        uri,
        field,
        values,
        failing: failing.has(field),
      }));
      return v.result.checks.length ? [{ kind: 'checks', uri, checks: v.result.checks }, ...fields] : fields;
    }
    if (element.kind === 'checks') return element.checks.map((check) => ({ kind: 'check', uri, check }));
    if (element.kind === 'field' && element.values.length > 1)
      return element.values.map((value) => ({ kind: 'value', uri, field: element.field, value }));
    return [];
  }

  getTreeItem(n: FieldNode): vscode.TreeItem {
    const uri = vscode.Uri.parse(n.uri);
    switch (n.kind) {
      case 'checks': {
        const errors = n.checks.filter((c) => c.severity === 'error').length;
        const item = new vscode.TreeItem(
          `${n.checks.length} ${n.checks.length === 1 ? 'check fails' : 'checks fail'}`,
          vscode.TreeItemCollapsibleState.Expanded,
        );
        item.iconPath = new vscode.ThemeIcon(errors ? 'error' : 'warning');
        item.contextValue = 'entityLens.fieldChecks';
        return item;
      }
      case 'check': {
        const item = new vscode.TreeItem(n.check.message, vscode.TreeItemCollapsibleState.None);
        item.tooltip = `${n.check.code}: ${n.check.message}${n.check.suggestion ? `\nquick fix: ${n.check.suggestion.field} = ${n.check.suggestion.value}` : ''}`;
        item.iconPath = new vscode.ThemeIcon(n.check.severity === 'error' ? 'error' : 'warning');
        const at = n.check.ranges[0];
        if (at) item.command = revealCommand(uri, at.start, at.end);
        return item;
      }
      case 'field': {
        const [first] = n.values;
        const many = n.values.length > 1;
        const item = new vscode.TreeItem(
          n.field,
          many ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
        );
        item.id = `${n.uri}#${n.field}`;
        const corrected = n.values.some((v) => v.corrected);
        if (!first) item.description = '—';
        else if (many) item.description = `${n.values.length} values`;
        else item.description = `${valueLine(first)} · ${confidenceText(first)}`;
        item.tooltip = first ? valueTooltip(n.field, first) : `${n.field}: no value found`;
        item.iconPath = new vscode.ThemeIcon(fieldIcon(n.failing, corrected, first, many));
        item.contextValue = corrected ? 'entityLens.field.corrected' : 'entityLens.field';
        if (first && !many && first.end > first.start) item.command = revealCommand(uri, first.start, first.end);
        return item;
      }
      case 'value': {
        const item = new vscode.TreeItem(valueLine(n.value), vscode.TreeItemCollapsibleState.None);
        item.description = confidenceText(n.value);
        item.tooltip = valueTooltip(n.field, n.value);
        item.iconPath = new vscode.ThemeIcon(n.value.corrected ? 'edit' : 'symbol-constant');
        item.contextValue = 'entityLens.fieldValue';
        if (n.value.end > n.value.start) item.command = revealCommand(uri, n.value.start, n.value.end);
        return item;
      }
    }
  }

  /** What the view shows, as text rows (for tests and the API). */
  rows(): Array<{ label: string; description?: string; children: Array<{ label: string; description?: string }> }> {
    const text = (item: vscode.TreeItem) => ({
      label: typeof item.label === 'string' ? item.label : (item.label?.label ?? ''),
      description: typeof item.description === 'string' ? item.description : undefined,
    });
    return this.getChildren().map((n) => ({
      ...text(this.getTreeItem(n)),
      children: this.getChildren(n).map((c) => text(this.getTreeItem(c))),
    }));
  }
}

function revealCommand(uri: vscode.Uri, start: number, end: number): vscode.Command {
  return {
    command: CommandId.revealFieldValue,
    title: 'Reveal',
    arguments: [{ uri: uri.toString(), start, end }],
  };
}
