// A workspace's own fields: `.entity-lens/fields.json` changes the default fields of a kind of
// document or adds new ones, e.g.
//
//   { "contract": { "purchase_price": { "label": "AMOUNT", "pick": "largest" },
//                   "renewal_term": false,
//                   "parties": { "values": 4 } },
//     "invoice":  { "po_number": { "label": "PO_NUMBER", "pick": "first", "keywords": ["PO", "order"] } } }
//
// Per field: `label` (an entity label or a list of them), `pick` (which mention wins:
// learned, first, last, largest, smallest, all), `values` (how many values: a number or
// "all"), `type` (how values are normalised; from the label when absent), `keywords` (for a
// fixed pick: only mentions after one of these words). `false` or `null` removes a field.
// Parsing is pure and never throws: every mistake becomes one problem naming where it is, and
// the parts that are right still apply.
import { DOCUMENT_KINDS, type DocumentKind } from '../rules/document-kind';
import {
  FIELD_TYPES,
  PICKS,
  defaultFields,
  typeOfLabel,
  type FieldSpec,
  type FieldType,
  type PickRule,
} from './schema';

export interface FieldOverride {
  labels?: string[];
  pick?: PickRule;
  max?: number;
  type?: FieldType;
  keywords?: string[];
}

/** Overrides per kind of document; `null` removes a field. */
export type FieldsConfig = Partial<Record<DocumentKind, Record<string, FieldOverride | null>>>;

export interface FieldsConfigResult {
  config: FieldsConfig;
  /** one line per mistake, starting with where it is (`contract.price.pick: ...`) */
  problems: string[];
}

/** Most values a field may keep ("all" stands for this). */
export const MAX_FIELD_VALUES = 100;
const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const LABEL = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const KEYS = ['label', 'pick', 'values', 'type', 'keywords'];

const describe = (v: unknown): string =>
  v === null
    ? 'null'
    : Array.isArray(v)
      ? 'a list'
      : typeof v === 'string'
        ? `"${v.slice(0, 40)}"`
        : typeof v === 'object'
          ? 'an object'
          : String(v);

/** Parses and checks the text of a fields.json. */
export function parseFieldsConfig(text: string): FieldsConfigResult {
  const problems: string[] = [];
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return {
      config: {},
      problems: [`not valid JSON (${(e instanceof Error ? e.message : String(e)).split('\n')[0]})`],
    };
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      config: {},
      problems: [`must be an object with the kinds ${DOCUMENT_KINDS.join(', ')} as keys, not ${describe(raw)}`],
    };
  }
  const config: FieldsConfig = {};
  for (const [kind, fields] of Object.entries(raw as Record<string, unknown>)) {
    if (!(DOCUMENT_KINDS as readonly string[]).includes(kind)) {
      problems.push(`${kind}: not a kind of document (one of ${DOCUMENT_KINDS.join(', ')})`);
      continue;
    }
    if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
      problems.push(`${kind}: must be an object of fields, not ${describe(fields)}`);
      continue;
    }
    const known = new Set(defaultFields(kind as DocumentKind).map((f) => f.name));
    const out: Record<string, FieldOverride | null> = {};
    for (const [name, entry] of Object.entries(fields as Record<string, unknown>)) {
      const where = `${kind}.${name}`;
      if (!NAME.test(name)) {
        problems.push(`${where}: a field name is a letter then letters, digits or _ (at most 64)`);
        continue;
      }
      if (entry === false || entry === null) {
        if (known.has(name)) out[name] = null;
        else problems.push(`${where}: there is no such field to remove`);
        continue;
      }
      const override = parseOverride(entry, where, problems);
      if (!override) continue;
      if (!known.has(name) && !override.labels) {
        problems.push(`${where}: a new field needs a "label"`);
        continue;
      }
      out[name] = override;
    }
    config[kind as DocumentKind] = out;
  }
  return { config, problems };
}

function parseOverride(entry: unknown, where: string, problems: string[]): FieldOverride | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    problems.push(`${where}: must be an object (or false to remove the field), not ${describe(entry)}`);
    return undefined;
  }
  const e = entry as Record<string, unknown>;
  const before = problems.length;
  for (const key of Object.keys(e)) {
    if (!KEYS.includes(key)) problems.push(`${where}.${key}: unknown setting (one of ${KEYS.join(', ')})`);
  }
  const out: FieldOverride = {};
  if (e.label !== undefined) {
    const labels = typeof e.label === 'string' ? [e.label] : e.label;
    if (!Array.isArray(labels) || labels.length === 0 || !labels.every((l) => typeof l === 'string' && LABEL.test(l))) {
      problems.push(`${where}.label: must be a label name (e.g. "AMOUNT") or a list of them, not ${describe(e.label)}`);
    } else out.labels = labels.map((l) => (l as string).toUpperCase());
  }
  if (e.pick !== undefined) {
    if (typeof e.pick === 'string' && (PICKS as readonly string[]).includes(e.pick)) out.pick = e.pick as PickRule;
    else problems.push(`${where}.pick: must be one of ${PICKS.join(', ')}, not ${describe(e.pick)}`);
  }
  if (e.values !== undefined) {
    if (e.values === 'all') out.max = MAX_FIELD_VALUES;
    else if (
      typeof e.values === 'number' &&
      Number.isInteger(e.values) &&
      e.values >= 1 &&
      e.values <= MAX_FIELD_VALUES
    )
      out.max = e.values;
    else
      problems.push(
        `${where}.values: must be a whole number from 1 to ${MAX_FIELD_VALUES} or "all", not ${describe(e.values)}`,
      );
  }
  if (e.type !== undefined) {
    if (typeof e.type === 'string' && (FIELD_TYPES as readonly string[]).includes(e.type))
      out.type = e.type as FieldType;
    else problems.push(`${where}.type: must be one of ${FIELD_TYPES.join(', ')}, not ${describe(e.type)}`);
  }
  if (e.keywords !== undefined) {
    if (
      Array.isArray(e.keywords) &&
      e.keywords.every((k) => typeof k === 'string' && k.trim() !== '' && k.length <= 60)
    )
      out.keywords = e.keywords.map((k) => (k as string).trim());
    else problems.push(`${where}.keywords: must be a list of words or phrases, not ${describe(e.keywords)}`);
  }
  return problems.length > before ? undefined : out;
}

/** The fields of a kind of document with a workspace's overrides applied, defaults first. */
export function fieldsFor(kind: DocumentKind, config: FieldsConfig = {}): FieldSpec[] {
  const overrides = config[kind] ?? {};
  const out: FieldSpec[] = [];
  for (const spec of defaultFields(kind)) {
    const o = overrides[spec.name];
    if (o === null) continue;
    out.push(o ? merge(spec, o) : spec);
  }
  for (const [name, o] of Object.entries(overrides)) {
    if (o === null || out.some((s) => s.name === name) || defaultFields(kind).some((s) => s.name === name)) continue;
    const labels = o.labels ?? [];
    out.push(merge({ name, labels, type: o.type ?? typeOfLabel(labels[0] ?? ''), pick: 'first', max: 1 }, o));
  }
  return out;
}

function merge(spec: FieldSpec, o: FieldOverride): FieldSpec {
  const labels = o.labels ?? spec.labels;
  const type = o.type ?? (o.labels ? typeOfLabel(labels[0]) : spec.type);
  return {
    ...spec,
    labels,
    type,
    pick: o.pick ?? spec.pick,
    max: o.max ?? spec.max,
    keywords: o.keywords ?? spec.keywords,
  };
}
