// The npm half of publish-clients, in two steps. prepareNpmRelease packs every package at the
// version and asks the registry what it already has; publishNpmRelease then publishes. The
// action prepares the Maven side too before publishing anything, so a problem with any package
// stops the step while nothing is published yet.
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Log } from '../log.js';
import { formatBytes } from '../util/format.js';
import { readWorkspaceFile, workspaceDirectory, WorkspacePathError } from '../util/workspace-path.js';
import { dependencyProblems } from './dependencies.js';
import { manifestProblems, type NpmProblem, type PackageManifest } from './manifest.js';
import { normalizeRegistryUrl, writeNpmrc } from './npmrc.js';
import { npmAtLeast, STAGED_PUBLISHING_NPM, TRUSTED_PUBLISHING_NPM } from './npm-version.js';
import { packAtVersion } from './pack.js';
import { provenanceProblems } from './provenance.js';
import { NpmVersionTakenError, publishedIntegrity, publishTarball, stagedVersions, type PublishFlags, type RegistrySession } from './registry.js';
import { stagedState } from './staged.js';
import { DomainError, type Subject } from '../errors.js';

/** A package.json is a few KB; far more is not one. */
const MANIFEST_READ_LIMIT = 1024 * 1024;

export interface NpmReleaseOptions {
  /** Package directories, relative to `workspace` and inside it. */
  packagePaths: string[];
  workspace: string;
  version: string;
  distTag: string;
  registry: string;
  scope: string;
  access: 'public' | 'restricted';
  provenance: boolean;
  /** owner/name of the repository building the packages (GITHUB_REPOSITORY; the caller's in a reusable workflow): the one provenance names. */
  repository: string;
  /** `npm stage publish`: each version waits for a maintainer's approval with 2FA. */
  staged: boolean;
  /** '' publishes through trusted publishing: npm exchanges the job's OIDC token for a short-lived one. */
  token: string;
  /** Parent of the step's temporary directory: the runner's RUNNER_TEMP, outside the checkout. */
  tempRoot: string;
  log: Log;
}

export interface NpmPackagePlan {
  name: string;
  version: string;
  tarball: string;
  integrity: string;
  /** The registry has this version with the same integrity: a re-run, nothing to do. */
  alreadyPublished: boolean;
  /** Stage id of this very tarball, staged by an earlier attempt and awaiting approval: nothing to do. */
  alreadyStaged?: string;
}

export interface NpmRelease {
  packages: NpmPackagePlan[];
  session: RegistrySession;
  flags: Omit<PublishFlags, 'dryRun'>;
  log: Log;
  /** Removes the temporary directory, and the npmrc and tarballs in it. */
  dispose(): Promise<void>;
}

export type NpmOutcome = 'published' | 'already published' | 'staged' | 'already staged' | 'dry run';

export interface NpmPackageResult {
  name: string;
  version: string;
  distTag: string;
  outcome: NpmOutcome;
  /** For a staged version: the id a maintainer approves (npm stage approve <id>); unknown when the registry did not say. */
  stageId?: string;
}

/**
 * Every problem found with the packages, reported together before anything is published;
 * its subject is theirs when all of them are about the same thing the user gave.
 */
export class NpmReleaseError extends DomainError {
  readonly problems: string[];

  constructor(problems: readonly (string | NpmProblem)[]) {
    const listed = problems.map((p) => (typeof p === 'string' ? { message: p } : p));
    const subject = commonSubject(listed);
    super(
      `${listed.length} problem(s) with the npm packages; nothing was published:\n${listed.map((p) => `- ${p.message}`).join('\n')}`,
      subject ? { subject } : {},
    );
    this.problems = listed.map((p) => p.message);
  }
}

/** The subject every problem has, when they share one; undefined when any has none or another. */
function commonSubject(problems: readonly NpmProblem[]): Subject | undefined {
  const [first] = problems;
  const same = first?.subject && problems.every((p) => JSON.stringify(p.subject) === JSON.stringify(first.subject));
  return same ? first.subject : undefined;
}

export async function prepareNpmRelease(options: NpmReleaseOptions): Promise<NpmRelease> {
  const { log, version } = options;
  const { locations: manifests, names: siblings } = readManifests(options);
  const workDir = await mkdtemp(path.join(options.tempRoot, 'publish-clients-npm-'));
  const dispose = () => rm(workDir, { recursive: true, force: true });
  try {
    const url = normalizeRegistryUrl(options.registry);
    const trusted = !options.token;
    const npm = options.staged
      ? await npmAtLeast(STAGED_PUBLISHING_NPM, 'staged publishing (npm-staged)', workDir, log)
      : trusted
        ? await npmAtLeast(TRUSTED_PUBLISHING_NPM, 'trusted publishing (no npm token given)', workDir, log)
        : 'npm';
    const session = { url, workDir, npm, trusted, npmrc: await writeNpmrc(workDir, { url, scope: options.scope, token: options.token }) };
    const packages: NpmPackagePlan[] = [];
    const problems: string[] = [];
    for (const { dir, relative } of manifests) {
      const packed = await packAtVersion(dir, version, workDir, siblings);
      const published = await publishedIntegrity(session, packed.name, packed.version);
      const id = `${packed.name}@${packed.version}`;
      log.info(`${id} (${relative}): ${packed.fileCount} files, ${formatBytes(packed.size)}, ${packed.integrity}`);
      if (published && published !== packed.integrity) {
        problems.push(
          `${id} is already in ${url} with different contents (registry ${published}, this build ${packed.integrity}); ` +
            'a published version never changes, so this build needs a new version',
        );
      } else if (published) log.info(`${id} is already in ${url} with the same contents: skipped`);
      const plan: NpmPackagePlan = {
        name: packed.name,
        version: packed.version,
        tarball: packed.tarball,
        integrity: packed.integrity,
        alreadyPublished: published !== undefined,
      };
      if (options.staged && !published) {
        const staged = await stagedVersions(session, packed.name);
        const state = staged ? stagedState(staged, packed.version, packed.shasum) : { kind: 'not staged' as const };
        if (state.kind === 'other contents') {
          problems.push(
            `${id} is already staged in ${url} (stage ${state.id}) with other contents; reject it (npm stage reject ${state.id}) or build a new version`,
          );
        } else if (state.kind === 'same contents') {
          log.info(`${id} is already staged in ${url} with the same contents (stage ${state.id}): awaiting approval, skipped`);
          plan.alreadyStaged = state.id;
        }
      }
      packages.push(plan);
    }
    if (problems.length > 0) throw new NpmReleaseError(problems);
    const flags = { distTag: options.distTag, access: options.access, provenance: options.provenance, staged: options.staged };
    return { packages, session, flags, log, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}

export async function publishNpmRelease(release: NpmRelease, options: { dryRun: boolean }): Promise<NpmPackageResult[]> {
  const { session, flags, log } = release;
  const results: NpmPackageResult[] = [];
  for (const pkg of release.packages) {
    const id = `${pkg.name}@${pkg.version}`;
    const result = (outcome: NpmOutcome, stageId?: string) =>
      results.push({ name: pkg.name, version: pkg.version, distTag: flags.distTag, outcome, ...(stageId ? { stageId } : {}) });
    if (pkg.alreadyPublished) {
      result('already published');
      continue;
    }
    if (pkg.alreadyStaged) {
      result('already staged', pkg.alreadyStaged);
      continue;
    }
    let stageId: string | undefined;
    try {
      ({ stageId } = await publishTarball(session, pkg.name, pkg.tarball, { ...flags, dryRun: options.dryRun }));
    } catch (err) {
      if (options.dryRun) throw err;
      // Another attempt of this build may have published the same tarball since the check.
      const published = await publishedIntegrity(session, pkg.name, pkg.version);
      if (published === pkg.integrity) {
        log.info(`${id} was published meanwhile with the same contents: skipped`);
        result('already published');
        continue;
      }
      // Staged and not published, where the staged versions could not be listed (trusted publishing has no token to list with).
      if (flags.staged && published === undefined && err instanceof NpmVersionTakenError) {
        log.warning(`${id} is already staged in ${session.url} (${err.message}); its contents could not be compared without a token for the registry`);
        result('already staged');
        continue;
      }
      throw err;
    }
    const how = `${flags.provenance ? ' and provenance' : ''}${session.trusted ? ', through trusted publishing' : ''}`;
    const verb = options.dryRun ? `would ${flags.staged ? 'stage' : 'publish'}` : flags.staged ? 'staged' : 'published';
    log.info(`${verb} ${id} to ${session.url} with dist-tag ${flags.distTag}${how}${stageId ? ` (stage ${stageId}, awaiting approval)` : ''}`);
    result(options.dryRun ? 'dry run' : flags.staged ? 'staged' : 'published', stageId);
  }
  return results;
}

interface ManifestLocation {
  dir: string;
  relative: string;
  manifest: PackageManifest;
}

/** The package directory `given` and its package.json, refused (naming the directory) unless both are inside the workspace. */
function packageDirectory(workspace: string, given: string): { dir: string; text: string } {
  try {
    const dir = workspaceDirectory(workspace, given);
    return { dir, text: readWorkspaceFile(workspace, path.join(dir, 'package.json'), MANIFEST_READ_LIMIT).toString('utf8') };
  } catch (err) {
    if (!(err instanceof WorkspacePathError)) throw err;
    throw new DomainError(err.message, { subject: { kind: 'npm-package', path: given }, cause: err });
  }
}

/** Reads every package.json first, so path and manifest problems all show in one failure; `names` are the packages published together. */
function readManifests(options: NpmReleaseOptions): { locations: ManifestLocation[]; names: ReadonlySet<string> } {
  const problems: (string | NpmProblem)[] = [];
  const locations: ManifestLocation[] = [];
  const names = new Map<string, string>();
  for (const relative of options.packagePaths) {
    const { dir, text } = packageDirectory(options.workspace, relative);
    let manifest: PackageManifest;
    try {
      manifest = JSON.parse(text) as PackageManifest;
    } catch (err) {
      problems.push(`${relative}/package.json is not valid JSON: ${(err as Error).message}`);
      continue;
    }
    problems.push(...manifestProblems(relative, manifest, options.scope));
    if (options.provenance) problems.push(...provenanceProblems(relative, manifest, options.repository));
    const name = String(manifest.name);
    if (names.has(name)) problems.push(`${names.get(name)} and ${relative} are both ${name}`);
    names.set(name, relative);
    locations.push({ dir, relative, manifest });
  }
  const siblings = new Set(names.keys());
  for (const { relative, manifest } of locations) problems.push(...dependencyProblems(relative, manifest, siblings));
  if (problems.length > 0) throw new NpmReleaseError(problems);
  return { locations, names: siblings };
}
