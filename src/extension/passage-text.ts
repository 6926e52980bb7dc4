// What a correction takes from the text itself: a selection without the white space at its
// ends (and nothing else: a selection that cuts a word keeps the characters selected), and
// whether a passage is too trivial to teach anything (a page number, a rule of dashes).
// Pure: no vscode, unit-tested.
import type { Range } from '../model';

/** The selected text's range without white space at its ends; undefined when it is all white space. */
export function trimSelection(text: string, start: number): Range | undefined {
  const lead = text.length - text.trimStart().length;
  const kept = text.trim().length;
  if (kept === 0) return undefined;
  return { start: start + lead, end: start + lead + kept };
}

/** A passage without a letter in any script ("1", "- 2 -", "$ 4.00", "-----") is not worth a record. */
export function isTrivialPassage(text: string): boolean {
  return !/\p{L}/u.test(text);
}
