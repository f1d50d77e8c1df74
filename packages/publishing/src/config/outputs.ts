// Flattens the resolved configuration into step outputs. Pure: the action writes the
// record only once everything is computed, so a failure leaves no partial outputs.
import type { ImageConfig, PublishingConfig, RegistryLocation } from './types.js';
import { DomainError } from '../errors.js';

export interface ImageRepositories {
  name: string;
  'staging-repository': string;
  'production-repository': string;
  platforms: string[];
  description: string;
  readme: string;
}

export class UnknownImageError extends DomainError {
  constructor(image: string, known: string[]) {
    super(`no image named "${image}" in docker.images; configured images: ${known.join(', ')}`, { subject: { kind: 'image', name: image } });
  }
}

export function imageRepositories(config: PublishingConfig): ImageRepositories[] {
  const { staging, production, images } = config.docker;
  return images.map((image: ImageConfig) => ({
    name: image.name,
    'staging-repository': repository(staging, image.name),
    'production-repository': repository(production, image['production-name'] ?? image.name),
    platforms: image.platforms ?? [],
    description: image.description ?? '',
    readme: image.readme ?? '',
  }));
}

/**
 * Every output load-config sets. `selectedImage` picks the image the flat
 * `docker-*-repository` outputs describe (default: the first one configured).
 */
export function configOutputs(config: PublishingConfig, selectedImage = ''): Record<string, string> {
  const images = imageRepositories(config);
  const image = selectedImage ? images.find((i) => i.name === selectedImage) : images[0];
  if (!image)
    throw new UnknownImageError(
      selectedImage,
      images.map((i) => i.name),
    );
  const { npm, maven, versioning, publishing, cleanup } = config;
  return {
    'docker-staging-registry': config.docker.staging.registry,
    'docker-staging-namespace': config.docker.staging.namespace,
    'docker-production-registry': config.docker.production.registry,
    'docker-production-namespace': config.docker.production.namespace,
    'image-names': JSON.stringify(images.map((i) => i.name)),
    'images-json': JSON.stringify(images),
    image: image.name,
    'docker-staging-repository': image['staging-repository'],
    'docker-production-repository': image['production-repository'],
    'image-platforms': image.platforms.join(','),
    'npm-enabled': String(npm !== undefined),
    'npm-registry': npm?.registry ?? '',
    'npm-scope': npm?.scope ?? '',
    'npm-access': npm?.access ?? '',
    'npm-provenance': String(npm?.provenance ?? false),
    'npm-staged': String(npm?.staged ?? false),
    'npm-package-paths': (npm?.packages ?? []).map((p) => p.path).join('\n'),
    'maven-enabled': String(maven !== undefined),
    'maven-group-id': maven?.['group-id'] ?? '',
    'maven-repository-path': maven?.['repository-path'] ?? '',
    'maven-central-url': maven?.['central-url'] ?? '',
    'maven-publishing-type': maven?.['publishing-type'] ?? '',
    'maven-wait-until': maven?.['wait-until'] ?? '',
    'maven-snapshots': String(maven?.snapshots ?? false),
    'base-version': versioning['base-version'],
    'version-offset': String(versioning.offset),
    'version-on-regression': versioning['on-regression'],
    'version-tag-prefix': versioning['tag-prefix'],
    'version-floating-tags': String(versioning['floating-tags']),
    'production-branch': publishing['production-branch'],
    'force-publish': String(publishing['force-publish']),
    'cleanup-keep-last': String(cleanup['keep-last']),
    'cleanup-max-age-days': String(cleanup['max-age-days']),
    'preserve-marker': cleanup['preserve-marker'],
    'config-json': JSON.stringify(config),
  };
}

function repository(location: RegistryLocation, name: string): string {
  return `${location.registry}/${location.namespace}/${name}`;
}
