// refFormatProblem against the rules of git-check-ref-format(1), one row per rule; the property
// test in test/integration/version-consumers.test.ts asks the real git about random names.
import { refFormatProblem } from '@ci-actions/publishing/git/index.js';

const VALID = [
  'refs/tags/v1.0.42',
  'refs/tags/server/v1.0.42',
  'refs/heads/feature/login',
  'refs/tags/v.1.0.0',
  'refs/tags/a@b',
  'refs/heads/@',
  'refs/tags/фича',
  'refs/tags/x.locked',
];

const INVALID: [string, string][] = [
  ['refs/tags/v..1.0.0', 'contains ".."'],
  ['refs/tags/a//1.0.0', 'has an empty component (a leading, trailing or doubled "/")'],
  ['/refs/tags/v1', 'has an empty component (a leading, trailing or doubled "/")'],
  ['refs/tags/v1/', 'has an empty component (a leading, trailing or doubled "/")'],
  ['refs/tags/x.lock/1.0.0', 'has a component ending with ".lock" (x.lock)'],
  ['refs/tags/v1.lock', 'has a component ending with ".lock" (v1.lock)'],
  ['refs/tags/.v1.0.0', 'has a component starting with "." (.v1.0.0)'],
  ['refs/tags/v1.', 'ends with "."'],
  ['refs/tags/v 1', 'contains " "'],
  ['refs/tags/v\t1', 'contains "\\t"'],
  ['refs/tags/v\x7f1', 'contains "\\u007f"'],
  ['refs/tags/v~1', 'contains "~"'],
  ['refs/tags/v^1', 'contains "^"'],
  ['refs/tags/v:1', 'contains ":"'],
  ['refs/tags/v?1', 'contains "?"'],
  ['refs/tags/v*', 'contains "*"'],
  ['refs/tags/v[1', 'contains "["'],
  ['refs/tags/v\\1', 'contains "\\\\"'],
  ['refs/tags/v@{1', 'contains "@{"'],
  ['-refs/tags/a', 'starts with "-", which git would read as an option'],
  ['@', 'is "@"'],
  ['v1.0.0', 'has a single component (git wants at least refs/<name>)'],
  ['', 'has a single component (git wants at least refs/<name>)'],
];

describe('refFormatProblem: as git check-ref-format judges a ref', () => {
  test.each(VALID)('valid: %s', (ref) => {
    expect(refFormatProblem(ref)).toBeUndefined();
  });
  test.each(INVALID)('invalid: %j', (ref, problem) => {
    expect(refFormatProblem(ref)).toBe(problem);
  });
});
