// Which package versions belong to which. GHCR lists every manifest of an image as its
// own version and says nothing about how they relate, so the relations come from the
// manifests themselves and from the tags:
//   - an index lists its platform manifests and buildx attestation manifests;
//   - an artifact with a `subject` (signature, SBOM) refers to that manifest;
//   - a `sha256-<hex>` tag holds the OCI referrers fallback index of sha256:<hex>, and
//     cosign stores signatures and attestations as `sha256-<hex>.sig` / `.att` / `.sbom`.
// A dependent must go when its parent goes and must stay while its parent stays.
// Pure: test/unit/cleanup-plan.test.ts covers it together with the planner.
import type { PackageVersion } from '../github/container-package.js';
import { isAttestationManifest } from '../oci/platforms.js';
import { referrerTagSubject } from '../oci/referrer-tags.js';
import { isIndexMediaType, type Descriptor, type ImageIndex, type RawManifest } from '../oci/types.js';

export type DependentKind = 'platform manifest' | 'attestation' | 'referrer';

export interface Dependent {
  digest: string;
  kind: DependentKind;
}

/** What one manifest says about others: the manifests it lists, the one it refers to. */
export interface ManifestLinks {
  listed: Descriptor[];
  subject?: string;
}

export function manifestLinks(raw: RawManifest): ManifestLinks {
  const json = JSON.parse(raw.bytes.toString('utf8')) as Partial<ImageIndex>;
  return {
    listed: isIndexMediaType(raw.mediaType) ? (json.manifests ?? []) : [],
    ...(json.subject?.digest ? { subject: json.subject.digest } : {}),
  };
}

/** Parent digest -> the versions that belong to it, from manifests read and tags listed. */
export function dependentsOf(versions: readonly PackageVersion[], links: ReadonlyMap<string, ManifestLinks>): Map<string, Dependent[]> {
  const dependents = new Map<string, Dependent[]>();
  const seen = new Set<string>();
  const add = (parent: string, digest: string, kind: DependentKind): void => {
    const key = `${parent} ${digest}`;
    if (parent === digest || seen.has(key)) return;
    seen.add(key);
    (dependents.get(parent) ?? dependents.set(parent, []).get(parent)!).push({ digest, kind });
  };
  for (const version of versions) {
    const referrerOf = version.tags.map(referrerTagSubject).filter((s): s is string => s !== undefined);
    for (const subject of referrerOf) add(subject, version.digest, 'referrer');
    const own = links.get(version.digest);
    if (!own) continue;
    if (own.subject) add(own.subject, version.digest, 'referrer');
    for (const entry of own.listed) {
      // A referrers fallback index lists referrers, not parts of an image.
      const kind: DependentKind = referrerOf.length > 0 ? 'referrer' : isAttestationManifest(entry) ? 'attestation' : 'platform manifest';
      add(version.digest, entry.digest, kind);
    }
  }
  return dependents;
}
