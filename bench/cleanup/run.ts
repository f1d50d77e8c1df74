// cleanup-staging benchmarks, in one run (npm run bench -- cleanup):
//   planning  planCleanup (with dependentsOf) over a package of 10,000 versions, per
//             strategy; the target is under 1 s.
//   deleting  1,000 versions (200 multi-arch images: index, 2 platform manifests,
//             2 attestations) out of a package of 1,020, through the GitHub API
//             emulator backed by the real staging registry: cleanup-staging at
//             concurrency 4 (its default) and 16, and actions/delete-package-versions
//             (one DELETE per version) as the reference. Reports wall time,
//             throughput and every request each sent, per deleted image.
// Prints the tables and writes them to bench/results/cleanup.md. BENCH_RUNS (default 3)
// sets the runs per deleter; medians are reported.
import os from 'node:os';
import type { Strategy } from '@ci-actions/publishing/cleanup/strategy.js';
import { startFaultProxy } from '../../test/harness/fault-proxy.js';
import { deletePackageVersions, type Deleter } from '../support/deleters.js';
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
import { cleanupStaging } from './cleanup-staging.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PLAN_TARGET_MS = 1000;
const IMAGES = 200;
/** A personal access token's hourly quota of REST requests. */
const HOURLY_QUOTA = 5000;

interface ScenarioTiming extends PlanTiming {
  scenario: string;
}

interface DeleteRun {
  seconds: number;
  apiGets: number;
  apiDeletes: number;
  registryRequests: number;
  tokenRequests: number;
}

function benchPlanning(): ScenarioTiming[] {
  const now = Date.now();
  const pkg = syntheticPackage(now);
  const scenarios: [string, Strategy, string[]][] = [
    ['immediate-cleanup, 1 staged image', 'immediate-cleanup', pkg.indexes.slice(-1)],
    ['immediate-cleanup, 200 staged images', 'immediate-cleanup', pkg.indexes.slice(0, 200)],
    ['conditional-preserve, keep 5', 'conditional-preserve', []],
    ['scheduled-sweep, older than 14 days', 'scheduled-sweep', []],
  ];
  // Staged as a build job names them, by digest with this run's tag (repository:tag@digest):
  // named by digest alone, a tagged image is kept, for it may be another pipeline's.
  const tagsOf = new Map(pkg.versions.map((v) => [v.digest, v.tags]));
  return scenarios.map(([scenario, strategy, staged]) => ({
    scenario,
    ...timePlanning(pkg, now, () => ({ strategy, staged: new Map(staged.map((d) => [d, tagsOf.get(d) ?? []])) })),
  }));
}

async function benchDeleting(w: DeletionWorld, deleters: Deleter[]): Promise<Map<string, DeleteRun[]>> {
  const { world, api } = w;
  // cleanup-staging reads manifests through this proxy, which counts its registry requests.
  const proxy = await startFaultProxy(world.staging.host);
  const results = new Map<string, DeleteRun[]>();
  try {
    for (let run = 1; run <= RUNS; run++) {
      for (const [d, deleter] of deleters.entries()) {
        const pkg = await pushPackage(w, `bench-${run}-${d}`, IMAGES);
        // Each deletion starts with a token's full hour (5,000), as a pull request's job does: run
        // after run, the emulator's one quota ran out and cleanup-staging stopped at its budget.
        api.setRateLimit(HOURLY_QUOTA, HOURLY_QUOTA);
        const api0 = api.requests.length;
        const proxy0 = proxy.log.length;
        const token0 = world.staging.tokenServer.requests.length;
        const started = process.hrtime.bigint();
        await deleter.run({ ...deleteJob(w, pkg), stagingRegistry: proxy.host });
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const { gets, deletes } = apiRequestsSince(api, api0);
        results.set(deleter.name, [
          ...(results.get(deleter.name) ?? []),
          {
            seconds,
            apiGets: gets,
            apiDeletes: deletes,
            registryRequests: proxy.log.length - proxy0,
            // The client's own token requests (pull only); the emulator's (pull,push,delete) are GitHub's side.
            tokenRequests: world.staging.tokenServer.requests.slice(token0).filter((r) => r.scopes.every((s) => s.endsWith(':pull'))).length,
          },
        ]);
        await checkOnlyKeptLeft(w, pkg, deleter.name);
        process.stdout.write(`run ${run}/${RUNS}: ${deleter.name}: ${seconds.toFixed(2)} s\n`);
      }
    }
  } finally {
    await proxy.stop();
  }
  return results;
}

function report(planning: ScenarioTiming[], deleting: Map<string, DeleteRun[]>, skipped: string[]): string {
  const versions = IMAGES * VERSIONS_PER_IMAGE;
  const rows = [...deleting].map(([name, runs]) => {
    const m = (pick: (r: DeleteRun) => number) => median(runs.map(pick));
    const requests = m((r) => r.apiGets + r.apiDeletes + r.registryRequests + r.tokenRequests);
    return `| ${name} | ${m((r) => r.seconds).toFixed(2)} s | ${(versions / m((r) => r.seconds)).toFixed(0)} | ${m((r) => r.apiGets)} | ${m((r) => r.apiDeletes)} | ${m((r) => r.registryRequests + r.tokenRequests)} | ${(requests / IMAGES).toFixed(2)} | ${(requests / versions).toFixed(2)} |`;
  });
  return [
    '# cleanup-staging benchmarks',
    '',
    `Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores; Node ${process.version} (planning), the actions under Node 24.`,
    '',
    `## Planning over a package of 10,000 versions (median of ${PLAN_RUNS}; target under ${PLAN_TARGET_MS} ms)`,
    '',
    '1,600 multi-arch images (100 sharing a platform manifest), 1,100 single-platform images, 500 cosign signatures, 250 OCI referrers with fallback indexes.',
    '',
    '| scenario | versions deleted | versions kept (reported) | time |',
    '|---|---:|---:|---:|',
    ...planning.map((p) => `| ${p.scenario} | ${p.deleted} | ${p.kept} | ${p.ms.toFixed(1)} ms |`),
    '',
    `## Deleting ${versions} versions (${IMAGES} multi-arch images) from a package of ${versions + KEPT_IMAGES * VERSIONS_PER_IMAGE} (median of ${RUNS})`,
    '',
    "Against the GitHub API emulator backed by a real registry (CNCF distribution 2.8, token auth) on 127.0.0.1, so times show the clients' overhead, not GitHub's latency; on GitHub every request costs tens of milliseconds and counts against rate limits, which is what the request columns are about. Every kept image still pulled completely afterwards.",
    '',
    '| deleter | wall time | versions/s | API GETs | API DELETEs | registry requests (incl. tokens) | requests per deleted image | per deleted version |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    ...(skipped.length > 0 ? ['', `Not measured: ${skipped.join('; ')}.`] : []),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const planning = benchPlanning();
  for (const p of planning) process.stdout.write(`planning, ${p.scenario}: ${p.ms.toFixed(1)} ms\n`);
  const peer = deletePackageVersions();
  const deleters = [cleanupStaging(4), cleanupStaging(16), ...(typeof peer === 'string' ? [] : [peer])];
  const deleting = await inDeletionWorld((w) => benchDeleting(w, deleters));
  const table = report(planning, deleting, typeof peer === 'string' ? [peer] : []);
  writeResults('cleanup', table);
  const slow = planning.filter((p) => p.ms >= PLAN_TARGET_MS);
  if (slow.length > 0) throw new Error(`planning took ${PLAN_TARGET_MS} ms or more: ${slow.map((p) => p.scenario).join(', ')}`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
