// Measurement hook for the editor benchmark (bench/editor): the tagging loop and the decoration
// renderer record what they did and when (performance.now() of the extension host, so a suite
// running in the same host can compare them with its own clock). Read through the hidden command
// `entityLens._timings` ({ clear?: boolean, key?: string }); it is not contributed to
// package.json, so it is never shown in the Command Palette. Bounded: the oldest records go.
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { CommandId } from './command-ids';

export const TIMINGS_COMMAND = CommandId.timings;

/** One tagging step (documentTagger.step): a chunk of pending text re-tagged. */
export interface TagStepTiming {
  key: string;
  /** performance.now() at the start and end of the step */
  start: number;
  end: number;
  ms: number;
  /** characters of pending text the step took, of the block read around it */
  chunkChars: number;
  blockChars: number;
  /** sentence windows sent to the model and their tokens */
  windows: number;
  tokens: number;
  /** the loop's model lookup (modelFor) just before this step, not included in `ms` */
  modelLookupMs: number;
}

/** One decoration render of a document (renderDecorations from the entitiesChanged handler). */
export interface RenderTiming {
  key: string;
  start: number;
  end: number;
  ms: number;
  entities: number;
  editors: number;
  /** the document's tagging loop was still running (a later render follows) */
  running: boolean;
  /** rendered because the editor became visible (renderAllEditors), not after tagging or an edit */
  visible?: boolean;
  /** renderDiagnostics right after (unset when the Problems panel update was skipped) */
  diagnosticsMs?: number;
}

const MAX_RECORDS = 5000;
const steps: TagStepTiming[] = [];
const renders: RenderTiming[] = [];

export const now = (): number => performance.now();

function push<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > MAX_RECORDS * 2) list.splice(0, list.length - MAX_RECORDS);
}

export function recordTagStep(t: Omit<TagStepTiming, 'ms'>): void {
  push(steps, { ...t, ms: t.end - t.start });
}

export function recordRender(t: Omit<RenderTiming, 'ms'>): RenderTiming {
  const r = { ...t, ms: t.end - t.start };
  push(renders, r);
  return r;
}

export function registerTimingsCommand(): vscode.Disposable {
  return vscode.commands.registerCommand(TIMINGS_COMMAND, (arg?: { clear?: boolean; key?: string }) => {
    const pick = <T extends { key: string }>(list: T[]): T[] =>
      arg?.key ? list.filter((r) => r.key === arg.key) : [...list];
    const out = { now: now(), steps: pick(steps), renders: pick(renders) };
    if (arg?.clear) {
      steps.length = 0;
      renders.length = 0;
    }
    return out;
  });
}
