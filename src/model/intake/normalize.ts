// Characters of PDF text layers and OCR output that the tokenizer should not see: ligature
// glyphs (ﬁ → fi), no-break and other odd spaces (→ a plain space), zero-width characters, soft
// hyphens inside a word and control characters (removed). Line-end hyphenation is joined by the
// text builder, which knows where lines end.

const LIGATURES: Record<string, string> = {
  '\ufb00': 'ff',
  '\ufb01': 'fi',
  '\ufb02': 'fl',
  '\ufb03': 'ffi',
  '\ufb04': 'ffl',
  '\ufb05': 'st',
  '\ufb06': 'st',
};

const ODD_SPACE = /[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t]/g;
// zero-width space / non-joiner / joiner, word joiner, BOM, and C0/C1 controls except \n
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

/** `s` as the tokenizer expects it; a soft hyphen is kept only at the very end (a line-end hyphen). */
export function normalizeExtracted(s: string): string {
  let out = s.replace(/[\ufb00-\ufb06]/g, (c) => LIGATURES[c]);
  out = out.replace(ODD_SPACE, ' ').replace(INVISIBLE, '');
  // soft hyphens: invisible inside a word; at the end they mark a line-end break like '-'
  const trailing = out.endsWith('\u00ad');
  out = out.replace(/\u00ad/g, '');
  return trailing ? `${out}-` : out;
}
