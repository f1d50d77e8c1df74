// cleanup-staging as a retention tool on a large package (npm run bench -- retention):
//   planning  the retention strategy over the 10,000 versions of bench/cleanup's
//             synthetic package, in memory;
//   deleting  a package of 10,020 versions (2,004 multi-arch images: index, 2 platform
//             manifests, 2 attestations) of which delete-tags pr-* (with delete-untagged) selects 2,000 images
//             (10,000 versions), through the GitHub API emulator backed by the real
//             staging registry. cleanup-staging runs as a scheduled job would: once per
//             hour, each hour a fresh quota of 5,000 requests (a personal access token's)
//             of which rate-limit-budget 0.5 lets it spend half, until nothing is left.
//             actions/delete-package-versions (one DELETE per version, at most 100 per
//             run) is run until only the kept versions are left, as bench/cleanup does.
// Reports the requests each spent next to that quota. BENCH_RUNS (default 1) runs each
// deleter that many times; medians are reported. Writes bench/results/retention.md.
import os from 'node:os';
import { findBrokenImages } from '@ci-actions/publishing/cleanup/broken.js';
import { patternMatcher } from '@ci-actions/publishing/cleanup/patterns.js';
import { retentionRules } from '@ci-actions/publishing/cleanup/retention.js';
import { runBundledAction } from '../../test/support/action-runner.js';
import { cleanupStagingTarget, deletePackageVersions, type DeleteJob } from '../support/deleters.js';
import {
  apiRequestsSince,
  checkOnlyKeptLeft,
  deleteJob,
  inDeletionWorld,
  KEPT_IMAGES,
  pushPackage,
  VERSIONS_PER_IMAGE,
  type DeletionWorld,
} from '../support/deletion-world.js';
import { PLAN_RUNS, timePlanning, type PlanTiming } from '../support/plan-timing.js';
import { median } from '../support/stats.js';
import { writeResults } from '../support/results.js';
import { syntheticPackage } from '../support/synthetic-package.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const IMAGES = 2000;
/** A personal access token's hourly quota; an Actions GITHUB_TOKEN gets 1,000 (15,000 on Enterprise Cloud). */
const QUOTA = 5000;
const BUDGET = 0.5;
/** The 2,000 images to delete are pushed this many at a time. */
const PUSH_CONCURRENCY = 16;

interface Measured {
  seconds: number;
  gets: number;
  deletes: number;
  /** Scheduled runs (hours) it took; for delete-package-versions, its runs. */
  runs: number;
  /** The most requests one hour saw. */
  perHour: number;
}

function benchPlanning(): PlanTiming {
  const now = Date.now();
  const pkg = syntheticPackage(now);
  const rules = retentionRules({
    deleteTags: patternMatcher('build-*', false),
    keepNTagged: 10,
    olderThanMs: 7 * 86_400_000,
    olderThan: '7 days',
    deleteOrphanedImages: true,
  });
  return timePlanning(pkg, now, () => ({
    strategy: 'retention',
    staged: new Map(),
    retention: { rules, broken: findBrokenImages(pkg.versions, pkg.links) },
  }));
}

async function cleanupStagingHourly({ api }: DeletionWorld, job: DeleteJob): Promise<Measured> {
  const started = process.hrtime.bigint();
  const first = api.requests.length;
  let runs = 0;
  let perHour = 0;
  for (let exhausted = true; exhausted;) {
    api.setRateLimit(QUOTA, QUOTA);
    const before = api.requests.length;
    const run = await runBundledAction('cleanup-staging', {
      inputs: {
        'delete-tags': 'pr-*',
        // What a run cut short by the budget leaves are untagged platform and attestation
        // manifests of deleted indexes: the next hour's run deletes them as untagged images.
        'delete-untagged': 'true',
        'rate-limit-budget': String(BUDGET),
        ...cleanupStagingTarget(job),
        'event-name': 'schedule',
        ref: 'refs/heads/main',
        concurrency: '8',
      },
    });
    if (run.exitCode !== 0) throw new Error(`cleanup-staging failed:\n${run.stdout.slice(-3000)}`);
    runs++;
    perHour = Math.max(perHour, api.requests.length - before);
    if (api.requests.length - before > QUOTA * BUDGET)
      throw new Error(`cleanup-staging spent ${api.requests.length - before} requests, over its budget of ${QUOTA * BUDGET}`);
    exhausted = run.outputs['budget-exhausted'] === 'true';
    process.stdout.write(
      `cleanup-staging hour ${runs}: ${api.requests.length - before} requests, ${run.outputs['deleted-count']} deleted, ${run.outputs['left-count']} left\n`,
    );
  }
  const { gets, deletes } = apiRequestsSince(api, first);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, gets, deletes, runs, perHour };
}

async function main(): Promise<void> {
  const planning = benchPlanning();
  process.stdout.write(`planning, retention over 10,000 versions: ${planning.ms.toFixed(1)} ms\n`);
  const peer = deletePackageVersions();
  const results = new Map<string, Measured[]>();
  const add = (name: string, m: Measured) => results.set(name, [...(results.get(name) ?? []), m]);
  await inDeletionWorld(async (w) => {
    for (let run = 1; run <= RUNS; run++) {
      const mine = await pushPackage(w, `retention-${run}-cleanup-staging`, IMAGES, PUSH_CONCURRENCY);
      const name = `cleanup-staging, rate-limit-budget ${BUDGET}`;
      add(name, await cleanupStagingHourly(w, deleteJob(w, mine)));
      await checkOnlyKeptLeft(w, mine, name);
      if (typeof peer === 'string') continue;
      const theirs = await pushPackage(w, `retention-${run}-peer`, IMAGES, PUSH_CONCURRENCY);
      // Unmetered: it reads no rate-limit header, so the emulator's quota would not stop it.
      w.api.setRateLimit(1_000_000, 1_000_000);
      const first = w.api.requests.length;
      const started = process.hrtime.bigint();
      let peerRuns = 0;
      const job = deleteJob(w, theirs);
      await peer.run({ ...job, remaining: () => (peerRuns++, job.remaining()) });
      const { gets, deletes, all } = apiRequestsSince(w.api, first);
      add(peer.name, { seconds: Number(process.hrtime.bigint() - started) / 1e9, gets, deletes, runs: peerRuns - 1, perHour: all });
      await checkOnlyKeptLeft(w, theirs, peer.name);
    }
  });
  const table = report(planning, results, typeof peer === 'string' ? [peer] : []);
  writeResults('retention', table);
}

function report(planning: PlanTiming, results: Map<string, Measured[]>, skipped: string[]): string {
  const versions = IMAGES * VERSIONS_PER_IMAGE;
  const rows = [...results].map(([name, runs]) => {
    const m = (pick: (r: Measured) => number) => median(runs.map(pick));
    const requests = m((r) => r.gets + r.deletes);
    return `| ${name} | ${m((r) => r.seconds).toFixed(1)} s | ${m((r) => r.gets)} | ${m((r) => r.deletes)} | ${requests} | ${(requests / QUOTA).toFixed(2)} | ${m((r) => r.perHour)} | ${m((r) => r.runs)} |`;
  });
  return [
    '# cleanup-staging as a retention tool',
    '',
    `Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores; Node ${process.version} (planning), the actions under Node 24.`,
    '',
    `Planning the retention strategy (delete-tags build-*, keep-n-tagged 10, older-than 7 days, delete-orphaned-images) over bench/cleanup's package of 10,000 versions: ${planning.ms.toFixed(1)} ms (median of ${PLAN_RUNS}); ${planning.deleted} versions deleted, ${planning.kept} kept and reported.`,
    '',
    `## Deleting ${versions} versions (${IMAGES} multi-arch images) from a package of ${versions + KEPT_IMAGES * VERSIONS_PER_IMAGE} (median of ${RUNS})`,
    '',
    `Against the GitHub API emulator backed by a real registry on 127.0.0.1. GitHub deletes one version per request, so ${versions} DELETEs are the floor for everyone. The quota is a personal access token's ${QUOTA} requests an hour; cleanup-staging runs hourly with rate-limit-budget ${BUDGET}, so each run stops at ${QUOTA * BUDGET} and the next hour's run goes on; delete-package-versions reads no rate-limit header and was run unmetered until done. Every kept image still pulled completely afterwards.`,
    '',
    `| deleter | wall time | API GETs | API DELETEs | API requests | of one hour's quota (${QUOTA}) | most in one hour | runs (hours for cleanup-staging) |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    ...(skipped.length > 0 ? ['', `Not measured: ${skipped.join('; ')}.`] : []),
    '',
  ].join('\n');
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
