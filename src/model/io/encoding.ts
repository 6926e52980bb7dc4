// Which character encoding a document's bytes are in, and the text they decode to. UTF-8 (a
// BOM is dropped) is the rule; UTF-16 with a byte-order mark and 8-bit Windows-1252 text
// (a superset of Latin-1, what older Windows tools save) are decoded too, with a notice saying
// so, since offsets then count UTF-16 code units of the decoded text, not bytes of the file.
// Bytes that are none of these give a reason, worded to follow "<file>: ", for the caller's
// error. Pure functions: reading files and sniffing for binaries stay in files.ts.

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
  /** for anything but UTF-8: one sentence saying what the bytes were read as */
  notice?: string;
}

export type DecodeResult = ({ ok: true } & DecodedText) | { ok: false; reason: string };

/** The UTF-16 byte order a buffer's byte-order mark announces, or null. */
export function utf16ByteOrder(bytes: Uint8Array): 'le' | 'be' | null {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'le';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'be';
  return null;
}

/** Decodes a document's bytes: UTF-16 by its BOM, else UTF-8, else Windows-1252 if it reads like 8-bit text. */
export function decodeBytes(bytes: Uint8Array): DecodeResult {
  const order = utf16ByteOrder(bytes);
  if (order) return decodeUtf16(bytes, order);
  try {
    // ignoreBOM: false (the default) drops a leading UTF-8 BOM
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    // not UTF-8: below
  }
  const offset = firstInvalidUtf8(bytes);
  const byte = bytes[offset]?.toString(16).toUpperCase().padStart(2, '0') ?? '??';
  const problem = looksLike8BitText(bytes);
  if (problem === null) {
    return {
      ok: true,
      text: decodeWindows1252(bytes),
      encoding: 'windows-1252',
      notice:
        `not UTF-8 (byte 0x${byte} at byte offset ${offset}); read as Windows-1252 (Latin-1). ` +
        'Offsets count characters of the decoded text; re-save the file as UTF-8 if the accents look wrong.',
    };
  }
  return {
    ok: false,
    reason: `the file is not valid UTF-8 (byte 0x${byte} at byte offset ${offset}) and ${problem}; re-save it with UTF-8 encoding`,
  };
}

function decodeUtf16(bytes: Uint8Array, order: 'le' | 'be'): DecodeResult {
  if (bytes.length % 2 !== 0) {
    return { ok: false, reason: 'the file is UTF-16 but has an odd number of bytes; it is probably cut off' };
  }
  // swap BE into LE ourselves: a 'utf-16be' TextDecoder needs Node's full ICU build
  const le = order === 'le' ? bytes : Buffer.from(bytes).swap16();
  try {
    // the decoder drops the BOM itself
    const text = new TextDecoder('utf-16le', { fatal: true }).decode(le);
    const name = order === 'le' ? 'UTF-16LE' : 'UTF-16BE';
    return {
      ok: true,
      text,
      encoding: order === 'le' ? 'utf-16le' : 'utf-16be',
      notice: `read as ${name} (the file starts with its byte-order mark); offsets count characters of the decoded text, not bytes.`,
    };
  } catch {
    return { ok: false, reason: 'the file starts like UTF-16 but contains invalid characters; re-save it as UTF-8' };
  }
}

/** Byte offset of the first byte that does not start a valid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const n = utf8SequenceLength(b, i);
    if (n === 0) return i;
    i += n;
  }
  return -1;
}

/** Length of the valid UTF-8 sequence starting at i (1 for ASCII), or 0 if there is none. */
function utf8SequenceLength(b: Uint8Array, i: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  // ranges from the WHATWG decoder: they exclude overlongs, surrogates and > U+10FFFF
  let need: number;
  let lower = 0x80;
  let upper = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) need = 1;
  else if (c >= 0xe0 && c <= 0xef) {
    need = 2;
    if (c === 0xe0) lower = 0xa0;
    if (c === 0xed) upper = 0x9f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    need = 3;
    if (c === 0xf0) lower = 0x90;
    if (c === 0xf4) upper = 0x8f;
  } else return 0;
  for (let k = 1; k <= need; k++) {
    const d = b[i + k];
    if (d === undefined || d < lower || d > upper) return 0;
    lower = 0x80;
    upper = 0xbf;
  }
  return need + 1;
}

/** Bytes 0x80-0x9F in Windows-1252 (WHATWG's table); the five it leaves undefined map to the C1 control of that value. */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d,
  0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d,
  0x017e, 0x0178,
];
const CP1252_UNDEFINED = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

/** Windows-1252 bytes as text: one UTF-16 code unit per byte. */
export function decodeWindows1252(bytes: Uint8Array): string {
  const codes = new Uint16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    codes[i] = b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] : b;
  }
  let out = '';
  for (let i = 0; i < codes.length; i += 8192) out += String.fromCharCode(...codes.subarray(i, i + 8192));
  return out;
}

/**
 * Null when bytes that are not UTF-8 read like 8-bit Western text (accented letters here and
 * there among ASCII), else why not, as a phrase: UTF-8 with damaged bytes (it also holds valid
 * multi-byte sequences), bytes Windows-1252 leaves undefined, or runs of high bytes typical of
 * double-byte encodings (Shift-JIS, GBK, Big5), which would decode to nonsense.
 */
export function looksLike8BitText(bytes: Uint8Array): string | null {
  let high = 0;
  let inRuns = 0;
  let validMultiByte = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b < 0x80) continue;
    high++;
    if (CP1252_UNDEFINED.has(b)) return `byte 0x${b.toString(16).toUpperCase()} is not a Windows-1252 character either`;
    const n = utf8SequenceLength(bytes, i);
    if (n > 1) {
      validMultiByte++;
      i += n - 1;
      high += n - 1;
      continue;
    }
    if ((i > 0 && bytes[i - 1] >= 0x80) || (i + 1 < bytes.length && bytes[i + 1] >= 0x80)) inRuns++;
  }
  if (validMultiByte > 0) return 'it mixes UTF-8 characters with other bytes (a damaged or concatenated file)';
  if (high > 0 && inRuns / high > 0.5)
    return 'it does not read as Windows-1252 (Latin-1) either (a multi-byte encoding such as Shift-JIS or GBK?)';
  return null;
}
