// Carrying out a promotion plan. Every destination at once; at each, every blob at once
// (up to `concurrency` large ones moving), then the manifests children first, a level at a
// time, then the referrers' fallback tags and cosign's tags. The image's tags go last
// (setTags), once every destination holds everything the image lists, so nobody pulls a tag
// that points at a partial image; a registry refuses a manifest whose children it lacks.
import type { Log } from '../log.js';
import { awaitedLater, limiter, mapLimit, settleAll } from '../util/concurrency.js';
import { shortDigest } from '../util/format.js';
import { TransferProgress } from '../util/progress.js';
import { streamBlob, type BlobLocation } from './blob-transfer.js';
import { subjectOf } from './image-graph.js';
import type { DestinationPlan, PlannedBlob, PromotionPlan } from './promote-plan.js';
import type { RegistryClient } from './registry-client.js';

export interface ExecuteOptions {
  /** One client per registry. */
  clients: ReadonlyMap<string, RegistryClient>;
  /** Where copied blobs are read from. */
  source: BlobLocation;
  /** Blobs moving at once, over all destinations. */
  concurrency: number;
  log: Log;
}

export interface ExecutionCounts {
  blobsCopied: number;
  blobsMounted: number;
  bytesCopied: number;
  manifestsPushed: number;
}

/** Manifest and tag PUTs in flight at once per destination: small, each a round trip. */
const PUTS_IN_FLIGHT = 16;

/**
 * Blobs up to this size (configs, attestation layers) move beside the large ones rather
 * than queued behind them: each is a round trip or two and next to no bytes, and
 * `concurrency` is there to share the link among the large ones.
 */
export const SMALL_BLOB_BYTES = 256 * 1024;

export async function executePlan(plan: PromotionPlan, options: ExecuteOptions): Promise<ExecutionCounts> {
  const counts: ExecutionCounts = { blobsCopied: 0, blobsMounted: 0, bytesCopied: 0, manifestsPushed: 0 };
  const movingLarge = limiter(options.concurrency);
  const movingSmall = limiter(PUTS_IN_FLIGHT);
  const moving = <T>(blob: PlannedBlob, task: (leave: () => void) => Promise<T>) => (blob.size <= SMALL_BLOB_BYTES ? movingSmall : movingLarge)(task);
  // When each blob is in each destination repository, for the mounts that take it from there.
  const arrivals = new Map<string, Promise<void>>();
  const arrivalKey = (registry: string, repository: string, digest: string) => `${registry}/${repository}|${digest}`;

  const carryOut = (dest: DestinationPlan): Promise<void> => {
    const client = options.clients.get(dest.registry)!;
    const where = `${dest.registry}/${dest.repository}`;
    const progress = new TransferProgress(`copying to ${where}`, options.log);

    const move = async (blob: PlannedBlob): Promise<void> => {
      if (blob.action === 'mount') {
        // The repository it is mounted from may be receiving it in this run.
        await arrivals.get(arrivalKey(dest.registry, blob.from!, blob.digest));
        if (await moving(blob, () => client.mountBlob(dest.repository, blob.digest, blob.from!))) {
          counts.blobsMounted++;
          progress.finished();
          return;
        }
        options.log.info(`${dest.registry} declined to mount ${shortDigest(blob.digest)}; streaming it`);
        progress.expect(blob.size, 0);
      }
      // A blob whose bytes have all gone out moves no more: the next one starts while the
      // registry checks its digest and the answer travels back, a round trip earlier.
      await moving(blob, (leave) => streamBlob(options.source, { client, repository: dest.repository }, blob, progress, leave));
      counts.blobsCopied++;
      counts.bytesCopied += blob.size;
    };
    // Registered before anything is awaited: a later destination's mount finds them.
    const moves = dest.blobs
      .filter((b) => b.action !== 'skip')
      .map((blob) => {
        progress.expect(blob.action === 'copy' ? blob.size : 0);
        const moved = awaitedLater(move(blob));
        arrivals.set(arrivalKey(dest.registry, dest.repository, blob.digest), moved);
        return moved;
      });

    return (async () => {
      await settleAll(moves);
      // Subjects the registry said it indexed for its referrers API (OCI-Subject).
      const indexed = new Set<string>();
      if (moves.length > 0) progress.report();
      // By digest, which moves no tag; a level lists only what earlier levels hold. The
      // image's own manifest waits for its tag when it gets one here: the tag's PUT stores
      // it (setTags), a round trip less than storing it first.
      const storedByTag = plan.tags.some((t) => t.registry === dest.registry && t.repository === dest.repository && t.action === 'set');
      for (const level of dest.manifestLevels) {
        const deferred = storedByTag ? level.filter((m) => m.action === 'push' && m.manifest.digest === plan.root.digest) : [];
        counts.manifestsPushed += deferred.length;
        await mapLimit(
          level.filter((m) => m.action === 'push' && !deferred.includes(m)),
          PUTS_IN_FLIGHT,
          async ({ manifest }) => {
            const listedBySubject = await client.putManifest(dest.repository, manifest.digest, manifest);
            const subject = subjectOf(manifest);
            if (listedBySubject && subject) indexed.add(subject);
            counts.manifestsPushed++;
          },
        );
      }
      // The fallback tags list artifacts pushed above; cosign's tags go before the image's
      // own, so whoever verifies finds the signatures as soon as the image is tagged.
      await mapLimit(
        dest.referrerIndexes.filter((r) => r.action === 'push' || (r.action === 'unless-indexed' && !indexed.has(r.subject))),
        PUTS_IN_FLIGHT,
        (r) => client.putManifest(dest.repository, r.tag, r.index),
      );
      await mapLimit(
        dest.cosignTags.filter((t) => t.action === 'push'),
        PUTS_IN_FLIGHT,
        async ({ tag, manifest }) => {
          await client.putManifest(dest.repository, tag, manifest);
          options.log.info(`tagged ${where}:${tag} -> ${shortDigest(manifest.digest)}`);
        },
      );
    })();
  };

  await settleAll(plan.destinations.map(carryOut));
  return counts;
}

/** The image's tags that are not at its digest yet, once executePlan has put everything they point at in place. */
export async function setTags(plan: PromotionPlan, options: Pick<ExecuteOptions, 'clients' | 'log'>): Promise<void> {
  await mapLimit(
    plan.tags.filter((t) => t.action === 'set'),
    PUTS_IN_FLIGHT,
    async (t) => {
      await options.clients.get(t.registry)!.putManifest(t.repository, t.tag, plan.root);
      options.log.info(`tagged ${t.ref} -> ${shortDigest(plan.root.digest)}${t.previous ? ` (was ${shortDigest(t.previous)})` : ''}`);
    },
  );
}
