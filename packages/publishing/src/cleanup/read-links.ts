// Reading the manifests that say how a package's versions relate (see dependents.ts),
// from the staging registry, by digest. Every tagged version is read first: any of them may
// be an index listing a child that a candidate shares, and a child is only safe to
// delete once no kept index lists it. Then untagged versions nothing listed so far
// (an untagged index, a referrer pushed by digest, an orphan) and listed entries that
// are themselves indexes, until nothing new turns up. Children listed by an index are
// known without reading them, so a package costs one read per image, not per version.
//
// A read that fails (404, or any error) is not taken to mean "relates to nothing": only
// a version GitHub no longer lists is gone. So GitHub is asked again; a version it still
// lists is unreadable, and what it would have listed is unknown (cleanup.ts then deletes
// nothing of the package). Credentials the registry refuses still fail the run: that is
// a configuration to fix, not a version to skip.
import type { PackageVersion } from '../github/container-package.js';
import type { Log } from '../log.js';
import { AuthenticationError, PermissionError } from '../oci/errors.js';
import { isIndexMediaType } from '../oci/types.js';
import { mapLimit } from '../util/concurrency.js';
import { manifestLinks, type ManifestLinks } from './dependents.js';
import type { ManifestReader } from './io.js';

export interface ManifestReading {
  links: Map<string, ManifestLinks>;
  /** Versions GitHub still lists that the registry did not serve, with why. */
  unreadable: Map<string, string>;
}

export async function readManifestLinks(
  reader: ManifestReader,
  repository: string,
  versions: readonly PackageVersion[],
  concurrency: number,
  log: Log,
  /** The digests GitHub lists now: asked only after a read failed. */
  listedNow: () => Promise<ReadonlySet<string>>,
): Promise<ManifestReading> {
  const links = new Map<string, ManifestLinks>();
  const unreadable = new Map<string, string>();
  const listed = new Set<string>();
  const present = new Set(versions.map((v) => v.digest));
  const tagged = versions.filter((v) => v.tags.length > 0).map((v) => v.digest);
  // With no tagged version, nothing is listed yet, so every version is unexplained: read
  // them all. (Reading none once left an untagged index's children looking like images.)
  let batch = tagged.length > 0 ? tagged : versions.map((v) => v.digest);
  while (batch.length > 0) {
    const read = await mapLimit(batch, concurrency, async (digest) => [digest, await readOne(reader, repository, digest)] as const);
    const failed = read.filter((r): r is readonly [string, string] => typeof r[1] === 'string');
    const stillListed = failed.length > 0 ? await listedNow() : new Set<string>();
    const nestedIndexes: string[] = [];
    for (const [digest, own] of read) {
      if (typeof own === 'string') {
        if (stillListed.has(digest)) unreadable.set(digest, own);
        // Deleted meanwhile: GitHub no longer lists it, so it relates to nothing.
        else log.debug(`${repository}@${digest} (${own}) is no longer listed by GitHub: deleted meanwhile`);
        links.set(digest, { listed: [] });
        continue;
      }
      links.set(digest, own);
      for (const entry of own.listed) {
        listed.add(entry.digest);
        if (isIndexMediaType(entry.mediaType) && present.has(entry.digest)) nestedIndexes.push(entry.digest);
      }
    }
    const unexplained = versions.filter((v) => !listed.has(v.digest)).map((v) => v.digest);
    batch = [...new Set([...nestedIndexes, ...unexplained])].filter((digest) => !links.has(digest));
  }
  return { links, unreadable };
}

/** The manifest's relations, or why it could not be read. */
async function readOne(reader: ManifestReader, repository: string, digest: string): Promise<ManifestLinks | string> {
  try {
    const raw = await reader.getManifest(repository, digest);
    return raw ? manifestLinks(raw) : 'the registry does not serve it';
  } catch (err) {
    if (err instanceof AuthenticationError || err instanceof PermissionError) throw err;
    return (err as Error).message;
  }
}
