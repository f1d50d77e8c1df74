// The world an end-to-end run happens in: the harness' two registries (GHCR and Docker Hub
// stand-ins, Docker Hub behind a fault proxy so a test can take it down mid-promotion), the
// GitHub Packages API emulator over the staging registry, Verdaccio as npm, the Central Portal
// stand-in as Maven Central, and a git repository like the team's (its publishing
// configuration pointing at those services, the npm client fixture, the Maven library built
// into clients/android/build/repo, examples/ci-cd.yml made runnable by caller.ts), run by act.
// The same repository holds the old two-workflow design (examples/legacy), which runs there too.
//
// GitHub's own credentials are what they are on GitHub: the job token (GITHUB_TOKEN, here the
// staging registry password of the actor `ci`) logs in to the staging registry and calls the
// Packages API; Docker Hub and npm get their secrets.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildMavenLibrary, FIXTURE_ARTIFACT_ID, FIXTURE_GROUP_ID } from '../central-portal/maven.js';
import { startCentralPortal, stopCentralPortal, type CentralPortalStandIn } from '../central-portal/server.js';
import { generateSigningKey } from '../central-portal/signing-keys.js';
import { startGitHubApi, type GitHubApi } from '../github-api/emulator.js';
import { startFaultProxy, type FaultProxy } from '../harness/fault-proxy.js';
import { httpRequest } from '../harness/http.js';
import { buildImage, type ImageLayout } from '../harness/oci-image.js';
import { pushSyntheticImages } from '../harness/synthetic-images.js';
import { startVerdaccio, stopVerdaccio, type Verdaccio } from '../harness/verdaccio.js';
import { startRegistries, stopWorld, type World } from '../harness/world.js';
import { mavenVersion } from '@ci-actions/publishing/version/index.js';
import { repoRoot } from '../support/paths.js';
import { ensureAct, releaseTree, remoteActionStubs, runAct, type ActOptions, type ActRun } from './act.js';
import { actCaller, actLegacyCi, STAND_INS } from './caller.js';

const run = promisify(execFile);

export const OWNER = 'acme';
export const REPOSITORY = `${OWNER}/webauthn-server`;
export const IMAGES = ['webauthn-server', 'test-credentials-service'] as const;
export type ImageName = (typeof IMAGES)[number];
export const NPM_PACKAGE = '@acme/client';
export const MAVEN_COMPONENT = `${FIXTURE_GROUP_ID}:${FIXTURE_ARTIFACT_ID}`;
const MAVEN_REPOSITORY_PATH = 'clients/android/build/repo';
const CENTRAL_USER = 'central-token-user';

export interface Scenario {
  event: 'push' | 'pull_request' | 'workflow_dispatch';
  /** Branch the commit is on; default main (feature for pull_request). */
  branch?: string;
  /** Message of a new commit made for the run; absent re-runs the last commit. */
  commit?: string;
  /** An earlier commit of the branch to run again (a re-run of an older run); absent takes the branch head. */
  sha?: string;
  /** The version the gate is expected to give the run when it is not its run number's (on-regression: bump). */
  version?: string;
  runNumber: number;
  runAttempt?: number;
  tests?: 'success' | 'failure';
  scan?: 'success' | 'failure';
  forcePublish?: boolean;
  /** Images staged by the build; default: new ones. A re-run passes the earlier run's. */
  images?: Record<ImageName, ImageLayout>;
  /** The repository variable STAGE_GATE_SHADOW=true: the example calls the gate with dry-run (shadow mode). */
  shadow?: boolean;
  /**
   * Release tags (in the remote already) that prepare and tag do not see: they reach the
   * checkout only when the tag job pushes this run's tag (a post-receive hook of the remote),
   * so every later job sees them. The view of a run whose prepare finished before a newer
   * release was tagged, and of "Re-run failed jobs", which keeps the first attempt's prepare
   * outputs: act re-runs every job, so this is how a run here gets such a prepare.
   */
  tagsSeenLate?: string[];
}

export interface PipelineRun {
  act: ActRun;
  sha: string;
  /** The version generate-version gives this run: 1.0.N on main, 1.0.N-<branch>.g<sha> or 1.0.N-pr.7.g<sha> otherwise. */
  version: string;
  images: Record<ImageName, ImageLayout>;
  /** Staged references, as the build job reported them: <staging>/acme/<name>@<digest>. */
  staged: Record<ImageName, string>;
}

/** A build of main through the old design's CI (examples/legacy/ci.yml), pushed as a new commit. */
export interface LegacyBuild {
  commit: string;
  runNumber: number;
  images?: Record<ImageName, ImageLayout>;
}

export interface LegacyCiRun {
  act: ActRun;
  runNumber: number;
  sha: string;
  message: string;
  images: Record<ImageName, ImageLayout>;
  staged: Record<ImageName, string>;
}

export interface Pipeline {
  registries: World;
  /** Docker Hub as the pipeline sees it: the fault proxy in front of registries.production. */
  production: FaultProxy;
  api: GitHubApi;
  npm: Verdaccio;
  central: CentralPortalStandIn;
  repository: string;
  run(scenario: Scenario): Promise<PipelineRun>;
  /** New images, as the build of a run would produce them (run passes them on). */
  buildImages(): Promise<Record<ImageName, ImageLayout>>;
  /** Versions of the npm client in Verdaccio, and its dist-tags. */
  npmState(): Promise<{ versions: string[]; distTags: Record<string, string> }>;
  /** The release tags in the team's remote (a bare repository the runs push to), each with its commit. */
  remoteTags(): Promise<Record<string, string>>;
  /** Edits the publishing configuration; the next run's new commit carries the change. */
  configure(edit: (config: string) => string): void;
  /** Every secret given to act, and the forms of them a log could show (for "no secret shown" checks). */
  secrets: string[];
  /** Versions of the Maven library the Central Portal stand-in published, one entry per deployment that published it. */
  mavenPublished(): string[];
  /** The old design's CI on a push to main: build, stage, test, scan, clean staging up. */
  runLegacyCi(build: LegacyBuild): Promise<LegacyCiRun>;
  /**
   * The old design's post-processing (examples/legacy/post-processing.yml), as GitHub starts it
   * once that CI run has completed: a workflow_run event describing it.
   */
  runPostProcessing(ci: LegacyCiRun): Promise<ActRun>;
  /** examples/staging-sweep.yml on main: as scheduled, or dispatched by hand with dry-run. */
  sweep(options: { dryRun: boolean }): Promise<ActRun>;
  stop(): Promise<void>;
}

export async function startPipeline(): Promise<Pipeline> {
  const act = await ensureAct();
  const registries = await startRegistries();
  const stops: (() => Promise<void>)[] = [() => stopWorld(registries)];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const production = await startFaultProxy(registries.production.host);
    stops.push(() => production.stop());
    const token = registries.creds.staging.ci.password;
    const api = await startGitHubApi({
      registry: registries.staging,
      credentials: registries.creds.staging.ci,
      owners: { [OWNER]: 'Organization' },
      tokens: { [token]: 'write' },
    });
    stops.push(() => api.stop());
    // Each staging package as a team has it: an earlier build tagged in it. GitHub refuses to
    // delete a package's last tagged version, so the first run's cleanup would otherwise keep its images.
    for (const name of IMAGES)
      await pushSyntheticImages(registries.staging, `${OWNER}/${name}`, registries.creds.staging.ci, { count: 1, tagPrefix: 'earlier' });
    const npm = await startVerdaccio();
    stops.push(() => stopVerdaccio(npm));
    const centralPassword = `central-${token.slice(-12)}`;
    const signingKey = await generateSigningKey('Acme Release', `passphrase-${token.slice(-8)}`);
    const central = await startCentralPortal({
      users: { [CENTRAL_USER]: centralPassword },
      namespaces: [FIXTURE_GROUP_ID],
      publicKeys: [signingKey.armoredPublicKey],
    });
    stops.push(() => stopCentralPortal(central));
    const suite = releaseTree();
    stops.push(async () => rmSync(suite, { recursive: true, force: true }));
    const { repository, origin } = await teamRepository({ staging: registries.staging.host, production: production.host, npm: npm.url, central: central.url });
    let mavenBuilt = '';
    stops.push(async () => rmSync(repository, { recursive: true, force: true }));
    stops.push(async () => rmSync(origin, { recursive: true, force: true }));
    const workflow = path.join(repository, '.github/workflows/ci-cd.yml');
    const sweepWorkflow = path.join(repository, '.github/workflows/staging-sweep.yml');
    const legacyCi = path.join(repository, LEGACY_CI);
    const postProcessing = path.join(repository, LEGACY_POST_PROCESSING);
    const stubs = remoteActionStubs([workflow, sweepWorkflow, legacyCi, postProcessing, path.join(suite, '.github/workflows/stage-gate.yml')]);
    stops.push(async () => rmSync(stubs.root, { recursive: true, force: true }));

    /**
     * The branch checked out, with a new commit (pushed to origin) when a message is given, or
     * the earlier commit `sha` of it; that commit. act copies this working directory for each
     * job's checkout, so it first fetches what actions/checkout with fetch-depth: 0 would: the
     * tags earlier runs pushed.
     */
    const checkout = async (branch: string, commit?: string, sha?: string): Promise<{ sha: string; message: string }> => {
      await git(repository, ['fetch', '-q', '--tags', 'origin']);
      const exists = await git(repository, ['branch', '--list', branch]);
      await git(repository, exists ? ['checkout', '-q', branch] : ['checkout', '-q', '-b', branch, 'main']);
      if (commit !== undefined) {
        writeFileSync(path.join(repository, 'CHANGES'), `${commit}\n`, { flag: 'a' });
        await git(repository, ['add', 'CHANGES', 'config']);
        await git(repository, ['commit', '-q', '-m', commit]);
        await git(repository, ['push', '-q', 'origin', branch]);
      } else if (sha !== undefined) {
        await git(repository, ['checkout', '-q', '--detach', sha]);
      }
      return { sha: await git(repository, ['rev-parse', 'HEAD']), message: await git(repository, ['log', '-1', '--format=%B']) };
    };

    /**
     * One workflow of the team's repository run by act as GitHub runs it: the job token, the
     * repository's secrets and variables, the run's number; and, for the jobs stand-ins.sh
     * plays, the images to stage and the outcomes to report.
     */
    const runWorkflow = async (options: {
      workflow: string;
      event: ActOptions['event'];
      payload: Record<string, unknown>;
      runNumber: number;
      runAttempt: number;
      images: Record<ImageName, ImageLayout>;
      tests?: 'success' | 'failure';
      scan?: 'success' | 'failure';
      shadow?: boolean;
      /** The log's file name in .cache/e2e. */
      log: string;
    }): Promise<ActRun> => {
      const e2eImages = IMAGES.map((name) => `${name} ${options.images[name].ociRef}`).join('\n');
      const result = await runAct({
        act,
        workdir: repository,
        workflow: options.workflow,
        event: options.event,
        payload: options.payload,
        suite,
        localRepositories: stubs.mappings,
        actor: registries.creds.staging.ci.username,
        vars: { DOCKERHUB_USERNAME: registries.creds.production.publisher.username, ...(options.shadow ? { STAGE_GATE_SHADOW: 'true' } : {}) },
        secrets: {
          GITHUB_TOKEN: token,
          DOCKERHUB_TOKEN: registries.creds.production.publisher.password,
          NPM_PUBLISH_TOKEN: npm.token,
          CENTRAL_PORTAL_USERNAME: CENTRAL_USER,
          CENTRAL_PORTAL_PASSWORD: centralPassword,
          SIGNING_KEY: signingKey.armoredPrivateKey,
          SIGNING_PASSWORD: signingKey.passphrase,
        },
        env: {
          GITHUB_REPOSITORY: REPOSITORY,
          GITHUB_REPOSITORY_OWNER: OWNER,
          GITHUB_API_URL: api.url,
          GITHUB_RUN_NUMBER: String(options.runNumber),
          GITHUB_RUN_ATTEMPT: String(options.runAttempt),
          GITHUB_RUN_ID: String(1000 + options.runNumber),
          E2E_STAND_INS: STAND_INS,
          E2E_IMAGES: e2eImages,
          E2E_STAGING_PREFIX: `${registries.staging.host}/${OWNER}`,
          E2E_TESTS_OUTCOME: options.tests ?? 'success',
          E2E_SCAN_OUTCOME: options.scan ?? 'success',
        },
      });
      // The readable log of every run, for whoever debugs a failure.
      const logs = path.join(repoRoot, '.cache/e2e');
      mkdirSync(logs, { recursive: true });
      writeFileSync(path.join(logs, options.log), `${result.tail(Number.MAX_SAFE_INTEGER)}\n`);
      return result;
    };

    const stagedRefs = (images: Record<ImageName, ImageLayout>) =>
      Object.fromEntries(IMAGES.map((name) => [name, `${registries.staging.host}/${OWNER}/${name}@${images[name].digest}`])) as Record<ImageName, string>;

    const runScenario = async (scenario: Scenario): Promise<PipelineRun> => {
      const branch = scenario.branch ?? (scenario.event === 'pull_request' ? 'feature' : 'main');
      const { sha, message } = await checkout(branch, scenario.commit, scenario.sha);
      const version =
        scenario.version ??
        (scenario.event === 'pull_request'
          ? `1.0.${scenario.runNumber}-pr.7.g${sha.slice(0, 7)}`
          : branch === 'main'
            ? `1.0.${scenario.runNumber}`
            : `1.0.${scenario.runNumber}-${branch}.g${sha.slice(0, 7)}`);
      // The build's Maven output at this version (as Maven writes a prerelease: generate-version's
      // maven-version), where the configuration says, when this run publishes (a real build job
      // would hand it over as the clients artifact).
      const publishes =
        scenario.event !== 'pull_request' &&
        (branch === 'main' || scenario.forcePublish) &&
        (scenario.tests ?? 'success') === 'success' &&
        (scenario.scan ?? 'success') === 'success';
      if (publishes && mavenBuilt !== version) {
        const built = await buildMavenLibrary(mavenVersion(version));
        const target = path.join(repository, MAVEN_REPOSITORY_PATH);
        rmSync(target, { recursive: true, force: true });
        cpSync(built, target, { recursive: true });
        rmSync(path.dirname(built), { recursive: true, force: true });
        mavenBuilt = version;
      }
      const images = scenario.images ?? (await buildImages());
      const runAttempt = scenario.runAttempt ?? 1;
      const hook = path.join(origin, 'hooks/post-receive');
      if (scenario.tagsSeenLate?.length) {
        await git(repository, ['tag', '-d', ...scenario.tagsSeenLate]);
        // GIT_DIR is the remote's in a hook; the fetch is the working directory's.
        writeFileSync(hook, `#!/bin/sh\nexec env -u GIT_DIR git -C '${repository}' fetch -q --tags origin\n`, { mode: 0o755 });
      }
      const result = await runWorkflow({
        workflow,
        event: scenario.event,
        payload: payload(scenario, { branch, sha, message }),
        runNumber: scenario.runNumber,
        runAttempt,
        images,
        tests: scenario.tests,
        scan: scenario.scan,
        shadow: scenario.shadow,
        log: `${scenario.runNumber}-${runAttempt}-${scenario.event}${scenario.shadow ? '-shadow' : ''}.log`,
      }).finally(() => rmSync(hook, { force: true }));
      return { act: result, sha, version, images, staged: stagedRefs(images) };
    };

    return {
      registries,
      production,
      api,
      npm,
      central,
      repository,
      secrets: [
        token,
        registries.creds.production.publisher.password,
        npm.token,
        centralPassword,
        Buffer.from(`${CENTRAL_USER}:${centralPassword}`).toString('base64'),
        signingKey.passphrase,
        ...signingKey.armoredPrivateKey.split('\n').filter((line) => line.length > 40),
      ],
      run: runScenario,
      remoteTags: async () => {
        // Annotated tags peeled to their commits (%(*objectname)); lightweight ones are the commit.
        const out = await git(origin, ['for-each-ref', '--format=%(refname:strip=2) %(*objectname) %(objectname)', 'refs/tags']);
        return Object.fromEntries(
          out
            .split('\n')
            .filter(Boolean)
            .map((line) => {
              const [tag, peeled, object] = line.split(' ');
              return [tag, peeled || object];
            }),
        );
      },
      configure: (edit) => {
        const file = path.join(repository, 'config/publishing-config.yml');
        writeFileSync(file, edit(readFileSync(file, 'utf8')));
      },
      runLegacyCi: async (build) => {
        const { sha, message } = await checkout('main', build.commit);
        const images = build.images ?? (await buildImages());
        const act = await runWorkflow({
          workflow: legacyCi,
          event: 'push',
          payload: payload({ event: 'push', runNumber: build.runNumber }, { branch: 'main', sha, message }),
          runNumber: build.runNumber,
          runAttempt: 1,
          images,
          log: `legacy-ci-${build.runNumber}-1-push.log`,
        });
        return { act, runNumber: build.runNumber, sha, message, images, staged: stagedRefs(images) };
      },
      runPostProcessing: (ci) =>
        runWorkflow({
          workflow: postProcessing,
          event: 'workflow_run',
          payload: workflowRunPayload(ci),
          runNumber: ci.runNumber,
          runAttempt: 1,
          images: ci.images,
          log: `legacy-post-processing-${ci.runNumber}-1-workflow_run.log`,
        }),
      sweep: async ({ dryRun }) => {
        await git(repository, ['checkout', '-q', 'main']);
        return runAct({
          act,
          workdir: repository,
          workflow: sweepWorkflow,
          event: dryRun ? 'workflow_dispatch' : 'schedule',
          payload: dryRun
            ? { ref: 'refs/heads/main', inputs: { 'dry-run': 'true' }, repository: REPOSITORY_PAYLOAD }
            : { schedule: '17 3 * * *', repository: REPOSITORY_PAYLOAD },
          suite,
          localRepositories: stubs.mappings,
          actor: registries.creds.staging.ci.username,
          secrets: { GITHUB_TOKEN: token },
          env: {
            GITHUB_REPOSITORY: REPOSITORY,
            GITHUB_REPOSITORY_OWNER: OWNER,
            GITHUB_API_URL: api.url,
            GITHUB_RUN_NUMBER: '100',
            GITHUB_RUN_ATTEMPT: '1',
            GITHUB_RUN_ID: '1100',
          },
        });
      },
      buildImages,
      npmState: async () => {
        const res = await httpRequest(`${npm.url}${NPM_PACKAGE.replace('/', '%2f')}`, { headers: { authorization: `Bearer ${npm.token}` } });
        if (res.status === 404) return { versions: [], distTags: {} };
        const doc = res.json<{ versions: Record<string, unknown>; 'dist-tags': Record<string, string> }>();
        return { versions: Object.keys(doc.versions), distTags: doc['dist-tags'] };
      },
      mavenPublished: () =>
        central.deployments
          .filter((d) => d.state === 'PUBLISHED')
          .flatMap((d) => d.validation?.components ?? [])
          .map((c) => c.version),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Small images, shaped as buildx pushes them: a two-platform index with attestations. */
async function buildImages(): Promise<Record<ImageName, ImageLayout>> {
  const entries = await Promise.all(
    IMAGES.map(async (name) => [name, await buildImage({ name: `${OWNER}/${name}`, attestations: true, layerSizes: [256, 512] })] as const),
  );
  return Object.fromEntries(entries) as Record<ImageName, ImageLayout>;
}

/**
 * A repository like the team's, on main, with its publishing configuration and npm client, and
 * its origin: a bare repository in GitHub's place, which the stage gate's tag job pushes to.
 */
async function teamRepository(services: {
  staging: string;
  production: string;
  npm: string;
  central: string;
}): Promise<{ repository: string; origin: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ci-actions-team-'));
  const origin = mkdtempSync(path.join(tmpdir(), 'ci-actions-origin-'));
  await git(origin, ['init', '-q', '--bare', '-b', 'main']);
  mkdirSync(path.join(dir, 'config'));
  writeFileSync(
    path.join(dir, 'config/publishing-config.yml'),
    `# The team's configuration, with the local services in place of GHCR, Docker Hub and npm.
docker:
  staging:
    registry: ${services.staging}
    namespace: ${OWNER}
  production:
    registry: ${services.production}
    namespace: ${OWNER}
  images:
    - name: webauthn-server
      description: WebAuthn relying-party server
    - name: test-credentials-service
      platforms: [linux/amd64, linux/arm64]
npm:
  registry: ${services.npm}
  scope: "@acme"
  access: public
  provenance: false # provenance needs GitHub's OIDC token, which act has not
  packages:
    - path: clients/typescript
maven:
  group-id: ${FIXTURE_GROUP_ID}
  repository-path: ${MAVEN_REPOSITORY_PATH}
  central-url: ${services.central}
versioning:
  base-version: "1.0"
publishing:
  production-branch: main
cleanup:
  keep-last: 5
`,
  );
  mkdirSync(path.join(dir, 'clients/typescript'), { recursive: true });
  for (const file of ['package.json', 'index.js', 'README.md']) {
    writeFileSync(path.join(dir, 'clients/typescript', file), readFileSync(path.join(repoRoot, 'test/fixtures/npm-client', file)));
  }
  // clients/android/build/repo, the Maven build's output, is written before each publishing run
  // and left untracked; act's checkout copies the working directory, so the publishing job
  // finds it where a real caller's job finds the downloaded clients artifact.
  mkdirSync(path.join(dir, '.github/workflows'), { recursive: true });
  writeFileSync(path.join(dir, '.github/workflows/ci-cd.yml'), actCaller());
  // The nightly sweep as the example has it: nothing in it needs standing in for.
  writeFileSync(path.join(dir, '.github/workflows/staging-sweep.yml'), readFileSync(path.join(repoRoot, 'examples/staging-sweep.yml')));
  // The old design: its CI with the same stand-ins, its post-processing as it is.
  writeFileSync(path.join(dir, LEGACY_CI), actLegacyCi());
  writeFileSync(path.join(dir, LEGACY_POST_PROCESSING), readFileSync(path.join(repoRoot, 'examples/legacy/post-processing.yml')));
  await git(dir, ['init', '-q', '-b', 'main']);
  await git(dir, ['config', 'user.name', 'Acme Developer']);
  await git(dir, ['config', 'user.email', 'dev@acme.example']);
  await git(dir, ['config', 'commit.gpgsign', 'false']);
  // act takes github.repository from GITHUB_REPOSITORY (runWorkflow's env), not from this remote.
  await git(dir, ['remote', 'add', 'origin', origin]);
  await git(dir, ['add', '-A']);
  await git(dir, ['commit', '-q', '-m', 'Initial commit']);
  await git(dir, ['push', '-q', 'origin', 'main']);
  return { repository: dir, origin };
}

/** Where the team's repository keeps the old design's two workflows. */
const LEGACY_CI = '.github/workflows/legacy-ci.yml';
const LEGACY_POST_PROCESSING = '.github/workflows/legacy-post-processing.yml';

/** The repository as events describe it. */
const REPOSITORY_PAYLOAD = { full_name: REPOSITORY, name: REPOSITORY.split('/')[1], owner: { login: OWNER }, default_branch: 'main' };

function payload(scenario: Scenario, head: { branch: string; sha: string; message: string }): Record<string, unknown> {
  const repository = REPOSITORY_PAYLOAD;
  switch (scenario.event) {
    case 'push':
      return { ref: `refs/heads/${head.branch}`, after: head.sha, deleted: false, head_commit: { id: head.sha, message: head.message }, repository };
    case 'pull_request':
      return {
        action: 'synchronize',
        number: 7,
        pull_request: { number: 7, head: { ref: head.branch, sha: head.sha }, base: { ref: 'main' } },
        repository,
      };
    case 'workflow_dispatch':
      return { ref: `refs/heads/${head.branch}`, inputs: { 'force-publish': String(scenario.forcePublish ?? false) }, repository };
  }
}

/**
 * What GitHub sends a workflow started by workflow_run when a CI run completes
 * (https://docs.github.com/en/webhooks/webhook-events-and-payloads#workflow_run): the run it
 * completed, named as its workflow's name: says, with its conclusion from act's exit code.
 */
function workflowRunPayload(ci: LegacyCiRun): Record<string, unknown> {
  return {
    action: 'completed',
    workflow_run: {
      id: 1000 + ci.runNumber,
      name: 'CI',
      path: LEGACY_CI,
      event: 'push',
      status: 'completed',
      conclusion: ci.act.exitCode === 0 ? 'success' : 'failure',
      head_branch: 'main',
      head_sha: ci.sha,
      head_commit: { id: ci.sha, message: ci.message },
      run_number: ci.runNumber,
      run_attempt: 1,
    },
    workflow: { name: 'CI', path: LEGACY_CI },
    repository: REPOSITORY_PAYLOAD,
  };
}

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
  return stdout.trim();
}
