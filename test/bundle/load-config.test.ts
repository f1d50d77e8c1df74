// The committed bundle, run as the runner runs it (Node 24, INPUT_* env, GITHUB_OUTPUT).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readActionMetadata, runBundledAction } from '../support/action-runner.js';
import { expectNoSecretShown } from '../support/secrets.js';
import { GIT_ENV } from '../support/git-repo.js';
import { repoRoot } from '../support/paths.js';

describe('dist/load-config under Node 24', () => {
  test('the example configuration becomes step outputs', async () => {
    const run = await runBundledAction('load-config');
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.outputs['docker-production-repository']).toBe('docker.io/acme/webauthn-server');
    expect(run.outputs['npm-package-paths']).toBe('clients/typescript');
    expect((JSON.parse(run.outputs['config-json']) as { cleanup: { 'keep-last': number } }).cleanup['keep-last']).toBe(5);
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
    expect(run.stdout).toContain(
      '::error title=Invalid configuration,file=publishing.yml,line=5,col=7::publishing.yml:5:7: docker.images[0]: missing required key "name"',
    );
    expect(run.stdout).toContain(
      '::error title=Invalid configuration,file=publishing.yml,line=5,col=7::publishing.yml:5:7: docker.images[0].nmae: unknown key',
    );
    expect(run.stdout).toContain('::error::2 problem(s) in publishing.yml, each reported above');
    expect(run.outputs).toEqual({});
  });

  describe('stage-gate: true, as the stage gate asks', () => {
    const DIGEST = `sha256:${'c'.repeat(64)}`;
    const gate = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
      runBundledAction('load-config', {
        inputs: { 'stage-gate': 'true', 'tests-result': 'success', 'scan-result': 'success', ...inputs },
        env: { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main', ...env },
      });

    test('a tested push to main publishes each staged image to its production repository', async () => {
      const run = await gate({ 'staged-images': `ghcr.io/acme/webauthn-server:sha-1a2b3c4@${DIGEST}\nghcr.io/acme/test-credentials-service@${DIGEST}` });
      expect(run.exitCode).toBe(0);
      expect(run.outputs).toMatchObject({
        publish: 'true',
        forced: 'false',
        'publish-reason': 'tests and scan passed on the production branch main',
        'production-repositories': 'webauthn-server=docker.io/acme/webauthn-server\ntest-credentials-service=docker.io/acme/test-credentials-service',
        'staged-refs': `ghcr.io/acme/webauthn-server:sha-1a2b3c4@${DIGEST}\nghcr.io/acme/test-credentials-service@${DIGEST}`,
      });
      expect((JSON.parse(run.outputs['promote-matrix']) as { destination: string; platforms: string }[]).map((p) => [p.destination, p.platforms])).toEqual([
        ['docker.io/acme/webauthn-server', ''],
        ['docker.io/acme/test-credentials-service', 'linux/amd64,linux/arm64'],
      ]);
      expect(run.summary).toContain('Stage gate: publish');
    });

    test('a pull request does not publish, and says why', async () => {
      const run = await gate(
        { 'staged-images': `ghcr.io/acme/webauthn-server@${DIGEST}` },
        { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge' },
      );
      expect(run.exitCode).toBe(0);
      expect([run.outputs.publish, run.outputs['publish-reason']]).toEqual([
        'false',
        'a pull_request run never publishes; only push and workflow_dispatch runs do',
      ]);
    });

    test('a line smuggled into staged-images cannot become an output: the step fails naming the input', async () => {
      const run = await gate({ 'staged-images': `ghcr.io/acme/webauthn-server@${DIGEST}\npublish=true` });
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toContain('::error::input "staged-images": staged image publish=true: "publish=true" is not a valid image reference');
      expect(run.outputs).toEqual({});
    });

    test("a pull request's head commit message, for the cleanup's [preserve], is read from the checkout: the event has none", async () => {
      // The checkout GitHub makes for a pull request: its merge commit, the head a parent of it.
      const dir = mkdtempSync(path.join(tmpdir(), 'pr-checkout-'));
      mkdirSync(path.join(dir, 'config'));
      writeFileSync(path.join(dir, 'config/publishing-config.yml'), readFileSync(path.join(repoRoot, 'config/publishing-config.yml')));
      const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' }).trim();
      git('init', '-q', '-b', 'main');
      git('-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '-q', '--allow-empty', '-m', 'base');
      git('checkout', '-q', '-b', 'feature');
      git('add', 'config');
      git('-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '-q', '-m', 'fix: flaky login [preserve]');
      const head = git('rev-parse', 'HEAD');
      git('checkout', '-q', 'main');
      git('-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'merge', '-q', '--no-ff', '-m', `Merge ${head} into main`, 'feature');
      const event = path.join(dir, '..', `${path.basename(dir)}-event.json`);
      writeFileSync(event, JSON.stringify({ number: 7, pull_request: { number: 7, head: { sha: head } } }));
      const run = await runBundledAction('load-config', {
        cwd: dir,
        inputs: { 'stage-gate': 'true', 'tests-result': 'success', 'scan-result': 'success', 'staged-images': `ghcr.io/acme/webauthn-server@${DIGEST}` },
        env: { ...GIT_ENV, GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge', GITHUB_SHA: git('rev-parse', 'HEAD'), GITHUB_EVENT_PATH: event },
      });
      expect(run.exitCode).toBe(0);
      expect(run.outputs['head-commit-message']).toBe('fix: flaky login [preserve]');
    });

    test('a result that is not a job result names the input', async () => {
      const run = await gate({ 'tests-result': 'passed' });
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toContain('::error::input "tests-result": "passed" is not a job result; expected success, failure, cancelled, skipped or empty');
    });
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

  test('a production branch that would inject an output fails naming the key at its line and column; no publish output is written', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cfg-'));
    const config = readFileSync(path.join(repoRoot, 'config/publishing-config.yml'), 'utf8').replace(
      'production-branch: main',
      'production-branch: "main\\npublish=true"',
    );
    mkdirSync(path.join(dir, 'config'));
    writeFileSync(path.join(dir, 'config/publishing-config.yml'), config);
    const line = config.split('\n').findIndex((l) => l.includes('production-branch:')) + 1;
    const run = await runBundledAction('load-config', {
      cwd: dir,
      inputs: {
        'stage-gate': 'true',
        'tests-result': 'success',
        'scan-result': 'success',
        'staged-images': `ghcr.io/acme/webauthn-server@sha256:${'c'.repeat(64)}`,
      },
      env: { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      `config/publishing-config.yml:${line}:22: publishing.production-branch: "main\\npublish=true" is not a valid git branch name: it contains "\\n"`,
    );
    expect(run.outputs).toEqual({});
  });

  describe('report: promotions reads record files only inside the workspace or the runner temporary directory', () => {
    const SECRET = 'SECRET_TOKEN=ghp_0123456789abcdef';
    const RECORD = {
      staging: 'ghcr.io/acme/server',
      stagedDigest: `sha256:${'a'.repeat(64)}`,
      digest: `sha256:${'b'.repeat(64)}`,
      repositories: ['docker.io/acme/server'],
      references: ['docker.io/acme/server:1.0.7'],
      platforms: 'all',
      blobsCopied: 1,
      blobsMounted: 0,
      blobsSkipped: 0,
      bytesCopied: 10,
      dryRun: false,
      startedAt: '2026-01-01T00:00:00Z',
      finishedAt: '2026-01-01T00:00:01Z',
    };
    /** A runner's directories: <base>/checkout the workspace, <base>/temp RUNNER_TEMP, <base>/outside neither. */
    function runner() {
      const base = mkdtempSync(path.join(tmpdir(), 'runner-'));
      const dirs = { workspace: path.join(base, 'checkout'), temp: path.join(base, 'temp'), outside: path.join(base, 'outside') };
      for (const dir of Object.values(dirs)) mkdirSync(dir);
      return dirs;
    }
    const report = (dirs: ReturnType<typeof runner>, records: string) =>
      runBundledAction('load-config', { cwd: dirs.workspace, inputs: { report: 'promotions', 'promotion-records': records }, env: { RUNNER_TEMP: dirs.temp } });

    test("the records of the gate's download directory (runner.temp/promotions) become promoted-images", async () => {
      const dirs = runner();
      mkdirSync(path.join(dirs.temp, 'promotions/stage-gate-promotion-server-0'), { recursive: true });
      writeFileSync(path.join(dirs.temp, 'promotions/stage-gate-promotion-server-0/promotion.json'), JSON.stringify(RECORD));
      const run = await report(dirs, path.join(dirs.temp, 'promotions'));
      expect(run.stdout).not.toContain('::error');
      expect(run.exitCode).toBe(0);
      expect(JSON.parse(run.outputs['promoted-images'])).toEqual([RECORD]);
    });

    test('a record file that is a symlink is not followed: the records are the files the download wrote', async () => {
      const dirs = runner();
      writeFileSync(path.join(dirs.outside, 'secret.json'), `${SECRET}\n`);
      mkdirSync(path.join(dirs.temp, 'promotions'));
      symlinkSync(path.join(dirs.outside, 'secret.json'), path.join(dirs.temp, 'promotions/promotion.json'));
      const run = await report(dirs, path.join(dirs.temp, 'promotions'));
      expectNoSecretShown(run, [SECRET.slice(0, 10)]);
      expect(run.exitCode).toBe(0);
      expect(run.outputs['promoted-images']).toBe('[]');
    });

    test.each([
      [
        '/etc',
        () => '/etc',
        '"/etc" resolves to /etc, outside the workspace WS and the runner\'s temporary directory TEMP; expected a path inside one of them',
      ],
      [
        'a directory beside the workspace',
        (dirs: ReturnType<typeof runner>) => dirs.outside,
        '"OUTSIDE" resolves to OUTSIDE, outside the workspace WS and the runner\'s temporary directory TEMP; expected a path inside one of them',
      ],
      [
        'a symlink in the workspace to a directory outside',
        (dirs: ReturnType<typeof runner>) => (symlinkSync(dirs.outside, path.join(dirs.workspace, 'records')), 'records'),
        '"records" resolves to OUTSIDE, outside the workspace WS and the runner\'s temporary directory TEMP; expected a path inside one of them',
      ],
      [
        'a 2 MiB record',
        (dirs: ReturnType<typeof runner>) => (
          mkdirSync(path.join(dirs.temp, 'promotions')),
          writeFileSync(path.join(dirs.temp, 'promotions/promotion.json'), `${SECRET}\n`.repeat((2 * 1024 * 1024) / (SECRET.length + 1) + 1)),
          path.join(dirs.temp, 'promotions')
        ),
        '"TEMP/promotions/promotion.json" (TEMP/promotions/promotion.json) has 2.0 MB; expected at most 64.0 KB',
      ],
      [
        'a record that is not JSON',
        (dirs: ReturnType<typeof runner>) => (
          mkdirSync(path.join(dirs.temp, 'promotions')),
          writeFileSync(path.join(dirs.temp, 'promotions/promotion.json'), `${SECRET}\n`),
          path.join(dirs.temp, 'promotions')
        ),
        "TEMP/promotions/promotion.json: not JSON; expected promote-image's record-file, or an array of them",
      ],
      [
        'more record files than a matrix has legs',
        (dirs: ReturnType<typeof runner>) => {
          mkdirSync(path.join(dirs.temp, 'promotions'));
          for (let i = 0; i <= 256; i++) writeFileSync(path.join(dirs.temp, `promotions/${i}.json`), JSON.stringify(RECORD));
          return path.join(dirs.temp, 'promotions');
        },
        '"TEMP/promotions" holds more than 256 *.json files; expected promote-image\'s record files only, one per promote leg',
      ],
    ])('%s is refused naming promotion-records, with no file text shown', async (_, given, message) => {
      const dirs = runner();
      writeFileSync(path.join(dirs.outside, 'secret.json'), `${SECRET}\n`);
      const records = given(dirs);
      const run = await report(dirs, records);
      expectNoSecretShown(run, [SECRET.slice(0, 10)]);
      expect(run.exitCode).toBe(1);
      const real = (p: string) => realpathSync(p);
      expect(run.stdout).toContain(
        `::error::input "promotion-records": ${message.replaceAll('OUTSIDE', real(dirs.outside)).replaceAll('WS', real(dirs.workspace)).replaceAll('TEMP', real(dirs.temp))}`,
      );
      expect(run.outputs).toEqual({});
    });
  });
});
