// Resolving a promotion: reading the source (its manifest, the image's tree, what refers
// to it) and what each destination holds of it. What a round trip answers decides what
// is asked next, so every question is asked as soon as what it depends on is known, and
// never later: the source's manifest, the destinations' tags and the source's referrer
// bookkeeping go at once; a destination whose tag already points at the image is asked
// nothing more about it; a tree is walked only when some destination lacks its top.
import { DomainError } from '../errors.js';
import type { Log } from '../log.js';
import { awaitedLater, limiter, settleAll } from '../util/concurrency.js';
import { findCosignTags, findReferrers, childDescriptors, selectRoot, walkTree, type ImageTree, type Referrers, type TaggedArtifact } from './image-graph.js';
import { describePlatforms } from './platforms.js';
import type { DestinationState, ResolvedPromotion, TagState } from './promote-plan.js';
import { formatReference, type ImageReference } from './reference.js';
import { referrersTag, type RegistryClient } from './registry-client.js';
import { isIndexMediaType, type Descriptor, type ImageIndex, type RawManifest } from './types.js';

export class PromoteError extends DomainError {}

export interface ResolveOptions {
  source: ImageReference;
  destinations: readonly ImageReference[];
  /** One client per registry. */
  clients: ReadonlyMap<string, RegistryClient>;
  platforms: readonly string[];
  attestations: boolean;
  referrers: boolean;
  concurrency: number;
  /** Called with a destination registry as soon as one of its repositories is found to lack a top manifest (given): a copy follows. */
  onCopyNeeded?: (registry: string, top: RawManifest) => void;
  log: Log;
}

/**
 * Small requests (HEAD checks, manifests, referrer lookups) in flight at once per
 * registry, up to the connection pool's size: each is a round trip, and waiting for them
 * is what a promotion of an image that is mostly there spends its time on.
 */
export const CHECKS_IN_FLIGHT = 32;

/**
 * A digest to ask the referrers API about before the image's own is known (a source named
 * by tag): a registry with the API answers 200 for any valid digest, so the answer says
 * only whether it serves the API. The digest of no bytes.
 */
const ANY_DIGEST = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export async function resolvePromotion(options: ResolveOptions): Promise<ResolvedPromotion> {
  const { source, clients, log } = options;
  const src = clients.get(source.registry)!;
  const checks = new Map([...clients.keys()].map((registry) => [registry, limiter(CHECKS_IN_FLIGHT)]));
  const check = <T>(registry: string, work: () => Promise<T>) => awaitedLater(checks.get(registry)!(work));

  // First round trip: the source's manifest, every destination tag, and what the source
  // needs for its referrers (its tags, whether it serves the referrers API), all at once.
  const fetching = src.getManifest(source.repository, source.digest ?? source.tag ?? 'latest');
  const tagsNow = options.destinations.map((d) =>
    d.tag ? check(d.registry, () => clients.get(d.registry)!.resolveDigest(d.repository, d.tag!)) : Promise.resolve(undefined),
  );
  const sourceTags = options.referrers ? awaitedLater(src.listTags(source.repository)) : undefined;
  // A source named by digest and promoted whole is that digest at every destination: whether
  // each has it is asked now too, not once its tag has answered (a round trip less when
  // the tag is not there yet; one HEAD spent when it is).
  const knownRoot = source.digest && options.platforms.length === 0 && options.attestations ? source.digest : undefined;
  const rootHeld = new Map(
    knownRoot
      ? options.destinations.map((d) => [
          `${d.registry}/${d.repository}`,
          check(d.registry, () => clients.get(d.registry)!.hasManifest(d.repository, knownRoot)),
        ])
      : [],
  );
  const probedDigest = source.digest ?? ANY_DIGEST;
  const probe = options.referrers ? awaitedLater(src.referrersByApi(source.repository, probedDigest)) : undefined;

  const fetched = await fetching;
  if (!fetched) throw new PromoteError(`source ${formatReference(source)} not found in ${source.registry}`);
  log.info(`source ${formatReference(source)} is ${fetched.digest}${source.digest ? '' : ' (resolved once; everything below is fetched by digest)'}`);
  const { root, dropped } = selectRoot(fetched, options.platforms, options.attestations);
  const children = childDescriptors(root);
  if (dropped.length > 0) log.info(`platform filter leaves out ${dropped.length} manifest(s); the destination index is new: ${root.digest}`);

  // Each tree is walked once, and only when some destination lacks its top manifest: a
  // registry accepts a manifest only once everything it lists is there, so a top manifest
  // present means its whole tree is.
  const walks = new Map<string, Promise<ImageTree>>();
  const treeOf = (top: RawManifest) =>
    walks.get(top.digest) ?? walks.set(top.digest, awaitedLater(walkTree(src, source.repository, top, options.concurrency))).get(top.digest)!;

  // The referrer lookups wait for the probe, sent with the manifest: without the API, the
  // fallback tags the source has are among its tags, and only those are read.
  const lookup = async (subject: string): Promise<{ manifests: Descriptor[]; fallbackIndex?: RawManifest }> => {
    const probed = await probe!;
    if (Array.isArray(probed)) {
      const listed = subject === probedDigest ? probed : await src.referrersByApi(source.repository, subject);
      return { manifests: Array.isArray(listed) ? listed : [] };
    }
    if (!(await sourceTags!).includes(referrersTag(subject))) return { manifests: [] };
    const fallbackIndex = await src.getManifest(source.repository, referrersTag(subject));
    return fallbackIndex ? { manifests: (JSON.parse(fallbackIndex.bytes.toString('utf8')) as ImageIndex).manifests ?? [], fallbackIndex } : { manifests: [] };
  };
  // Signatures and SBOMs: OCI referrers, and cosign's tags. A cosign tag about the source
  // index is left out when a platform filter makes a new one.
  const referrers: Promise<Referrers> = options.referrers
    ? awaitedLater(findReferrers(src, source.repository, [fetched.digest, ...children.map((c) => c.digest)], CHECKS_IN_FLIGHT, lookup))
    : Promise.resolve({ manifests: [], fallbackIndexes: new Map() });
  const cosignTags: Promise<TaggedArtifact[]> = options.referrers
    ? awaitedLater(sourceTags!.then((tags) => findCosignTags(src, source.repository, [root.digest, ...children.map((c) => c.digest)], tags, CHECKS_IN_FLIGHT)))
    : Promise.resolve([]);

  const repositories = [...new Map(options.destinations.map((d) => [`${d.registry}/${d.repository}`, d])).values()];
  const destinations = await settleAll(
    repositories.map(async (dest): Promise<DestinationState> => {
      const client = clients.get(dest.registry)!;
      const manifests = new Map<string, Promise<boolean>>();
      const held = rootHeld.get(`${dest.registry}/${dest.repository}`);
      if (held) manifests.set(root.digest, held);
      const blobs = new Map<string, Promise<boolean>>();
      // Each question once per repository, however many trees share the answer.
      const askOnce = (known: Map<string, Promise<boolean>>, digest: string, question: () => Promise<boolean>) => {
        if (!known.has(digest)) known.set(digest, check(dest.registry, question));
        return known.get(digest)!;
      };
      const hasManifest = (digest: string) => askOnce(manifests, digest, () => client.hasManifest(dest.repository, digest));
      // What the repository lacks under a top manifest it lacks: every manifest and blob of
      // the tree is asked about at once.
      const lacks = async (top: RawManifest): Promise<void> => {
        options.onCopyNeeded?.(dest.registry, top);
        manifests.set(top.digest, Promise.resolve(false));
        const tree = await treeOf(top);
        for (const m of tree.manifests) if (m !== tree.top) void hasManifest(m.digest);
        for (const b of tree.blobs) void askOnce(blobs, b.digest, () => client.hasBlob(dest.repository, b.digest));
      };
      const examine = async (top: RawManifest, present: boolean | Promise<boolean>) => {
        if (await present) manifests.set(top.digest, Promise.resolve(true));
        else await lacks(top);
      };

      // The image: a tag of this repository at its digest says it is here.
      const tags = await Promise.all(
        options.destinations.flatMap((d, i) => (d.registry === dest.registry && d.repository === dest.repository ? [tagsNow[i]] : [])),
      );
      const image = examine(root, tags.includes(root.digest) || hasManifest(root.digest));

      // What refers to it: known here by the referrers API or the fallback tags, and by
      // cosign's tags; an artifact listed or tagged here is here.
      const artifacts = (async () => {
        const [{ manifests: referring, fallbackIndexes }, cosign] = await Promise.all([referrers, cosignTags]);
        const listings = await Promise.all([...fallbackIndexes.keys()].map((subject) => destinationReferrers(client, dest.repository, subject)));
        const listed = new Set(listings.flatMap((l) => l.listed));
        const cosignNow = await Promise.all(cosign.map((t) => check(dest.registry, () => client.resolveDigest(dest.repository, t.tag))));
        const tagged = new Set(cosign.filter((t, i) => cosignNow[i] === t.manifest.digest).map((t) => t.manifest.digest));
        const tops = [...new Map([...referring, ...cosign.map((t) => t.manifest)].map((m) => [m.digest, m])).values()];
        await Promise.all(tops.map((top) => examine(top, listed.has(top.digest) || tagged.has(top.digest) || hasManifest(top.digest))));
        return {
          ...referrersApi(listings),
          referrerIndexes: new Map([...fallbackIndexes.keys()].map((subject, i) => [subject, listings[i].index])),
          cosignTags: new Map(cosign.map((t, i) => [t.tag, cosignNow[i]])),
        };
      })();

      await settleAll<unknown>([image, artifacts]);
      const found = await artifacts;
      return {
        registry: dest.registry,
        repository: dest.repository,
        manifests: await settledMap(manifests),
        blobs: await settledMap(blobs),
        ...found,
      };
    }),
  );

  const { manifests: referring, fallbackIndexes } = await referrers;
  const cosign = await cosignTags;
  if (referring.length > 0) log.info(`${referring.length} artifact(s) refer to the image (signatures, SBOMs): they are promoted too`);
  if (cosign.length > 0)
    log.info(`${cosign.length} cosign tag(s) hold the image's signatures, attestations or SBOM: ${cosign.map((t) => t.tag).join(', ')}; they are promoted too`);

  const tags = await Promise.all(
    options.destinations.map(async (d, i): Promise<TagState> => {
      const current = await tagsNow[i];
      return { registry: d.registry, repository: d.repository, ...(d.tag ? { tag: d.tag } : {}), ...(current ? { current } : {}) };
    }),
  );
  const trees = new Map<string, ImageTree>();
  for (const [digest, walk] of walks) trees.set(digest, await walk);
  return {
    source: {
      registry: source.registry,
      repository: source.repository,
      reference: formatReference(source),
      digest: fetched.digest,
      root,
      platforms: isIndexMediaType(root.mediaType) ? describePlatforms(children) : 'single platform',
      referrers: referring,
      referrerIndexes: fallbackIndexes,
      cosignTags: cosign,
      trees,
    },
    destinations,
    tags,
  };
}

interface DestinationReferrers {
  /** Whether the registry serves the referrers API; undefined when the repository does not exist yet, which leaves it open. */
  api?: boolean;
  listed: string[];
  /** Unless it has the API: the fallback index the repository holds, to merge into. */
  index?: RawManifest;
}

/** What a destination lists as referring to `subject`: by its referrers API, or else its fallback tag. */
async function destinationReferrers(client: RegistryClient, repository: string, subject: string): Promise<DestinationReferrers> {
  const listed = await client.referrersByApi(repository, subject);
  if (Array.isArray(listed)) return { api: true, listed: listed.map((d) => d.digest) };
  const index = await client.getManifest(repository, referrersTag(subject));
  const found = index ? { listed: ((JSON.parse(index.bytes.toString('utf8')) as ImageIndex).manifests ?? []).map((d) => d.digest), index } : { listed: [] };
  // 'no repository' leaves open whether the registry serves the API.
  return listed === 'no api' ? { api: false, ...found } : found;
}

function referrersApi(listings: DestinationReferrers[]): { referrersApi?: boolean } {
  if (listings.length === 0 || listings.some((l) => l.api === undefined)) return {};
  return { referrersApi: listings.every((l) => l.api) };
}

/** Waits for every answer; a failed one fails the whole, once none is left running. */
async function settledMap<T>(pending: Map<string, Promise<T>>): Promise<Map<string, T>> {
  const entries = [...pending];
  const values = await settleAll(entries.map(([, p]) => p));
  return new Map(entries.map(([key], i) => [key, values[i]]));
}
