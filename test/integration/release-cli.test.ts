// npm run release on real git repositories: arguments, exit codes and messages, the notes
// file and step outputs the release workflow reads, the real checks (.ci/run) wired in, and
// the launcher (scripts/run-ts.mjs) compiling and running the script.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { main, USAGE } from '../../scripts/release.js';
import { repoRoot } from '../support/paths.js';
import { GIT_ENV, git, isolateGitConfig, tempDir as makeTempDir } from '../support/git-repo.js';

isolateGitConfig();
const tempDir = () => makeTempDir('release-cli');

/** A repository with one conventional commit, and a .ci/run that exits with `ciStatus`. */
function repository(ciStatus = 0): string {
  const dir = tempDir();
  git(dir, 'init', '--quiet', '--initial-branch=main');
  git(dir, 'config', 'user.name', 'Test Committer');
  git(dir, 'config', 'user.email', 'committer@example.com');
  mkdirSync(path.join(dir, '.ci'));
  writeFileSync(path.join(dir, '.ci', 'run'), `#!/usr/bin/env bash\nexit ${ciStatus}\n`);
  git(dir, 'add', '.ci/run');
  git(dir, 'commit', '--quiet', '--message', 'feat: the suite');
  return dir;
}

async function run(dir: string, argv: string[], options: { env?: NodeJS.ProcessEnv; verify?: () => Promise<void> } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { cwd: dir, env: options.env ?? {}, out: (l) => out.push(l), err: (l) => err.push(l), verify: options.verify });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('npm run release: arguments', () => {
  test.each([
    [[], 'release: which version?'],
    [['1.0.0', '1.0.1'], 'release: one version only;'],
    [['1.0.0', '--psh'], "release: Unknown option '--psh'"],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const result = await run(tempDir(), argv);
    expect(result.code).toBe(2);
    expect(result.err).toContain(message);
    expect(result.err).toContain(USAGE);
  });

  test('--help prints the usage', async () => {
    expect(await run(tempDir(), ['--help'])).toMatchObject({ code: 0, out: USAGE });
  });

  test('a refusal is exit 1 with the reason', async () => {
    expect(await run(repository(), ['1.0'], { verify: async () => undefined })).toMatchObject({
      code: 1,
      err: 'release: refused: "1.0" is not a release version: expected MAJOR.MINOR.PATCH such as 1.4.2 (or the tag v1.4.2) (all three numbers are needed, e.g. 1.4.0)',
    });
  });
});

describe('npm run release: a release', () => {
  test('writes the notes file and the step outputs the workflow reads, and prints the notes', async () => {
    const dir = repository();
    const outputs = path.join(tempDir(), 'github-output');
    writeFileSync(outputs, 'earlier=1\n');
    const result = await run(dir, ['v1.0.0', '--notes-file', 'notes.md'], { env: { GITHUB_OUTPUT: outputs }, verify: async () => undefined });
    expect(result.code).toBe(0);
    const commit = git(dir, 'rev-parse', 'HEAD');
    expect(readFileSync(outputs, 'utf8')).toBe(`earlier=1\nversion=1.0.0\ntag=v1.0.0\nmajor-tag=v1\ncommit=${commit}\n`);
    const notes = readFileSync(path.join(dir, 'notes.md'), 'utf8');
    expect(notes).toMatch(/^### Features\n\n- the suite \([0-9a-f]{7}\)\n\nPin this release with `@v1\.0\.0`/);
    expect(result.out).toContain('release: v1.0.0: created on');
    expect(result.out).toContain(`released v1.0.0; notes:\n\n${notes.trimEnd()}`);
    // The notes file is outside the release: the work tree was clean when it was released.
    expect(git(dir, 'status', '--porcelain')).toBe('?? notes.md');
  });

  test('a dry run writes no step outputs', async () => {
    const dir = repository();
    const outputs = path.join(tempDir(), 'github-output');
    writeFileSync(outputs, '');
    const result = await run(dir, ['1.0.0', '--dry-run'], { env: { GITHUB_OUTPUT: outputs } });
    expect(result.code).toBe(0);
    expect(result.out).toContain('would release v1.0.0; notes:');
    expect(readFileSync(outputs, 'utf8')).toBe('');
    expect(git(dir, 'tag', '--list')).toBe('');
  });

  test('the real checks are .ci/run: a failing one refuses the release, a passing one lets it through', async () => {
    const failing = repository(3);
    const refused = await run(failing, ['1.0.0']);
    expect(refused.code).toBe(1);
    expect(refused.err).toBe(
      'release: refused: the release checks failed, so nothing was committed, tagged or pushed: .ci/run failed (exit 3); its log above says which check',
    );
    expect(git(failing, 'tag', '--list')).toBe('');

    const passing = repository(0);
    expect((await run(passing, ['1.0.0'])).code).toBe(0);
    expect(git(passing, 'tag', '--list')).toBe('v1\nv1.0.0');
  });

  test('--no-verify skips the checks, and says so', async () => {
    const dir = repository(3);
    const result = await run(dir, ['1.0.0', '--no-verify']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('release checks skipped (--no-verify)');
  });

  test('the launcher compiles scripts/release.ts and releases the current directory', () => {
    const dir = repository();
    const origin = tempDir();
    git(origin, 'init', '--quiet', '--bare', '--initial-branch=main');
    git(dir, 'remote', 'add', 'origin', origin);
    const launcher = path.join(repoRoot, 'scripts', 'run-ts.mjs');
    const released = spawnSync(process.execPath, [launcher, 'release', '1.0.0', '--push', '--no-verify'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, ...GIT_ENV },
    });
    expect([released.status, released.stderr]).toEqual([0, '']);
    expect(released.stdout).toContain('release: pushed to origin: HEAD:refs/heads/main refs/tags/v1.0.0:refs/tags/v1.0.0 +refs/tags/v1:refs/tags/v1');
    expect(git(origin, 'tag', '--list')).toBe('v1\nv1.0.0');

    const again = spawnSync(process.execPath, [launcher, 'release', '0.9.0', '--no-verify'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, ...GIT_ENV },
    });
    expect([again.status, again.stderr.trim()]).toEqual([1, expect.stringMatching(/^release: refused: 0\.9\.0 is not above the last release v1\.0\.0/)]);
  });
});
