// Whether production serves an image, proven from bytes: the manifest fetched by digest
// and hashed to that digest, and every manifest it lists (platform and attestation
// manifests, nested indexes) fetched and hashed likewise. A 200 to HEAD, or a
// Docker-Content-Digest header, is only the registry's word: a mirror or proxy can give
// either while serving nothing, or something else, and the staging copy is the last one.
import { DigestMismatchError, sha256Digest } from '../oci/digest.js';
import { shortDigest } from '../util/format.js';
import { manifestLinks } from './dependents.js';
import type { ManifestReader } from './io.js';

/** Undefined when production provably serves the image whole; otherwise what is missing. */
export async function unprovenInProduction(production: ManifestReader, repository: string, digest: string): Promise<string | undefined> {
  const seen = new Set([digest]);
  const queue = [digest];
  for (let current = queue.shift(); current !== undefined; current = queue.shift()) {
    const what = current === digest ? 'the image' : `${shortDigest(current)}, which the image lists`;
    const otherBytes = `production serves bytes that do not hash to the digest of ${what}`;
    let raw;
    try {
      raw = await production.getManifest(repository, current);
    } catch (err) {
      if (err instanceof DigestMismatchError) return otherBytes;
      throw err;
    }
    if (!raw) return `production does not serve ${what}`;
    if (sha256Digest(raw.bytes) !== current) return otherBytes;
    for (const entry of manifestLinks(raw).listed) {
      if (seen.has(entry.digest)) continue;
      seen.add(entry.digest);
      queue.push(entry.digest);
    }
  }
  return undefined;
}
