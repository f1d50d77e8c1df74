// npm run docs on a scratch project: writes the blocks, --check fails on a stale README and
// passes on a fresh one; and the launcher (scripts/run-ts.mjs) compiles and runs it.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../scripts/docs.js';
import { repoRoot } from '../support/paths.js';

const README = [
  '# scratch',
  '',
  '## Reference',
  '',
  '<!-- action-docs:demo:start -->',
  '<!-- action-docs:demo:end -->',
  '',
  '<!-- action-docs:promote-image:start -->',
  '<!-- action-docs:promote-image:end -->',
  '',
  '## Rollback',
  '',
  '<!-- rollback:start -->',
  '<!-- rollback:end -->',
  '',
  'The end.',
  '',
].join('\n');

function project(readme = README): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'docs-cli-'));
  mkdirSync(path.join(dir, 'demo'));
  writeFileSync(path.join(dir, 'demo', 'action.yml'), 'description: A demo.\ninputs:\n  who:\n    description: Who.\n    required: true\n');
  cpSync(path.join(repoRoot, 'promote-image', 'action.yml'), path.join(dir, 'promote-image', 'action.yml'), { recursive: true });
  mkdirSync(path.join(dir, '.hidden'));
  writeFileSync(path.join(dir, '.hidden', 'action.yml'), 'not: an action of the suite\n');
  writeFileSync(path.join(dir, 'README.md'), readme);
  return dir;
}

async function run(dir: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { cwd: dir, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('npm run docs', () => {
  test('--check on a README whose blocks are empty: stale, nothing written', async () => {
    const dir = project();
    const result = await run(dir, '--check');
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      'docs: README.md is stale: action-docs:demo, action-docs:promote-image, rollback differ from what action.yml generates. Run "npm run docs" and commit README.md.',
    );
    expect(readFileSync(path.join(dir, 'README.md'), 'utf8')).toBe(README);
  });

  test('writes the blocks, keeps every other line; then --check passes, and a changed action.yml makes it stale again', async () => {
    const dir = project();
    expect(await run(dir)).toMatchObject({ code: 0, out: 'docs: README.md updated: action-docs:demo, action-docs:promote-image, rollback' });
    const written = readFileSync(path.join(dir, 'README.md'), 'utf8');
    expect(written).toContain('| `who` | yes |  | Who. |');
    for (const line of README.split('\n')) expect(written.split('\n')).toContain(line);
    expect(await run(dir, '--check')).toMatchObject({ code: 0, out: 'docs: README.md is up to date (2 actions)' });
    expect(await run(dir)).toMatchObject({ code: 0, out: 'docs: README.md already up to date (2 actions)' });

    writeFileSync(path.join(dir, 'demo', 'action.yml'), 'description: A demo.\ninputs:\n  who:\n    description: Who, now.\n    required: true\n');
    expect(await run(dir, '--check')).toMatchObject({ code: 1, err: expect.stringContaining('README.md is stale: action-docs:demo differ') });
  });

  test('a README without the markers of an action, or without README, says what to do', async () => {
    const dir = project(README.replace('<!-- action-docs:demo:start -->\n<!-- action-docs:demo:end -->\n', ''));
    expect(await run(dir, '--check')).toMatchObject({
      code: 1,
      err: expect.stringContaining('docs: README.md lacks the markers: add <!-- action-docs:demo:start --> and <!-- action-docs:demo:end -->'),
    });
    const bare = mkdtempSync(path.join(tmpdir(), 'docs-cli-'));
    expect(await run(bare)).toMatchObject({ code: 1, err: expect.stringContaining('ENOENT') });
  });

  test('a broken action.yml names it', async () => {
    const dir = project();
    writeFileSync(path.join(dir, 'demo', 'action.yml'), 'description: [oops\n');
    expect(await run(dir)).toMatchObject({ code: 1, err: expect.stringMatching(/^docs: demo\/action\.yml: /) });
  });

  test('unknown options are usage errors', async () => {
    expect(await run(project(), '--chek')).toMatchObject({ code: 2, err: expect.stringContaining('usage: npm run docs [-- --check]') });
  });

  test('the launcher compiles scripts/docs.ts and runs it in the current directory', () => {
    const dir = project();
    const stale = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'run-ts.mjs'), 'docs', '--check'], { cwd: dir, encoding: 'utf8' });
    expect([stale.status, stale.stderr.trim()]).toEqual([1, expect.stringContaining('README.md is stale')]);
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'run-ts.mjs'), 'docs'], { cwd: dir });
    const fresh = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'run-ts.mjs'), 'docs', '--check'], { cwd: dir, encoding: 'utf8' });
    expect([fresh.status, fresh.stdout.trim()]).toEqual([0, 'docs: README.md is up to date (2 actions)']);
    const unknown = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'run-ts.mjs'), 'nope'], { cwd: dir, encoding: 'utf8' });
    expect([unknown.status, unknown.stderr]).toEqual([2, expect.stringContaining('usage: node scripts/run-ts.mjs NAME')]);
  });
});
