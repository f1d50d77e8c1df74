// Promotion: copy one image, by digest, from a source repository to destination
// repositories and tags, so that the destination is byte-identical (same manifest bytes,
// same digests). Order matters: every blob, then every manifest children-first, and the
// tags last, so nobody ever pulls a tag that points at a partial image.
import type { Log } from '../log.js';
import type { RetryPolicy } from '../http/retry.js';
import { awaitedLater, limiter, mapLimit } from '../util/concurrency.js';
import { formatBytes, shortDigest } from '../util/format.js';
import { TransferProgress } from '../util/progress.js';
import type { RegistryCredentials } from './auth.js';
import { streamBlob } from './blob-transfer.js';
import { childDescriptors, findCosignTags, findReferrers, manifestLevels, selectRoot, subjectOf, walkTree, type ImageTree } from './image-graph.js';
import { describePlatforms } from './platforms.js';
import { formatReference, type ImageReference } from './reference.js';
import { mergeReferrerIndex } from './referrer-index.js';
import { RegistryClient, referrersTag } from './registry-client.js';
import { isIndexMediaType, type RawManifest } from './types.js';
import { DomainError } from '../errors.js';

export interface PromoteOptions {
  source: ImageReference;
  destinations: ImageReference[];
  /** For the source registry (and a destination on it, when destinationCredentials are not given). */
  sourceCredentials?: RegistryCredentials;
  /** For every destination registry registryCredentials does not name. */
  destinationCredentials?: RegistryCredentials;
  /** Per registry (canonical host); ahead of the two above. */
  registryCredentials?: ReadonlyMap<string, RegistryCredentials>;
  /** os/arch[/variant] to keep; empty keeps every platform. */
  platforms?: string[];
  attestations?: boolean;
  referrers?: boolean;
  concurrency?: number;
  dryRun?: boolean;
  insecureRegistries?: string[];
  log: Log;
  retry?: RetryPolicy;
}

export type BlobAction = 'skip' | 'mount' | 'copy';

export interface PlannedBlob {
  destination: string;
  digest: string;
  size: number;
  action: BlobAction;
}

export interface PromoteResult {
  sourceDigest: string;
  digest: string;
  mediaType: string;
  platforms: string;
  /** registry/repository:tag for each destination tag (registry/repository@digest if untagged). */
  refs: string[];
  /** The digest each destination tag had before, '' when it did not exist. */
  previousDigests: Record<string, string>;
  unchangedTags: string[];
  blobs: PlannedBlob[];
  blobsCopied: number;
  blobsMounted: number;
  blobsSkipped: number;
  bytesCopied: number;
  manifestsPushed: number;
  manifestsSkipped: number;
  dryRun: boolean;
  rateLimitRemaining?: string;
}

export class PromoteError extends DomainError {}

/**
 * Small requests (HEAD checks, manifests, referrer lookups) in flight at once, up to the
 * connection pool's size: each is a round trip, and waiting for them is what a promotion
 * of an image that is mostly there spends its time on.
 */
const CHECKS_IN_FLIGHT = 32;

export async function promoteImage(options: PromoteOptions): Promise<PromoteResult> {
  const { source, destinations, log } = options;
  if (destinations.length === 0) throw new PromoteError('no destination given');
  for (const d of destinations) {
    if (d.digest) throw new PromoteError(`destination ${formatReference(d)} has a digest; a destination names a repository and optionally a tag`);
  }
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const clients = createClients(options);
  const src = clients.get(source.registry)!;
  // Every registry's authentication starts now, side by side; a failure surfaces at that
  // registry's first request, which awaits the same attempt (so nothing awaits it here).
  for (const client of clients.values()) void awaitedLater(client.authenticate());

  const fetched = await src.getManifest(source.repository, source.digest ?? source.tag ?? 'latest');
  if (!fetched) throw new PromoteError(`source ${formatReference(source)} not found in ${source.registry}`);
  log.info(`source ${formatReference(source)} is ${fetched.digest}${source.digest ? '' : ' (resolved once; everything below is fetched by digest)'}`);
  const { root, dropped } = selectRoot(fetched, options.platforms ?? [], options.attestations ?? true);
  const children = childDescriptors(root);
  const platforms = isIndexMediaType(root.mediaType) ? describePlatforms(children) : 'single platform';
  if (dropped.length > 0) log.info(`platform filter leaves out ${dropped.length} manifest(s); the destination index is new: ${root.digest}`);

  // Each tree (the image, each referring artifact) is walked once, and only when some
  // destination lacks its top manifest: a registry accepts a manifest only once everything
  // it references is there, so a top manifest present means its whole tree is.
  const walks = new Map<string, Promise<ImageTree>>();
  const treeOf = (top: RawManifest) => walks.get(top.digest) ?? walks.set(top.digest, walkTree(src, source.repository, top, concurrency)).get(top.digest)!;

  // Destination repositories, each once, in the order given.
  const repositories = [...new Map(destinations.map((d) => [`${d.registry}/${d.repository}`, d])).values()];
  // Whether each already holds the image is asked while the source's referrers are looked
  // up; the image is walked as soon as one does not.
  const holdsRoot = repositories.map((d) => awaitedLater(clients.get(d.registry)!.hasManifest(d.repository, root.digest)));
  for (const lookup of holdsRoot) {
    lookup.then(
      (held) => {
        // treeOf caches the walk; whoever needs the tree awaits that same promise.
        if (!held) void awaitedLater(treeOf(root));
      },
      () => {},
    );
  }

  // Signatures and SBOMs: OCI referrers, and cosign's tags, looked up side by side. A cosign
  // tag about the source index is left out when a platform filter makes a new one.
  const withReferrers = options.referrers ?? true;
  const cosignLookup = withReferrers
    ? awaitedLater(findCosignTags(src, source.repository, [root.digest, ...children.map((c) => c.digest)], CHECKS_IN_FLIGHT))
    : Promise.resolve([]);
  const referrers = withReferrers
    ? await findReferrers(src, source.repository, [fetched.digest, ...children.map((c) => c.digest)], CHECKS_IN_FLIGHT)
    : { manifests: [], fallbackIndexes: new Map<string, RawManifest>() };
  const cosignTags = await cosignLookup;
  if (referrers.manifests.length > 0) log.info(`${referrers.manifests.length} artifact(s) refer to the image (signatures, SBOMs): they are promoted too`);
  if (cosignTags.length > 0)
    log.info(
      `${cosignTags.length} cosign tag(s) hold the image's signatures, attestations or SBOM: ${cosignTags.map((t) => t.tag).join(', ')}; they are promoted too`,
    );

  const result: PromoteResult = {
    sourceDigest: fetched.digest,
    digest: root.digest,
    mediaType: root.mediaType,
    platforms,
    refs: [],
    previousDigests: {},
    unchangedTags: [],
    blobs: [],
    blobsCopied: 0,
    blobsMounted: 0,
    blobsSkipped: 0,
    bytesCopied: 0,
    manifestsPushed: 0,
    manifestsSkipped: 0,
    dryRun: options.dryRun ?? false,
  };

  const tops = [...new Map([root, ...referrers.manifests, ...cosignTags.map((t) => t.manifest)].map((m) => [m.digest, m])).values()];

  const tagsBefore = new Map<ImageReference, Promise<string | undefined>>();
  // Where each blob is already known to be, per registry: a later repository mounts from it.
  const holders = new Map<string, string>();
  const holderKey = (registry: string, digest: string) => `${registry}|${digest}`;

  for (const [index, dest] of repositories.entries()) {
    const client = clients.get(dest.registry)!;
    const where = `${dest.registry}/${dest.repository}`;
    const present = [await holdsRoot[index], ...(await mapLimit(referrers.manifests, CHECKS_IN_FLIGHT, (t) => client.hasManifest(dest.repository, t.digest)))];
    const trees = await Promise.all(tops.filter((_, i) => !present[i]).map(treeOf));
    result.manifestsSkipped += present.filter(Boolean).length;
    if (trees.length === 0) {
      log.info(`${where} already holds the image${referrers.manifests.length > 0 ? ' and every artifact referring to it' : ''}`);
    }
    const blobs = [...new Map(trees.flatMap((t) => t.blobs).map((b) => [b.digest, b])).values()];
    if (blobs.length > 0) log.info(`${where}: ${blobs.length} blob(s) to check, ${formatBytes(sum(blobs))}`);
    for (const b of blobs)
      if (!holders.has(holderKey(dest.registry, b.digest)) && dest.registry === source.registry)
        holders.set(holderKey(dest.registry, b.digest), source.repository);

    // Whether the manifests under each top are there already is asked during the copy.
    const innerHeld = new Map<string, Promise<boolean>>();
    for (const tree of trees) {
      for (const manifest of tree.manifests.slice(0, -1)) {
        if (!innerHeld.has(manifest.digest)) innerHeld.set(manifest.digest, awaitedLater(client.hasManifest(dest.repository, manifest.digest)));
      }
    }

    // Every blob is checked at once, largest first, and each one missing starts moving as
    // soon as its check answers, so the copy begins one round trip after the plan does.
    const progress = new TransferProgress(`copying to ${where}`, log);
    const moving = limiter(concurrency);
    const moves: Promise<void>[] = [];
    const byLargest = [...blobs].sort((a, b) => b.size - a.size);
    const plan = await mapLimit(byLargest, CHECKS_IN_FLIGHT, async (blob): Promise<PlannedBlob> => {
      const exists = await client.hasBlob(dest.repository, blob.digest);
      const from = exists ? undefined : holders.get(holderKey(dest.registry, blob.digest));
      const planned: PlannedBlob = { destination: where, digest: blob.digest, size: blob.size, action: exists ? 'skip' : from ? 'mount' : 'copy' };
      log.info(
        `${options.dryRun ? 'would ' : ''}${planned.action} ${shortDigest(blob.digest)} (${formatBytes(blob.size)})${from ? ` from ${from}` : ''} -> ${where}`,
      );
      if (planned.action !== 'skip' && !options.dryRun) {
        progress.expect(planned.action === 'copy' ? blob.size : 0);
        const move = moving(async () => {
          if (from && (await client.mountBlob(dest.repository, blob.digest, from))) {
            result.blobsMounted++;
            progress.finished();
            return;
          }
          if (from) {
            log.info(`${dest.registry} declined to mount ${shortDigest(blob.digest)}; streaming it`);
            progress.expect(blob.size, 0);
          }
          await streamBlob({ client: src, repository: source.repository }, { client, repository: dest.repository }, blob, progress);
          result.blobsCopied++;
          result.bytesCopied += blob.size;
        });
        moves.push(awaitedLater(move));
      }
      return planned;
    }).catch(async (err: unknown) => {
      await Promise.allSettled(moves); // nothing left running behind the failure
      throw err;
    });
    result.blobs.push(...plan);
    await Promise.all(moves);
    if (moves.length > 0) progress.report();
    result.blobsSkipped += plan.filter((p) => p.action === 'skip').length;
    for (const b of blobs) holders.set(holderKey(dest.registry, b.digest), dest.repository);

    // What each tag of this repository points at now, read while the manifests go up by
    // digest (which moves no tag).
    for (const d of destinations) {
      if (d.tag && d.registry === dest.registry && d.repository === dest.repository) tagsBefore.set(d, awaitedLater(client.resolveDigest(d.repository, d.tag)));
    }

    const indexedByApi = new Set<string>();
    // Manifests children first, by digest: nothing is tagged yet. A level's manifests list
    // only blobs and manifests of earlier levels, so each level goes at once.
    for (const tree of trees) {
      for (const level of manifestLevels(tree)) {
        await mapLimit(level, CHECKS_IN_FLIGHT, async (manifest) => {
          if (manifest !== tree.top && (await innerHeld.get(manifest.digest))) {
            result.manifestsSkipped++;
            return;
          }
          if (!options.dryRun && (await client.putManifest(dest.repository, manifest.digest, manifest))) {
            const subject = subjectOf(manifest);
            if (subject) indexedByApi.add(subject);
          }
          result.manifestsPushed++;
        });
      }
    }
    // A destination without the referrers API finds artifacts through the fallback tag; one
    // that indexed the subject (it said so with OCI-Subject) needs no tag.
    for (const [subject, index] of referrers.fallbackIndexes) {
      if (indexedByApi.has(subject)) continue;
      const tag = referrersTag(subject);
      const merged = mergeReferrerIndex(index, await client.getManifest(dest.repository, tag));
      if (merged && !options.dryRun) await client.putManifest(dest.repository, tag, merged);
    }
    // cosign's tags go before the image's own, so whoever verifies finds the signatures as soon
    // as the image is tagged. One already there with other contents (signed at the
    // destination too) is left as it is: cosign keeps every signature in that one manifest.
    await mapLimit(cosignTags, CHECKS_IN_FLIGHT, async ({ tag, manifest }) => {
      const current = await client.resolveDigest(dest.repository, tag);
      if (current === manifest.digest) return;
      if (current) {
        log.warning(
          `${where}:${tag} already holds other contents (${shortDigest(current)}); it is left as it is, without the source's ${shortDigest(manifest.digest)}`,
        );
        return;
      }
      if (!options.dryRun) await client.putManifest(dest.repository, tag, manifest);
      log.info(`${options.dryRun ? 'would tag' : 'tagged'} ${where}:${tag} -> ${shortDigest(manifest.digest)}`);
    });
  }

  // Tags last, once every repository holds the whole image.
  for (const dest of destinations) {
    const client = clients.get(dest.registry)!;
    const ref = dest.tag ? `${dest.registry}/${dest.repository}:${dest.tag}` : `${dest.registry}/${dest.repository}@${root.digest}`;
    result.refs.push(ref);
    if (!dest.tag) continue;
    const previous = (await tagsBefore.get(dest)!) ?? '';
    result.previousDigests[ref] = previous;
    if (previous === root.digest) {
      result.unchangedTags.push(ref);
      log.info(`${ref} already points at ${shortDigest(previous)}`);
      continue;
    }
    if (!options.dryRun) await client.putManifest(dest.repository, dest.tag, root);
    log.info(`${options.dryRun ? 'would tag' : 'tagged'} ${ref} -> ${shortDigest(root.digest)}${previous ? ` (was ${shortDigest(previous)})` : ''}`);
  }

  const limits = [...clients.values()].map((c) => c.rateLimitRemaining).filter(Boolean);
  if (limits.length > 0) result.rateLimitRemaining = limits.join(', ');
  return result;
}

/** One client per registry; a registry that is both source and destination gets one token for all scopes. */
function createClients(options: PromoteOptions): Map<string, RegistryClient> {
  const scopes = new Map<string, Set<string>>();
  const add = (registry: string, scope: string) => (scopes.get(registry) ?? scopes.set(registry, new Set()).get(registry)!).add(scope);
  add(options.source.registry, `repository:${options.source.repository}:pull`);
  for (const d of options.destinations) add(d.registry, `repository:${d.repository}:pull,push`);
  const clients = new Map<string, RegistryClient>();
  for (const [registry, set] of scopes) {
    const credentials = credentialsFor(options, registry)?.credentials;
    clients.set(
      registry,
      new RegistryClient({
        registry,
        scopes: [...set],
        log: options.log,
        ...(credentials ? { credentials } : {}),
        ...(options.insecureRegistries ? { insecureRegistries: options.insecureRegistries } : {}),
        ...(options.retry ? { retry: options.retry } : {}),
      }),
    );
  }
  return clients;
}

export type CredentialOrigin = 'registry' | 'destination' | 'source';

/** The credentials a registry of the promotion is spoken to with, and which option gave them. */
export function credentialsFor(
  options: Pick<PromoteOptions, 'source' | 'destinations' | 'sourceCredentials' | 'destinationCredentials' | 'registryCredentials'>,
  registry: string,
): { origin: CredentialOrigin; credentials: RegistryCredentials } | undefined {
  const own = options.registryCredentials?.get(registry);
  if (own) return { origin: 'registry', credentials: own };
  if (options.destinationCredentials && options.destinations.some((d) => d.registry === registry))
    return { origin: 'destination', credentials: options.destinationCredentials };
  // The source's credentials never go to another registry.
  if (options.sourceCredentials && registry === options.source.registry) return { origin: 'source', credentials: options.sourceCredentials };
  return undefined;
}

function sum(items: readonly { size: number }[]): number {
  return items.reduce((n, b) => n + b.size, 0);
}
