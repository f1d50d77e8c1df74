// Which entries of an index a promotion keeps. Pure: table-driven tests cover it.
import { ATTESTATION_MANIFEST, ATTESTATION_REFERENCE_DIGEST, ATTESTATION_REFERENCE_TYPE, platformString, type Descriptor } from './types.js';

export function isAttestationManifest(d: Descriptor): boolean {
  return d.annotations?.[ATTESTATION_REFERENCE_TYPE] === ATTESTATION_MANIFEST;
}

/** `linux/arm64/v8` matches a filter entry `linux/arm64`; `linux/arm/v7` needs its variant. */
export function platformMatches(d: Descriptor, filter: string): boolean {
  if (!d.platform) return false;
  const [os, architecture, variant] = filter.split('/');
  if (d.platform.os !== os || d.platform.architecture !== architecture) return false;
  return variant === undefined || d.platform.variant === variant;
}

export interface ManifestSelection {
  keep: Descriptor[];
  dropped: Descriptor[];
  /** Filter entries that matched nothing in the index. */
  unmatched: string[];
}

/**
 * Keeps the platform manifests the filter names (all when it is empty) and, when asked,
 * the attestation manifests that describe a kept platform manifest. Order is preserved.
 */
export function selectManifests(manifests: readonly Descriptor[], platforms: readonly string[], includeAttestations: boolean): ManifestSelection {
  const images = manifests.filter((d) => !isAttestationManifest(d));
  const keptImages = new Set(images.filter((d) => platforms.length === 0 || platforms.some((p) => platformMatches(d, p))).map((d) => d.digest));
  const keep = manifests.filter((d) =>
    isAttestationManifest(d) ? includeAttestations && keptImages.has(d.annotations?.[ATTESTATION_REFERENCE_DIGEST] ?? '') : keptImages.has(d.digest),
  );
  const kept = new Set(keep);
  return {
    keep,
    dropped: manifests.filter((d) => !kept.has(d)),
    unmatched: platforms.filter((p) => !images.some((d) => platformMatches(d, p))),
  };
}

export function describePlatforms(manifests: readonly Descriptor[]): string {
  return manifests
    .filter((d) => !isAttestationManifest(d))
    .map((d) => platformString(d.platform))
    .join(', ');
}
