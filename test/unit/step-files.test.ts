// Where a step's own files may be: the workspace or the runner's temporary directory, once
// the symlinks of the path's existing part are resolved. Run over a real tree with real links.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stepPath, writeStepFile } from '@ci-actions/publishing/util/step-files.js';

// <base>/ws the workspace, <base>/temp the runner's temporary directory, <base>/outside neither.
const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'step-files-')));
const ws = path.join(base, 'ws');
const temp = path.join(base, 'temp');
const outside = path.join(base, 'outside');
for (const dir of [ws, temp, outside]) mkdirSync(dir);
writeFileSync(path.join(outside, 'runner.env'), 'KEEP=1\n');
symlinkSync(outside, path.join(ws, 'out-link'));
symlinkSync(temp, path.join(ws, 'temp-link'));
const roots = [ws, temp];

describe('stepPath', () => {
  test.each([
    ['a new file in the workspace, relative', 'record.json', ws, path.join(ws, 'record.json')],
    ['a new file in the temporary directory', path.join(temp, 'record.json'), temp, path.join(temp, 'record.json')],
    ['a path below directories not made yet', path.join(temp, 'a/b/record.json'), temp, path.join(temp, 'a/b/record.json')],
    ['a link in the workspace to the temporary directory', 'temp-link/record.json', temp, path.join(temp, 'record.json')],
  ])('%s is held by its root', (_, given, root, real) => expect(stepPath(roots, given)).toEqual({ root, real }));

  test.each([
    ['an absolute path outside', path.join(outside, 'record.json'), path.join(outside, 'record.json')],
    ['.. out of the workspace', '../outside/x/record.json', path.join(outside, 'x/record.json')],
    ['a link out of the workspace', 'out-link/record.json', path.join(outside, 'record.json')],
    ['a sibling sharing the temporary directory prefix', `${temp}-evil/record.json`, `${temp}-evil/record.json`],
  ])('%s is refused, saying where it resolves and what was expected', (_, given, real) =>
    expect(() => stepPath(roots, given)).toThrow(
      `"${given}" resolves to ${real}, outside the workspace ${ws} and the runner's temporary directory ${temp}; expected a path inside one of them`,
    ),
  );

  test('outside a runner only the workspace holds them', () =>
    expect(() => stepPath([ws], path.join(temp, 'r.json'))).toThrow(`outside the workspace ${ws}; expected a path inside it`));
});

describe('writeStepFile', () => {
  test('creates the file, and replaces it whole', () => {
    const file = path.join(temp, 'written.json');
    writeStepFile(roots, file, '{"a": "a longer first record"}\n');
    writeStepFile(roots, file, '{}\n');
    expect(readFileSync(file, 'utf8')).toBe('{}\n');
  });

  test('a symlink in the file place is followed only to a file inside, as reads are', () => {
    symlinkSync(path.join(outside, 'runner.env'), path.join(temp, 'swapped.json'));
    symlinkSync(path.join(ws, 'kept.json'), path.join(temp, 'inner-link.json'));
    writeFileSync(path.join(ws, 'kept.json'), 'kept\n');
    expect(() => writeStepFile(roots, path.join(temp, 'swapped.json'), 'x')).toThrow(`resolves to ${path.join(outside, 'runner.env')}, outside the workspace`);
    writeStepFile(roots, path.join(temp, 'inner-link.json'), 'inner\n');
    expect(readFileSync(path.join(ws, 'kept.json'), 'utf8')).toBe('inner\n');
    expect(readFileSync(path.join(outside, 'runner.env'), 'utf8')).toBe('KEEP=1\n');
    expect(readdirSync(outside)).toEqual(['runner.env']);
  });

  // A dangling link counts as missing, so its path is the link's own, inside: only opening
  // without following a link keeps the write from creating its target outside.
  test('a dangling symlink in the file place is refused, and its target outside is not created', () => {
    symlinkSync(path.join(outside, 'created.json'), path.join(temp, 'dangling.json'));
    expect(() => writeStepFile(roots, path.join(temp, 'dangling.json'), 'x')).toThrow(
      `"${path.join(temp, 'dangling.json')}" (${path.join(temp, 'dangling.json')}) cannot be written: ELOOP`,
    );
    expect(readdirSync(outside)).toEqual(['runner.env']);
  });

  test('a FIFO or a directory in its place is refused without waiting for a reader', () => {
    execFileSync('mkfifo', [path.join(temp, 'pipe.json')]);
    expect(() => writeStepFile(roots, path.join(temp, 'pipe.json'), 'x')).toThrow(
      `"${path.join(temp, 'pipe.json')}" (${path.join(temp, 'pipe.json')}) cannot be written`,
    );
    mkdirSync(path.join(temp, 'dir.json'));
    expect(() => writeStepFile(roots, path.join(temp, 'dir.json'), 'x')).toThrow('cannot be written');
  });

  test('a directory that is not there is a clear error, not a crash', () =>
    expect(() => writeStepFile(roots, path.join(temp, 'missing/record.json'), 'x')).toThrow(
      `"${path.join(temp, 'missing/record.json')}" (${path.join(temp, 'missing/record.json')}) cannot be written: ENOENT`,
    ));
});
