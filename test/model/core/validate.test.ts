// The one validator style: what each validator accepts and refuses, the one sentence it says
// ("<at> must be <what>, found <what it is>"), how values are described, and the paths that
// nested arrays and objects build.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  arrayOf,
  bool,
  describeValue,
  int,
  must,
  nat,
  nonEmptyStr,
  nullable,
  num,
  object,
  oneOf,
  optional,
  str,
  validated,
  type Validator,
} from '../../../src/model/core/validate';

describe('describeValue', () => {
  test('names every JSON value, and absence', () => {
    assert.equal(describeValue(undefined), 'nothing');
    assert.equal(describeValue(null), 'null');
    assert.equal(describeValue([1, 2]), 'an array');
    assert.equal(describeValue({ a: 1 }), 'an object');
    assert.equal(describeValue(''), 'an empty string');
    assert.equal(describeValue('2'), 'the string "2"');
    assert.equal(describeValue(5), 'the number 5');
    assert.equal(describeValue(0.5), 'the number 0.5');
    assert.equal(describeValue(NaN), 'the number NaN');
    assert.equal(describeValue(true), 'the boolean true');
    assert.equal(describeValue(false), 'the boolean false');
    assert.equal(describeValue(10n), 'a bigint');
  });

  test('cuts a long string at 40 characters and keeps it on one line', () => {
    assert.equal(describeValue('x'.repeat(41)), `the string "${'x'.repeat(40)}…"`);
    assert.equal(describeValue('x'.repeat(40)), `the string "${'x'.repeat(40)}"`);
    const hostile = describeValue('a\nb\u001b[31m\u202e');
    assert.equal(hostile, 'the string "a\\nb\\u001b[31m\\u202e"');
    assert.doesNotMatch(hostile, /[\n\u001b\u202e]/);
  });
});

describe('the primitive validators', () => {
  const cases: Array<[string, Validator<unknown>, unknown[], unknown[], string]> = [
    ['str', str, ['', 'a'], [5, null, undefined, [], {}], 'a string'],
    ['nonEmptyStr', nonEmptyStr, ['a', ' '], ['', 5, null], 'a non-empty string'],
    ['num', num, [0, -1.5, 1e300], [NaN, Infinity, -Infinity, '1', null], 'a finite number'],
    ['int', int, [0, -3, 2 ** 40], [0.5, NaN, Infinity, '1', true], 'an integer'],
    ['nat', nat, [0, 7], [-1, 1.5, NaN, '0', null], 'a whole number ≥ 0'],
    ['bool', bool, [true, false], [0, 'true', null], 'true or false'],
  ];
  for (const [name, validator, good, bad, what] of cases) {
    test(`${name} accepts ${good.map(String).join(', ')} and refuses the rest with "must be ${what}"`, () => {
      for (const v of good) assert.equal(validator(v, 'x'), undefined, String(v));
      for (const v of bad) assert.equal(validator(v, 'x'), `x must be ${what}, found ${describeValue(v)}`);
    });
  }

  test('the messages read as one sentence with the path first', () => {
    assert.equal(int(0.5, 'spans[0].start'), 'spans[0].start must be an integer, found the number 0.5');
    assert.equal(str(5, '"text"'), '"text" must be a string, found the number 5');
    assert.equal(nonEmptyStr(undefined, 'spans[0].label'), 'spans[0].label must be a non-empty string, found nothing');
  });

  test('must builds a validator in the same style from any test', () => {
    const even = must('an even number', (v): v is number => typeof v === 'number' && v % 2 === 0);
    assert.equal(even(4, 'n'), undefined);
    assert.equal(even(3, 'n'), 'n must be an even number, found the number 3');
  });
});

describe('oneOf, nullable, optional', () => {
  test('oneOf lists its values quoted, and refuses anything else', () => {
    const action = oneOf(['accept', 'relabel', 'remove'] as const);
    assert.equal(action('relabel', 'action'), undefined);
    assert.equal(
      action('delete', 'action'),
      'action must be "accept", "relabel" or "remove", found the string "delete"',
    );
    assert.equal(oneOf(['ready'] as const)('go', 'type'), 'type must be "ready", found the string "go"');
    assert.equal(oneOf(['a', 'b'] as const)(1, 't'), 't must be "a" or "b", found the number 1');
    // an inherited property name is not one of the values
    assert.notEqual(oneOf(['a'] as const)('toString', 't'), undefined);
  });

  test('nullable lets null through but not absence; optional lets both through', () => {
    assert.equal(nullable(str)(null, 'x'), undefined);
    assert.equal(nullable(str)(undefined, 'x'), 'x must be a string, found nothing');
    assert.equal(nullable(str)(3, 'x'), 'x must be a string, found the number 3');
    assert.equal(optional(nonEmptyStr)(undefined, 'x'), undefined);
    assert.equal(optional(nonEmptyStr)(null, 'x'), undefined);
    assert.equal(optional(nonEmptyStr)('', 'x'), 'x must be a non-empty string, found an empty string');
  });
});

describe('arrayOf and object', () => {
  interface Span {
    start: number;
    end: number;
    label: string;
  }
  const span = object<Span>({ start: nat, end: nat, label: str });

  test('arrayOf checks every item under its index and refuses more than its maximum', () => {
    const spans = arrayOf(span, 3);
    assert.equal(spans([], 'spans'), undefined);
    assert.equal(spans([{ start: 0, end: 1, label: 'A' }], 'spans'), undefined);
    assert.equal(spans({}, 'spans'), 'spans must be an array, found an object');
    assert.equal(
      spans([{ start: 0, end: 1, label: 'A' }, 5], 'spans'),
      'spans[1] must be an object, found the number 5',
    );
    assert.equal(
      spans(
        [
          { start: 0, end: 1, label: 'A' },
          { start: -1, end: 1, label: 'A' },
        ],
        'spans',
      ),
      'spans[1].start must be a whole number ≥ 0, found the number -1',
    );
    assert.equal(
      spans([1, 2, 3, 4], 'spans'),
      'spans must be an array of at most 3 items, found 4 items',
      'the length is checked before any item',
    );
  });

  test('object checks its fields in order and names the first bad one', () => {
    assert.equal(span({ start: 0, end: 2, label: 'A', extra: true }, 'm'), undefined, 'other keys are allowed');
    assert.equal(span({ start: 0.5, end: 'x' }, 'm'), 'm.start must be a whole number ≥ 0, found the number 0.5');
    assert.equal(span({ start: 0, end: 2 }, 'm'), 'm.label must be a string, found nothing');
    for (const v of [null, [], 'a', 3]) {
      assert.equal(span(v, 'm'), `m must be an object, found ${describeValue(v)}`);
    }
  });

  test('object reads own properties only: an inherited one counts as absent', () => {
    const shape = object<{ constructor: string }>({ constructor: str });
    assert.equal(shape({}, 'm'), 'm.constructor must be a string, found nothing');
    assert.equal(
      shape(Object.create({ constructor: 'inherited' }), 'm'),
      'm.constructor must be a string, found nothing',
    );
    assert.equal(shape({ constructor: 'own' }, 'm'), undefined);
  });

  test('nested shapes build the whole path', () => {
    const message = object<{ data: { items: Span[] } }>({ data: object({ items: arrayOf(span) }) });
    assert.equal(
      message({ data: { items: [{ start: 0, end: 1, label: 7 }] } }, 'trainingSet'),
      'trainingSet.data.items[0].label must be a string, found the number 7',
    );
  });
});

describe('validated', () => {
  test('returns the value when it fits and throws the reader’s own error when not', () => {
    class LineError extends Error {}
    const fail = (problem: string): Error => new LineError(problem);
    assert.equal(validated('abc', str, '"text"', fail), 'abc');
    assert.throws(
      () => validated(5, str, '"text"', fail),
      (e: unknown) => e instanceof LineError && e.message === '"text" must be a string, found the number 5',
    );
  });
});
