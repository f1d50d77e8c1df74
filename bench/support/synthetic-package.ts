// A package of 10,000 versions as GHCR would list it, in memory, for timing the planner:
// 1,600 multi-arch images (index, 2 platform manifests, 2 buildx attestations), 100 of
// them sharing their linux/amd64 manifest with the image before (reproducible builds),
// 1,100 single-platform images, 500 cosign signatures (sha256-<hex>.sig) and 250 OCI
// referrers with their sha256-<hex> fallback indexes. Ages spread over 60 days.
import { createHash } from 'node:crypto';
import type { ManifestLinks } from '@ci-actions/publishing/cleanup/dependents.js';
import type { PackageVersion } from '@ci-actions/publishing/github/container-package.js';

export interface SyntheticPackage {
  versions: PackageVersion[];
  /** What read-links.ts would have read: tagged versions' manifests. */
  links: Map<string, ManifestLinks>;
  /** Index digests, oldest first. */
  indexes: string[];
}

const MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const ATTESTATION = { 'vnd.docker.reference.type': 'attestation-manifest' };

export function syntheticPackage(now: number): SyntheticPackage {
  const versions: PackageVersion[] = [];
  const links = new Map<string, ManifestLinks>();
  const indexes: string[] = [];
  let n = 0;
  const digest = () => `sha256:${createHash('sha256').update(String(n++)).digest('hex')}`;
  const add = (tags: string[], age: number): string => {
    const d = digest();
    versions.push({ id: versions.length + 1, digest: d, tags, createdAt: now - age });
    return d;
  };
  const ageOf = (i: number, of: number) => ((of - i) / of) * 60 * 24 * 3_600_000;
  const entry = (d: string, annotations?: Record<string, string>) => ({ mediaType: MANIFEST, digest: d, size: 1, ...(annotations ? { annotations } : {}) });

  let previousAmd = '';
  for (let i = 0; i < 1600; i++) {
    const age = ageOf(i, 1600);
    const shares = i % 16 === 1;
    const amd = shares ? previousAmd : add([], age);
    const arm = add([], age);
    const attestations = [add([], age), add([], age)];
    const index = add([`build-${i}`], age);
    links.set(index, { listed: [entry(amd), entry(arm), ...attestations.map((a) => entry(a, ATTESTATION))] });
    indexes.push(index);
    previousAmd = amd;
  }
  for (let i = 0; i < 1100; i++) links.set(add([`single-${i}`], ageOf(i, 1100)), { listed: [] });
  for (let i = 0; i < 500; i++) links.set(add([`${indexes[i * 3].replace(':', '-')}.sig`], ageOf(i * 3, 1600)), { listed: [] });
  for (let i = 0; i < 250; i++) {
    const subject = indexes[i * 6 + 1];
    const referrer = add([], ageOf(i * 6 + 1, 1600));
    links.set(add([subject.replace(':', '-')], ageOf(i * 6 + 1, 1600)), { listed: [entry(referrer)] });
  }
  return { versions, links, indexes };
}
