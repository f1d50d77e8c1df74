// Which configured image each staged image is, and where it goes: one promotion per staged
// image, for the stage gate's promote matrix. A staged image is named by its staging
// repository with a tag, a digest or both (ghcr.io/acme/app:sha-1a2b3c4@sha256:...), or by a
// bare digest when only one image is configured. Pure: test/unit/gate.test.ts covers it.
import type { ImageRepositories } from '../config/outputs.js';
import { DOCKER_HUB, DIGEST, formatReference, parseReference } from '../oci/reference.js';
import { DomainError } from '../errors.js';

export interface Promotion {
  /** docker.images[].name */
  name: string;
  /** The staged image as named (a bare digest gets its repository). */
  source: string;
  /** The production repository. */
  destination: string;
  /** Comma-separated platforms to keep; empty keeps all. */
  platforms: string;
  /** Docker Hub description and readme, for destinations on Docker Hub only. */
  description: string;
  readme: string;
}

export class StagedImageError extends DomainError {
  constructor(staged: string, why: string) {
    super(`staged image ${staged}: ${why}`);
  }
}

export function planPromotions(staged: readonly string[], images: readonly ImageRepositories[]): Promotion[] {
  return staged.map((text) => {
    const { image, source } = locate(text, images);
    const onDockerHub = image['production-repository'].startsWith(`${DOCKER_HUB}/`);
    return {
      name: image.name,
      source,
      destination: image['production-repository'],
      platforms: image.platforms.join(','),
      description: onDockerHub ? image.description : '',
      readme: onDockerHub ? image.readme : '',
    };
  });
}

function locate(text: string, images: readonly ImageRepositories[]): { image: ImageRepositories; source: string } {
  if (DIGEST.test(text)) {
    if (images.length !== 1) throw new StagedImageError(text, 'a bare digest needs a single configured image; name the repository (repository@digest)');
    return { image: images[0], source: `${images[0]['staging-repository']}@${text}` };
  }
  let ref;
  try {
    ref = parseReference(text);
  } catch (err) {
    throw new StagedImageError(text, (err as Error).message);
  }
  if (!ref.tag && !ref.digest) throw new StagedImageError(text, 'expected repository:tag, repository@sha256:<digest> or repository:tag@sha256:<digest>');
  const repository = formatReference({ registry: ref.registry, repository: ref.repository });
  const image = images.find((i) => i['staging-repository'] === repository);
  if (!image) {
    throw new StagedImageError(
      text,
      `${repository} is the staging repository of no configured image (${images.map((i) => i['staging-repository']).join(', ')})`,
    );
  }
  return { image, source: text };
}
