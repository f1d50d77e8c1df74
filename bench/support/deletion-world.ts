// The world the cleanup benchmarks (bench/cleanup, bench/retention) delete in: the real
// staging registry of test/harness/world.ts with the GitHub Packages API emulator over it
// (organisation acme, one token that may write packages), and packages pushed into it of
// synthetic multi-arch images (index, 2 platform manifests, 2 buildx attestations): the
// ones to delete, backdated so that they are the oldest, and KEPT_IMAGES newer ones to keep.
// A deleter passes when only the kept images' versions are left and each still pulls whole.
import { pullsCompletely } from '../../test/harness/pull-check.js';
import { storedManifests } from '../../test/harness/registry-storage.js';
import { pushSyntheticImages } from '../../test/harness/synthetic-images.js';
import { startRegistries, type World } from '../../test/harness/world.js';
import { startGitHubApi, type GitHubApi } from '../../test/github-api/emulator.js';
import type { DeleteJob } from './deleters.js';

const OWNER = 'acme';
const TOKEN = 'ghs_benchCLEANUP000000000000000000000000';
/** An image's versions: its index, 2 platform manifests and their 2 attestations. */
export const VERSIONS_PER_IMAGE = 5;
export const KEPT_IMAGES = 4;
export const KEPT_VERSIONS = KEPT_IMAGES * VERSIONS_PER_IMAGE;

export interface DeletionWorld {
  world: World;
  api: GitHubApi;
}

/** A package as pushed: its images to delete (tag and index digest), and its kept images' tags. */
export interface BenchPackage {
  name: string;
  repository: string;
  doomed: { tag: string; digest: string }[];
  keptTags: string[];
}

/** What `measure` returns, measured in a world started for it and stopped after; it fails if any
 *  request sent meanwhile strays from GitHub's OpenAPI description. */
export async function inDeletionWorld<T>(measure: (w: DeletionWorld) => Promise<T>): Promise<T> {
  const world = await startRegistries();
  let api: GitHubApi | undefined;
  try {
    api = await startGitHubApi({
      registry: world.staging,
      credentials: world.creds.staging.ci,
      owners: { [OWNER]: 'Organization' },
      tokens: { [TOKEN]: 'write' },
    });
    const measured = await measure({ world, api });
    if (api.violations.length > 0) throw new Error(`requests that do not match GitHub's OpenAPI description:\n${api.violations.slice(0, 20).join('\n')}`);
    return measured;
  } finally {
    await api?.stop();
    await world.stop();
  }
}

/** Package `name`: `images` images to delete (tagged pr-<i>, pushed `concurrency` at a time), then KEPT_IMAGES to keep (main-<i>). */
export async function pushPackage({ world, api }: DeletionWorld, name: string, images: number, concurrency?: number): Promise<BenchPackage> {
  const repository = `${OWNER}/${name}`;
  const doomed = await pushSyntheticImages(world.staging, repository, world.creds.staging.ci, {
    count: images,
    tagPrefix: 'pr',
    attestations: true,
    concurrency,
  });
  const kept = await pushSyntheticImages(world.staging, repository, world.creds.staging.ci, { count: KEPT_IMAGES, tagPrefix: 'main', attestations: true });
  // Backdated: the oldest versions, as delete-package-versions picks them.
  for (const image of doomed) {
    for (const digest of [image.digest, ...image.platformManifests, ...image.attestations])
      api.setCreatedAt(repository, digest, new Date(Date.now() - 3_600_000));
  }
  return { name, repository, doomed: doomed.map(({ tag, digest }) => ({ tag, digest })), keptTags: kept.map((i) => i.tag) };
}

/** The job of deleting `pkg`'s doomed images, through the emulator, reading the staging registry directly. */
export function deleteJob({ world, api }: DeletionWorld, pkg: BenchPackage): DeleteJob {
  return {
    apiUrl: api.url,
    token: TOKEN,
    owner: OWNER,
    package: pkg.name,
    staged: pkg.doomed,
    keepVersions: KEPT_VERSIONS,
    stagingRegistry: world.staging.host,
    stagingCredentials: world.creds.staging.ci,
    remaining: () => storedManifests(world.staging, pkg.repository).length,
  };
}

/** Only the kept images' versions are left, and each still pulls whole; else what `deleter` did wrong. */
export async function checkOnlyKeptLeft({ world }: DeletionWorld, pkg: BenchPackage, deleter: string): Promise<void> {
  const left = storedManifests(world.staging, pkg.repository).length;
  if (left !== KEPT_VERSIONS) throw new Error(`${deleter} left ${left} versions in ${pkg.repository}, expected ${KEPT_VERSIONS}`);
  for (const tag of pkg.keptTags)
    if (!(await pullsCompletely(`${world.staging.host}/${pkg.repository}:${tag}`, world.creds.staging.ci)))
      throw new Error(`${deleter} broke ${pkg.repository}:${tag}: it no longer pulls whole`);
}

/** The API requests sent since the `first`-th, by method. */
export function apiRequestsSince(api: GitHubApi, first: number): { gets: number; deletes: number; all: number } {
  const sent = api.requests.slice(first);
  return { gets: sent.filter((r) => r.method === 'GET').length, deletes: sent.filter((r) => r.method === 'DELETE').length, all: sent.length };
}
