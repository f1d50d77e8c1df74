// Putting images into a test registry the way a build would, with skopeo (not with the
// code under test): an image under a tag, and a referrer artifact published with the
// OCI 1.1 tag fallback (a `sha256-<hex>` tag holding an index of referrers), which is
// what clients do against registries without the referrers API, distribution 2.8 included.
import { buildReferrer, type ReferrerLayout } from './oci-artifact.js';
import { buildImage, type BuildImageOptions, type ImageLayout } from './oci-image.js';
import { MEDIA_TYPES } from './oci-layout.js';
import { putRawManifest } from './raw-manifest.js';
import type { Registry } from './registry.js';
import { pushLayout, type Credentials } from './skopeo.js';

export async function stageImage(host: string, repository: string, tag: string, creds: Credentials, options: BuildImageOptions = {}): Promise<ImageLayout> {
  const image = await buildImage({ name: repository, ...options });
  await pushLayout(image, `docker://${host}/${repository}:${tag}`, creds);
  return image;
}

export async function stageReferrer(
  registry: Registry,
  repository: string,
  subject: { digest: string; size: number; mediaType: string },
  creds: Credentials,
  artifactType = 'application/spdx+json',
): Promise<ReferrerLayout> {
  const referrer = await buildReferrer({ subject, artifactType, payload: JSON.stringify({ spdxVersion: 'SPDX-2.3', name: repository }) });
  // The artifact under a throwaway tag (skopeo pushes it byte for byte), then the index.
  await pushLayout(referrer, `docker://${registry.host}/${repository}:referrer-${referrer.digest.slice(7, 19)}`, creds);
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.index,
      manifests: [{ mediaType: referrer.mediaType, digest: referrer.digest, size: referrer.size, artifactType }],
    }),
  );
  await putRawManifest(registry, repository, subject.digest.replace(':', '-'), index, MEDIA_TYPES.index, creds);
  return referrer;
}

/**
 * A signature (or attestation, SBOM) stored the way cosign stores them by default: an
 * artifact under the tag `sha256-<hex>.sig` (`.att`, `.sbom`) of the digest it is about.
 */
export async function stageCosignTag(
  host: string,
  repository: string,
  subject: { digest: string; size: number; mediaType: string },
  creds: Credentials,
  suffix: 'sig' | 'att' | 'sbom' = 'sig',
  payload = 'signature',
): Promise<ReferrerLayout & { cosignTag: string }> {
  const artifact = await buildReferrer({ subject, artifactType: `application/vnd.dev.cosign.artifact.${suffix}.v1+json`, payload });
  const cosignTag = `${subject.digest.replace(':', '-')}.${suffix}`;
  await pushLayout(artifact, `docker://${host}/${repository}:${cosignTag}`, creds);
  return { ...artifact, cosignTag };
}
