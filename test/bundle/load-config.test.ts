// The committed bundle, run as the runner runs it (Node 24, INPUT_* env, GITHUB_OUTPUT).
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readActionMetadata, runBundledAction } from '../support/action-runner.js';

describe('dist/load-config under Node 24', () => {
  test('the example configuration becomes step outputs', async () => {
    const run = await runBundledAction('load-config');
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.outputs['docker-production-repository']).toBe('docker.io/acme/webauthn-server');
    expect(run.outputs['npm-package-paths']).toBe('clients/typescript');
    expect(JSON.parse(run.outputs['config-json']!).cleanup['keep-last']).toBe(5);
    expect(run.summary).toContain('<td>ghcr.io/acme/test-credentials-service</td>');
  });

  test('every output the action sets is declared in action.yml, and every declared one is set', async () => {
    const run = await runBundledAction('load-config');
    const declared = Object.keys(readActionMetadata('load-config').outputs ?? {});
    expect(Object.keys(run.outputs).sort()).toEqual(declared.sort());
  });

  test('a broken file fails the step with an annotation at its line, and writes no output', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cfg-'));
    writeFileSync(
      path.join(dir, 'publishing.yml'),
      'docker:\n  staging: {registry: ghcr.io, namespace: acme}\n  production: {registry: docker.io, namespace: acme}\n  images:\n    - nmae: server\n',
    );
    const run = await runBundledAction('load-config', { cwd: dir, inputs: { 'config-file': 'publishing.yml' } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('::error title=Invalid configuration,file=publishing.yml,line=5,col=7::publishing.yml:5:7: docker.images[0]: missing required key "name"');
    expect(run.stdout).toContain('::error title=Invalid configuration,file=publishing.yml,line=5,col=7::publishing.yml:5:7: docker.images[0].nmae: unknown key');
    expect(run.stdout).toContain('::error::2 problem(s) in publishing.yml, each reported above');
    expect(run.outputs).toEqual({});
  });

  test('an unknown image input fails and names the input', async () => {
    const run = await runBundledAction('load-config', { inputs: { image: 'nope' } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('::error::input "image": no image named "nope" in docker.images');
    expect(run.outputs).toEqual({});
  });

  test.each([
    ['/etc/passwd', '"/etc/passwd" resolves to /etc/passwd, outside the workspace WS; expected a path inside the workspace'],
    ['../runner.env', '"../runner.env" resolves to BASE/runner.env, outside the workspace WS; expected a path inside the workspace'],
    ['linked.yml', '"linked.yml" resolves to BASE/runner.env, outside the workspace WS; expected a path inside the workspace'],
    ['config', '"config" (WS/config) is a directory; expected a regular file'],
    ['missing.yml', '"missing.yml" does not exist (looked for WS/missing.yml); expected a regular file inside the workspace'],
  ])('config-file %s fails naming the input, with no output', async (file, message) => {
    const base = mkdtempSync(path.join(tmpdir(), 'runner-'));
    const workspace = path.join(base, 'checkout');
    mkdirSync(path.join(workspace, 'config'), { recursive: true });
    writeFileSync(path.join(base, 'runner.env'), 'docker: {}\n');
    symlinkSync('../runner.env', path.join(workspace, 'linked.yml'));
    const run = await runBundledAction('load-config', { cwd: workspace, inputs: { 'config-file': file } });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(`::error::input "config-file": ${message.replaceAll('WS', workspace).replaceAll('BASE', base)}`);
    expect(run.outputs).toEqual({});
  });
});
