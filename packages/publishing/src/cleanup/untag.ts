// Removing one tag of an image that keeps others. GitHub's Packages API deletes versions,
// not tags, and GHCR does not delete a tag through the registry API either; what moves a
// tag is a push. So, as dataaxiom/ghcr-cleanup-action does, the tag is pointed at a new,
// empty manifest of our own (an index with no manifests, or an image with no layers, with
// an annotation naming the tag and the time, so its digest is new), and that new version is
// then deleted through the API, taking the tag with it.
//
// Unlike dataaxiom's, the version deleted is found by the digest of the bytes pushed, never
// by the tag: a build that pushes the same tag meanwhile keeps its image. Cut off between
// the push and the delete, the tag is left on an empty manifest, which no longer pulls (the
// tag was to go) and which the next run deletes: delete-tags matches its only tag.
import { createHash } from 'node:crypto';
import type { PackageOwner, PackageVersion } from '../github/container-package.js';
import type { Log } from '../log.js';
import type { RawManifest } from '../oci/types.js';
import { shortDigest } from '../util/format.js';
import type { ManifestWriter, PackageApi } from './io.js';
import type { UntagDecision } from './plan.js';

export const UNTAG_ANNOTATION = 'io.github.ci-actions.untagged';

/** The empty manifest a tag is moved to: `original`'s media type, nothing to pull, a digest of its own. */
export function placeholderManifest(original: RawManifest, tag: string, at: Date): RawManifest {
  const json = JSON.parse(original.bytes.toString('utf8')) as Record<string, unknown>;
  // No subject: the placeholder must not show up as a referrer of anything.
  const { subject: _subject, ...rest } = json;
  const placeholder = {
    ...rest,
    ...(Array.isArray(json.manifests) ? { manifests: [] } : { layers: [] }),
    annotations: { ...(json.annotations as Record<string, string> | undefined), 'org.opencontainers.image.created': at.toISOString(), [UNTAG_ANNOTATION]: tag },
  };
  const bytes = Buffer.from(JSON.stringify(placeholder));
  return { bytes, mediaType: original.mediaType, digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}` };
}

export interface UntagOutcome {
  decision: UntagDecision;
  /** Tags removed: their placeholder deleted, or the image gone with them since the plan. */
  removed: string[];
  /** The image was deleted meanwhile (the plan read it, the registry no longer serves it): its tags went with it. */
  gone: boolean;
  /** Why a tag is left, when one is. */
  problems: string[];
}

/** Moves each tag to a placeholder, then deletes the placeholders GitHub lists, by digest. */
export async function removeTags(
  github: PackageApi,
  owner: PackageOwner,
  name: string,
  repository: string,
  registry: ManifestWriter,
  decisions: readonly UntagDecision[],
  log: Log,
  now: () => Date = () => new Date(),
): Promise<UntagOutcome[]> {
  const placeholders = new Map<string, { outcome: UntagOutcome; tag: string }>();
  const outcomes: UntagOutcome[] = [];
  for (const decision of decisions) {
    const outcome: UntagOutcome = { decision, removed: [], gone: false, problems: [] };
    outcomes.push(outcome);
    // The plan read every version it kept (unreadable ones keep the package whole), so one
    // not served now was deleted since, tags and all: as a delete finding it gone.
    const original = await registry.getManifest(repository, decision.version.digest);
    if (!original) {
      outcome.removed.push(...decision.tags);
      outcome.gone = true;
      continue;
    }
    for (const tag of decision.tags) {
      const placeholder = placeholderManifest(original, tag, now());
      await registry.putManifest(repository, tag, placeholder);
      placeholders.set(placeholder.digest, { outcome, tag });
    }
  }
  if (placeholders.size === 0) return outcomes;
  const listed = new Map<string, PackageVersion>((await github.listVersions(owner, name)).map((v) => [v.digest, v]));
  for (const [digest, { outcome, tag }] of placeholders) {
    const version = listed.get(digest);
    if (!version) {
      outcome.problems.push(`${tag} now points at the empty ${shortDigest(digest)}, which GitHub does not list yet; the next run deletes it`);
      continue;
    }
    const deleted = await github.deleteVersion(owner, name, version);
    if (deleted === 'deleted' || deleted === 'already-gone') outcome.removed.push(tag);
    else outcome.problems.push(`${tag} now points at the empty ${shortDigest(digest)}, which GitHub refused to delete (${deleted})`);
  }
  for (const o of outcomes) for (const problem of o.problems) log.warning(`${name}@${shortDigest(o.decision.version.digest)}: ${problem}`);
  return outcomes;
}
