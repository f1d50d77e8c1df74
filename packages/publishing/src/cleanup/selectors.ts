// What the inputs name: this run's images (`staged`), images never to delete
// (`protected`), and where each package lives in production. An image is named by
// digest, by tag, or by a staging image reference (ghcr.io/acme/app@sha256:...), which
// also names its package. Pure: test/unit/cleanup-selectors.test.ts covers it.
import type { PackageVersion } from '../github/container-package.js';
import { DIGEST, isTag, parseReference, ReferenceError, type ImageReference } from '../oci/reference.js';
import { DomainError } from '../errors.js';

export interface ImageSelector {
  /** The entry as written, for messages. */
  text: string;
  /** The package an image reference names; undefined matches every package. */
  package?: string;
  digest?: string;
  tag?: string;
}

export interface StagingLocation {
  /** Registry host of the packages, e.g. ghcr.io. */
  registry: string;
  owner: string;
}

export function parseImageSelector(text: string, staging: StagingLocation): ImageSelector {
  const value = text.trim();
  if (value.includes('/') || value.includes('@')) {
    const ref = parseReference(value);
    // repository:tag@digest names the image by digest and says the tag is this run's (see plan.ts).
    const named = ref.digest ? { digest: ref.digest, ...(ref.tag ? { tag: ref.tag } : {}) } : { tag: ref.tag ?? 'latest' };
    return { text: value, package: stagingPackageOf(ref, value, staging), ...named };
  }
  if (/^sha\d+:/.test(value)) {
    if (!DIGEST.test(value)) throw new DomainError(`"${value}" is not a digest (expected sha256: and 64 lowercase hex digits)`);
    return { text: value, digest: value };
  }
  if (!isTag(value)) throw new DomainError(`"${value}" is neither a digest, a tag nor an image reference`);
  return { text: value, tag: value };
}

/**
 * A package to clean: its GHCR name (webauthn-server, team/app) or its staging repository
 * (ghcr.io/acme/webauthn-server), as load-config's images-json gives it.
 */
export function parseStagingPackage(text: string, staging: StagingLocation): string {
  const value = text.trim();
  const first = value.split('/')[0];
  const startsWithHost = value.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  // A bare name is the repository it names below the owner: both forms follow the reference grammar.
  let ref: ImageReference;
  try {
    ref = parseReference(startsWithHost ? value : `${staging.registry}/${staging.owner.toLowerCase()}/${value}`);
  } catch (err) {
    if (startsWithHost || !(err instanceof ReferenceError)) throw err;
    throw new DomainError(`"${value}" is not a package name (${err.reason})`, { cause: err });
  }
  if (ref.digest || ref.tag) throw new DomainError(`"${value}" names an image; a package is named without tag or digest`);
  return stagingPackageOf(ref, value, staging);
}

/** The GHCR package a staging reference is in (the repository below the owner). */
function stagingPackageOf(ref: ImageReference, value: string, staging: StagingLocation): string {
  if (ref.registry !== staging.registry) throw new DomainError(`"${value}" is not in the staging registry ${staging.registry}`);
  const [owner, ...rest] = ref.repository.split('/');
  if (owner !== staging.owner.toLowerCase() || rest.length === 0) {
    throw new DomainError(`"${value}" is not a package of ${staging.owner} (expected ${staging.registry}/${staging.owner.toLowerCase()}/<package>)`);
  }
  return rest.join('/');
}

export interface SelectorMatch {
  /** Digest of each version named, with the tags it was named by ([] when named by digest alone). */
  digests: Map<string, string[]>;
  matched: ImageSelector[];
}

/** The versions of one package that the selectors name. */
export function matchSelectors(selectors: readonly ImageSelector[], packageName: string, versions: readonly PackageVersion[]): SelectorMatch {
  const byDigest = new Map(versions.map((v) => [v.digest, v]));
  const byTag = new Map(versions.flatMap((v) => v.tags.map((t) => [t, v] as const)));
  const digests = new Map<string, string[]>();
  const matched: ImageSelector[] = [];
  for (const selector of selectors) {
    if (selector.package !== undefined && selector.package !== packageName) continue;
    const version = selector.digest ? byDigest.get(selector.digest) : byTag.get(selector.tag!);
    if (!version) continue;
    matched.push(selector);
    const tags = digests.get(version.digest) ?? [];
    if (selector.tag) tags.push(selector.tag);
    digests.set(version.digest, tags);
  }
  return { digests, matched };
}

/**
 * `production-repository` entries: `docker.io/acme/app`, or `<package>=docker.io/acme/app`
 * when several packages are cleaned. Returns the repository of each package named.
 * A package's own staging repository is refused: post-production-cleanup would find every
 * image "in production" there, and delete it with every tag it has.
 */
export function parseProductionRepositories(entries: readonly string[], packages: readonly string[], staging: StagingLocation): Map<string, ImageReference> {
  const repositories = new Map<string, ImageReference>();
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const name = eq >= 0 ? entry.slice(0, eq).trim() : packages.length === 1 ? packages[0] : undefined;
    if (name === undefined) throw new DomainError(`"${entry}" does not say which package it is for; with several packages write <package>=<repository>`);
    if (!packages.includes(name)) throw new DomainError(`"${entry}" names package "${name}", which is not being cleaned (packages: ${packages.join(', ')})`);
    const ref = parseReference(entry.slice(eq + 1));
    if (ref.tag || ref.digest) throw new DomainError(`"${entry}" has a tag or digest; name the repository only`);
    const own = parseReference(`${staging.registry}/${staging.owner.toLowerCase()}/${name}`);
    if (ref.registry === own.registry && ref.repository === own.repository) {
      throw new DomainError(`"${entry}" is the staging repository of package ${name} itself; name the production repository its images are promoted to`);
    }
    repositories.set(name, ref);
  }
  return repositories;
}
