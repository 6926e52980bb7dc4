// What an entity label may be, and how text from outside is shown safely. A label is 1–32
// characters: an upper-case ASCII letter, then upper-case letters, digits or underscores
// (PARTY, INVOICE_ID, TAX_ID, ORG). That keeps labels usable as tag names ("B-PARTY" splits at
// the first hyphen), as JSON keys and object properties (no "__proto__"), as setting and theme
// colour ids, in file names, Markdown and terminals (no markup, control or bidi characters).
// Every entry point checks it: the JSONL reader, model folders, the trainer's options, the CLI's
// flags, the converters and the editor's labels file; a bad label gets one sentence saying why.
// Every exit shows a label through displayLabel (plain text) or escapeMarkdown(displayLabel(...))
// (Markdown), so a label that slipped past an entry point is shown quoted, never as markup.

/** The label grammar. */
export const LABEL_PATTERN = /^[A-Z][A-Z0-9_]{0,31}$/;
export const MAX_LABEL_LENGTH = 32;

/** Whether `label` is a string that follows the label grammar. */
export function isValidLabel(label: unknown): label is string {
  return typeof label === 'string' && LABEL_PATTERN.test(label);
}

/**
 * Why `label` is not a valid label, as a phrase ("must start with ..."), or null when it is.
 * Suggests the valid form when there is an obvious one ("party" → PARTY, "E-MAIL" → E_MAIL).
 */
export function labelProblem(label: unknown): string | null {
  if (isValidLabel(label)) return null;
  if (typeof label !== 'string') return 'a label must be a string';
  if (label === '') return 'a label must not be empty';
  const rule = 'labels are 1-32 upper-case letters (A-Z), digits and underscores, starting with a letter';
  if (label.length > MAX_LABEL_LENGTH) return `${quoteForMessage(label)} is longer than 32 characters (${rule})`;
  const suggestion = label
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
  const hint = suggestion !== label && isValidLabel(suggestion) ? `; use ${suggestion}` : '';
  return `${quoteForMessage(label)} is not a valid label (${rule})${hint}`;
}

/** Throws a TypeError naming `where` when `label` breaks the grammar; returns it otherwise. */
export function checkLabel(label: unknown, where: string): string {
  const problem = labelProblem(label);
  if (problem !== null) throw new TypeError(`${where}: ${problem}`);
  return label as string;
}

/** The first label of `labels` that breaks the grammar, with why; null when all are valid. */
export function firstLabelProblem(labels: readonly unknown[]): string | null {
  for (const label of labels) {
    const problem = labelProblem(label);
    if (problem !== null) return problem;
  }
  return null;
}

/**
 * Any text from a file, quoted for a one-line message on a terminal or in a log: JSON string
 * syntax (so control characters, terminal escapes and line breaks show as \u001b, \n), bidi
 * controls escaped as well, cut to `max` characters.
 */
export function quoteForMessage(text: string, max = 40): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut).replace(
    /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * A label as plain text for a person (a title, a diagnostic, an outline entry, a status line):
 * the label itself when it follows the grammar, else quoted and escaped by quoteForMessage
 * (`"<img src=x>"`, `"PARTY\n"`), so it reads as foreign text, on one line, at most 40 characters.
 */
export function displayLabel(label: unknown): string {
  if (isValidLabel(label)) return label;
  return quoteForMessage(typeof label === 'string' ? label : String(label));
}

/**
 * Text made safe to put inside Markdown (a VS Code hover's MarkdownString, with or without
 * HTML support): every ASCII punctuation character is backslash-escaped (CommonMark reads `\x`
 * as the literal x for any ASCII punctuation x, and nothing else), so
 * `*`, `_`, `[`, `<`, `&`, `` ` `` and `|` render as themselves and no link, image, HTML tag,
 * entity or table is formed. Line breaks become spaces (one line in a hover), other control
 * and bidi characters become U+FFFD.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '\ufffd')
    .replace(/\t/g, ' ')
    .replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/**
 * Text as a Markdown code span (monospace, and nothing inside is read as Markdown or HTML):
 * fenced with one backtick more than the longest run of backticks in it, so no backtick in
 * the text can close the span early; line breaks, control and bidi characters as in
 * escapeMarkdown.
 */
export function markdownCode(text: string): string {
  const clean = text
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '\ufffd')
    .replace(/\t/g, ' ');
  let longest = 0;
  for (const run of clean.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  // a space on each side when the text starts or ends with a backtick (CommonMark strips one)
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}
