// publish-clients' npm side against a real registry (Verdaccio) with the real npm CLI: packs
// at the version without touching the package directory, publishes under the dist-tag,
// recognises a re-run, refuses other contents under a published version, and what it
// published installs cleanly from the registry.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { prepareNpmRelease, type NpmReleaseOptions } from '@ci-actions/publishing/npm/index.js';
import { startVerdaccio, stopVerdaccio, type Verdaccio } from '../harness/verdaccio.js';
import { repoRoot } from '../support/paths.js';
import { captureLog } from '../support/capture-log.js';
import { releaseNpm } from '../support/npm-release.js';
import { attributeToInput } from '@ci-actions/publishing/action/index.js';
import { publishInputFor } from '../../actions/publish-clients/inputs.js';

const run = promisify(execFile);
const FIXTURE = 'test/fixtures/npm-client';

let registry: Verdaccio;
beforeAll(async () => {
  registry = await startVerdaccio();
}, 90_000);
afterAll(() => stopVerdaccio(registry));

function options(extra: Partial<NpmReleaseOptions> = {}): NpmReleaseOptions {
  return {
    packagePaths: [FIXTURE],
    workspace: repoRoot,
    version: '1.0.0',
    distTag: 'latest',
    registry: registry.url,
    scope: '@acme',
    access: 'public',
    provenance: false,
    staged: false,
    repository: 'acme/clients',
    token: registry.token,
    tempRoot: mkdtempSync(path.join(tmpdir(), 'runner-temp-')),
    log: captureLog(),
    ...extra,
  };
}

function release(extra: Partial<NpmReleaseOptions>, dryRun = false) {
  return releaseNpm(options(extra), dryRun);
}

/** A consumer's npm, with its own npmrc: what a developer installing the client runs. */
async function consumerNpm(args: string[], cwd = mkdtempSync(path.join(tmpdir(), 'consumer-'))): Promise<string> {
  const npmrc = path.join(cwd, '.npmrc');
  writeFileSync(npmrc, `//${new URL(registry.url).host}/:_authToken=${registry.token}\n`);
  const { stdout } = await run('npm', [...args, '--registry', registry.url, '--userconfig', npmrc], { cwd });
  return stdout;
}

async function distTags(name: string): Promise<Record<string, string>> {
  return JSON.parse(await consumerNpm(['view', name, 'dist-tags', '--json'])) as Record<string, string>;
}

async function isInRegistry(spec: string): Promise<boolean> {
  try {
    await consumerNpm(['view', spec, 'version', '--json']);
    return true;
  } catch {
    return false;
  }
}

/** A copy of the fixture in a scratch workspace, with its files rewritten as given. */
function scratchPackage(files: Record<string, string>): { workspace: string; dir: string } {
  const workspace = mkdtempSync(path.join(tmpdir(), 'workspace-'));
  const dir = 'clients/typescript';
  cpSync(path.join(repoRoot, FIXTURE), path.join(workspace, dir), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(workspace, dir, name), text);
  return { workspace, dir };
}

/** The fixture copied to `dir` in `workspace`, its package.json taking the fields given. */
function fixtureCopy(workspace: string, dir: string, manifest: object): void {
  cpSync(path.join(repoRoot, FIXTURE), path.join(workspace, dir), { recursive: true });
  writeFileSync(
    path.join(workspace, dir, 'package.json'),
    JSON.stringify({ version: '0.0.0', main: 'index.js', files: ['index.js'], license: 'MIT', ...manifest }),
  );
}

describe('publish-clients npm release against Verdaccio', () => {
  test('publishes at the version under the dist-tag, installs cleanly, leaves the package directory as it was', async () => {
    const fixtureDir = path.join(repoRoot, FIXTURE);
    const before = Object.fromEntries(readdirSync(fixtureDir).map((f) => [f, readFileSync(path.join(fixtureDir, f), 'utf8')]));
    const tempRoot = mkdtempSync(path.join(tmpdir(), 'runner-temp-'));

    expect(await release({ version: '1.0.1', tempRoot })).toEqual([{ name: '@acme/client', version: '1.0.1', distTag: 'latest', outcome: 'published' }]);

    expect(Object.fromEntries(readdirSync(fixtureDir).map((f) => [f, readFileSync(path.join(fixtureDir, f), 'utf8')]))).toEqual(before);
    // The npmrc holding the token and the tarballs went with the temporary directory.
    expect(readdirSync(tempRoot)).toEqual([]);
    const consumer = mkdtempSync(path.join(tmpdir(), 'consumer-'));
    writeFileSync(path.join(consumer, 'package.json'), '{"name": "consumer", "private": true}\n');
    await consumerNpm(['install', '@acme/client@1.0.1', '--no-audit', '--no-fund'], consumer);
    const installed = JSON.parse(readFileSync(path.join(consumer, 'node_modules/@acme/client/package.json'), 'utf8')) as { version: string };
    expect(installed.version).toBe('1.0.1');
    const { stdout } = await run(process.execPath, ['-e', 'process.stdout.write(require("@acme/client").hello("npm"))'], { cwd: consumer });
    expect(stdout).toBe('Hello, npm!');
    expect((await distTags('@acme/client')).latest).toBe('1.0.1');
  });

  test('a prerelease goes under its own dist-tag and leaves latest alone', async () => {
    await release({ version: '2.0.0' });
    const results = await release({ version: '2.0.1-pr.7.gabcdef0', distTag: 'pr-7' });
    expect(results[0].outcome).toBe('published');
    expect(await distTags('@acme/client')).toMatchObject({ 'pr-7': '2.0.1-pr.7.gabcdef0', latest: '2.0.0' });
  });

  test('a re-run with the same contents is skipped and reported, not an error', async () => {
    await release({ version: '1.0.3' });
    const log = captureLog();
    expect(await release({ version: '1.0.3', log })).toEqual([{ name: '@acme/client', version: '1.0.3', distTag: 'latest', outcome: 'already published' }]);
    expect(log.lines).toContain(`@acme/client@1.0.3 is already in ${registry.url} with the same contents: skipped`);
  });

  test('other contents under a published version fail before anything is published', async () => {
    await release({ version: '1.0.4' });
    const changed = scratchPackage({ 'index.js': 'exports.hello = () => "changed";\n' });
    const another = scratchPackage({ 'package.json': '{"name": "@acme/other", "version": "0.0.0", "license": "MIT"}\n' });
    cpSync(path.join(another.workspace, another.dir), path.join(changed.workspace, 'clients/other'), { recursive: true });

    const attempt = release({ version: '1.0.4', workspace: changed.workspace, packagePaths: ['clients/other', changed.dir] });

    await expect(attempt).rejects.toThrow(
      new RegExp(
        `1 problem\\(s\\) with the npm packages; nothing was published:\\n- @acme/client@1.0.4 is already in ${registry.url} with different contents \\(registry sha512-\\S+, this build sha512-\\S+\\)`,
      ),
    );
    expect(await isInRegistry('@acme/other@1.0.4')).toBe(false);
  });

  test('npm leaves every symlink out of the tarball, even one named in files, so nothing outside the package is published', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'outside-'));
    writeFileSync(path.join(outside, 'credentials'), 'NPM_TOKEN=not-for-the-registry\n');
    const manifest = { name: '@acme/client', version: '0.0.0', main: 'index.js', files: ['index.js', 'credentials.js', 'alias.js', 'linked'], license: 'MIT' };
    const { workspace, dir } = scratchPackage({ 'package.json': JSON.stringify(manifest) });
    symlinkSync(path.join(outside, 'credentials'), path.join(workspace, dir, 'credentials.js'));
    symlinkSync('index.js', path.join(workspace, dir, 'alias.js'));
    symlinkSync(outside, path.join(workspace, dir, 'linked'));

    const prepared = await prepareNpmRelease(options({ workspace, packagePaths: [dir], version: '1.0.8' }));
    try {
      const { stdout } = await run('tar', ['-tzf', prepared.packages[0].tarball]);
      expect(stdout.split('\n').filter(Boolean).sort()).toEqual(['package/README.md', 'package/index.js', 'package/package.json']);
    } finally {
      await prepared.dispose();
    }
  });

  test('a package.json that links outside the workspace names the input, and none of its text is shown', async () => {
    const secret = path.join(mkdtempSync(path.join(tmpdir(), 'outside-')), 'package.json');
    writeFileSync(secret, 'NPM_TOKEN=not-for-the-log\n');
    const { workspace, dir } = scratchPackage({});
    const manifest = path.join(workspace, dir, 'package.json');
    rmSync(manifest);
    symlinkSync(secret, manifest);

    const error = await release({ workspace, packagePaths: [dir] }).then(
      () => undefined,
      (err: unknown) => attributeToInput(err, publishInputFor({ mavenVersionInput: 'version' })) as Error,
    );

    expect(error?.message).toBe(
      `input "npm-package-paths": "${manifest}" resolves to ${secret}, outside the workspace ${workspace}; expected a path inside the workspace`,
    );
  });

  test('a dry run packs and runs npm publish --dry-run, and publishes nothing', async () => {
    const log = captureLog();
    expect(await release({ version: '1.0.5', log }, true)).toEqual([{ name: '@acme/client', version: '1.0.5', distTag: 'latest', outcome: 'dry run' }]);
    expect(log.lines).toContain(`would publish @acme/client@1.0.5 to ${registry.url} with dist-tag latest`);
    expect(await isInRegistry('@acme/client@1.0.5')).toBe(false);
  });

  test('a token the registry rejects is refused as about its credentials (publish-clients names npm-token), and cleans up', async () => {
    const tempRoot = mkdtempSync(path.join(tmpdir(), 'runner-temp-'));
    const refused = release({ version: '1.0.6', token: 'not-a-token', tempRoot });
    await expect(refused).rejects.toThrow(`${registry.url} rejected the token (E401 on npm view @acme/client)`);
    await expect(refused).rejects.toMatchObject({ subject: { kind: 'credentials', service: 'npm' } });
    expect(readdirSync(tempRoot)).toEqual([]);
  });

  test('in a monorepo a sibling dependency is published as the exact build version, and installs from the registry', async () => {
    const { workspace } = scratchPackage({});
    const write = (dir: string, manifest: object) => fixtureCopy(workspace, dir, manifest);
    write('packages/core', { name: '@acme/core' });
    write('packages/app', { name: '@acme/app', dependencies: { '@acme/core': 'workspace:*' }, peerDependencies: { '@acme/core': 'workspace:^' } });

    await release({ workspace, packagePaths: ['packages/core', 'packages/app'], version: '3.0.0' });

    expect(JSON.parse(await consumerNpm(['view', '@acme/app@3.0.0', 'dependencies', 'peerDependencies', '--json']))).toEqual({
      dependencies: { '@acme/core': '3.0.0' },
      peerDependencies: { '@acme/core': '3.0.0' },
    });
    const consumer = mkdtempSync(path.join(tmpdir(), 'consumer-'));
    writeFileSync(path.join(consumer, 'package.json'), '{"name": "consumer", "private": true}\n');
    await consumerNpm(['install', '@acme/app@3.0.0', '--no-audit', '--no-fund'], consumer);
    const core = JSON.parse(readFileSync(path.join(consumer, 'node_modules/@acme/core/package.json'), 'utf8')) as { version: string };
    expect(core.version).toBe('3.0.0');
  });

  test('a dependency on a directory of the build machine is refused, naming package and dependency, before anything is published', async () => {
    const { workspace } = scratchPackage({});
    const write = (dir: string, manifest: object) => fixtureCopy(workspace, dir, manifest);
    write('packages/first', { name: '@acme/first' });
    write('packages/second', { name: '@acme/second', optionalDependencies: { '@acme/util': 'workspace:*' }, devDependencies: { jest: 'file:../jest' } });

    await expect(release({ workspace, packagePaths: ['packages/first', 'packages/second'], version: '3.0.1' })).rejects.toThrow(
      '1 problem(s) with the npm packages; nothing was published:\n' +
        '- packages/second/package.json: optionalDependencies "@acme/util": "workspace:*" points at the build machine',
    );
    expect(await isInRegistry('@acme/first@3.0.1')).toBe(false);
  });

  test('with provenance, a package.json whose repository.url does not name the building repository is refused before anything is published', async () => {
    const { workspace } = scratchPackage({});
    fixtureCopy(workspace, 'packages/named', {
      name: '@acme/named',
      repository: { type: 'git', url: 'git+https://github.com/acme/clients.git', directory: 'packages/named' },
    });
    fixtureCopy(workspace, 'packages/fork', { name: '@acme/fork', repository: 'github:someone/fork' });

    await expect(release({ workspace, packagePaths: ['packages/named', 'packages/fork'], version: '3.0.2', provenance: true })).rejects.toThrow(
      '1 problem(s) with the npm packages; nothing was published:\n' +
        '- packages/fork/package.json: "repository.url" is "github:someone/fork", and npm refuses provenance (E422) unless it names the repository that builds the package, acme/clients',
    );
    expect(await isInRegistry('@acme/named@3.0.2')).toBe(false);
  });

  test('every package.json problem is reported at once', async () => {
    const { workspace } = scratchPackage({});
    const write = (dir: string, manifest: object) => {
      cpSync(path.join(repoRoot, FIXTURE), path.join(workspace, dir), { recursive: true });
      writeFileSync(path.join(workspace, dir, 'package.json'), JSON.stringify(manifest));
    };
    write('a', { name: '@acme/a', private: true });
    write('b', { name: 'unscoped' });
    write('c', { name: '@acme/client' });
    await expect(release({ workspace, packagePaths: ['a', 'b', 'c', 'clients/typescript'] })).rejects.toThrow(
      '3 problem(s) with the npm packages; nothing was published:\n' +
        '- a/package.json has "private": true, so npm refuses to publish it\n' +
        '- b/package.json names unscoped, which is not in the scope @acme the packages are published under\n' +
        '- c and clients/typescript are both @acme/client',
    );
    const missing = release({ workspace, packagePaths: ['nowhere'] });
    await expect(missing).rejects.toMatchObject({ subject: { kind: 'npm-package', path: 'nowhere' } });
    await expect(missing).rejects.toThrow(
      `"nowhere" does not exist (looked for ${path.join(workspace, 'nowhere')}); expected a directory inside the workspace`,
    );
  });
});
