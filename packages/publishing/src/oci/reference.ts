// Image references as Docker, crane and skopeo read them: [registry/]repository[:tag][@digest].
// Grammar from distribution/reference; docker.io rules (library/ for official images,
// registry-1.docker.io as the API host) as the Docker CLI applies them.
import { DomainError } from '../errors.js';

export interface ImageReference {
  /** Registry as written by users, e.g. ghcr.io, docker.io, 127.0.0.1:5000. */
  registry: string;
  /** Repository path inside the registry, e.g. acme/server or library/nginx. */
  repository: string;
  tag?: string;
  digest?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
export const DIGEST = /^sha256:[a-f0-9]{64}$|^sha512:[a-f0-9]{128}$/;
const DOMAIN = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?$|^\[[0-9a-fA-F:]+\](?::[0-9]+)?$/;

export const DOCKER_HUB = 'docker.io';
// Other host names Docker Hub answers to, which mean docker.io in a reference.
const DOCKER_HUB_ALIASES = new Set(['index.docker.io', 'registry-1.docker.io']);

export class ReferenceError extends DomainError {
  constructor(
    reference: string,
    readonly reason: string,
  ) {
    super(`"${reference}" is not a valid image reference: ${reason}`);
  }
}

export function parseReference(input: string): ImageReference {
  const text = input.trim();
  if (!text) throw new ReferenceError(input, 'it is empty');
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new ReferenceError(input, `"${digest}" is not a digest (expected sha256: and 64 lowercase hex digits)`);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new ReferenceError(input, `"${tag}" is not a valid tag (letters, digits, _ . -, at most 128, not starting with . or -)`);
  }
  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  const first = parts[0];
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('['))) {
    registry = parts.shift()!;
    if (!DOMAIN.test(registry)) throw new ReferenceError(input, `"${registry}" is not a valid registry host`);
  }
  if (DOCKER_HUB_ALIASES.has(registry)) registry = DOCKER_HUB;
  if (parts.length === 0 || parts.some((p) => !p)) throw new ReferenceError(input, 'the repository path is empty');
  for (const part of parts) {
    if (!COMPONENT.test(part)) {
      const hint = part !== part.toLowerCase() ? 'repository names must be lowercase' : 'use lowercase letters, digits and single separators (. _ __ -)';
      throw new ReferenceError(input, `"${part}" is not a valid path component: ${hint}`);
    }
  }
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  const repository = parts.join('/');
  if (repository.length > 255) throw new ReferenceError(input, 'the repository path is longer than 255 characters');
  return { registry, repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** The registry a host name means: host names ignore case, and Docker Hub has several. */
export function canonicalRegistry(host: string): string {
  const lower = host.toLowerCase();
  return DOCKER_HUB_ALIASES.has(lower) ? DOCKER_HUB : lower;
}

/** The host the registry API is served from (Docker Hub serves docker.io elsewhere). */
export function apiHost(registry: string): string {
  return registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
}

export function formatReference(ref: ImageReference): string {
  const base = `${ref.registry}/${ref.repository}`;
  return `${base}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

export function isTag(value: string): boolean {
  return TAG.test(value);
}
