// Glob patterns as settings use them (entityLens.include / exclude, like files.exclude): `*` any
// characters within a path segment, `?` one such character, `**` any number of segments (also
// none), `{a,b}` alternatives (nested too), `[a-z]` / `[!a-z]` character classes; `/` separates
// segments. Matched in linear time, whatever the pattern: it is compiled to a nondeterministic
// automaton once and a path is read character by character with the set of states it may be in
// (Thompson's construction), so the work is at most (path length + 1) × (states), never the
// exponential or polynomial search of a backtracking regular expression. A workspace can set
// these patterns, also an untrusted one: `**/*a*a*a*a*a*a*a*b` on a 48-character name made
// VS Code's own glob-to-regex matcher (and the extension's earlier one) search for minutes.

/** What one state reads to move on; `null` for an ε move (consumes nothing). */
type Test = null | { kind: 'char'; ch: string } | { kind: 'any'; slash: boolean } | ClassTest;
interface ClassTest {
  kind: 'class';
  negated: boolean;
  ranges: Array<[number, number]>;
}

interface State {
  /** moves on a character */
  on: Array<{ test: Exclude<Test, null>; to: number }>;
  /** ε moves */
  eps: number[];
}

export interface Glob {
  readonly pattern: string;
  /** whether `path` (segments separated by `/`) matches the whole pattern */
  matches(path: string): boolean;
  /** states of the automaton (the per-character work is at most this) */
  readonly states: number;
}

/** Longest pattern accepted: far above any real glob, and it bounds the automaton. */
export const MAX_GLOB_LENGTH = 4096;

/** Compiles a glob; throws a TypeError for a pattern longer than MAX_GLOB_LENGTH. */
export function compileGlob(pattern: string): Glob {
  if (pattern.length > MAX_GLOB_LENGTH) {
    throw new TypeError(`a glob pattern is ${pattern.length} characters long, more than ${MAX_GLOB_LENGTH}`);
  }
  const nfa = new Builder(pattern);
  const start = nfa.state();
  const end = nfa.sequence(start, 0, false).state;
  return {
    pattern,
    states: nfa.states.length,
    matches: (path) => run(nfa.states, start, end, path),
  };
}

class Builder {
  readonly states: State[] = [];
  constructor(private readonly p: string) {}

  state(): number {
    this.states.push({ on: [], eps: [] });
    return this.states.length - 1;
  }

  private move(from: number, test: Exclude<Test, null>): number {
    const to = this.state();
    this.states[from].on.push({ test, to });
    return to;
  }

  private eps(from: number, to: number): void {
    this.states[from].eps.push(to);
  }

  /**
   * Reads pattern characters from `i` into states after `from`, up to the end, or inside braces
   * up to the `,` or `}` that ends the alternative. Returns the last state and where it stopped.
   */
  sequence(from: number, i: number, inBraces: boolean): { state: number; at: number } {
    const p = this.p;
    let cur = from;
    while (i < p.length) {
      const ch = p[i];
      if (inBraces && (ch === ',' || ch === '}')) break;
      if (ch === '*') {
        let j = i;
        while (p[j] === '*') j++;
        const atSegmentStart = i === 0 || p[i - 1] === '/';
        const atSegmentEnd = j === p.length || p[j] === '/' || (inBraces && (p[j] === ',' || p[j] === '}'));
        if (j - i >= 2 && atSegmentStart && atSegmentEnd) {
          cur = this.globstar(cur, p[j] === '/');
          i = p[j] === '/' ? j + 1 : j;
          continue;
        }
        // * (and ** inside a segment): any characters but `/`
        const loop = this.state();
        this.eps(cur, loop);
        this.states[loop].on.push({ test: { kind: 'any', slash: false }, to: loop });
        cur = loop;
        i = j;
        continue;
      }
      if (ch === '?') {
        cur = this.move(cur, { kind: 'any', slash: false });
        i++;
        continue;
      }
      if (ch === '[') {
        const parsed = parseClass(p, i);
        if (parsed) {
          cur = this.move(cur, parsed.test);
          i = parsed.end;
          continue;
        }
      }
      if (ch === '{') {
        const join = this.state();
        let at = i + 1;
        let closed = false;
        for (;;) {
          const alt = this.state();
          this.eps(cur, alt);
          const r = this.sequence(alt, at, true);
          this.eps(r.state, join);
          at = r.at;
          if (at >= p.length) break; // no closing brace: what was read stands as alternatives
          if (p[at] === '}') {
            closed = true;
            at++;
            break;
          }
          at++; // ','
        }
        cur = join;
        i = at;
        if (!closed) break;
        continue;
      }
      // one character: a whole code point (an emoji is two UTF-16 units)
      const width = (p.codePointAt(i) as number) > 0xffff ? 2 : 1;
      cur = this.move(cur, { kind: 'char', ch: p.slice(i, i + width) });
      i += width;
    }
    return { state: cur, at: i };
  }

  /**
   * `**` as a whole segment. Followed by `/`: any number of whole segments, each with its `/`
   * (`**\/x` matches `x`, `a/x`, `a/b/x`). At the end: anything, `/` included.
   */
  private globstar(cur: number, slashAfter: boolean): number {
    const out = this.state();
    this.eps(cur, out); // no segment at all
    const inside = this.state();
    this.states[cur].on.push({ test: { kind: 'any', slash: !slashAfter }, to: inside });
    this.states[inside].on.push({ test: { kind: 'any', slash: !slashAfter }, to: inside });
    if (slashAfter) {
      // a segment is one or more characters and its `/`; then another, or what follows
      this.states[inside].on.push({ test: { kind: 'char', ch: '/' }, to: cur });
    } else {
      this.eps(inside, out);
    }
    return out;
  }
}

/** `[...]` at `i`: its test and the index after `]`, or null when there is no closing `]`. */
function parseClass(p: string, i: number): { test: ClassTest; end: number } | null {
  let j = i + 1;
  const negated = p[j] === '!' || p[j] === '^';
  if (negated) j++;
  const ranges: Array<[number, number]> = [];
  let first = true;
  while (j < p.length && (p[j] !== ']' || first)) {
    first = false;
    const lo = p.codePointAt(j) as number;
    j += lo > 0xffff ? 2 : 1;
    if (p[j] === '-' && j + 1 < p.length && p[j + 1] !== ']') {
      const hi = p.codePointAt(j + 1) as number;
      j += hi > 0xffff ? 3 : 2;
      ranges.push([Math.min(lo, hi), Math.max(lo, hi)]);
    } else ranges.push([lo, lo]);
  }
  if (j >= p.length) return null;
  return { test: { kind: 'class', negated, ranges }, end: j + 1 };
}

function accepts(test: Exclude<Test, null>, ch: string, code: number): boolean {
  switch (test.kind) {
    case 'char':
      return test.ch === ch;
    case 'any':
      return test.slash || ch !== '/';
    case 'class': {
      if (ch === '/') return false;
      const inside = test.ranges.some(([lo, hi]) => code >= lo && code <= hi);
      return inside !== test.negated;
    }
  }
}

/** Reads `path` with the set of states the automaton may be in; true if the end state is among them at the end. */
function run(states: State[], start: number, end: number, path: string): boolean {
  const n = states.length;
  // a generation stamp per state instead of clearing a set for every character
  const seen = new Int32Array(n).fill(-1);
  let current: number[] = [];
  let generation = 0;
  const add = (list: number[], s: number): void => {
    // ε closure, iteratively
    const stack = [s];
    while (stack.length > 0) {
      const x = stack.pop() as number;
      if (seen[x] === generation) continue;
      seen[x] = generation;
      list.push(x);
      for (const y of states[x].eps) if (seen[y] !== generation) stack.push(y);
    }
  };
  add(current, start);
  for (let i = 0; i < path.length;) {
    const code = path.codePointAt(i) as number;
    const width = code > 0xffff ? 2 : 1;
    const ch = path.slice(i, i + width);
    i += width;
    generation++;
    const next: number[] = [];
    for (const s of current) {
      for (const { test, to } of states[s].on) if (accepts(test, ch, code)) add(next, to);
    }
    if (next.length === 0) return false;
    current = next;
  }
  return current.includes(end);
}
