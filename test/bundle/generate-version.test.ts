// The committed bundle, run as the runner runs it (Node 24, INPUT_* env, GITHUB_OUTPUT), in a
// real repository checked out from a bare origin, with the event payload in GITHUB_EVENT_PATH.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readActionMetadata, runBundledAction } from '../support/action-runner.js';

const GIT_ENV = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' }).trim();
}

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'generate-version-'));
}

/** A checkout of main (two commits, no identity configured, as on a runner) and its bare origin. */
function checkout(): { workspace: string; origin: string; head: string } {
  const origin = tempDir();
  git(origin, 'init', '--quiet', '--bare', '--initial-branch=main');
  const workspace = tempDir();
  git(workspace, 'init', '--quiet', '--initial-branch=main');
  for (const message of ['first', 'second']) {
    git(workspace, '-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '--quiet', '--allow-empty', '--message', message);
  }
  git(workspace, 'remote', 'add', 'origin', origin);
  git(workspace, 'push', '--quiet', 'origin', 'main');
  return { workspace, origin, head: git(workspace, 'rev-parse', 'HEAD') };
}

function eventFile(payload: object): string {
  const file = path.join(tempDir(), 'event.json');
  writeFileSync(file, JSON.stringify(payload));
  return file;
}

function runnerEnv(head: string, env: Record<string, string> = {}): Record<string, string> {
  return {
    ...GIT_ENV,
    GITHUB_RUN_NUMBER: '42',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SHA: head,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: eventFile({ ref: 'refs/heads/main', after: head }),
    ...env,
  };
}

describe('dist/generate-version under Node 24', () => {
  test('a push to main: a release, tagged and pushed to origin; attempt 2 gives the same outputs', async () => {
    const { workspace, origin, head } = checkout();
    const inputs = { 'create-tag': 'true' };
    const run = await runBundledAction('generate-version', { cwd: workspace, inputs, env: runnerEnv(head) });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual({
      version: '1.0.42',
      'is-prerelease': 'false',
      'is-latest': 'true',
      'npm-dist-tag': 'latest',
      'maven-version': '1.0.42',
      'docker-tags': '1.0.42\nlatest',
      'git-tag': 'v1.0.42',
      'started-at': expect.any(String),
      'finished-at': expect.any(String),
    });
    expect(git(origin, 'rev-parse', 'v1.0.42^{commit}')).toBe(head);
    expect(git(origin, 'cat-file', '-t', 'v1.0.42')).toBe('tag');
    expect(run.summary).toContain('<h3>Version 1.0.42</h3>');
    expect(run.summary).toContain('<td>v1.0.42: created, pushed to origin</td>');

    const attempt2 = await runBundledAction('generate-version', { cwd: workspace, inputs, env: runnerEnv(head, { GITHUB_RUN_ATTEMPT: '2' }) });
    expect(attempt2.exitCode).toBe(0);
    const timeless = (outputs: Record<string, string>) => ({ ...outputs, 'started-at': '', 'finished-at': '' });
    expect(timeless(attempt2.outputs)).toEqual(timeless(run.outputs));
    expect(attempt2.summary).toContain('<td>v1.0.42: already on this commit, pushed to origin</td>');
    expect(attempt2.summary).toContain('<td>run 42, attempt 2, commit ' + head.slice(0, 7) + '</td>');
  });

  test('every output the action sets is declared in action.yml, and every declared one is set', async () => {
    const { workspace, head } = checkout();
    const run = await runBundledAction('generate-version', { cwd: workspace, env: runnerEnv(head) });
    const declared = Object.keys(readActionMetadata('generate-version').outputs ?? {});
    expect(Object.keys(run.outputs).sort()).toEqual(declared.sort());
  });

  test('a pull request: a prerelease of its head commit (not the merge commit), never tagged', async () => {
    const { workspace, origin, head } = checkout();
    const mergeCommit = 'f'.repeat(40);
    const env = runnerEnv(mergeCommit, {
      GITHUB_REF: 'refs/pull/7/merge',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_HEAD_REF: 'feature/login',
      GITHUB_EVENT_PATH: eventFile({ number: 7, pull_request: { number: 7, head: { sha: head, ref: 'feature/login' } } }),
    });
    const run = await runBundledAction('generate-version', { cwd: workspace, inputs: { 'create-tag': 'true' }, env });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      version: `1.0.42-pr.7.g${head.slice(0, 7)}`,
      'is-prerelease': 'true',
      'is-latest': 'false',
      'npm-dist-tag': 'pr-7',
      'maven-version': `1.0.42-alpha-pr.7.g${head.slice(0, 7)}`,
      'docker-tags': `1.0.42-pr.7.g${head.slice(0, 7)}`,
      'git-tag': '',
    });
    expect(run.summary).toContain('<td>prerelease of pull request #7</td>');
    expect(run.summary).toContain(`<td>maven version</td><td>1.0.42-alpha-pr.7.g${head.slice(0, 7)}</td>`);
    expect(git(origin, 'tag', '--list')).toBe('');
  });

  test('a restarted run number fails with the remedies, and writes no output', async () => {
    const { workspace, head } = checkout();
    git(workspace, 'tag', 'v1.0.300', 'HEAD~1');
    const run = await runBundledAction('generate-version', { cwd: workspace, inputs: { 'create-tag': 'true' }, env: runnerEnv(head) });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('::error::input "offset/on-regression": version 1.0.42 (run number 42 + offset 0) is not above the last release v1.0.300');
    expect(run.stdout).toContain('set versioning.offset to 259 or more');
    expect(run.outputs).toEqual({});
    expect(git(workspace, 'tag', '--list')).toBe('v1.0.300');
  });

  test('on-regression: bump warns and releases the next patch', async () => {
    const { workspace, head } = checkout();
    git(workspace, 'tag', 'v1.0.300', 'HEAD~1');
    const run = await runBundledAction('generate-version', { cwd: workspace, inputs: { 'on-regression': 'bump' }, env: runnerEnv(head) });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('::warning::version 1.0.42 (run number 42 + offset 0) is not above the last release v1.0.300');
    expect(run.outputs['version']).toBe('1.0.301');
  });

  test.each([
    ['a bad base version', { 'base-version': '1' }, {}, '::error::input "base-version": expected MAJOR.MINOR'],
    [
      'no run number outside Actions',
      {},
      { GITHUB_RUN_NUMBER: '' },
      '::error::input "run-number": missing; outside GitHub Actions set it (GITHUB_RUN_NUMBER is not set)',
    ],
    ['a bad boolean', { 'create-tag': 'yes please' }, {}, '::error::input "create-tag": expected true or false, got "yes please"'],
    [
      'a production branch that would inject an output',
      { 'production-branch': 'main\npublish=true' },
      {},
      '::error::input "production-branch": "main\\npublish=true" is not a valid git branch name: it contains "\\n"',
    ],
  ])('%s fails, names the input and writes no output', async (_name, inputs, env, message) => {
    const { workspace, head } = checkout();
    const run = await runBundledAction('generate-version', { cwd: workspace, inputs, env: runnerEnv(head, env) });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(message);
    expect(run.outputs).toEqual({});
  });
});
