// What Undo Last Correction takes back: per document, a stack of the corrections made in it,
// each with the document state it replaced (inside the region it touched) and the records it
// superseded in the annotation store. Entries move with edits, like the state they restore.
import * as vscode from 'vscode';
import {
  shiftItems,
  shiftRangesSplit,
  shiftRangesStretch,
  type AnnotationRecord,
  type LabelRange,
  type Range,
  type TextChange,
} from '../model';
import { shiftLabelRanges } from './label-ranges';
import type { ConfirmedSpan, Passage } from './tracked-document';

/** the document state a correction changes */
export interface CorrectionState {
  confirmed: ConfirmedSpan[];
  reviewed: Range[];
  judged: LabelRange[];
  passages: Passage[];
}

export interface UndoEntry {
  /** what the person did, as the undo message names it ("Tag Selection As PARTY") */
  title: string;
  /** the text the correction changed: undo puts `before` back inside it only */
  region: Range[];
  before: CorrectionState;
  /** the workspace folder its records went to (none: the correction was only shown) */
  folder?: string;
  /** the document as the store names it (tombstones carry it) */
  uri: string;
  /** per passage id the correction wrote or deleted: its record before (undefined: there was none) */
  prior: Map<string, AnnotationRecord | undefined>;
  /** records it counted toward the next automatic training */
  saved: number;
  /** a text edit came after it: Ctrl+Z belongs to the document's own undo again */
  editedAfter: boolean;
}

/** corrections kept per document: enough to walk back a review session */
const MAX_ENTRIES = 100;

export class CorrectionHistory {
  /** fires when an entry is added or taken, or when an edit makes the newest one older than the text */
  readonly changed = new vscode.EventEmitter<string>();
  private readonly stacks = new Map<string, UndoEntry[]>();

  push(key: string, entry: UndoEntry): void {
    const stack = this.stacks.get(key) ?? [];
    stack.push(entry);
    if (stack.length > MAX_ENTRIES) stack.shift();
    this.stacks.set(key, stack);
    this.changed.fire(key);
  }

  pop(key: string): UndoEntry | undefined {
    const entry = this.stacks.get(key)?.pop();
    if (entry) this.changed.fire(key);
    return entry;
  }

  top(key: string): UndoEntry | undefined {
    const stack = this.stacks.get(key);
    return stack?.[stack.length - 1];
  }

  /** Whether the document's latest change is a correction (Ctrl+Z undoes it). */
  latestIsCorrection(key: string): boolean {
    const top = this.top(key);
    return !!top && !top.editedAfter;
  }

  /** A text edit: the entries' offsets move with it, and the newest is no longer the latest change. */
  edited(key: string, changes: readonly TextChange[]): void {
    const stack = this.stacks.get(key);
    if (!stack || stack.length === 0) return;
    const wasLatest = this.latestIsCorrection(key);
    for (const e of stack) {
      for (const c of changes) {
        e.region = shiftRangesStretch(e.region, c);
        e.before = {
          confirmed: shiftItems(e.before.confirmed, c),
          reviewed: shiftRangesSplit(e.before.reviewed, c),
          judged: shiftLabelRanges(e.before.judged, c),
          passages: shiftRangesStretch(e.before.passages, c),
        };
      }
      e.editedAfter = true;
    }
    if (wasLatest) this.changed.fire(key);
  }

  forget(key: string): void {
    if (this.stacks.delete(key)) this.changed.fire(key);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
