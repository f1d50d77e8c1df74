// Promotion: copy one image, by digest, from a source repository to destination
// repositories and tags, so that the destination is byte-identical (same manifest bytes,
// same digests). In four steps: resolve what the source has and what each destination
// holds of it (promote-resolve.ts), plan what must be done at each (promote-plan.ts, a
// plain value), carry it out (promote-execute.ts), the tags last so nobody ever pulls a
// tag that points at a partial image.
import type { Log } from '../log.js';
import type { RetryPolicy } from '../http/retry.js';
import { awaitedLater } from '../util/concurrency.js';
import { shortDigest } from '../util/format.js';
import type { RegistryCredentials } from './auth.js';
import { childDescriptors } from './image-graph.js';
import { executePlan, setTags, type ExecutionCounts } from './promote-execute.js';
import { planPromotion, type PlannedBlob, type PromotionPlan } from './promote-plan.js';
import { formatPlan } from './promote-plan-text.js';
import { CHECKS_IN_FLIGHT, PromoteError, resolvePromotion } from './promote-resolve.js';
import { formatReference, type ImageReference } from './reference.js';
import { RegistryClient } from './registry-client.js';
import { isIndexMediaType, type ImageManifest, type RawManifest } from './types.js';

export { PromoteError };
export type { BlobAction, PlannedBlob, PromotionPlan } from './promote-plan.js';
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
  plan: PromotionPlan;
  rateLimitRemaining?: string;
}

export async function promoteImage(options: PromoteOptions): Promise<PromoteResult> {
  const { source, destinations, log } = options;
  if (destinations.length === 0) throw new PromoteError('no destination given');
  for (const d of destinations) {
    if (d.digest) throw new PromoteError(`destination ${formatReference(d)} has a digest; a destination names a repository and optionally a tag`);
  }
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const dryRun = options.dryRun ?? false;
  const clients = createClients(options);
  // Every registry's authentication starts now, side by side; a failure surfaces at that
  // registry's first request, which awaits the same attempt (so nothing awaits it here).
  for (const client of clients.values()) void awaitedLater(client.authenticate());

  const resolved = await resolvePromotion({
    source,
    destinations,
    clients,
    platforms: options.platforms ?? [],
    attestations: options.attestations ?? true,
    referrers: options.referrers ?? true,
    concurrency,
    onCopyNeeded: copyConnections(options, clients, concurrency),
    log,
  });
  const plan = planPromotion(resolved);
  for (const line of formatPlan(plan)) log.info(line);
  for (const dest of plan.destinations) {
    for (const t of dest.cosignTags.filter((c) => c.action === 'keep')) {
      // cosign keeps every signature in that one manifest: theirs is not replaced.
      log.warning(
        `${dest.registry}/${dest.repository}:${t.tag} already holds other contents (${shortDigest(t.current!)}); it is left as it is, without the source's ${shortDigest(t.manifest.digest)}`,
      );
    }
  }

  let done: ExecutionCounts = { blobsCopied: 0, blobsMounted: 0, bytesCopied: 0, manifestsPushed: 0 };
  if (!dryRun) {
    done = await executePlan(plan, { clients, source: { client: clients.get(source.registry)!, repository: source.repository }, concurrency, log });
    await setTags(plan, { clients, log });
  }

  const blobs = plan.destinations.flatMap((d) => d.blobs);
  const manifests = plan.destinations.flatMap((d) => [...d.present, ...d.manifestLevels.flat()]);
  const limits = [...clients.values()].map((c) => c.rateLimitRemaining).filter(Boolean);
  return {
    sourceDigest: plan.sourceDigest,
    digest: plan.root.digest,
    mediaType: plan.root.mediaType,
    platforms: plan.platforms,
    refs: plan.refs,
    previousDigests: Object.fromEntries(plan.tags.map((t) => [t.ref, t.previous])),
    unchangedTags: plan.tags.filter((t) => t.action === 'skip').map((t) => t.ref),
    blobs,
    ...done,
    blobsSkipped: blobs.filter((b) => b.action === 'skip').length,
    manifestsSkipped: manifests.filter((m) => m.action === 'skip').length,
    dryRun,
    plan,
    ...(limits.length > 0 ? { rateLimitRemaining: limits.join(', ') } : {}),
  };
}

/**
 * Connections opened ahead, per registry, for the requests that come in bursts (beside the
 * one the registry's ping opened). The first round, opened while the token is fetched: the
 * source's manifest, tags and referrers; a destination's tag and the image by digest. Once
 * a destination lacks the image (a copy, not a re-run): the source's tree, read a level at
 * a time, and its blobs; the destination's checks of every manifest and blob (checksAhead),
 * then an upload for each blob that moves (`concurrency` large ones, small ones beside them).
 */
const AHEAD = {
  sourceFirstRound: 3,
  destinationFirstRound: 1,
  sourceTree: 3,
  smallBlobs: 4,
};

/**
 * A child of an index and what it lists, as checks: a platform's manifest, its config and a
 * few layers; buildx's attestation manifest, its config and one or two.
 */
const CHECKS_PER_CHILD = 5;

/**
 * How many checks a destination that lacks `top` makes at once, known before the tree is
 * read: an image's config and layers; an index's children and what they list, guessed. The
 * checks go out together and the copy waits for the last: one that finds no connection
 * waits two round trips (TCP and TLS) for a new one.
 */
export function checksAhead(top: RawManifest): number {
  const checks = isIndexMediaType(top.mediaType)
    ? childDescriptors(top).length * CHECKS_PER_CHILD
    : 1 + ((JSON.parse(top.bytes.toString('utf8')) as Partial<ImageManifest>).layers?.length ?? 0);
  return Math.min(CHECKS_IN_FLIGHT, checks);
}

/**
 * What opens the connections a copy needs, once, when resolving finds a destination that
 * lacks the image: a warm re-run opens none of them.
 */
function copyConnections(
  options: PromoteOptions,
  clients: ReadonlyMap<string, RegistryClient>,
  concurrency: number,
): (destination: string, top: RawManifest) => void {
  // Only a real run moves blobs: uploads to a destination, reads from the source.
  const moving = options.dryRun ? 0 : concurrency;
  const opened = new Set<string>();
  const source = options.source.registry;
  return (destination, top) => {
    if (!opened.has(source)) {
      opened.add(source);
      clients.get(source)!.openConnections({ requests: AHEAD.sourceTree, blobReads: moving > 0 ? moving + AHEAD.smallBlobs : 0 });
    }
    if (!opened.has(`to ${destination}`)) {
      opened.add(`to ${destination}`);
      clients.get(destination)!.openConnections({ requests: checksAhead(top) + moving, blobReads: 0 });
    }
  };
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
    const isSource = registry === options.source.registry;
    const isDestination = options.destinations.some((d) => d.registry === registry);
    const connections = { requests: (isSource ? AHEAD.sourceFirstRound : 0) + (isDestination ? AHEAD.destinationFirstRound : 0), blobReads: 0 };
    clients.set(
      registry,
      new RegistryClient({
        registry,
        scopes: [...set],
        connections,
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
