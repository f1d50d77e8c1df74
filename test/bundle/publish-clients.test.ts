// dist/publish-clients run as the runner runs it (Node 24), against Verdaccio and the Central
// Portal stand-in, publishing the fixture npm package and a Java library built by Maven.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildMavenLibrary, FIXTURE_GROUP_ID, uniqueVersion } from '../central-portal/maven.js';
import { startCentralPortal, stopCentralPortal, type CentralPortalStandIn } from '../central-portal/server.js';
import { generateSigningKey, type TestSigningKey } from '../central-portal/signing-keys.js';
import { startGithubOidc } from '../harness/github-oidc.js';
import { startNpmFront } from '../harness/npm-front.js';
import { startVerdaccio, stopVerdaccio, type Verdaccio } from '../harness/verdaccio.js';
import { readActionMetadata, runBundledAction, type ActionRun } from '../support/action-runner.js';
import { repoRoot } from '../support/paths.js';

const run = promisify(execFile);
const FIXTURE = 'test/fixtures/npm-client';
const MAVEN_VERSION = uniqueVersion();
const CENTRAL_USER = 'tkn-user';
const CENTRAL_PASSWORD = 'tkn-password-9876543210';

let registry: Verdaccio;
let key: TestSigningKey;
// The checkout the step runs in: the npm package, and the Maven repository the build wrote.
let workspace: string;
let portal: CentralPortalStandIn;
beforeAll(async () => {
  let repository: string;
  [registry, key, repository] = await Promise.all([
    startVerdaccio(),
    generateSigningKey('Acme Release', 'passphrase-for-the-bundle-test'),
    buildMavenLibrary(MAVEN_VERSION),
  ]);
  workspace = path.dirname(repository);
  cpSync(path.join(repoRoot, FIXTURE), path.join(workspace, FIXTURE), { recursive: true });
  // A package the checkout links to rather than holds.
  symlinkSync(path.join(repoRoot, FIXTURE), path.join(workspace, 'linked-client'));
}, 300_000);
afterAll(() => stopVerdaccio(registry));
beforeEach(async () => {
  portal = await startCentralPortal({ users: { [CENTRAL_USER]: CENTRAL_PASSWORD }, namespaces: [FIXTURE_GROUP_ID], publicKeys: [key.armoredPublicKey] });
});
afterEach(() => stopCentralPortal(portal));
afterEach(() => {
  expect(portal.violations).toEqual([]);
});

function publish(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  return runBundledAction('publish-clients', {
    cwd: workspace,
    env,
    inputs: {
      'npm-package-paths': FIXTURE,
      'npm-registry': registry.url,
      'npm-scope': '@acme',
      'npm-token': registry.token,
      'maven-repository-path': 'repository',
      'maven-group-id': FIXTURE_GROUP_ID,
      'maven-version': MAVEN_VERSION,
      'central-url': portal.url,
      'central-username': CENTRAL_USER,
      'central-password': CENTRAL_PASSWORD,
      'signing-key': key.armoredPrivateKey,
      'signing-password': key.passphrase,
      ...inputs,
    },
  });
}

/** A consumer's view of the registry: the field's value, undefined when the version is not there. */
async function npmView(spec: string, field: string): Promise<unknown> {
  const npmrc = path.join(mkdtempSync(path.join(tmpdir(), 'consumer-')), '.npmrc');
  writeFileSync(npmrc, `//${new URL(registry.url).host}/:_authToken=${registry.token}\n`);
  try {
    const { stdout } = await run('npm', ['view', spec, field, '--json', '--registry', registry.url, '--userconfig', npmrc]);
    return JSON.parse(stdout);
  } catch {
    return undefined;
  }
}

/** Secrets may appear only in the ::add-mask:: commands that tell the runner to hide them. */
function expectNoSecretShown(result: ActionRun, secrets: string[]): void {
  for (const line of `${result.stdout}\n${result.stderr}`.split('\n')) {
    if (line.startsWith('::add-mask::')) continue;
    for (const secret of secrets) expect(line).not.toContain(secret);
  }
}

function fixtureFiles(): Record<string, string> {
  const dir = path.join(workspace, FIXTURE);
  return Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]));
}

const uploads = () => portal.requests.filter((r) => r.path === '/api/v1/publisher/upload').length;

describe('dist/publish-clients under Node 24', () => {
  test('publishes to npm and Maven Central, sets every output, writes a summary, shows no secret, leaves the checkout as it was', async () => {
    const before = fixtureFiles();

    const result = await publish({ version: '3.0.1' });

    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const deployment = portal.deployments[0];
    expect(result.outputs).toEqual({
      'npm-published': '@acme/client@3.0.1',
      'npm-skipped': '',
      'npm-awaiting-approval': '',
      'maven-published': `io.github.acme:greeting:${MAVEN_VERSION}`,
      'maven-validated': '',
      'maven-skipped': '',
      'would-publish': '',
      'maven-deployment-id': deployment.id,
      'maven-deployment-state': 'PUBLISHED',
      'started-at': expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      'finished-at': expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(Object.keys(result.outputs).sort()).toEqual(Object.keys(readActionMetadata('publish-clients').outputs ?? {}).sort());
    expect(result.summary).toContain('<td>@acme/client@3.0.1</td><td>published, dist-tag latest</td>');
    expect(result.summary).toContain(`<td>io.github.acme:greeting:${MAVEN_VERSION}</td><td>published, deployment ${deployment.id}</td>`);
    expect(result.stdout).toContain('::group::npm: pack and check the registry');
    expect(await npmView('@acme/client', 'dist-tags')).toMatchObject({ latest: '3.0.1' });
    expect(fixtureFiles()).toEqual(before);
    expectNoSecretShown(result, [
      registry.token,
      CENTRAL_PASSWORD,
      Buffer.from(`${CENTRAL_USER}:${CENTRAL_PASSWORD}`).toString('base64'),
      key.passphrase,
      ...key.armoredPrivateKey.split('\n').filter((line) => line.length > 40),
    ]);
  });

  test('a re-run skips both sides and reports them as skipped', async () => {
    await publish({ version: '3.0.2' });

    const rerun = await publish({ version: '3.0.2' });

    expect(rerun.exitCode).toBe(0);
    expect(rerun.outputs).toEqual({
      'npm-published': '',
      'npm-skipped': '@acme/client@3.0.2',
      'npm-awaiting-approval': '',
      'maven-published': '',
      'maven-validated': '',
      'maven-skipped': `io.github.acme:greeting:${MAVEN_VERSION}`,
      'would-publish': '',
      'maven-deployment-id': '',
      'maven-deployment-state': '',
      'started-at': expect.any(String),
      'finished-at': expect.any(String),
    });
    expect(uploads()).toBe(1);
    expect(rerun.summary).toContain('<td>@acme/client@3.0.2</td><td>already published, same contents</td>');
  });

  test('a dry run checks and bundles everything and publishes nothing', async () => {
    const result = await publish({ version: '3.0.3', 'dry-run': 'true' });

    expect(result.exitCode).toBe(0);
    expect(result.outputs['npm-published']).toBe('');
    expect(result.outputs['maven-deployment-id']).toBe('');
    // What a real run would publish, for the stage gate's summary in shadow mode.
    expect(result.outputs['would-publish'].split('\n')).toEqual(['@acme/client@3.0.3', expect.stringMatching(/^io\.github\.acme:greeting:[\d.]+$/)]);
    expect(result.summary).toMatch(/<td>io\.github\.acme:greeting:[\d.]+<\/td><td>dry run, bundle [\d.]+ KB<\/td>/);
    expect(result.stdout).toContain('would publish @acme/client@3.0.3');
    expect(await npmView('@acme/client@3.0.3', 'version')).toBeUndefined();
    expect(uploads()).toBe(0);
  });

  test.each([
    [{ 'npm-package-paths': '', 'maven-repository-path': '' }, 'input "npm-package-paths": and maven-repository-path are both empty: nothing to publish'],
    [{ version: 'v3.1.0' }, 'input "version": "v3.1.0" is not a version npm takes'],
    [
      { version: '3.1.0-SNAPSHOT', 'npm-package-paths': '', 'maven-version': '' },
      'input "version": "3.1.0-SNAPSHOT" is a SNAPSHOT version, which Maven Central takes into its snapshot repository only',
    ],
    [{ 'maven-version': '3.1.0 beta' }, 'input "maven-version": "3.1.0 beta" is not a Maven version'],
    [
      { version: '3.1.0-pr.7.gabcdef0' },
      'input "npm-dist-tag": is empty, and npm publishes the prerelease 3.1.0-pr.7.gabcdef0 only under a dist-tag of its own',
    ],
    [{ 'npm-dist-tag': '3.x' }, 'input "npm-dist-tag": "3.x" reads as a version range'],
    [{ 'npm-provenance': 'true' }, 'input "npm-provenance": is true, but this job cannot request an OIDC token: give the job "permissions: id-token: write"'],
    [
      { 'npm-token': '' },
      'input "npm-token": is empty, so npm would publish through trusted publishing, but this job cannot request an OIDC token: give the job "permissions: id-token: write"',
    ],
    [{ 'central-password': '' }, 'input "central-password": is empty; pass secrets.CENTRAL_PORTAL_PASSWORD'],
    [{ 'signing-key': '' }, 'input "signing-key": is empty; pass secrets.SIGNING_KEY'],
    [{ 'signing-password': 'not-the-passphrase' }, 'input "signing-password": the passphrase does not unlock the signing key'],
    [{ 'publishing-type': 'manual' }, 'input "publishing-type": expected automatic or user-managed, got "manual"'],
    [{ 'maven-timeout-minutes': '0' }, 'input "maven-timeout-minutes": expected at least 1, got 0'],
    [{ 'wait-until': 'released' }, 'input "wait-until": expected published or validated, got "released"'],
  ])('bad input %j fails naming the input; nothing is published', async (inputs, message) => {
    await expectRefused(await publish({ version: '3.1.0', ...inputs }), message);
  });

  test('npm-staged stages the version: npm-awaiting-approval and the summary name it and the command that approves it', async () => {
    // npmjs.com's staging area, stood in for in front of the same Verdaccio.
    const oidc = await startGithubOidc({ repository: 'acme/clients', workflowFile: 'release.yml' });
    const front = await startNpmFront(registry, oidc);
    try {
      const result = await publish({ version: '3.2.0', 'npm-staged': 'true', 'npm-registry': front.url, 'maven-repository-path': '' });

      expect(result.exitCode).toBe(0);
      const [item] = front.staged;
      expect(item).toMatchObject({ packageName: '@acme/client', version: '3.2.0', tag: 'latest' });
      expect(result.outputs).toMatchObject({ 'npm-published': '', 'npm-awaiting-approval': '@acme/client@3.2.0' });
      expect(result.summary).toContain(
        `<td>@acme/client@3.2.0</td><td>staged, dist-tag latest: awaiting a maintainer's approval (npm stage approve ${item.id})</td>`,
      );
      expect(await npmView('@acme/client@3.2.0', 'version')).toBeUndefined();
    } finally {
      await front.stop();
      await oidc.stop();
    }
  });

  test('provenance for a restricted package is refused even where the job can request an OIDC token', async () => {
    // The runner sets both variables for a job with "permissions: id-token: write".
    const oidc = { ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/oidc', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token' };
    const result = await publish({ version: '3.1.0', 'npm-provenance': 'true', 'npm-access': 'restricted' }, oidc);
    await expectRefused(result, 'input "npm-provenance": is true with npm-access restricted; npm publishes provenance for public packages only');
  });

  test('a Maven repository holding a link to a file outside the workspace fails naming the input; nothing is published', async () => {
    const linked = path.join(workspace, 'repository-linked');
    cpSync(path.join(workspace, 'repository'), linked, { recursive: true });
    const secret = path.join(mkdtempSync(path.join(tmpdir(), 'runner-')), 'credentials');
    writeFileSync(secret, 'CENTRAL_TOKEN=not-for-maven-central\n');
    const javadoc = path.join(linked, 'io/github/acme/greeting', MAVEN_VERSION, `greeting-${MAVEN_VERSION}-javadoc.jar`);
    rmSync(javadoc);
    symlinkSync(secret, javadoc);

    const result = await publish({ version: '3.1.0', 'maven-repository-path': 'repository-linked' });

    await expectRefused(
      result,
      `input "maven-repository-path": "${javadoc}" resolves to ${secret}, outside the workspace ${workspace}; expected a path inside the workspace`,
    );
    expect(result.stdout).not.toContain('not-for-maven-central');
  });

  test.each([
    ['linked-client', `"linked-client" resolves to ${path.join(repoRoot, FIXTURE)}, outside the workspace`],
    ['/etc', '"/etc" resolves to /etc, outside the workspace'],
  ])('npm-package-paths %s fails naming the input; nothing is published', async (packagePath, message) => {
    await expectRefused(await publish({ version: '3.1.0', 'npm-package-paths': packagePath }), `input "npm-package-paths": ${message}`);
  });

  async function expectRefused(result: ActionRun, message: string): Promise<void> {
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(`::error::${message}`);
    expect(result.outputs).toEqual({});
    expect(portal.requests).toEqual([]);
    expect(await npmView('@acme/client@3.1.0', 'version')).toBeUndefined();
  }
});
