// What a test registry stores for one repository, read from distribution's storage
// layout (read-only): every manifest revision, tagged or not, and the tags. The
// registry API cannot list untagged manifests, and GHCR lists each of them as a
// package version, so this is how a stand-in for the GitHub Packages API learns them.
//
//   <root>/docker/registry/v2/repositories/<repo>/_manifests/revisions/sha256/<hex>/link
//   <root>/docker/registry/v2/repositories/<repo>/_manifests/tags/<tag>/current/link
// and the repositories of an owner, for the packages GitHub lists.
// Deleting a manifest through the API removes its revision link (the directory stays)
// and every tag on it.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Registry } from './registry.js';

export interface StoredManifest {
  digest: string;
  tags: string[];
  /** When the revision link was written: the first push, for the emulator's purposes. */
  storedAt: Date;
}

export function storedManifests(registry: Registry, repository: string): StoredManifest[] {
  const base = manifestsDir(registry, repository);
  const tags = new Map<string, string[]>();
  for (const tag of entries(join(base, 'tags'))) {
    const digest = readLink(join(base, 'tags', tag, 'current', 'link'));
    if (digest) tags.set(digest, [...(tags.get(digest) ?? []), tag]);
  }
  const manifests: StoredManifest[] = [];
  for (const hex of entries(join(base, 'revisions', 'sha256'))) {
    const link = join(base, 'revisions', 'sha256', hex, 'link');
    const digest = readLink(link);
    const storedAt = digest ? modified(link) : undefined;
    if (digest && storedAt) manifests.push({ digest, tags: (tags.get(digest) ?? []).sort(), storedAt });
  }
  return manifests;
}

/**
 * Digests that tags point at and that are still stored, at most `enough` of them: whether a
 * manifest is the last tagged one needs two at most, not a read of every revision.
 */
export function taggedDigests(registry: Registry, repository: string, enough: number): string[] {
  const base = manifestsDir(registry, repository);
  const found = new Set<string>();
  for (const tag of entries(join(base, 'tags'))) {
    const digest = readLink(join(base, 'tags', tag, 'current', 'link'));
    if (!digest || found.has(digest) || !readLink(join(base, 'revisions', 'sha256', digest.slice(7), 'link'))) continue;
    found.add(digest);
    if (found.size >= enough) break;
  }
  return [...found];
}

/** The repositories below `owner/` that hold at least one manifest (a package name may have slashes: team/app). */
export function storedRepositories(registry: Registry, owner: string): string[] {
  const root = join(registry.storageDir, 'docker/registry/v2/repositories');
  const found: string[] = [];
  const walk = (repository: string): void => {
    if (entries(join(root, repository)).includes('_manifests')) {
      if (storedManifests(registry, repository).length > 0) found.push(repository);
      return;
    }
    for (const child of entries(join(root, repository))) walk(`${repository}/${child}`);
  };
  walk(owner);
  return found.sort();
}

function manifestsDir(registry: Registry, repository: string): string {
  return join(registry.storageDir, 'docker/registry/v2/repositories', repository, '_manifests');
}

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function readLink(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** A manifest deleted while we look has no link left to stat. */
function modified(path: string): Date | undefined {
  try {
    return statSync(path).mtime;
  } catch {
    return undefined;
  }
}
