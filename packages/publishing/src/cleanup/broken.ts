// Images that no longer pull whole, found from the manifests read (dependents.ts) and
// the versions GitHub lists. A platform manifest gone from the package means the
// registry no longer serves it: the index still resolves, its pull fails.
//   ghost     an index every platform manifest of which is gone;
//   partial   an index some platform manifests of which are gone;
//   orphaned  a referrer, signature or attestation whose subject is gone (by its
//             sha256-<hex> tag, or its manifest's subject field).
// Attestation manifests an index lists do not count: an image pulls without them.
// Pure: test/unit/cleanup-plan.test.ts covers it.
import type { PackageVersion } from '../github/container-package.js';
import { isAttestationManifest } from '../oci/platforms.js';
import { referrerTagSubject } from '../oci/referrer-tags.js';
import type { ManifestLinks } from './dependents.js';

export interface BrokenImage {
  kind: 'ghost' | 'partial' | 'orphaned';
  /** The digests it lists or refers to that are gone. */
  missing: string[];
}

export function findBrokenImages(versions: readonly PackageVersion[], links: ReadonlyMap<string, ManifestLinks>): Map<string, BrokenImage> {
  const present = new Set(versions.map((v) => v.digest));
  const broken = new Map<string, BrokenImage>();
  for (const version of versions) {
    const own = links.get(version.digest);
    const subjects = [...version.tags.map(referrerTagSubject), own?.subject].filter((s): s is string => s !== undefined);
    const gone = subjects.filter((s) => !present.has(s));
    if (gone.length > 0) {
      broken.set(version.digest, { kind: 'orphaned', missing: [...new Set(gone)] });
      continue;
    }
    // A referrers fallback index lists referrers, not platforms: never a ghost.
    if (!own || subjects.length > 0) continue;
    const platforms = own.listed.filter((entry) => !isAttestationManifest(entry));
    const missing = platforms.map((entry) => entry.digest).filter((digest) => !present.has(digest));
    if (missing.length === 0) continue;
    broken.set(version.digest, { kind: missing.length === platforms.length ? 'ghost' : 'partial', missing });
  }
  return broken;
}
