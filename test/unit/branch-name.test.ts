// Git's branch name rules, checked against git itself: each listed name and a few hundred
// generated ones must be judged as `git check-ref-format --branch` judges them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { branchNameProblem, checkBranchName } from '@ci-actions/publishing/git/index.js';

const VALID = ['main', 'release/1.x', 'feature/a-b_c', 'a/-b', 'a./b', 'foo.lock.x', 'x/HEAD', '@', 'a@b', 'a]b', 'a{b', 'a=b<<c', 'é', 'refs/heads/x'];

const INVALID: [string, string][] = [
  ['', 'it is empty'],
  ['main\npublish=true', 'it contains "\\n"'],
  ['main\r', 'it contains "\\r"'],
  ['a b', 'it contains " "'],
  ['a\tb', 'it contains "\\t"'],
  ['a\x7fb', 'it contains "\\u007f"'],
  ['a~1', 'it contains "~"'],
  ['a^', 'it contains "^"'],
  ['a:b', 'it contains ":"'],
  ['a?', 'it contains "?"'],
  ['a*', 'it contains "*"'],
  ['a[b', 'it contains "["'],
  ['a\\b', 'it contains "\\\\"'],
  ['-a', 'it starts with "-", which git would read as an option'],
  ['HEAD', 'it is HEAD, which names the checked-out commit'],
  ['a..b', 'it contains ".."'],
  ['a@{b', 'it contains "@{"'],
  ['@{-1}', 'it contains "@{"'],
  ['a.', 'it ends with "."'],
  ['/a', 'it has an empty component (a leading, trailing or doubled "/")'],
  ['a/', 'it has an empty component (a leading, trailing or doubled "/")'],
  ['a//b', 'it has an empty component (a leading, trailing or doubled "/")'],
  ['.a', 'it has a component starting with "." (.a)'],
  ['a/.b', 'it has a component starting with "." (.b)'],
  ['a.lock', 'it has a component ending with ".lock" (a.lock)'],
  ['a.lock/b', 'it has a component ending with ".lock" (a.lock)'],
];

// Outside any repository, so that git does not resolve @{-1} to a previous branch.
const outsideRepository = mkdtempSync(path.join(tmpdir(), 'refname-'));

function gitAccepts(name: string): boolean {
  try {
    execFileSync('git', ['check-ref-format', '--branch', name], { cwd: outsideRepository, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('branchNameProblem', () => {
  test.each(VALID)('%j is valid', (name) => {
    expect(branchNameProblem(name)).toBeUndefined();
    expect(checkBranchName(name)).toBe(name);
  });

  test.each(INVALID)('%j is not', (name, reason) => {
    const quoted = JSON.stringify(name).replace('\x7f', '\\u007f');
    expect(branchNameProblem(name)).toBe(`${quoted} is not a valid git branch name: ${reason}`);
    expect(() => checkBranchName(name)).toThrow(`${quoted} is not a valid git branch name: ${reason}`);
  });

  test('every listed name is judged as git judges it', () => {
    // Git cannot be given a NUL in an argument; the rule for control characters covers it.
    const judged = [...VALID, ...INVALID.map(([name]) => name)].map((name) => [name, gitAccepts(name)]);
    expect(judged).toEqual(judged.map(([name]) => [name, branchNameProblem(name as string) === undefined]));
  });

  test('generated names are judged as git judges them', () => {
    // Names joined from the pieces the rules are about, so that every rule is hit often.
    const piece = fc.constantFrom('a', '.', '..', '/', '-', '@', '{', '@{', '.lock', 'HEAD', ' ', '\n', '~', 'é');
    const name = fc.array(piece, { maxLength: 6 }).map((pieces) => pieces.join(''));
    fc.assert(
      fc.property(name, (n) => gitAccepts(n) === (branchNameProblem(n) === undefined)),
      { numRuns: 200 },
    );
  });
});
