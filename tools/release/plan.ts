// The release decision, from the tags alone: is the version new and above every release,
// or already released on this very commit (a re-run, or the workflow started by the tag),
// and where does the major tag go.
import { compareVersions, formatVersion, releaseTags, type ReleaseTag, type ReleaseVersion } from '@ci-actions/publishing/version/release-version.js';
import { ReleaseRefusal } from './errors.js';
import { majorTagName, nextVersions, releaseTagName, TAG_PREFIX } from './version.js';

export interface TagRef {
  name: string;
  /** The commit the tag resolves to (annotated tags peeled); undefined for a tag of something else. */
  commit: string | undefined;
}

export interface PlanInput {
  version: ReleaseVersion;
  /** The commit checked out. */
  head: string;
  /** The local repository's tags. */
  tags: TagRef[];
  /** The remote's tags, when the release is pushed: a release someone pushed counts even if not fetched. */
  remoteTags?: TagRef[];
  remote?: string;
}

export interface ReleasePlan {
  version: ReleaseVersion;
  /** v1.4.2 */
  tag: string;
  /** v1: moved to the release commit, created by a new major version. */
  majorTag: string;
  /**
   * `new`: the version is above every release and gets its release commit and tag.
   * `tagged`: its tag already marks HEAD (a re-run, or the workflow the tag push started):
   * nothing is committed or tagged again; the major tag and the push are still ensured.
   */
  state: 'new' | 'tagged';
  /** The highest other release, if any: the changelog covers the commits since it. */
  previous: ReleaseTag | undefined;
  /** The commit the major tag marks now (locally), if it exists. */
  majorTagCommit: string | undefined;
  warnings: string[];
}

function short(commit: string): string {
  return commit.slice(0, 7);
}

export function planRelease(input: PlanInput): ReleasePlan {
  const { version, head } = input;
  const remote = input.remote ?? 'origin';
  const tag = releaseTagName(version);
  const local = releaseTags(input.tags, TAG_PREFIX);
  const pushed = releaseTags(input.remoteTags ?? [], TAG_PREFIX);

  // A release tag that differs between here and the remote is a history nobody agrees on.
  const byName = new Map(local.map((release) => [release.tag, release]));
  for (const release of pushed) {
    const mine = byName.get(release.tag);
    if (mine && mine.commit !== release.commit) {
      throw new ReleaseRefusal(
        `tag ${release.tag} marks commit ${short(mine.commit)} here but ${short(release.commit)} on ${remote}: ` +
          `fetch the released tags (git fetch --force ${remote} 'refs/tags/${TAG_PREFIX}*:refs/tags/${TAG_PREFIX}*') and check the history`,
      );
    }
    if (!mine) byName.set(release.tag, release);
  }

  const existing = byName.get(tag);
  if (existing && existing.commit !== head) {
    throw new ReleaseRefusal(
      `${tag} is already released, on commit ${short(existing.commit)}, and HEAD is ${short(head)}: a release tag never moves. ` +
        `Release a higher version (${nextVersions(version).map(formatVersion).join(', ')}).`,
    );
  }

  const others = [...byName.values()].filter((release) => release.tag !== tag);
  const previous = others.reduce<ReleaseTag | undefined>(
    (max, release) => (!max || compareVersions(release.version, max.version) > 0 ? release : max),
    undefined,
  );
  if (previous && compareVersions(version, previous.version) <= 0) {
    const next = nextVersions(previous.version).map(formatVersion).join(', ');
    throw new ReleaseRefusal(
      `${formatVersion(version)} is not above the last release ${previous.tag} (commit ${short(previous.commit)}): ` +
        `a release must be greater than every ${TAG_PREFIX}X.Y.Z tag, so that the major tag only moves forward. The next release is one of ${next}.`,
    );
  }

  const warnings: string[] = [];
  if (previous && !nextVersions(previous.version).some((next) => compareVersions(next, version) === 0)) {
    warnings.push(
      `${formatVersion(version)} does not directly follow ${previous.tag}: the next release would be one of ` +
        `${nextVersions(previous.version).map(formatVersion).join(', ')}`,
    );
  }

  const majorTag = majorTagName(version);
  const majorTagCommit = input.tags.find((t) => t.name === majorTag)?.commit;
  return { version, tag, majorTag, state: existing ? 'tagged' : 'new', previous, majorTagCommit, warnings };
}
