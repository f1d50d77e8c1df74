// The Maven Central half of publish-clients, in two steps. prepareMavenRelease reads the
// components, checks them as Central would, asks the portal which are published already and
// signs and zips the rest; publishMavenRelease uploads the bundle and follows the deployment.
// With snapshots on, a prerelease goes to the portal's snapshot repository instead, as a
// -SNAPSHOT version (snapshot-release.ts).
// The action prepares the npm side too before publishing anything, so a problem on either
// side stops the step while nothing is published yet.
import type { RetryPolicy } from '../http/retry.js';
import type { Log } from '../log.js';
import { formatBytes } from '../util/format.js';
import { bundleEntries, zipBundle } from './bundle.js';
import { componentProblems, readComponents } from './component.js';
import { formatCoordinates, purl, type Coordinates } from './coordinates.js';
import { DEFAULT_POLL, waitForDeployment, type PollSchedule } from './deployment.js';
import type { DeploymentState, PublishingType, WaitUntil } from './deployments.js';
import { CentralPortal } from './portal.js';
import { deploymentName, planDeployment } from './resume.js';
import { loadSigningKey } from './signing.js';
import { snapshotRepositoryUrl, snapshotVersion } from './snapshot.js';
import { prepareSnapshotComponents, publishSnapshotComponents, type SnapshotComponent } from './snapshot-release.js';
import { SnapshotRepository } from './snapshot-repository.js';
import { DomainError } from '../errors.js';

export interface MavenReleaseOptions {
  /** The Maven repository directory, relative to `workspace` and inside it. */
  repositoryPath: string;
  workspace: string;
  groupId: string;
  version: string;
  centralUrl: string;
  publishingType: PublishingType;
  waitUntil: WaitUntil;
  username: string;
  password: string;
  /** ASCII-armored private key. */
  signingKey: string;
  signingPassword: string;
  /** How long to follow the deployment after the upload. */
  timeoutMs: number;
  /** Publish a prerelease version as <base>-SNAPSHOT to the portal's snapshot repository. */
  snapshots: boolean;
  poll?: PollSchedule;
  retry?: RetryPolicy;
  log: Log;
}

export interface MavenRelease {
  /** Components to publish now, and those Central has already (a re-run). */
  toPublish: Coordinates[];
  alreadyPublished: Coordinates[];
  /** The signed bundle of `toPublish`; undefined when there is nothing to publish. */
  bundle: Uint8Array | undefined;
  /** groupId:artifactIds:version of `toPublish`, which this suite's deployment names carry. */
  deploymentComponents: string;
  portal: CentralPortal;
  /** Set when the components go to the snapshot repository instead (toPublish at the -SNAPSHOT version). */
  snapshot: { repository: SnapshotRepository; components: SnapshotComponent[] } | undefined;
  options: MavenReleaseOptions;
}

/**
 * validated: waits for someone to publish it in the portal (user-managed); publishing: the
 * portal goes on publishing it on its own (automatic, the step stopped at wait-until validated).
 */
export type MavenOutcome = 'published' | 'validated' | 'publishing' | 'already published' | 'dry run';

export interface MavenComponentResult {
  coordinates: string;
  outcome: MavenOutcome;
}

export interface MavenReleaseResult {
  components: MavenComponentResult[];
  /** '' when nothing was uploaded. */
  deploymentId: string;
  deploymentState: DeploymentState | '';
  bundleSize: number;
}

/** Every problem Central would find in the artifacts, reported together before anything is published. */
export class MavenReleaseError extends DomainError {
  constructor(readonly problems: string[]) {
    super(`${problems.length} problem(s) with the Maven artifacts; nothing was published:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  }
}

export async function prepareMavenRelease(options: MavenReleaseOptions): Promise<MavenRelease> {
  const { log } = options;
  const signer = await loadSigningKey(options.signingKey, options.signingPassword);
  const components = await readComponents(options.workspace, options.repositoryPath, options.groupId, options.version);
  const problems: string[] = [];
  for (const component of components) {
    const check = componentProblems(component);
    problems.push(...check.problems);
    log.info(`${formatCoordinates(component)} (${check.packaging}): ${component.files.map((f) => f.name).join(', ')}`);
  }
  if (problems.length > 0) throw new MavenReleaseError(problems);

  const credentials = { username: options.username, password: options.password, log, ...(options.retry ? { retry: options.retry } : {}) };
  const portal = new CentralPortal({ url: options.centralUrl, ...credentials });
  const snapshot = options.snapshots ? snapshotVersion(options.version) : undefined;
  if (snapshot) {
    // A snapshot is published again on every run: there is nothing to skip.
    const repository = new SnapshotRepository({ url: snapshotRepositoryUrl(options.centralUrl), ...credentials });
    const prepared = await prepareSnapshotComponents(components, snapshot, signer);
    log.info(
      `${prepared.length} component(s) to publish to ${repository.url} as ${snapshot}, every file signed with key ${signer.fingerprint} (${signer.userIds.join(', ')})`,
    );
    const toPublish = prepared.map((c) => c.coordinates);
    return { toPublish, alreadyPublished: [], bundle: undefined, deploymentComponents: '', portal, snapshot: { repository, components: prepared }, options };
  }
  const toPublish: typeof components = [];
  const alreadyPublished: Coordinates[] = [];
  for (const component of components) {
    if (await portal.isPublished(component)) {
      log.info(`${formatCoordinates(component)} is already on Maven Central: skipped`);
      alreadyPublished.push(component);
    } else toPublish.push(component);
  }
  const bundle = toPublish.length > 0 ? zipBundle(await bundleEntries(toPublish, signer)) : undefined;
  if (bundle)
    log.info(
      `bundle of ${toPublish.length} component(s): ${formatBytes(bundle.length)}, every file signed with key ${signer.fingerprint} (${signer.userIds.join(', ')})`,
    );
  const deploymentComponents = `${options.groupId}:${toPublish.map((c) => c.artifactId).join(',')}:${options.version}`;
  return {
    toPublish: toPublish.map(coordinatesOf),
    alreadyPublished: alreadyPublished.map(coordinatesOf),
    bundle,
    deploymentComponents,
    portal,
    snapshot: undefined,
    options,
  };
}

export async function publishMavenRelease(release: MavenRelease, options: { dryRun: boolean }): Promise<MavenReleaseResult> {
  const { bundle, portal } = release;
  const { log, publishingType } = release.options;
  const skipped = release.alreadyPublished.map((c) => ({ coordinates: formatCoordinates(c), outcome: 'already published' as const }));
  const results = (outcome: MavenOutcome): MavenComponentResult[] => [
    ...skipped,
    ...release.toPublish.map((c) => ({ coordinates: formatCoordinates(c), outcome })),
  ];
  if (release.snapshot) {
    const { repository, components } = release.snapshot;
    if (options.dryRun) {
      log.info(`would publish ${release.toPublish.map(formatCoordinates).join(', ')} to ${repository.url} (dry run)`);
      return { components: results('dry run'), deploymentId: '', deploymentState: '', bundleSize: 0 };
    }
    await publishSnapshotComponents(repository, components, log);
    return { components: results('published'), deploymentId: '', deploymentState: '', bundleSize: 0 };
  }
  if (!bundle) return { components: skipped, deploymentId: '', deploymentState: '', bundleSize: 0 };
  if (options.dryRun) {
    log.info(`would upload ${deploymentName(release.deploymentComponents, publishingType)} (${formatBytes(bundle.length)}) to ${portal.url} (dry run)`);
    return { components: results('dry run'), deploymentId: '', deploymentState: '', bundleSize: bundle.length };
  }
  const deploymentId = await resumeOrUpload(release, bundle);
  const { waitUntil, timeoutMs, poll = DEFAULT_POLL } = release.options;
  const status = await waitForDeployment(portal, deploymentId, { publishingType, waitUntil, timeoutMs, poll, log });
  const outcome = publishedOutcome(status.deploymentState, publishingType);
  if (outcome === 'validated')
    log.info(`deployment ${deploymentId} is validated and waits to be published at ${portal.url}/publishing/deployments (publishing-type user-managed)`);
  if (outcome === 'publishing')
    log.info(
      `deployment ${deploymentId} is ${status.deploymentState}; the portal publishes it on its own (publishing-type automatic), the step does not wait for it (wait-until validated)`,
    );
  return { components: results(outcome), deploymentId, deploymentState: status.deploymentState, bundleSize: bundle.length };
}

/** The deployment of an earlier run that holds these components, or a new one; this suite's FAILED ones dropped first. */
async function resumeOrUpload(release: MavenRelease, bundle: Uint8Array): Promise<string> {
  const { portal, deploymentComponents } = release;
  const { log, publishingType, groupId } = release.options;
  const listed = await portal.deployments(`${groupId.split('.').join('/')}/`);
  const plan = planDeployment(listed, release.toPublish.map(purl), deploymentComponents, publishingType);
  for (const failed of plan.drop) {
    await portal.drop(failed.id);
    log.info(`dropped deployment ${failed.id} (${failed.name}), FAILED in an earlier run`);
  }
  if (plan.resume) {
    log.info(
      `deployment ${plan.resume.id} (${plan.resume.name}) of an earlier run holds these components and is ${plan.resume.state}: following it instead of uploading them again`,
    );
    if (plan.publishResumed) {
      await portal.publish(plan.resume.id);
      log.info(`published deployment ${plan.resume.id}, which waited to be published in the portal (publishing-type automatic)`);
    }
    return plan.resume.id;
  }
  const bundleName = deploymentName(deploymentComponents, publishingType);
  const deploymentId = await portal.upload(bundle, bundleName, publishingType);
  log.info(`uploaded ${bundleName} (${formatBytes(bundle.length)}) to ${portal.url}: deployment ${deploymentId}, ${publishingType}`);
  return deploymentId;
}

/** What a deployment the step stopped following means for its components. */
function publishedOutcome(state: DeploymentState, publishingType: PublishingType): MavenOutcome {
  if (state === 'PUBLISHED') return 'published';
  return publishingType === 'automatic' ? 'publishing' : 'validated';
}

function coordinatesOf({ groupId, artifactId, version }: Coordinates): Coordinates {
  return { groupId, artifactId, version };
}
