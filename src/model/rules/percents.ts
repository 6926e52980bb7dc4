// Percentages. Span convention: the number and its sign or word — `19%`, `7.5 %`,
// `10 percent`, `6.00%`; a percentage written in words with its figures in parentheses is
// one span, closing parenthesis included: `ten percent (10%)`, `10% (ten percent)`, as for
// amounts and durations. A percentage in parentheses alone is tagged without them:
// `(10%)` → `10%`.
import { CARDINAL_WORDS, forEachMatch, LB_NUM, PRIORITY, WS0, rule, type Candidate } from './common';

const NUMBER = '\\d{1,3}(?:[.,]\\d{1,4})?';
const PERCENT_WORD = '(?:percent|per[ ]cent|pct\\.?|percentage[ ]points?)';
const WORDS = `(?:${CARDINAL_WORDS}(?:[ ]and[ ](?:one|a)[ ](?:half|quarter))?)`;

/** `19%`, `7.5 %`, `ten percent (10%)`, `10 percent (10%)`, `10% (ten percent)`. */
const PERCENT = rule(
  new RegExp(
    `${LB_NUM}(?:` +
      // words or figures, the word percent, optional figures in parentheses
      `(?:${WORDS}|${NUMBER})${WS0}${PERCENT_WORD}(?:${WS0}\\(${WS0}${NUMBER}${WS0}(?:%|${PERCENT_WORD})${WS0}\\))?` +
      // words, figures with % in parentheses, optional "percent": `ten (10%) percent`
      `|${WORDS}${WS0}\\(${WS0}${NUMBER}${WS0}%${WS0}\\)(?:${WS0}${PERCENT_WORD})?` +
      // figures with %, optional words in parentheses
      `|${NUMBER}[ \\u00a0]?%(?:${WS0}\\(${WS0}${WORDS}${WS0}${PERCENT_WORD}${WS0}\\))?` +
      `)(?![\\p{L}\\p{N}])`,
    'giu',
  ),
);

export function findPercents(text: string): Candidate[] {
  const out: Candidate[] = [];
  forEachMatch(PERCENT, text, (m) => {
    out.push({ start: m.index, end: m.index + m[0].length, label: 'PERCENT', priority: PRIORITY.PERCENT });
  });
  return out;
}
