// Tokenizer and sentence splitter for contracts, invoices and OCR receipts.
//
// One left-to-right pass over UTF-16 code units. ASCII is classified with a lookup table;
// other characters with sticky Unicode regexes tested at a position (no allocation). Every
// lookahead is bounded, so the cost is linear even on 1 MB without spaces or long runs of
// punctuation. Token boundaries always fall on code point boundaries: surrogate pairs are
// consumed whole, lone surrogates become one-unit tokens.
import type { Sentence, Token } from '../core/types';

// ---------------------------------------------------------------------------------------
// Character classes

/** ASCII_CLASS's zero: characters of none of the classes below */
const OTHER = 0;
const SPACE = 1;
const DIGIT = 2;
const LETTER = 3;

const ASCII_CLASS = new Uint8Array(128).fill(OTHER);
for (let c = 0; c < 128; c++) {
  if (c >= 0x30 && c <= 0x39) ASCII_CLASS[c] = DIGIT;
  else if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) ASCII_CLASS[c] = LETTER;
  else if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) ASCII_CLASS[c] = SPACE;
}

/**
 * JS `\s` plus invisible characters that PDFs and OCR leave inside words: soft hyphen,
 * zero-width space / non-joiner / joiner and BOM. None of them may start or end a token.
 */
export function isSpaceCode(c: number): boolean {
  if (c < 128) return ASCII_CLASS[c] === SPACE;
  return (
    c === 0x00a0 ||
    c === 0x00ad ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200d) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

// Sticky, so `.test()` at `lastIndex` checks one code point without slicing the text.
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/uy;
const UPPER_CHAR = /\p{Lu}/uy;
const LOWER_CHAR = /\p{Ll}/uy;
const MARKS = /\p{M}+/uy;

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

function testAt(re: RegExp, text: string, i: number): number {
  re.lastIndex = i;
  return re.test(text) ? re.lastIndex : -1;
}

/** End of the letter/mark/digit code point at `i`, or -1 if there is none. */
function wordCharEnd(text: string, i: number): number {
  if (i >= text.length) return -1;
  const c = text.charCodeAt(i);
  if (c < 128) return ASCII_CLASS[c] >= DIGIT ? i + 1 : -1;
  return testAt(WORD_CHAR, text, i);
}

function isWordAt(text: string, i: number): boolean {
  return wordCharEnd(text, i) > 0;
}

function isDigitAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i); // NaN out of range: comparisons are false
  return c >= 0x30 && c <= 0x39;
}

function isSpaceAt(text: string, i: number): boolean {
  return i < text.length && isSpaceCode(text.charCodeAt(i));
}

/** End of the code point at `i` (2 for a well-formed surrogate pair). */
function codePointEnd(text: string, i: number): number {
  if (isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1))) return i + 2;
  return i + 1;
}

// ---------------------------------------------------------------------------------------
// Vocabulary

/**
 * Abbreviations that keep their period (compared lower-case). Kept to legal / business /
 * address / month words that rarely end a sentence (no "annex", "par", "app"): a period
 * kept here can never end one. Letter-dot sequences (U.S., e.g., L.L.C.) and single capital
 * initials (J.) are recognised by shape instead.
 */
const ABBREVIATIONS = new Set([
  // companies
  'inc',
  'ltd',
  'co',
  'corp',
  'cos',
  'llc',
  'llp',
  'lp',
  'plc',
  'pty',
  'pte',
  'sdn',
  'bhd',
  'bros',
  'assn',
  'assoc',
  'intl',
  'natl',
  'mfg',
  'dept',
  'div',
  'grp',
  'hldgs',
  'svcs',
  // people
  'mr',
  'mrs',
  'ms',
  'messrs',
  'dr',
  'jr',
  'sr',
  'prof',
  'hon',
  'esq',
  'rev',
  'gen',
  'gov',
  // references
  'no',
  'nos',
  'art',
  'arts',
  'sec',
  'secs',
  'para',
  'paras',
  'par',
  'cl',
  'sch',
  'sched',
  'exh',
  'ex',
  'fig',
  'figs',
  'p',
  'pp',
  'ch',
  'chap',
  'vol',
  'ibid',
  'op',
  'cit',
  'cf',
  'al',
  'reg',
  'regs',
  'supp',
  'amend',
  'subd',
  'subpara',
  // latin / general
  'etc',
  'vs',
  'v',
  'viz',
  'approx',
  'incl',
  'excl',
  'min',
  'max',
  'est',
  'misc',
  'ref',
  'attn',
  'tel',
  'fax',
  'ext',
  'qty',
  'amt',
  'pcs',
  'pc',
  'govt',
  'mgmt',
  'yr',
  'yrs',
  'mo',
  'mos',
  'hr',
  'hrs',
  'wk',
  'wks',
  'dba',
  'fka',
  'aka',
  // addresses
  'st',
  'ste',
  'ave',
  'av',
  'blvd',
  'rd',
  'hwy',
  'pkwy',
  'ln',
  'ct',
  'pl',
  'sq',
  'apt',
  'fl',
  'bldg',
  'mt',
  'ft',
  'jln',
  'tmn',
  'bt',
  // months and days
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'mon',
  'tue',
  'tues',
  'wed',
  'thu',
  'thur',
  'thurs',
  'fri',
  'sat',
  'sun',
]);

/**
 * Currency codes split off a number glued to them (`RM9.00` → `RM`, `9.00`), so the amount
 * has the same token as when a space is present. Upper-case only: `Rs`/`Rp` are the
 * customary spellings. Longer codes first so `RMB` wins over `RM`.
 */
const CURRENCY_PREFIX =
  /(?:RMB|RM|USD|EUR|GBP|SGD|MYR|AUD|CAD|CHF|JPY|CNY|HKD|INR|NZD|IDR|THB|KRW|Rs|Rp)(?=[-\u2212]?\d)/y;

const URL_PATTERN = /(?:https?:\/\/|ftp:\/\/|www\.)[^\s\u00ad\u200b-\u200d<>"'“”‘’«»()[\]{}|\\^`]{1,2048}/iuy;
const URL_TRAILING = /[.,;:!?*]/;
const EMAIL =
  /[\p{L}\p{N}_%+-](?:[\p{L}\p{N}._%+-]{0,63})@[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62})(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62})){1,8}/uy;
// A bare domain needs a well-known TLD, or "acme.The" would become one token.
const DOMAIN =
  /[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,62}\.){1,6}(?:com|org|net|gov|edu|info|biz|io)(?:\.[a-z]{2})?(?![\p{L}\p{N}])(?:\/[^\s\u00ad\u200b-\u200d<>"'“”‘’«»()[\]{}|\\^`]{0,2048})?/iuy;
/** `U.S.`, `e.g.`, `L.L.C.`, `U.S.A` (final letter without its dot). */
const LETTER_DOTS = /(?:\p{L}\.){2,10}(?:\p{L}(?![\p{L}\p{M}\p{N}]))?/uy;
/** Sub-clause suffix of a section number: `12.3(b)`, `2(a)(iii)`, `5(1)`. */
const SECTION_SUFFIX = /(?:\((?:[a-z]|[ivxlc]{2,6}|[A-Z]|\d{1,3})\))+/y;

const MAX_RUN = 64;
const MAX_ABBREVIATION = 8;

// ---------------------------------------------------------------------------------------
// Tokenizer

/**
 * Splits `text` into tokens: sorted, non-overlapping, covering every character that is not
 * whitespace, never containing whitespace and never splitting a surrogate pair.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  // Position of the next '@' at or after the cursor, so e-mail is only tried near one.
  let nextAt = -1;
  let i = 0;
  for (;;) {
    while (i < n && isSpaceCode(text.charCodeAt(i))) i++;
    if (i >= n) break;
    if (nextAt < i && nextAt !== n) {
      nextAt = text.indexOf('@', i);
      if (nextAt < 0) nextAt = n;
    }
    let end = scanToken(text, i, nextAt);
    // Combining marks belong to the character before them (`é` spelled e + U+0301). Words
    // already include theirs; astral marks are too rare to pay a regex per emoji for.
    const after = text.charCodeAt(end);
    if (after >= 0x300 && (after < 0xd800 || after > 0xdfff)) {
      const marked = testAt(MARKS, text, end);
      if (marked > 0) end = marked;
    }
    tokens.push({ text: text.slice(i, end), start: i, end });
    i = end;
  }
  return tokens;
}

/** End of the token starting at `i` (a non-space code point). */
function scanToken(text: string, i: number, nextAt: number): number {
  const c = text.charCodeAt(i);

  if (c === 0x68 || c === 0x48 || c === 0x66 || c === 0x46 || c === 0x77 || c === 0x57) {
    const url = scanUrl(text, i);
    if (url > 0) return url;
  }

  const first = wordCharEnd(text, i);
  if (first > 0) {
    // Each special shape is tried only where its cheap precondition holds.
    if (nextAt - i <= 64) {
      const email = testAt(EMAIL, text, i);
      if (email > 0) return email;
    }
    if (c >= 0x41 && c <= 0x5a) {
      const currency = testAt(CURRENCY_PREFIX, text, i);
      if (currency > 0) return currency;
    }
    if (text.charCodeAt(first) === 0x2e) {
      const dotted = testAt(LETTER_DOTS, text, i);
      if (dotted > 0) return dotted;
    }
    return scanWord(text, i);
  }

  // A sign directly before a digit is part of the number (-5.59); "a - b" keeps it apart.
  if ((c === 0x2d || c === 0x2212) && isDigitAt(text, i + 1)) return scanWord(text, i + 1);

  // Possessive 's glued to a word (Company's → Company 's); the word scan stopped here.
  if ((c === 0x27 || c === 0x2019) && i > 0 && !isSpaceAt(text, i - 1) && isPossessive(text, i)) {
    return i + 2;
  }

  // A run of the same punctuation (..., ----, ****) is one token, capped.
  if (!isHighSurrogate(c) && !isLowSurrogate(c) && text.charCodeAt(i + 1) === c) {
    let e = i + 2;
    const limit = Math.min(text.length, i + MAX_RUN);
    while (e < limit && text.charCodeAt(e) === c) e++;
    return e;
  }

  return codePointEnd(text, i);
}

function scanUrl(text: string, i: number): number {
  const end = testAt(URL_PATTERN, text, i);
  return end < 0 ? -1 : trimUrl(text, i, end);
}

/** Sentence punctuation after a URL or domain is not part of it. */
function trimUrl(text: string, start: number, end: number): number {
  while (end > start && URL_TRAILING.test(text[end - 1])) end--;
  return end;
}

/** An ASCII capital at `i`. */
function isUpperAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 0x41 && c <= 0x5a;
}

/** `'s` / `’s` ending a word: apostrophe, s, then no more letters. */
function isPossessive(text: string, i: number): boolean {
  const s = text.charCodeAt(i + 1);
  return (s === 0x73 || s === 0x53) && !isWordAt(text, i + 2);
}

function scanSegment(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      // ASCII inline: this loop sees most characters of a document.
      if (ASCII_CLASS[c] < DIGIT) return i;
      i++;
    } else {
      const e = testAt(WORD_CHAR, text, i);
      if (e < 0) return i;
      i = e;
    }
  }
  return i;
}

/**
 * A word: letter/digit segments joined by single hyphens (third-party, 10-Q, 2024-05-12),
 * by `. , : /` between digits (1,250,000.00, 1.234,56, 12/05/2024, 8:13:39), by an
 * apostrophe between letters (O'Brien) and by `&` between capitals (AT&T), then an optional
 * sub-clause suffix, a trailing hyphen before a line break (agree-) or an abbreviation period.
 */
function scanWord(text: string, start: number): number {
  let e = scanSegment(text, start);
  for (;;) {
    const c = text.charCodeAt(e);
    if ((c === 0x2d || c === 0x2010 || c === 0x2011) && isWordAt(text, e + 1)) {
      e = scanSegment(text, e + 1);
    } else if (
      (c === 0x2e || c === 0x2c || c === 0x3a || c === 0x2f) &&
      isDigitAt(text, e - 1) &&
      isDigitAt(text, e + 1)
    ) {
      e = scanSegment(text, e + 1);
    } else if ((c === 0x27 || c === 0x2019) && isWordAt(text, e + 1) && !isPossessive(text, e)) {
      e = scanSegment(text, e + 1);
    } else if (c === 0x26 && isUpperAt(text, e - 1) && isUpperAt(text, e + 1)) {
      // AT&T, R&D, S&P: one name, as "Procter & Gamble" with spaces is three words
      e = scanSegment(text, e + 1);
    } else {
      break;
    }
  }

  const next = text.charCodeAt(e);
  if (next === 0x28 && isDigitAt(text, e - 1)) {
    const suffix = testAt(SECTION_SUFFIX, text, e);
    if (suffix > 0) return suffix;
  }
  if (next === 0x2d && (e + 1 >= text.length || isSpaceAt(text, e + 1))) return e + 1;
  if (next === 0x2e) {
    if (isWordAt(text, e + 1)) {
      const domain = testAt(DOMAIN, text, start);
      if (domain > e) return trimUrl(text, start, domain);
    }
    // The period must stand alone: in "AMT......" the dots are a leader, not a period.
    if (text.charCodeAt(e + 1) !== 0x2e && isAbbreviation(text, start, e)) return e + 1;
  }
  return e;
}

/** Whether the word `text[start, end)`, followed by '.', keeps that period. */
function isAbbreviation(text: string, start: number, end: number): boolean {
  if (end - start > MAX_ABBREVIATION) return false;
  // A single capital initial (J. Smith) starts a word: not the T of "AT&T.", and not
  // followed by a number (Schedule A.1).
  if (testAt(UPPER_CHAR, text, start) === end) {
    return startsWord(text, start) && !isDigitAt(text, end + 1);
  }
  return ABBREVIATIONS.has(text.slice(start, end).toLowerCase());
}

const WORD_OPENERS = '([{"\'“‘«';

/** Whether `start` follows whitespace, an opening bracket or quote, or the text start. */
function startsWord(text: string, start: number): boolean {
  return start === 0 || isSpaceAt(text, start - 1) || WORD_OPENERS.includes(text[start - 1]);
}

// ---------------------------------------------------------------------------------------
// Sentences

/** Longest sentence splitSentences returns; longer ones are cut. */
const MAX_SENTENCE_TOKENS = 200;
/** A line with at most this many tokens may end a sentence at a single newline. */
const SHORT_LINE_TOKENS = 8;

/** `.`, or `?`/`!` and their runs; a run of dots is a leader (TOTAL.....) or ellipsis. */
const TERMINAL = /^(?:\.|[?!]+)$/;
const CLOSERS = new Set(['"', "'", '”', '’', '»', ')', ']', '}']);
const OPENERS = new Set(['"', "'", '“', '‘', '«', '(', '[', '{']);
/** Words and marks after which a line continues on the next line. */
const CONTINUATIONS = new Set([
  ',',
  ':',
  ';',
  '&',
  '/',
  '-',
  'and',
  'or',
  'nor',
  'but',
  'of',
  'the',
  'a',
  'an',
  'to',
  'in',
  'on',
  'at',
  'for',
  'with',
  'by',
  'from',
  'as',
  'that',
  'which',
  'whose',
  'under',
]);
const ENUMERATOR = /^\d{1,3}(?:\.\d{1,3}){0,3}$/;

/**
 * Groups tokens into sentences. A sentence ends:
 * - after `.`/`?`/`!` (plus closing quotes or brackets glued to it) when whitespace follows
 *   and the next token starts with an upper-case letter, a digit or an opening quote or
 *   bracket. Abbreviations and initials keep their period inside the token, so they never
 *   end a sentence; numbers keep inner dots, so neither do decimals. A list number such as
 *   "1." or "2.1." at the start of a line or sentence, or after ":"/";", does not end one.
 * - at a blank line (two or more line breaks between tokens).
 * - at a single line break after a short line (≤ 8 tokens) that does not end with a comma,
 *   colon, hyphen or conjunction/preposition, when the next line does not start lower-case:
 *   receipts and lists put one item per line, while wrapped prose has long lines or
 *   continues in lower case.
 * - after 200 tokens, so the model never sees unbounded lengths.
 */
export function splitSentences(text: string, tokens: Token[]): Sentence[] {
  const sentences: Sentence[] = [];
  let sentenceStart = 0;
  let lineStart = 0;

  const close = (end: number): void => {
    sentences.push({
      start: tokens[sentenceStart].start,
      end: tokens[end - 1].end,
      tokenStart: sentenceStart,
      tokenEnd: end,
    });
    sentenceStart = end;
  };

  for (let k = 0; k < tokens.length; k++) {
    const next = k + 1;
    if (next === tokens.length) {
      close(next);
      break;
    }
    const breaks = countLineBreaks(text, tokens[k].end, tokens[next].start);
    let split = false;
    if (breaks >= 2) {
      split = true;
    } else if (endsSentence(text, tokens, k, sentenceStart, lineStart)) {
      split = true;
    } else if (breaks === 1 && next - lineStart <= SHORT_LINE_TOKENS) {
      split =
        !CONTINUATIONS.has(tokens[k].text.toLowerCase()) &&
        !tokens[k].text.endsWith('-') &&
        !startsLowerCase(text, tokens[next]);
    }
    if (breaks > 0) lineStart = next;
    if (split || next - sentenceStart >= MAX_SENTENCE_TOKENS) close(next);
  }
  return sentences;
}

/**
 * Token index ranges [start, end) of `tokens` (a run of tokens of `text`) that no blank line
 * separates: an entity never spans a paragraph break (2 of CUAD's and SROIE's 55,173 gold
 * spans do), though a window of the network may hold several paragraphs.
 */
export function paragraphRuns(text: string, tokens: readonly Token[]): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  let start = 0;
  for (let k = 1; k < tokens.length; k++) {
    if (countLineBreaks(text, tokens[k - 1].end, tokens[k].start) >= 2) {
      runs.push([start, k]);
      start = k;
    }
  }
  if (tokens.length > 0) runs.push([start, tokens.length]);
  return runs;
}

/** Line breaks in `text[from, to)`; CRLF counts once, a paragraph separator twice. */
export function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x2028) count++;
    else if (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a) count++;
    else if (c === 0x2029) count += 2;
  }
  return count;
}

/** Whether sentence-final punctuation ends the sentence after token `k`. */
function endsSentence(text: string, tokens: Token[], k: number, sentenceStart: number, lineStart: number): boolean {
  // Step back over closing quotes/brackets glued to the punctuation: `."` or `.)`.
  let p = k;
  while (p > sentenceStart && CLOSERS.has(tokens[p].text) && tokens[p - 1].end === tokens[p].start) {
    p--;
  }
  if (!TERMINAL.test(tokens[p].text)) return false;
  // `k` must be the last glued closer, and whitespace must follow it.
  const next = tokens[k + 1];
  if (next.start === tokens[k].end) return false;
  if (tokens[p].text === '.' && p > sentenceStart && isEnumerator(tokens, p - 1, sentenceStart, lineStart)) {
    return false;
  }
  return startsSentence(text, next);
}

/** "1" or "2.1" right before a '.', opening a line or sentence or following ':' / ';'. */
function isEnumerator(tokens: Token[], k: number, sentenceStart: number, lineStart: number): boolean {
  if (!ENUMERATOR.test(tokens[k].text) || tokens[k].end !== tokens[k + 1].start) return false;
  if (k === sentenceStart || k === lineStart) return true;
  const before = tokens[k - 1].text;
  return before === ':' || before === ';';
}

function startsSentence(text: string, token: Token): boolean {
  const c = token.text.charCodeAt(0);
  if (c >= 0x30 && c <= 0x39) return true;
  if (OPENERS.has(token.text)) return true;
  return testAt(UPPER_CHAR, text, token.start) > 0;
}

function startsLowerCase(text: string, token: Token): boolean {
  return testAt(LOWER_CHAR, text, token.start) > 0;
}

// ---------------------------------------------------------------------------------------
// Windows

/**
 * Groups consecutive sentences into windows of at most `maxTokens` tokens, in order. A
 * sentence longer than `maxTokens` becomes windows of `maxTokens` tokens (the last one
 * shorter); exact character offsets for those pieces need `tokens`, the array the
 * sentences index into, so it is required when such a sentence occurs.
 */
export function chunkSentences(sentences: Sentence[], maxTokens: number, tokens?: readonly Token[]): Sentence[] {
  if (!Number.isInteger(maxTokens) || maxTokens < 1) {
    throw new RangeError(`maxTokens must be a positive integer, got ${maxTokens}`);
  }
  const windows: Sentence[] = [];
  let open: Sentence | undefined;

  for (const s of sentences) {
    const size = s.tokenEnd - s.tokenStart;
    if (size > maxTokens) {
      if (open) windows.push(open);
      open = undefined;
      cutSentence(s, maxTokens, tokens, windows);
      continue;
    }
    if (open && s.tokenEnd - open.tokenStart <= maxTokens) {
      open = { start: open.start, end: s.end, tokenStart: open.tokenStart, tokenEnd: s.tokenEnd };
    } else {
      if (open) windows.push(open);
      open = { ...s };
    }
  }
  if (open) windows.push(open);
  return windows;
}

function cutSentence(s: Sentence, maxTokens: number, tokens: readonly Token[] | undefined, out: Sentence[]): void {
  if (!tokens) {
    throw new Error(
      `chunkSentences: a sentence has ${s.tokenEnd - s.tokenStart} tokens (> ${maxTokens}); ` +
        'pass the tokens array so it can be cut with exact offsets',
    );
  }
  for (let from = s.tokenStart; from < s.tokenEnd; from += maxTokens) {
    const to = Math.min(from + maxTokens, s.tokenEnd);
    out.push({ start: tokens[from].start, end: tokens[to - 1].end, tokenStart: from, tokenEnd: to });
  }
}
