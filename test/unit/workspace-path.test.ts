// What an input or the configuration may name: a regular file or a directory inside the
// workspace once its symlinks are resolved, a file no larger than its limit. Run over a real
// directory tree with real links, a FIFO and the files a hostile input would name.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readWorkspaceFile, workspaceDirectory, WorkspacePathError } from '@ci-actions/publishing/util/workspace-path.js';

const LIMIT = 64;

// <base>/ws is the workspace; <base>/ws-link links to it; <base>/ws-evil shares its prefix.
const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'workspace-path-')));
const ws = path.join(base, 'ws');
const wsLink = path.join(base, 'ws-link');
const secret = path.join(base, 'secret.txt');
const evil = path.join(base, 'ws-evil', 'README.md');
mkdirSync(path.join(ws, 'docs'), { recursive: true });
mkdirSync(path.dirname(evil));
writeFileSync(path.join(ws, 'README.md'), '# hello\n');
writeFileSync(path.join(ws, 'docs', 'guide.md'), 'guide\n');
writeFileSync(path.join(ws, 'at-limit.bin'), 'x'.repeat(LIMIT));
writeFileSync(path.join(ws, 'over-limit.bin'), 'x'.repeat(LIMIT + 1));
writeFileSync(secret, 'TOKEN=hunter2\n');
writeFileSync(evil, 'not in the workspace\n');
symlinkSync('README.md', path.join(ws, 'inside.md'));
symlinkSync('docs', path.join(ws, 'docs-link'));
symlinkSync('../secret.txt', path.join(ws, 'escape.md'));
symlinkSync(base, path.join(ws, 'parent-link'));
symlinkSync('/dev/zero', path.join(ws, 'zero.md'));
symlinkSync('nowhere.md', path.join(ws, 'dangling.md'));
symlinkSync(ws, wsLink);
execFileSync('mkfifo', [path.join(ws, 'pipe.md')]);

type Outcome = { contents: string } | { error: string | RegExp };

const FILES: [string, string, string, Outcome][] = [
  ['a regular file', ws, 'README.md', { contents: '# hello\n' }],
  ['a file in a directory', ws, 'docs/guide.md', { contents: 'guide\n' }],
  ['an absolute path inside', ws, path.join(ws, 'README.md'), { contents: '# hello\n' }],
  ['a symlink to a file inside', ws, 'inside.md', { contents: '# hello\n' }],
  ['a file through a symlinked directory inside', ws, 'docs-link/guide.md', { contents: 'guide\n' }],
  ['a file of exactly the limit', ws, 'at-limit.bin', { contents: 'x'.repeat(LIMIT) }],
  ['a file in a workspace that is itself a symlink', wsLink, 'README.md', { contents: '# hello\n' }],
  ['a directory', ws, 'docs', { error: `"docs" (${ws}/docs) is a directory; expected a regular file` }],
  [
    'a symlink escaping the workspace',
    ws,
    'escape.md',
    { error: `"escape.md" resolves to ${secret}, outside the workspace ${ws}; expected a path inside the workspace` },
  ],
  ['.. escaping the workspace', ws, '../secret.txt', { error: `"../secret.txt" resolves to ${secret}, outside the workspace ${ws}` }],
  [
    'a file through a symlinked directory outside',
    ws,
    'parent-link/secret.txt',
    { error: `"parent-link/secret.txt" resolves to ${secret}, outside the workspace ${ws}` },
  ],
  ['an absolute path outside', ws, secret, { error: `"${secret}" resolves to ${secret}, outside the workspace ${ws}` }],
  ['a sibling sharing the workspace prefix', ws, evil, { error: `"${evil}" resolves to ${evil}, outside the workspace ${ws}` }],
  ['the same sibling by ..', ws, '../ws-evil/README.md', { error: `"../ws-evil/README.md" resolves to ${evil}, outside the workspace ${ws}` }],
  ['a link escaping a workspace that is itself a symlink', wsLink, 'escape.md', { error: `"escape.md" resolves to ${secret}, outside the workspace ${ws}` }],
  ['/proc/self/environ', ws, '/proc/self/environ', { error: /^"\/proc\/self\/environ" resolves to \/proc\/\d+\/environ, outside the workspace / }],
  ['/dev/zero', ws, '/dev/zero', { error: `"/dev/zero" resolves to /dev/zero, outside the workspace ${ws}` }],
  ['a symlink to /dev/zero', ws, 'zero.md', { error: `"zero.md" resolves to /dev/zero, outside the workspace ${ws}` }],
  ['a FIFO', ws, 'pipe.md', { error: `"pipe.md" (${ws}/pipe.md) is a FIFO (named pipe); expected a regular file or a directory` }],
  ['a file over the limit', ws, 'over-limit.bin', { error: `"over-limit.bin" (${ws}/over-limit.bin) has 65 B; expected at most 64 B` }],
  ['a missing file', ws, 'missing.md', { error: `"missing.md" does not exist (looked for ${ws}/missing.md); expected a regular file inside the workspace` }],
  [
    'a dangling symlink',
    ws,
    'dangling.md',
    { error: `"dangling.md" does not exist (looked for ${ws}/dangling.md); expected a regular file inside the workspace` },
  ],
];

const DIRECTORIES: [string, string, string, { real: string } | { error: string }][] = [
  ['a directory', ws, 'docs', { real: path.join(ws, 'docs') }],
  ['the workspace itself', ws, '.', { real: ws }],
  ['a symlink to a directory inside', ws, 'docs-link', { real: path.join(ws, 'docs') }],
  ['a directory in a workspace that is itself a symlink', wsLink, 'docs', { real: path.join(ws, 'docs') }],
  ['a regular file', ws, 'README.md', { error: `"README.md" (${ws}/README.md) is a regular file; expected a directory` }],
  ['a symlink to a directory outside', ws, 'parent-link', { error: `"parent-link" resolves to ${base}, outside the workspace ${ws}` }],
  ['.. out of the workspace', ws, '..', { error: `".." resolves to ${base}, outside the workspace ${ws}` }],
  ['a missing directory', ws, 'nowhere', { error: `"nowhere" does not exist (looked for ${ws}/nowhere); expected a directory inside the workspace` }],
];

function outcome<T>(read: () => T): T | { error: string } {
  try {
    return read();
  } catch (err) {
    if (!(err instanceof WorkspacePathError)) throw err;
    return { error: err.message };
  }
}

describe('readWorkspaceFile', () => {
  test.each(FILES)('%s', (_name, workspace, given, expected) => {
    const result = outcome(() => ({ contents: readWorkspaceFile(workspace, given, LIMIT).toString('utf8') }));
    if ('contents' in expected) expect(result).toEqual(expected);
    else expect((result as { error: string }).error).toMatch(expected.error);
  });
});

describe('workspaceDirectory', () => {
  test.each(DIRECTORIES)('%s', (_name, workspace, given, expected) => {
    const result = outcome(() => ({ real: workspaceDirectory(workspace, given) }));
    if ('real' in expected) expect(result).toEqual(expected);
    else expect((result as { error: string }).error).toContain(expected.error);
  });
});
