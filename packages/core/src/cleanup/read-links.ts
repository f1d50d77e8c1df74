// Reading the manifests that say how a package's versions relate (see dependents.ts),
// from the staging registry, by digest. Every tagged version is read: any of them may
// be an index listing a child that a candidate shares, and a child is only safe to
// delete once no kept index lists it. Then untagged versions nothing listed so far
// (an untagged index, a referrer pushed by digest, an orphan) and listed entries that
// are themselves indexes, until nothing new turns up. Children listed by an index are
// known without reading them, so a package costs one read per image, not per version.
import type { PackageVersion } from '../github/packages.js';
import type { Log } from '../log.js';
import type { RegistryClient } from '../oci/registry-client.js';
import { isIndexMediaType } from '../oci/types.js';
import { mapLimit } from '../util/concurrency.js';
import { manifestLinks, type ManifestLinks } from './dependents.js';

export async function readManifestLinks(
  client: RegistryClient,
  repository: string,
  versions: readonly PackageVersion[],
  concurrency: number,
  log: Log,
): Promise<Map<string, ManifestLinks>> {
  const links = new Map<string, ManifestLinks>();
  const listed = new Set<string>();
  const present = new Set(versions.map((v) => v.digest));
  let batch = versions.filter((v) => v.tags.length > 0).map((v) => v.digest);
  while (batch.length > 0) {
    const read = await mapLimit(batch, concurrency, async (digest) => {
      const raw = await client.getManifest(repository, digest);
      // Listed by the API but not served by the registry: deleted meanwhile; it relates to nothing.
      if (!raw) log.debug(`${client.registry}/${repository}@${digest} is listed as a version but the registry does not serve it`);
      return [digest, raw ? manifestLinks(raw) : { listed: [] }] as const;
    });
    const nestedIndexes: string[] = [];
    for (const [digest, own] of read) {
      links.set(digest, own);
      for (const entry of own.listed) {
        listed.add(entry.digest);
        if (isIndexMediaType(entry.mediaType) && present.has(entry.digest)) nestedIndexes.push(entry.digest);
      }
    }
    const unexplained = versions.filter((v) => !listed.has(v.digest)).map((v) => v.digest);
    batch = [...new Set([...nestedIndexes, ...unexplained])].filter((digest) => !links.has(digest));
  }
  return links;
}
