// A small flag parser for the CLI (no dependency). Each command declares its flags once in a
// CommandSpec; the same spec drives parsing, validation and the --help text, so they cannot
// drift apart. Values are checked while parsing, so a command never starts work with a bad flag.
import { firstLabelProblem, firstLine } from '../model';

/** A mistake in the command line: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** An error the user can act on that is not about the command line (a bad model folder, say). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export type FlagKind = 'boolean' | 'string' | 'int' | 'number' | 'list' | 'choice';

export interface FlagSpec {
  kind: FlagKind;
  description: string;
  /** placeholder in the help text, e.g. DIR */
  value?: string;
  /** kind 'choice': the accepted values */
  choices?: readonly string[];
  /** kind 'list': the items are entity labels, checked against the label grammar */
  labels?: boolean;
  /** kind 'string': the flag may be given several times (values are collected) */
  repeatable?: boolean;
  required?: boolean;
  /** numeric kinds: inclusive bounds */
  min?: number;
  max?: number;
  /** numeric kinds: the value must be above `min`, not equal to it */
  minExclusive?: boolean;
  /** shown in the help text only; the command applies its own default */
  default?: string;
}

export interface CommandSpec {
  name: string;
  /** one line for the global usage */
  summary: string;
  /** the synopsis after the program name, e.g. "tag FILE... [options]" */
  synopsis: string;
  /** paragraphs shown under the synopsis in --help */
  description?: string;
  positional?: { name: string; min: number; max?: number };
  flags: Record<string, FlagSpec>;
  examples?: string[];
}

type Value = string | number | boolean | string[];

export class ParsedArgs {
  constructor(
    readonly command: string,
    readonly positionals: string[],
    private readonly values: Map<string, Value>,
  ) {}

  has(name: string): boolean {
    return this.values.has(name);
  }

  flag(name: string): boolean {
    return this.values.get(name) === true;
  }

  string(name: string): string | undefined {
    const v = this.values.get(name);
    if (Array.isArray(v)) return v[v.length - 1];
    return typeof v === 'string' ? v : undefined;
  }

  /** every value of a repeatable string flag, in order */
  strings(name: string): string[] {
    const v = this.values.get(name);
    if (Array.isArray(v)) return [...v];
    return typeof v === 'string' ? [v] : [];
  }

  number(name: string): number | undefined {
    const v = this.values.get(name);
    return typeof v === 'number' ? v : undefined;
  }

  /** a comma-separated list flag (repeats are merged, duplicates dropped); undefined if absent */
  list(name: string): string[] | undefined {
    const v = this.values.get(name);
    return Array.isArray(v) ? [...v] : undefined;
  }

  choice<T extends string>(name: string): T | undefined {
    const v = this.values.get(name);
    return typeof v === 'string' ? (v as T) : undefined;
  }
}

export type ParseResult = { help: true } | { help: false; args: ParsedArgs };

/**
 * Parses `argv` (the words after the command name). Accepts `--flag value`, `--flag=value`,
 * `--` (everything after it is positional) and `-h`/`--help` anywhere before `--`.
 */
export function parseArgs(argv: readonly string[], spec: CommandSpec): ParseResult {
  // help wins over every other problem on the line
  const end = argv.indexOf('--');
  const options = end < 0 ? argv : argv.slice(0, end);
  if (options.includes('--help') || options.includes('-h')) return { help: true };

  const values = new Map<string, Value>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!word.startsWith('-') || word === '-' || /^-\d/.test(word)) {
      positionals.push(word);
      continue;
    }
    if (!word.startsWith('--')) throw new UsageError(`unknown option ${word}`);
    const eq = word.indexOf('=');
    const name = eq < 0 ? word.slice(2) : word.slice(2, eq);
    const flag = spec.flags[name];
    if (!flag) throw new UsageError(unknownFlagMessage(`--${name}`, [...Object.keys(spec.flags), 'help']));
    let raw: string | undefined;
    if (flag.kind === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      if (values.has(name)) throw new UsageError(`--${name} is given twice`);
      values.set(name, true);
      continue;
    }
    if (eq >= 0) raw = word.slice(eq + 1);
    else {
      const next = argv[i + 1];
      // "--out --json" is a forgotten value, not an output folder called "--json"
      if (next === undefined || next === '--' || (next.startsWith('--') && next.length > 2)) {
        throw new UsageError(`--${name} needs a value${flag.value ? ` (${flag.value})` : ''}`);
      }
      raw = next;
      i++;
    }
    store(values, name, flag, raw);
  }

  for (const [name, flag] of Object.entries(spec.flags)) {
    if (flag.required && !values.has(name)) throw new UsageError(`--${name} is required`);
  }
  const pos = spec.positional;
  if (!pos && positionals.length > 0) {
    throw new UsageError(`unexpected argument "${positionals[0]}"`);
  }
  if (pos && positionals.length < pos.min) {
    throw new UsageError(pos.min === 1 ? `missing ${pos.name}` : `needs at least ${pos.min} ${pos.name} arguments`);
  }
  if (pos?.max !== undefined && positionals.length > pos.max) {
    throw new UsageError(`unexpected argument "${positionals[pos.max]}"`);
  }
  return { help: false, args: new ParsedArgs(spec.name, positionals, values) };
}

function store(values: Map<string, Value>, name: string, flag: FlagSpec, raw: string): void {
  const previous = values.get(name);
  switch (flag.kind) {
    case 'string': {
      if (raw === '') throw new UsageError(`--${name} needs a non-empty value`);
      if (flag.repeatable) {
        values.set(name, [...(Array.isArray(previous) ? previous : []), raw]);
        return;
      }
      break;
    }
    case 'list': {
      const items = raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      if (items.length === 0) throw new UsageError(`--${name} needs a comma-separated list, e.g. --${name} PARTY,DATE`);
      if (flag.labels) {
        const problem = firstLabelProblem(items);
        if (problem) throw new UsageError(`--${name}: ${problem}`);
      }
      const merged = [...(Array.isArray(previous) ? previous : []), ...items];
      values.set(name, [...new Set(merged)]);
      return;
    }
    case 'choice': {
      const choices = flag.choices ?? [];
      const match = choices.find((c) => c.toLowerCase() === raw.toLowerCase());
      if (match === undefined) throw new UsageError(`--${name} must be one of ${choices.join(', ')}, not "${raw}"`);
      raw = match;
      break;
    }
    case 'int':
    case 'number': {
      const n = parseNumber(raw);
      if (n === undefined || (flag.kind === 'int' && !Number.isInteger(n))) {
        throw new UsageError(`--${name} must be ${flag.kind === 'int' ? 'a whole number' : 'a number'}, not "${raw}"`);
      }
      checkBounds(name, flag, n);
      if (values.has(name)) throw new UsageError(`--${name} is given twice`);
      values.set(name, n);
      return;
    }
    case 'boolean':
      throw new Error('unreachable: boolean flags take no value');
  }
  if (values.has(name)) throw new UsageError(`--${name} is given twice`);
  values.set(name, raw);
}

function parseNumber(raw: string): number | undefined {
  // Number("") is 0 and Number("0x10") is 16: accept plain decimal notation only
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw.trim())) return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

function checkBounds(name: string, flag: FlagSpec, n: number): void {
  const { min, max } = flag;
  if (min !== undefined && (flag.minExclusive ? n <= min : n < min)) {
    throw new UsageError(`--${name} must be ${flag.minExclusive ? 'above' : 'at least'} ${min}, not ${n}`);
  }
  if (max !== undefined && n > max) throw new UsageError(`--${name} must be at most ${max}, not ${n}`);
}

function unknownFlagMessage(flag: string, known: string[]): string {
  const guess = closest(flag.slice(2), known);
  return `unknown option ${flag}${guess ? ` (did you mean --${guess}?)` : ''}`;
}

/** The known word nearest to `word` by edit distance, if it is plausibly a typo of it. */
export function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(word.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

/** Edit distance counting a swap of two neighbouring letters as one edit ("tga" → "tag"). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

// ---------------------------------------------------------------------------
// Help text

/** `entity-lens <synopsis>` plus a pointer to --help: what a usage error prints. */
export function formatUsage(program: string, spec: CommandSpec): string {
  return `usage: ${program} ${spec.synopsis}\nRun \`${program} ${spec.name} --help\` for the options.`;
}

const HELP_COLUMNS = 100;

/** Greedy word wrap to lines of at most `width` characters (longer words stay whole). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}

/** The full --help text of a command. */
export function formatHelp(program: string, spec: CommandSpec): string {
  const lines = [`usage: ${program} ${spec.synopsis}`, '', spec.summary];
  if (spec.description) lines.push('', spec.description);
  const entries = Object.entries(spec.flags).map(([name, f]) => {
    const placeholder =
      f.kind === 'boolean' ? '' : ` ${f.value ?? (f.kind === 'choice' ? (f.choices ?? []).join('|') : 'VALUE')}`;
    const notes: string[] = [];
    if (f.required) notes.push('required');
    if (f.repeatable) notes.push('repeatable');
    if (f.default !== undefined) notes.push(`default: ${f.default}`);
    return { left: `--${name}${placeholder}`, right: f.description + (notes.length ? ` (${notes.join('; ')})` : '') };
  });
  entries.push({ left: '-h, --help', right: 'show this help' });
  const width = Math.min(28, Math.max(...entries.map((e) => e.left.length)));
  const indent = ' '.repeat(width + 4);
  lines.push('', 'options:');
  for (const e of entries) {
    const right = wrap(e.right, HELP_COLUMNS - indent.length).join(`\n${indent}`);
    const pad = e.left.length > width ? `\n${indent}` : ' '.repeat(width - e.left.length + 2);
    lines.push(`  ${e.left}${pad}${right}`);
  }
  if (spec.examples?.length) lines.push('', 'examples:', ...spec.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}

// ---------------------------------------------------------------------------
// Errors on stderr

export const PROGRAM = 'entity-lens';

/** ENTITY_LENS_DEBUG=1 shows stack traces. */
export function debugEnabled(): boolean {
  const v = process.env.ENTITY_LENS_DEBUG;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/** The message of any thrown value, first line only unless debugging (then the stack). */
export function errorText(e: unknown): string {
  if (debugEnabled() && e instanceof Error && e.stack) return e.stack;
  return firstLine(e);
}

/** `entity-lens: <message>` on stderr. */
export function printError(message: string): void {
  process.stderr.write(`${PROGRAM}: ${message}\n`);
}

/** How many problems of one input are printed before the rest are only counted. */
export const MAX_PROBLEMS_SHOWN = 20;

/** Problems of one input (`FILE:LINE: reason` lines) on stderr, the first MAX_PROBLEMS_SHOWN of them. */
export function printProblems(file: string, problems: readonly string[]): void {
  for (const p of problems.slice(0, MAX_PROBLEMS_SHOWN)) process.stderr.write(`${p}\n`);
  if (problems.length > MAX_PROBLEMS_SHOWN) {
    process.stderr.write(`${file}: ${problems.length - MAX_PROBLEMS_SHOWN} more problems not shown\n`);
  }
}

/** `entity-lens: note: <message>` on stderr: something the user should know, not a problem. */
export function printNote(message: string): void {
  process.stderr.write(`${PROGRAM}: note: ${message}\n`);
}

/** `entity-lens: warning: <message>` on stderr. */
export function printWarning(message: string): void {
  process.stderr.write(`${PROGRAM}: warning: ${message}\n`);
}
