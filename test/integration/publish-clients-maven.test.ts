// publish-clients' Maven side against the Central Portal stand-in, with a real Java library
// built by Maven: the bundle validates (signatures, checksums, pom), the deployment is followed
// to the end, Maven resolves what was published with checksums checked and GnuPG verifies its
// signatures; every way to fail is reported before, or instead of, publishing.
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { prepareMavenRelease, publishMavenRelease, type MavenReleaseOptions } from '@ci-actions/publishing/maven/index.js';
import { ANDROID_ARTIFACT_ID, buildAndroidLibrary, resolveAarAsDependency, type AndroidLibrary } from '../central-portal/android.js';
import { buildMavenLibrary, FIXTURE_ARTIFACT_ID, FIXTURE_GROUP_ID, resolveWithMaven, uniqueVersion, verifyWithGpg } from '../central-portal/maven.js';
import { startCentralPortal, stopCentralPortal, type CentralPortalOptions, type CentralPortalStandIn } from '../central-portal/server.js';
import { generateSigningKey, type TestSigningKey } from '../central-portal/signing-keys.js';
import { validateBundle } from '../central-portal/validation.js';
import { onNth, startFaultProxy } from '../harness/fault-proxy.js';
import { captureLog } from '../support/capture-log.js';
import { attributeToInput } from '@ci-actions/publishing/action/index.js';
import { publishInputFor } from '../../actions/publish-clients/inputs.js';

const USER = 'tkn-user';
const PASSWORD = 'tkn-password-0123456789';
const VERSION = uniqueVersion();
const COMPONENT_DIR = `io/github/acme/greeting/${VERSION}`;
const COORDINATES = `${FIXTURE_GROUP_ID}:${FIXTURE_ARTIFACT_ID}:${VERSION}`;

let key: TestSigningKey;
let repository: string;
let portal: CentralPortalStandIn | undefined;
beforeAll(async () => {
  key = await generateSigningKey('Acme Release', 'correct horse battery staple');
  repository = await buildMavenLibrary(VERSION);
}, 300_000);
afterEach(() => stopCentralPortal(portal));
afterEach(() => {
  expect(portal?.violations).toEqual([]);
});

async function startPortal(extra: Partial<CentralPortalOptions> = {}): Promise<CentralPortalStandIn> {
  portal = await startCentralPortal({ users: { [USER]: PASSWORD }, namespaces: [FIXTURE_GROUP_ID], publicKeys: [key.armoredPublicKey], ...extra });
  return portal;
}

function options(standIn: CentralPortalStandIn, extra: Partial<MavenReleaseOptions> = {}): MavenReleaseOptions {
  return {
    repositoryPath: repository,
    // The build's scratch directory: the checkout the repository was written into.
    workspace: path.dirname(repository),
    groupId: FIXTURE_GROUP_ID,
    version: VERSION,
    centralUrl: standIn.url,
    publishingType: 'automatic',
    waitUntil: 'published',
    username: USER,
    password: PASSWORD,
    signingKey: key.armoredPrivateKey,
    signingPassword: key.passphrase,
    timeoutMs: 60_000,
    snapshots: false,
    poll: { initialMs: 10, maxMs: 50 },
    retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 50 },
    log: captureLog(),
    ...extra,
  };
}

async function release(standIn: CentralPortalStandIn, extra: Partial<MavenReleaseOptions> = {}, dryRun = false) {
  return publishMavenRelease(await prepareMavenRelease(options(standIn, extra)), { dryRun });
}

/** A copy of the built repository to break, in a workspace of its own. */
function repositoryCopy(): { workspace: string; repositoryPath: string } {
  const workspace = mkdtempSync(path.join(tmpdir(), 'broken-repository-'));
  const repositoryPath = path.join(workspace, 'repository');
  cpSync(repository, repositoryPath, { recursive: true });
  return { workspace, repositoryPath };
}

const uploads = (standIn: CentralPortalStandIn) => standIn.requests.filter((r) => r.path === '/api/v1/publisher/upload').length;

/** A failure of the core as publish-clients reports it: naming the input its subject came from. */
function reported<T>(work: Promise<T>): Promise<T> {
  return work.catch((err: unknown) => {
    throw attributeToInput(err, publishInputFor({ mavenVersionInput: 'maven-version' }));
  });
}

describe('publish-clients Maven Central release against the Central Portal stand-in', () => {
  test('publishes through every deployment state; Maven resolves it with strict checksums and GnuPG verifies its signatures', async () => {
    const standIn = await startPortal();
    const log = captureLog();

    const result = await release(standIn, { log });

    const [deployment] = standIn.deployments;
    expect(result).toEqual({
      components: [{ coordinates: COORDINATES, outcome: 'published' }],
      deploymentId: deployment.id,
      deploymentState: 'PUBLISHED',
      bundleSize: deployment.bundle.length,
    });
    expect(deployment.reported).toEqual(['VALIDATING', 'VALIDATED', 'PUBLISHING', 'PUBLISHED']);
    expect(deployment.publishingType).toBe('AUTOMATIC');
    expect(deployment.validation!.errors).toEqual({});
    expect(log.lines).toContain(`deployment ${deployment.id}: PUBLISHED`);

    await resolveWithMaven(standIn.repositoryUrl, COORDINATES);
    await resolveWithMaven(standIn.repositoryUrl, `${COORDINATES}:jar.asc`);
    const local = await resolveWithMaven(standIn.repositoryUrl, `${COORDINATES}:pom.asc`);
    for (const file of [`greeting-${VERSION}.jar`, `greeting-${VERSION}.pom`]) {
      await verifyWithGpg(key.armoredPublicKey, path.join(local, file), path.join(local, `${file}.asc`));
    }
  });

  test('a re-run finds the component published and uploads nothing', async () => {
    const standIn = await startPortal();
    await release(standIn);
    const log = captureLog();

    expect(await release(standIn, { log })).toEqual({
      components: [{ coordinates: COORDINATES, outcome: 'already published' }],
      deploymentId: '',
      deploymentState: '',
      bundleSize: 0,
    });
    expect(uploads(standIn)).toBe(1);
    expect(log.lines).toContain(`${COORDINATES} is already on Maven Central: skipped`);
  });

  test("a re-run follows the earlier run's VALIDATED deployment of the same components instead of uploading again", async () => {
    const standIn = await startPortal();
    const first = await release(standIn, { publishingType: 'user-managed' });
    const log = captureLog();

    const rerun = await release(standIn, { publishingType: 'user-managed', log });

    expect(rerun).toMatchObject({
      components: [{ coordinates: COORDINATES, outcome: 'validated' }],
      deploymentId: first.deploymentId,
      deploymentState: 'VALIDATED',
    });
    expect(uploads(standIn)).toBe(1);
    expect(standIn.deployments).toHaveLength(1);
    expect(log.lines).toContain(
      `deployment ${first.deploymentId} (ci-actions ${FIXTURE_GROUP_ID}:${FIXTURE_ARTIFACT_ID}:${VERSION} [user-managed]) of an earlier run holds these components and is VALIDATED: following it instead of uploading them again`,
    );
    expect(standIn.published).toEqual([]);
  });

  test('an automatic re-run publishes the VALIDATED deployment an earlier user-managed run left, rather than waiting for it until the timeout', async () => {
    const standIn = await startPortal();
    const first = await release(standIn, { publishingType: 'user-managed' });
    const log = captureLog();

    const rerun = await release(standIn, { publishingType: 'automatic', timeoutMs: 5_000, log });

    expect(rerun).toMatchObject({
      components: [{ coordinates: COORDINATES, outcome: 'published' }],
      deploymentId: first.deploymentId,
      deploymentState: 'PUBLISHED',
    });
    expect(standIn.published).toEqual([first.deploymentId]);
    expect(uploads(standIn)).toBe(1);
    expect(log.lines).toContain(`published deployment ${first.deploymentId}, which waited to be published in the portal (publishing-type automatic)`);
    await resolveWithMaven(standIn.repositoryUrl, `${COORDINATES}:pom`);
  });

  test('a re-run after a timeout follows the PUBLISHING deployment to PUBLISHED; nothing is uploaded twice', async () => {
    const standIn = await startPortal({ stallIn: 'PUBLISHING' });
    await expect(release(standIn, { timeoutMs: 300 })).rejects.toThrow(/is still PUBLISHING after 0.3 s/);
    const [deployment] = standIn.deployments;
    standIn.unstall();

    const rerun = await release(standIn);

    expect(rerun).toMatchObject({
      components: [{ coordinates: COORDINATES, outcome: 'published' }],
      deploymentId: deployment.id,
      deploymentState: 'PUBLISHED',
    });
    expect(uploads(standIn)).toBe(1);
    await resolveWithMaven(standIn.repositoryUrl, `${COORDINATES}:pom`);
  });

  test("a re-run drops the suite's FAILED deployment of the same components, then uploads and publishes", async () => {
    const standIn = await startPortal();
    // The first attempt signed with a key Central does not know: its deployment FAILED.
    const unknown = await generateSigningKey('Unknown Key', 'unknown');
    await expect(release(standIn, { signingKey: unknown.armoredPrivateKey, signingPassword: unknown.passphrase })).rejects.toThrow(/FAILED validation/);
    const failed = standIn.deployments[0].id;
    const log = captureLog();

    const rerun = await release(standIn, { log });

    expect(rerun.deploymentState).toBe('PUBLISHED');
    expect(standIn.dropped).toEqual([failed]);
    expect(standIn.deployments.map((d) => d.id)).toEqual([rerun.deploymentId]);
    expect(uploads(standIn)).toBe(2);
    expect(log.lines).toContain(
      `dropped deployment ${failed} (ci-actions ${FIXTURE_GROUP_ID}:${FIXTURE_ARTIFACT_ID}:${VERSION} [automatic]), FAILED in an earlier run`,
    );
  });

  test('user-managed publishing waits until the deployment is VALIDATED and says it awaits a release', async () => {
    const standIn = await startPortal();
    const log = captureLog();

    const result = await release(standIn, { publishingType: 'user-managed', log });

    expect(result).toMatchObject({ components: [{ coordinates: COORDINATES, outcome: 'validated' }], deploymentState: 'VALIDATED' });
    expect(standIn.deployments[0].publishingType).toBe('USER_MANAGED');
    expect(log.lines.some((l) => l.includes('is validated and waits to be published at'))).toBe(true);
  });

  test('wait-until validated stops following an automatic deployment once it is validated, and says the portal publishes it', async () => {
    const standIn = await startPortal();
    const log = captureLog();

    const result = await release(standIn, { waitUntil: 'validated', log });

    const [deployment] = standIn.deployments;
    expect(result).toMatchObject({
      components: [{ coordinates: COORDINATES, outcome: 'publishing' }],
      deploymentId: deployment.id,
      deploymentState: 'VALIDATED',
    });
    expect(deployment.reported).toEqual(['VALIDATING', 'VALIDATED']);
    expect(deployment.publishingType).toBe('AUTOMATIC');
    expect(log.lines).toContain(
      `deployment ${deployment.id} is VALIDATED; the portal publishes it on its own (publishing-type automatic), the step does not wait for it (wait-until validated)`,
    );
  });

  test('a dry run builds a bundle Central would accept and uploads nothing', async () => {
    const standIn = await startPortal();
    const prepared = await prepareMavenRelease(options(standIn));

    const result = await publishMavenRelease(prepared, { dryRun: true });

    expect(result).toMatchObject({ components: [{ coordinates: COORDINATES, outcome: 'dry run' }], deploymentId: '' });
    expect(uploads(standIn)).toBe(0);
    const validation = await validateBundle(Buffer.from(prepared.bundle!), {
      armoredPublicKeys: [key.armoredPublicKey],
      namespaces: [FIXTURE_GROUP_ID],
      isPublished: () => false,
    });
    expect(validation.errors).toEqual({});
    expect([...validation.files.keys()].filter((f) => f.endsWith(`greeting-${VERSION}.jar`) || f.includes(`greeting-${VERSION}.jar.`)).sort()).toEqual(
      ['', '.asc', '.md5', '.sha1', '.sha256', '.sha512'].map((suffix) => `${COMPONENT_DIR}/greeting-${VERSION}.jar${suffix}`),
    );
  });

  test('missing files and a pom without what Central requires are listed together; nothing is uploaded', async () => {
    const standIn = await startPortal();
    const broken = repositoryCopy();
    const dir = path.join(broken.repositoryPath, COMPONENT_DIR);
    rmSync(path.join(dir, `greeting-${VERSION}-sources.jar`));
    rmSync(path.join(dir, `greeting-${VERSION}-javadoc.jar`));
    const pomPath = path.join(dir, `greeting-${VERSION}.pom`);
    writeFileSync(
      pomPath,
      readFileSync(pomPath, 'utf8')
        .replace(/<licenses>[\s\S]*<\/licenses>/, '')
        .replace(/<scm>[\s\S]*<\/scm>/, ''),
    );

    await expect(release(standIn, broken)).rejects.toThrow(
      '4 problem(s) with the Maven artifacts; nothing was published:\n' +
        `- ${COMPONENT_DIR}/greeting-${VERSION}.pom: <licenses> has no <license> with a <name>\n` +
        `- ${COMPONENT_DIR}/greeting-${VERSION}.pom: <scm> is missing\n` +
        `- ${COMPONENT_DIR}/greeting-${VERSION}-sources.jar is missing\n` +
        `- ${COMPONENT_DIR}/greeting-${VERSION}-javadoc.jar is missing`,
    );
    expect(standIn.requests).toEqual([]);
  });

  test('a file in the repository that links outside the workspace is refused, naming the input; nothing is uploaded', async () => {
    const standIn = await startPortal();
    const broken = repositoryCopy();
    const secret = path.join(mkdtempSync(path.join(tmpdir(), 'outside-')), 'credentials');
    writeFileSync(secret, 'not for Maven Central\n');
    const javadoc = path.join(broken.repositoryPath, COMPONENT_DIR, `greeting-${VERSION}-javadoc.jar`);
    rmSync(javadoc);
    symlinkSync(secret, javadoc);

    await expect(reported(release(standIn, broken))).rejects.toThrow(
      `input "maven-repository-path": "${javadoc}" resolves to ${secret}, outside the workspace ${broken.workspace}`,
    );
    expect(standIn.requests).toEqual([]);
  });

  test.each([
    ['a wrong passphrase', { signingPassword: 'wrong' }, 'input "signing-password": the passphrase does not unlock the signing key'],
    ['no passphrase for a protected key', { signingPassword: '' }, 'is protected by a passphrase, and none was given'],
    ['a public key instead of the private one', 'public', 'input "signing-key": the signing key is not an ASCII-armored OpenPGP private key'],
    ['a group with nothing in the repository', { groupId: 'io.github.nobody' }, 'input "maven-version": no artifact of io.github.nobody at version'],
    ['a version that was not built', { version: '9.9.9' }, `input "maven-version": no artifact of io.github.acme at version 9.9.9 in`],
    [
      'a repository path that does not exist',
      { repositoryPath: '/nonexistent/repository' },
      'input "maven-repository-path": the Maven repository /nonexistent/repository is not a directory',
    ],
    ['a user token the portal rejects', { password: 'not-the-password' }, 'input "central-username/central-password": http://127.0.0.1:'],
  ] as const)('%s fails naming the input; nothing is uploaded', async (_name, extra, message) => {
    const standIn = await startPortal();
    const overrides = extra === 'public' ? { signingKey: key.armoredPublicKey } : extra;
    await expect(reported(release(standIn, overrides))).rejects.toThrow(message);
    expect(uploads(standIn)).toBe(0);
  });

  test('a FAILED deployment fails the step listing each validation error', async () => {
    // Central knows another key: as when the signing key's public half was never sent to a key server.
    const other = await generateSigningKey('Someone Else', 'other');
    const standIn = await startPortal({ publicKeys: [other.armoredPublicKey] });

    const error = await release(standIn).then(
      () => undefined,
      (err: Error) => err,
    );

    const id = standIn.deployments[0].id;
    expect(error?.message.split('\n')).toEqual([
      `Central Portal deployment ${id} FAILED validation; nothing of it was published:`,
      ...['-javadoc.jar', '-sources.jar', '.jar', '.pom'].map(
        (suffix) => `- pkg:maven/io.github.acme/greeting@${VERSION}: Invalid signature for file: greeting-${VERSION}${suffix}`,
      ),
    ]);
  });

  test('the portal answering 429 with Retry-After and a dropped connection is retried, and the release completes', async () => {
    const standIn = await startPortal();
    const proxy = await startFaultProxy(new URL(standIn.url).host);
    proxy.setRules([
      onNth(1, (r) => r.path.startsWith('/api/v1/publisher/published'), { kind: 'reset' }),
      onNth(1, (r) => r.path.startsWith('/api/v1/publisher/status'), { kind: 'respond', status: 429, headers: { 'Retry-After': '1' } }),
    ]);
    const log = captureLog();
    try {
      const result = await release(standIn, { centralUrl: `http://${proxy.host}`, log });
      expect(result.deploymentState).toBe('PUBLISHED');
    } finally {
      await proxy.stop();
    }
    const warnings = log.lines.filter((l) => l.startsWith('warning: '));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      new RegExp(
        `^warning: check whether ${COORDINATES} is published on http://${proxy.host}: GET http://${proxy.host}/api/v1/publisher/published: .*; attempt 2 of 2 in `,
      ),
    );
    expect(warnings[1]).toMatch(/: POST http:\/\/[\d.:]+\/api\/v1\/publisher\/status: HTTP 429; attempt 2 of 2 in 1\.0s$/);
  });

  test('a portal that keeps failing fails naming the portal, the request and the attempts; nothing is uploaded', async () => {
    const standIn = await startPortal();
    const proxy = await startFaultProxy(new URL(standIn.url).host);
    proxy.setRules([() => ({ kind: 'respond', status: 503, body: 'maintenance' })]);
    try {
      await expect(release(standIn, { centralUrl: `http://${proxy.host}` })).rejects.toThrow(
        `check whether ${COORDINATES} is published on http://${proxy.host}: GET http://${proxy.host}/api/v1/publisher/published: HTTP 503: maintenance; gave up after 2 attempts`,
      );
    } finally {
      await proxy.stop();
    }
    expect(uploads(standIn)).toBe(0);
  });

  test('a deployment that does not finish in time fails naming it and where to look', async () => {
    const standIn = await startPortal({ stallIn: 'PUBLISHING' });
    const attempt = release(standIn, { timeoutMs: 300 });
    await expect(attempt).rejects.toThrow(
      /^deployment \S+ is still PUBLISHING after 0.3 s, the longest wait allowed for it; it may yet finish: see http:\/\/127\.0\.0\.1:\d+\/publishing\/deployments/,
    );
    // The time allowed is what to raise: publish-clients names maven-timeout-minutes from this subject.
    await expect(attempt).rejects.toMatchObject({ subject: { kind: 'deployment-timeout' } });
  });
});

describe('publish-clients: an Android library (packaging aar)', () => {
  let android: AndroidLibrary;
  beforeAll(async () => {
    android = await buildAndroidLibrary(VERSION);
  }, 300_000);

  test('the .aar, its pom, sources and javadoc are published, and an app depending on it with type aar resolves it', async () => {
    const standIn = await startPortal();
    const log = captureLog();

    const result = await release(standIn, { repositoryPath: android.repository, workspace: path.dirname(android.repository), log });

    const coordinates = `${FIXTURE_GROUP_ID}:${ANDROID_ARTIFACT_ID}:${VERSION}`;
    expect(result).toMatchObject({ components: [{ coordinates, outcome: 'published' }], deploymentState: 'PUBLISHED' });
    expect(log.lines).toContain(
      `${coordinates} (aar): widget-${VERSION}-javadoc.jar, widget-${VERSION}-sources.jar, widget-${VERSION}.aar, widget-${VERSION}.pom`,
    );
    expect(standIn.deployments[0].validation!.errors).toEqual({});
    expect((await resolveAarAsDependency(standIn.repositoryUrl, VERSION)).equals(android.aar)).toBe(true);
  });
});

describe('publish-clients: a prerelease published as a -SNAPSHOT to the snapshot repository', () => {
  // As generate-version's maven-version of a branch build, which the build wrote the artifacts at.
  const BASE = uniqueVersion();
  const PRERELEASE = `${BASE}-alpha-branch.feature.g1a2b3c4`;
  const SNAPSHOT = `${BASE}-SNAPSHOT`;
  let built: string;
  beforeAll(async () => {
    built = await buildMavenLibrary(PRERELEASE);
  }, 300_000);

  const snapshotRelease = (standIn: CentralPortalStandIn, extra: Partial<MavenReleaseOptions> = {}) =>
    release(standIn, { repositoryPath: built, workspace: path.dirname(built), version: PRERELEASE, snapshots: true, ...extra });

  test('each run is the next timestamped build of <base>-SNAPSHOT, and Maven resolves the snapshot with strict checksums', async () => {
    const standIn = await startPortal({ snapshotNamespaces: [FIXTURE_GROUP_ID] });
    const log = captureLog();

    const first = await snapshotRelease(standIn, { log });
    const second = await snapshotRelease(standIn);

    const coordinates = `${FIXTURE_GROUP_ID}:${FIXTURE_ARTIFACT_ID}:${SNAPSHOT}`;
    expect(first).toEqual({ components: [{ coordinates, outcome: 'published' }], deploymentId: '', deploymentState: '', bundleSize: 0 });
    expect(second.components).toEqual([{ coordinates, outcome: 'published' }]);
    expect(uploads(standIn)).toBe(0);
    const dir = `io/github/acme/greeting/${SNAPSHOT}`;
    const metadata = standIn.snapshots.get(`${dir}/maven-metadata.xml`)!.toString('utf8');
    expect(metadata).toContain('<buildNumber>2</buildNumber>');
    const published = /<value>([^<]+)<\/value>/.exec(metadata)![1];
    expect(published).toMatch(new RegExp(`^${BASE.replace(/\./g, '\\.')}-\\d{8}\\.\\d{6}-2$`));
    expect(log.lines.some((l) => l.startsWith(`${coordinates}: published to ${standIn.snapshotRepositoryUrl} as ${BASE}-`))).toBe(true);
    // The pom was relabelled to the snapshot version; the jar is the one the build made.
    expect(standIn.snapshots.get(`${dir}/greeting-${published}.pom`)!.toString('utf8')).toContain(`<version>${SNAPSHOT}</version>`);
    expect(
      standIn.snapshots
        .get(`${dir}/greeting-${published}.jar`)!
        .equals(readFileSync(path.join(built, `io/github/acme/greeting/${PRERELEASE}/greeting-${PRERELEASE}.jar`))),
    ).toBe(true);

    const local = await resolveWithMaven(standIn.snapshotRepositoryUrl, coordinates);
    expect(readFileSync(path.join(local, `greeting-${SNAPSHOT}.pom`), 'utf8')).toContain(`<version>${SNAPSHOT}</version>`);
  });

  test('a namespace without SNAPSHOTs enabled fails naming what to enable; nothing is stored', async () => {
    const standIn = await startPortal();
    await expect(snapshotRelease(standIn)).rejects.toThrow(`PUT ${standIn.snapshotRepositoryUrl}io/github/acme/greeting/${SNAPSHOT}/greeting-${BASE}-`);
    await expect(snapshotRelease(standIn)).rejects.toThrow(/HTTP 403; publishing -SNAPSHOT versions needs SNAPSHOTs enabled for the namespace/);
    expect(standIn.snapshots.size).toBe(0);
  });

  test('a release version with maven-snapshots on still goes to Maven Central', async () => {
    const standIn = await startPortal({ snapshotNamespaces: [FIXTURE_GROUP_ID] });
    const result = await release(standIn, { snapshots: true });
    expect(result.deploymentState).toBe('PUBLISHED');
    expect(standIn.snapshots.size).toBe(0);
  });
});
