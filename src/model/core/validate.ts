// The one way to check a value that came from outside (a JSONL line, a stream record, a message
// between the extension and its webviews): small validators that return undefined when a value
// fits and one sentence when it does not, always "<where> must be <what>, found <what it is>"
// ("spans[0].start must be an integer, found the number 0.5"). Pure TypeScript with no Node
// APIs: the webview bundles this file (through src/shared/messages.ts).
import { quoteForMessage } from './labels';

/**
 * Returns undefined when `v` fits, else one sentence naming `at` (the path to `v`). The phantom
 * `__type` lets `object<T>` check that each field's validator is for that field's type.
 */
export type Validator<T> = ((v: unknown, at: string) => string | undefined) & { readonly __type?: T };

/**
 * What a value is, for "found …": nothing (absent), null, an array, an object, an empty string,
 * the string "…" (quoted for a one-line message, cut at 40 characters), the number 5,
 * the boolean true.
 */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  switch (typeof v) {
    case 'string':
      return v === '' ? 'an empty string' : `the string ${quoteForMessage(v)}`;
    case 'number':
      return `the number ${String(v)}`;
    case 'boolean':
      return `the boolean ${String(v)}`;
    case 'object':
      return 'an object';
    default:
      return `a ${typeof v}`;
  }
}

/** A validator from a test and what passing it means ("an integer"): the one message style. */
export function must<T>(what: string, test: (v: unknown) => v is T): Validator<T> {
  return (v, at) => (test(v) ? undefined : `${at} must be ${what}, found ${describeValue(v)}`);
}

/**
 * `v` as a T when `validator` accepts it; otherwise throws the error `fail` makes of the
 * sentence (each reader has its own error class: a line number, a record id).
 */
export function validated<T>(v: unknown, validator: Validator<T>, at: string, fail: (problem: string) => Error): T {
  const problem = validator(v, at);
  if (problem !== undefined) throw fail(problem);
  return v as T;
}

export const str: Validator<string> = must('a string', (v): v is string => typeof v === 'string');
export const nonEmptyStr: Validator<string> = must(
  'a non-empty string',
  (v): v is string => typeof v === 'string' && v !== '',
);
/** a finite number (messages can carry NaN and Infinity; JSON cannot) */
export const num: Validator<number> = must(
  'a finite number',
  (v): v is number => typeof v === 'number' && Number.isFinite(v),
);
export const int: Validator<number> = must('an integer', (v): v is number => Number.isInteger(v));
/** a whole number ≥ 0 (an offset, a count) */
export const nat: Validator<number> = must(
  'a whole number ≥ 0',
  (v): v is number => Number.isInteger(v) && (v as number) >= 0,
);
export const bool: Validator<boolean> = must('true or false', (v): v is boolean => typeof v === 'boolean');

/** One of a few strings: `"a"`, `"a" or "b"`, `"a", "b" or "c"`. */
export function oneOf<T extends string>(values: readonly T[]): Validator<T> {
  const quoted = values.map((s) => JSON.stringify(s));
  const what = quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}` : quoted[0];
  return must(what, (v): v is T => typeof v === 'string' && (values as readonly string[]).includes(v));
}

/** null, or what `inner` accepts. */
export function nullable<T>(inner: Validator<T>): Validator<T | null> {
  return (v, at) => (v === null ? undefined : inner(v, at));
}

/** Absent (undefined or null: converters written in Python often emit null), or what `inner` accepts. */
export function optional<T>(inner: Validator<T>): Validator<T | null | undefined> {
  return (v, at) => (v === undefined || v === null ? undefined : inner(v, at));
}

/** An array of at most `max` items, each accepted by `inner` (checked as `<at>[i]`). */
export function arrayOf<T>(inner: Validator<T>, max = 100_000): Validator<T[]> {
  return (v, at) => {
    if (!Array.isArray(v)) return `${at} must be an array, found ${describeValue(v)}`;
    if (v.length > max) return `${at} must be an array of at most ${max} items, found ${v.length} items`;
    for (let i = 0; i < v.length; i++) {
      const problem = inner(v[i], `${at}[${i}]`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
}

/**
 * An object whose fields (own properties, checked as `<at>.<key>` in the shape's order) are
 * accepted by their validators; other keys are allowed. Every key of T must have a validator:
 * the compiler keeps the shape and the type in step.
 */
export function object<T>(shape: { [K in keyof T]-?: Validator<T[K]> }): Validator<T> {
  const keys = Object.keys(shape) as Array<keyof T & string>;
  return (v, at) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      return `${at} must be an object, found ${describeValue(v)}`;
    }
    for (const key of keys) {
      const field = Object.prototype.hasOwnProperty.call(v, key) ? (v as Record<string, unknown>)[key] : undefined;
      const problem = shape[key](field, `${at}.${key}`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
}
