// A staging package as it truly is, generated from a small spec, with in-memory fakes of
// what cleanup-staging reads and deletes through (packages/publishing/src/cleanup/io.ts): the
// GitHub Packages API (listing, and deleting with GitHub's refusals), the staging registry
// (with reads that fail) and production (which can lie). test/unit/cleanup-properties.test.ts
// runs the real orchestration on it and judges the outcome against the truth kept here,
// not against what the code managed to read.
import fc from 'fast-check';
import type { CleanupIO, ManifestReader, ManifestWriter, PackageApi } from '@ci-actions/publishing/cleanup/io.js';
import type { DeleteOutcome, PackageOwner, PackageVersion } from '@ci-actions/publishing/github/container-package.js';
import { sha256Digest } from '@ci-actions/publishing/oci/digest.js';
import { MediaType, type RawManifest } from '@ci-actions/publishing/oci/types.js';

export const PACKAGE = 'app';
export const REPOSITORY = `acme/${PACKAGE}`;
export const NOW = Date.parse('2026-06-01T12:00:00Z');
const HOUR = 3_600_000;

export type ReadFault = 'ok' | '404' | '500';
/** What production holds of an image: all of it, nothing, all but one listed manifest, other bytes under its digest, or an error. */
export type ProductionState = 'promoted' | 'absent' | 'missing-child' | 'wrong-bytes' | 'error';
export type Staged = 'no' | 'digest' | 'tag@digest' | 'tag';
export type Referrer = 'none' | 'subject' | 'cosign' | 'fallback';

export interface ImageSpec {
  /** 0: a single-platform manifest; otherwise an index of that many platform manifests. */
  platforms: number;
  attestations: boolean;
  /** Reuse the first platform manifest of an earlier image (a reproducible build). */
  share: boolean;
  /** Tags of this run (this-<i>) and of another pipeline (other-<i>). */
  tags: ('this' | 'other')[];
  referrer: Referrer;
  ageHours: number;
  staged: Staged;
  protected: boolean;
  production: ProductionState;
  /** The image's own version no longer exists: listed once by GitHub, then not; the registry does not serve it. */
  vanished: boolean;
  downloads: number;
  /** Platform manifests gone before the run (a ghost: all, a partial image: one); none when left out. */
  lost?: 'none' | 'one' | 'all';
}

export interface WorldSpec {
  images: ImageSpec[];
  /** Read faults of the staging registry, by version in creation order. */
  faults: ReadFault[];
  public: boolean;
}

const image: fc.Arbitrary<ImageSpec> = fc.record({
  platforms: fc.integer({ min: 0, max: 3 }),
  attestations: fc.boolean(),
  share: fc.boolean(),
  tags: fc.subarray(['this', 'other'] as const),
  referrer: fc.constantFrom<Referrer>('none', 'none', 'subject', 'cosign', 'fallback'),
  ageHours: fc.integer({ min: 0, max: 40 * 24 }),
  staged: fc.constantFrom<Staged>('no', 'digest', 'tag@digest', 'tag@digest', 'tag'),
  protected: fc.constantFrom(false, false, false, false, true),
  production: fc.constantFrom<ProductionState>('promoted', 'promoted', 'promoted', 'absent', 'missing-child', 'wrong-bytes', 'error'),
  vanished: fc.constantFrom(false, false, false, false, false, false, false, true),
  downloads: fc.constantFrom(0, 0, 0, 5000, 5001),
  lost: fc.constantFrom<'none' | 'one' | 'all'>('none', 'none', 'none', 'one', 'all'),
});

export const worldSpec: fc.Arbitrary<WorldSpec> = fc.record({
  images: fc.array(image, { minLength: 1, maxLength: 5 }),
  faults: fc.array(fc.constantFrom<ReadFault>('ok', 'ok', 'ok', 'ok', 'ok', 'ok', '404', '500'), { maxLength: 40 }),
  public: fc.boolean(),
});

export interface TrueVersion {
  digest: string;
  bytes: Buffer;
  mediaType: string;
  tags: string[];
  createdAt: number;
  /** Manifests this one lists (an index), and the manifests that refer to it. */
  lists: string[];
  referrers: string[];
  isReferrer: boolean;
  fault: ReadFault;
  vanished: boolean;
  /** Gone before the run: never listed, never served (a platform manifest of a ghost or partial image). */
  absent: boolean;
  downloads: number;
  /** Pushed by the run to move a tag off an image (untag.ts), not generated. */
  placeholder?: true;
  /** The tags it had before the run, when the run moved some off it. */
  tagsBefore?: string[];
}

export interface World {
  spec: WorldSpec;
  /** Every manifest ever pushed, by digest, in creation order. */
  versions: Map<string, TrueVersion>;
  /** The image (top) digest of each spec image, by index. */
  images: string[];
  production: Map<string, { bytes: Buffer; fail?: boolean }>;
  /** What GitHub deleted, in order. */
  deleted: string[];
}

function manifest(label: string, extra: Record<string, unknown> = {}): { bytes: Buffer; mediaType: string } {
  const config = { mediaType: MediaType.OciEmpty, digest: sha256Digest(Buffer.from('{}')), size: 2 };
  return {
    bytes: Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciManifest, config, layers: [], annotations: { label }, ...extra })),
    mediaType: MediaType.OciManifest,
  };
}

function index(label: string, entries: unknown[]): { bytes: Buffer; mediaType: string } {
  return {
    bytes: Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: entries, annotations: { label } })),
    mediaType: MediaType.OciIndex,
  };
}

/** The package the spec describes, every manifest real JSON whose digest is its sha256. */
export function buildWorld(spec: WorldSpec): World {
  const versions = new Map<string, TrueVersion>();
  const add = (content: { bytes: Buffer; mediaType: string }, fields: Partial<TrueVersion> & { createdAt: number }): TrueVersion => {
    const digest = sha256Digest(content.bytes);
    const existing = versions.get(digest);
    if (existing) return existing;
    const version: TrueVersion = {
      digest,
      ...content,
      tags: [],
      lists: [],
      referrers: [],
      isReferrer: false,
      fault: 'ok',
      vanished: false,
      absent: false,
      downloads: 0,
      ...fields,
    };
    version.fault = spec.faults[versions.size] ?? 'ok';
    versions.set(digest, version);
    return version;
  };
  const descriptor = (v: TrueVersion, annotations?: Record<string, string>) => ({
    mediaType: v.mediaType,
    digest: v.digest,
    size: v.bytes.length,
    ...(annotations ? { annotations } : {}),
  });
  const images: string[] = [];
  const platformsOf: string[][] = [];
  spec.images.forEach((s, i) => {
    const createdAt = NOW - s.ageHours * HOUR;
    let top: TrueVersion;
    const children: TrueVersion[] = [];
    if (s.platforms === 0) {
      top = add(manifest(`image-${i}`), { createdAt });
    } else {
      const earlier = platformsOf.find((p) => p.length > 0);
      for (let p = 0; p < s.platforms; p++) {
        children.push(p === 0 && s.share && earlier ? versions.get(earlier[0])! : add(manifest(`image-${i}-platform-${p}`), { createdAt }));
      }
      const attestations = s.attestations ? children.map((_child, p) => add(manifest(`image-${i}-attestation-${p}`), { createdAt })) : [];
      const entries = [
        ...children.map((c) => descriptor(c)),
        ...attestations.map((a, p) =>
          descriptor(a, { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': children[p].digest }),
        ),
      ];
      top = add(index(`image-${i}`, entries), { createdAt });
      top.lists = [...children, ...attestations].map((c) => c.digest);
      for (const child of s.lost === 'all' ? children : s.lost === 'one' ? children.slice(-1) : []) child.absent = true;
    }
    platformsOf.push(children.map((c) => c.digest));
    top.tags = s.tags.map((run) => `${run}-${i}`);
    top.vanished = s.vanished;
    top.downloads = s.downloads;
    images.push(top.digest);
    const subject = { mediaType: top.mediaType, digest: top.digest, size: top.bytes.length };
    if (s.referrer === 'subject' || s.referrer === 'fallback') {
      const sbom = add(manifest(`sbom-${i}`, { artifactType: 'application/spdx+json', subject }), { createdAt, isReferrer: true });
      top.referrers.push(sbom.digest);
      if (s.referrer === 'fallback') {
        const fallback = add(index(`referrers-${i}`, [descriptor(sbom)]), { createdAt, isReferrer: true });
        fallback.tags = [top.digest.replace(':', '-')];
        fallback.lists = [sbom.digest];
        top.referrers.push(fallback.digest);
      }
    }
    if (s.referrer === 'cosign') {
      const signature = add(manifest(`signature-${i}`, { artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json' }), { createdAt, isReferrer: true });
      signature.tags = [`${top.digest.replace(':', '-')}.sig`];
      top.referrers.push(signature.digest);
    }
  });
  return { spec, versions, images, production: productionOf(spec, versions, images), deleted: [] };
}

/** What production holds: the listing closure of each promoted image, with its lies. */
function productionOf(spec: WorldSpec, versions: ReadonlyMap<string, TrueVersion>, images: readonly string[]): Map<string, { bytes: Buffer; fail?: boolean }> {
  const production = new Map<string, { bytes: Buffer; fail?: boolean }>();
  spec.images.forEach((s, i) => {
    if (s.production === 'absent') return;
    const top = versions.get(images[i])!;
    for (const digest of listingClosure(versions, top.digest)) production.set(digest, { bytes: versions.get(digest)!.bytes });
    if (s.production === 'missing-child' && top.lists.length > 0) production.delete(top.lists[0]);
    if (s.production === 'missing-child' && top.lists.length === 0) production.delete(top.digest);
    // Other bytes under the image's digest: what a broken mirror or a moved tag serves.
    if (s.production === 'wrong-bytes') production.set(top.digest, { bytes: manifest(`impostor-${i}`).bytes });
    if (s.production === 'error') production.set(top.digest, { bytes: top.bytes, fail: true });
  });
  return production;
}

/** A manifest and every manifest it lists, transitively. */
export function listingClosure(versions: ReadonlyMap<string, TrueVersion>, root: string): Set<string> {
  const seen = new Set([root]);
  const queue = [root];
  for (let d = queue.pop(); d !== undefined; d = queue.pop()) {
    for (const next of versions.get(d)?.lists ?? []) {
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(next);
    }
  }
  return seen;
}

/** What a manifest needs to be whole: what it lists and what refers to it, transitively. */
export function reachable(versions: ReadonlyMap<string, TrueVersion>, root: string): Set<string> {
  const seen = new Set([root]);
  const queue = [root];
  for (let d = queue.pop(); d !== undefined; d = queue.pop()) {
    const v = versions.get(d);
    for (const next of [...(v?.lists ?? []), ...(v?.referrers ?? [])]) {
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(next);
    }
  }
  return seen;
}

/** The versions that truly exist now: never vanished or absent, not deleted. */
export function existing(world: World): TrueVersion[] {
  const deleted = new Set(world.deleted);
  return [...world.versions.values()].filter((v) => !v.vanished && !v.absent && !deleted.has(v.digest));
}

/** The fakes, as cleanupStaging takes them. `deletes` counts every delete asked for. */
export function fakeIO(world: World): CleanupIO & { deletes: number } {
  let listings = 0;
  const ids = new Map([...world.versions.keys()].map((digest, i) => [digest, i + 1]));
  const toPackageVersion = (v: TrueVersion): PackageVersion => ({ id: ids.get(v.digest)!, digest: v.digest, tags: [...v.tags], createdAt: v.createdAt });
  const io = {
    deletes: 0,
    packages: {
      owner: async (login: string): Promise<PackageOwner> => ({ login, kind: 'org' }),
      listPackages: async (): Promise<string[]> => [PACKAGE],
      // The first listing is stale: it still shows versions that vanished just before.
      listVersions: async (): Promise<PackageVersion[]> => {
        const first = listings++ === 0;
        const deleted = new Set(world.deleted);
        return [...world.versions.values()].filter((v) => !deleted.has(v.digest) && !v.absent && (first || !v.vanished)).map(toPackageVersion);
      },
      deleteVersion: async (_owner: PackageOwner, _name: string, version: PackageVersion): Promise<DeleteOutcome> => {
        io.deletes++;
        const v = world.versions.get(version.digest)!;
        const present = existing(world);
        if (!present.some((p) => p.digest === v.digest)) return 'already-gone';
        // GitHub's rules (test/github-api/emulator.ts has the sources).
        if (v.tags.length > 0 && !present.some((p) => p.digest !== v.digest && p.tags.length > 0)) return 'last-tagged-version';
        if (world.spec.public && v.downloads > 5000) return 'downloaded-public-version';
        world.deleted.push(v.digest);
        return 'deleted';
      },
      // The fakes have no rate limit.
      rateLimit: () => undefined,
    } satisfies PackageApi,
    stagingWriter: (): ManifestWriter => ({
      getManifest: (repository: string, digest: string) => io.staging().getManifest(repository, digest),
      // A push under a tag moves the tag: off whichever version had it, onto the new one.
      putManifest: async (_repository: string, tag: string, manifest: RawManifest): Promise<void> => {
        for (const v of world.versions.values()) {
          if (!v.tags.includes(tag)) continue;
          v.tagsBefore ??= [...v.tags];
          v.tags = v.tags.filter((t) => t !== tag);
        }
        ids.set(manifest.digest, ids.size + 1);
        world.versions.set(manifest.digest, {
          digest: manifest.digest,
          bytes: manifest.bytes,
          mediaType: manifest.mediaType,
          tags: [tag],
          createdAt: NOW,
          lists: [],
          referrers: [],
          isReferrer: false,
          fault: 'ok',
          vanished: false,
          absent: false,
          downloads: 0,
          placeholder: true,
        });
      },
    }),
    staging: (): ManifestReader => ({
      getManifest: async (_repository: string, digest: string): Promise<RawManifest | undefined> => {
        const v = world.versions.get(digest);
        if (!v || v.vanished || v.absent || world.deleted.includes(digest)) return undefined;
        if (v.fault === '404') return undefined;
        if (v.fault === '500') throw new Error(`GET ${REPOSITORY} manifest ${digest}: HTTP 500: storage driver error; gave up after 3 attempts`);
        return { bytes: v.bytes, digest, mediaType: v.mediaType };
      },
    }),
    production: (): ManifestReader & { resolveDigest(repository: string, digest: string): Promise<string> } => ({
      // Production lies on HEAD: it says it has every digest asked for. Nothing may rely on it.
      resolveDigest: async (_repository: string, digest: string) => digest,
      getManifest: async (_repository: string, digest: string): Promise<RawManifest | undefined> => {
        const held = world.production.get(digest);
        if (!held) return undefined;
        if (held.fail) throw new Error(`GET docker.io/${REPOSITORY} manifest ${digest}: HTTP 503; gave up after 3 attempts`);
        return { bytes: held.bytes, digest, mediaType: world.versions.get(digest)?.mediaType ?? MediaType.OciManifest };
      },
    }),
  };
  return io;
}

/** Whether production truly serves the manifest: the very bytes its digest names. */
export function servedByProduction(world: World, digest: string): boolean {
  const held = world.production.get(digest);
  return held !== undefined && !held.fail && sha256Digest(held.bytes) === digest;
}
