// A tagged document's fields for the editor's surfaces (the Document Fields view, the value-check
// diagnostics, Copy Fields as JSON): the engine's extractFields on the entities the editor shows,
// with the folder's field chooser (`.entity-lens/field-chooser.json` trained from the user's
// corrections, else the model's, else the default model's), its `.entity-lens/fields.json`, the
// kind a person set for the file (else the detected one), the person's corrections of this
// document, and the vendors typed in the folder's corrections. Computed a moment after the
// entities change, cached until they change again.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CHOOSER_FILE,
  correctedVendors,
  defaultModelDir,
  detectKind,
  errorMessage,
  extractFields,
  type FieldChooser,
  loadFieldChooser,
  loadFieldChooserFile,
  parseFieldsConfig,
  rankCandidates,
  readFieldCorrections,
  type DocumentFields,
  type DocumentKind,
  type FieldCorrection,
  type FieldCorrectionRecord,
  type FieldsConfig,
  type Scored,
} from '../model';
import { type Ctx } from './ctx';
import { docLength, findOpenDocument } from './document-text';
import { resolveModel } from './model-manager';
import { extractedLayout, storedUri } from './pages/extracted-uri';
import { kindOfDocument, setKindOf, storeKind } from './document-kinds';
import { schedule } from './document-tagger';
import { dataDir, folderFor, folderPath } from './workspace-files';

/** how long after the last change of its entities a document's fields are computed again */
const SETTLE_MS = 250;
/**
 * Documents longer than this get no fields: a contract or an invoice is far shorter, and
 * choosing fields over the entities of a 10 MB text would hold the extension host's thread
 * (the editor suite's 10 MB document froze it under load).
 */
export const FIELDS_MAX_CHARS = 2_000_000;

export function fieldCorrectionsFile(folder: string): string {
  return path.join(dataDir(folder), 'field-corrections.jsonl');
}
export function workspaceChooserFile(folder: string): string {
  return path.join(dataDir(folder), CHOOSER_FILE);
}
export function fieldsConfigFile(folder: string): string {
  return path.join(dataDir(folder), 'fields.json');
}

/** Which chooser chose the values: trained in this workspace, shipped with the model, or the default model's. */
export type ChooserSource = 'workspace' | 'model' | 'default' | 'none';

/** What the surfaces show for one document. */
export interface DocumentFieldsView {
  uri: vscode.Uri;
  /** the document's path as the corrections file and exports name it */
  name: string;
  result: DocumentFields;
  /** the kind was set by a person (Set Document Kind), not detected */
  kindSet: boolean;
  chooser: ChooserSource;
  /** the person's corrections applied to this document */
  corrections: FieldCorrection[];
}

interface Cached<T> {
  stamp: string;
  value: T;
}

/** A file's cache stamp (mtime and size), or 'missing'. */
async function stampOf(file: string): Promise<string> {
  try {
    const s = await fs.stat(file);
    return `${s.mtimeMs}:${s.size}`;
  } catch {
    return 'missing';
  }
}

export class FieldsService implements vscode.Disposable {
  /** a document's fields were computed again (its key) */
  readonly changed = new vscode.EventEmitter<string>();
  private readonly views = new Map<string, DocumentFieldsView>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly choosers = new Map<string, Cached<FieldChooser | undefined>>();
  private readonly configs = new Map<string, Cached<FieldsConfig>>();
  private readonly corrections = new Map<string, Cached<FieldCorrectionRecord[]>>();

  constructor(private readonly ctx: Ctx) {}

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.changed.dispose();
  }

  /** The last computed fields of a document (undefined: not tagged, or not computed yet). */
  view(uri: vscode.Uri | string): DocumentFieldsView | undefined {
    return this.views.get(uri.toString());
  }

  /** The entities of a document changed: compute its fields again shortly. */
  entitiesChanged(key: string): void {
    const old = this.timers.get(key);
    if (old) clearTimeout(old);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.refresh(key);
      }, SETTLE_MS),
    );
  }

  /** Forgets a closed or untagged document. */
  forget(key: string): void {
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
    if (this.views.delete(key)) this.changed.fire(key);
  }

  /** Computes every tagged document's fields again (a chooser, a correction or fields.json changed). */
  async refreshAll(): Promise<void> {
    await Promise.all([...this.ctx.documents()].map((ds) => this.refresh(ds.key)));
  }

  /** Computes one document's fields now; undefined when it is not open and tagged. */
  async refresh(key: string): Promise<DocumentFieldsView | undefined> {
    const doc = findOpenDocument(key);
    const ds = this.ctx.document(key);
    if (!doc || !ds || doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end) > FIELDS_MAX_CHARS) {
      this.forget(key);
      return undefined;
    }
    try {
      const view = await this.compute(doc, ds.entities());
      // the document may have been closed or untagged meanwhile
      if (!this.ctx.document(key)) return undefined;
      this.views.set(key, view);
      this.changed.fire(key);
      return view;
    } catch (e) {
      this.ctx.log.warn(`fields of ${doc.uri.fsPath || key}: ${errorMessage(e)}`);
      return undefined;
    }
  }

  /** A document's fields from its text and entities (also for documents not open: the export). */
  async compute(
    doc: Pick<vscode.TextDocument, 'uri' | 'getText'>,
    entities: readonly {
      label: string;
      start: number;
      end: number;
      text: string;
      confidence: number;
    }[],
  ): Promise<DocumentFieldsView> {
    const text = doc.getText();
    const folder = folderFor(doc.uri);
    const fp = folderPath(folder);
    const name = this.nameOf(doc.uri);
    const set = this.kindOf(doc.uri);
    const kind = set ?? detectKind(text);
    const { chooser, source } = await this.chooserFor(folder);
    const config = fp ? await this.configOf(fp) : {};
    const records = fp ? await this.correctionsOf(fp) : [];
    const record = records.find((r) => r.document === name);
    // a picked mention holds only while the text is the one it was picked in
    const corrections = record
      ? record.corrections.filter((c) => c.range === undefined || record.text === text)
      : ([] as FieldCorrection[]);
    const result = extractFields(text, {
      kind,
      entities: entities.map((e) => ({
        label: e.label,
        start: e.start,
        end: e.end,
        text: e.text,
        confidence: e.confidence,
      })),
      // a PDF's or a scan's text view: its values carry their page
      layout: extractedLayout(doc.uri, text),
      config,
      chooser,
      corrections,
      // a vendor typed on one receipt is known on the next at once, not only after training
      vendors: correctedVendors(records),
    });
    return { uri: doc.uri, name, result, kindSet: !!set, chooser: source, corrections };
  }

  /** A field's candidates with the chooser's probabilities, best first (what Correct Field offers). */
  async candidates(uri: vscode.Uri, field: string): Promise<Scored[]> {
    const doc = findOpenDocument(uri.toString());
    const ds = this.ctx.document(uri);
    if (!doc || !ds) return [];
    const fp = folderPath(folderFor(uri));
    const text = doc.getText();
    return rankCandidates(text, field, {
      kind: this.kindOf(uri) ?? detectKind(text),
      entities: ds.entities(),
      layout: extractedLayout(uri, text),
      config: fp ? await this.configOf(fp) : {},
      chooser: (await this.chooserFor(folderFor(uri))).chooser,
    });
  }

  /** The document's path in the corrections file: relative to its folder (a PDF's text view: the PDF's). */
  nameOf(uri: vscode.Uri): string {
    return vscode.workspace.asRelativePath(storedUri(uri), false);
  }

  /** The kind a person set for a file (Set Document Kind), if any. */
  kindOf(uri: vscode.Uri): DocumentKind | undefined {
    return setKindOf(this.ctx.context.workspaceState, uri);
  }

  async setKind(uri: vscode.Uri, kind: DocumentKind | undefined): Promise<void> {
    await storeKind(this.ctx.context.workspaceState, uri, kind);
    // a model tuned on some kinds only tags by the kind: a document tagged as another kind is tagged again
    const ds = this.ctx.document(uri);
    const doc = findOpenDocument(uri.toString());
    if (ds?.kind && doc && ds.kind !== kindOfDocument(this.ctx.context.workspaceState, doc)) {
      ds.kind = undefined;
      ds.retagWhole(docLength(doc));
      schedule(this.ctx, ds, 0);
    }
    await this.refresh(uri.toString());
  }

  /** The folder's corrections (the latest record per document), re-read when the file changed. */
  async correctionsOf(folder: string): Promise<FieldCorrectionRecord[]> {
    const file = fieldCorrectionsFile(folder);
    const stamp = await stampOf(file);
    const known = this.corrections.get(folder);
    if (known && known.stamp === stamp) return known.value;
    const { records, problems, size } = await readFieldCorrections(file);
    for (const p of problems) this.ctx.log.warn(p);
    // cached under the size actually read: an append that was still committing during the read
    // (its bytes already in the file's size) makes the next call read again
    const mtime = stamp === 'missing' ? 'new' : stamp.slice(0, stamp.indexOf(':'));
    const read = stamp === 'missing' && size === 0 ? stamp : `${mtime}:${size}`;
    this.corrections.set(folder, { stamp: read, value: records });
    return records;
  }

  /** The chooser for a folder's documents, and where it comes from. */
  async chooserFor(
    folder: vscode.WorkspaceFolder | undefined,
  ): Promise<{ chooser: FieldChooser | undefined; source: ChooserSource }> {
    const fp = folderPath(folder);
    if (fp && vscode.workspace.isTrusted) {
      const own = await this.cachedChooser(workspaceChooserFile(fp), () =>
        loadFieldChooserFile(workspaceChooserFile(fp)),
      );
      if (own) return { chooser: own, source: 'workspace' };
    }
    const model = await resolveModel(this.ctx, folder);
    const shipped = await this.cachedChooser(path.join(model.dir, CHOOSER_FILE), () => loadFieldChooser(model.dir));
    if (shipped) return { chooser: shipped, source: model.dir === defaultModelDir() ? 'default' : 'model' };
    const fallback = await this.cachedChooser(path.join(defaultModelDir(), CHOOSER_FILE), () =>
      loadFieldChooser(defaultModelDir()),
    );
    return { chooser: fallback, source: fallback ? 'default' : 'none' };
  }

  private async cachedChooser(
    file: string,
    load: () => Promise<FieldChooser | undefined>,
  ): Promise<FieldChooser | undefined> {
    const stamp = await stampOf(file);
    const known = this.choosers.get(file);
    if (known && known.stamp === stamp) return known.value;
    let value: FieldChooser | undefined;
    try {
      value = stamp === 'missing' ? undefined : await load();
    } catch (e) {
      this.ctx.log.warn(`${file}: ${errorMessage(e)}; the fields use another chooser.`);
      value = undefined;
    }
    this.choosers.set(file, { stamp, value });
    return value;
  }

  /** The folder's fields.json (problems logged once per change of the file). */
  private async configOf(folder: string): Promise<FieldsConfig> {
    const file = fieldsConfigFile(folder);
    const stamp = await stampOf(file);
    const known = this.configs.get(folder);
    if (known && known.stamp === stamp) return known.value;
    let config: FieldsConfig = {};
    if (stamp !== 'missing') {
      try {
        const parsed = parseFieldsConfig(await fs.readFile(file, 'utf8'));
        config = parsed.config;
        for (const p of parsed.problems) this.ctx.log.warn(`${file}: ${p}`);
      } catch (e) {
        this.ctx.log.warn(`${file}: ${errorMessage(e)}`);
      }
    }
    this.configs.set(folder, { stamp, value: config });
    return config;
  }
}
