// generate-version's work against the checkout: read the releases from git, decide the
// version (computeVersion, pure), and tag the release when asked. The rest of this folder
// is pure; this file is where it meets git.
import { createAnnotatedTag, isRepository, isShallowRepository, listTags, pushTag, resolveCommit, tagsInHistoryOf } from '../git/index.js';
import { computeVersion, type ReleaseHistory, type VersionPlan } from './compute.js';
import { ShallowCloneError } from './errors.js';
import type { VersionRequest } from './request.js';
import { releaseTagMessage, releaseTags } from './release-version.js';
import { DomainError } from '../errors.js';

export interface GenerateVersionOptions {
  request: VersionRequest;
  /** The repository actions/checkout made: the workspace. */
  cwd: string;
  createTag: boolean;
  pushTag: boolean;
}

/** What happened to the release tag. */
export type TagOutcome = 'created' | 'already on this commit' | 'not requested' | 'prereleases are not tagged';

export interface GeneratedVersion {
  plan: VersionPlan;
  commit: string;
  /** How many release tags the version was checked against (releases only). */
  releaseCount: number;
  tag: TagOutcome;
  pushed: boolean;
}

export async function generateVersion(options: GenerateVersionOptions): Promise<GeneratedVersion> {
  const { request, cwd } = options;
  const isRelease = request.build.kind === 'release';
  // A prerelease of a known commit needs no repository: it is never compared with releases.
  const commit = !isRelease && request.sha ? request.sha : await checkedOutCommit(cwd, request.sha);
  const history = isRelease ? await readReleaseHistory(cwd, commit, request.tagPrefix) : { commit, releases: [], notInHistory: new Set<string>() };
  const plan = computeVersion(request, history);
  const generated = { plan, commit, releaseCount: history.releases.length };

  if (!options.createTag) return { ...generated, tag: 'not requested', pushed: false };
  if (!plan.gitTag) return { ...generated, tag: 'prereleases are not tagged', pushed: false };
  const message = releaseTagMessage(plan.version, request.runNumber, request.runAttempt);
  const created = await createAnnotatedTag(cwd, plan.gitTag, commit, message);
  if (options.pushTag) await pushTag(cwd, plan.gitTag);
  return { ...generated, tag: created === 'created' ? 'created' : 'already on this commit', pushed: options.pushTag };
}

/** The full hash of `sha` (default: HEAD) in the checkout at `cwd`. */
async function checkedOutCommit(cwd: string, sha: string | undefined): Promise<string> {
  if (!(await isRepository(cwd))) {
    throw new DomainError(`${cwd} is not a git repository: check the repository out first (actions/checkout with fetch-depth: 0)`);
  }
  const commit = await resolveCommit(cwd, sha ?? 'HEAD');
  if (!commit)
    throw new DomainError(`${sha ? `commit ${sha}` : 'HEAD'} is not in the repository at ${cwd}; check out the commit being built`, {
      subject: { kind: 'commit', sha: sha ?? '' },
    });
  return commit;
}

async function readReleaseHistory(cwd: string, commit: string, tagPrefix: string): Promise<ReleaseHistory> {
  const releases = releaseTags(await listTags(cwd), tagPrefix);
  // Without tags a shallow clone cannot tell a first release from a regression: the silent
  // regression (a lower version published for good to npm and Maven Central) is what this
  // action exists to prevent, so the build stops and says how to fetch the tags.
  const shallow = await isShallowRepository(cwd);
  if (releases.length === 0 && shallow) throw new ShallowCloneError(tagPrefix);
  // A shallow clone's history stops short of most tags' commits: there, every release counts.
  const inHistory = shallow ? undefined : await tagsInHistoryOf(cwd, commit);
  return { commit, releases, notInHistory: new Set(inHistory ? releases.map((r) => r.tag).filter((tag) => !inHistory.has(tag)) : []) };
}
