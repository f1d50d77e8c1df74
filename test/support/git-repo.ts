// Real git repositories for tests: no system or user git configuration leaks in, each
// repository is configured by the test that makes it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const GIT_ENV = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

/** For the code under test too (it runs git itself): set GIT_ENV for the whole test file. */
export function isolateGitConfig(): void {
  const savedEnv = { ...process.env };
  beforeAll(() => Object.assign(process.env, GIT_ENV));
  afterAll(() => {
    for (const name of Object.keys(GIT_ENV)) delete process.env[name];
    Object.assign(process.env, savedEnv);
  });
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' }).trim();
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `${prefix}-`));
}
