// promote-image against skopeo, crane and regctl on the same multi-arch image (about
// 200 MB: 2 platforms, 4 layers each, buildx attestations) between the same two local
// token-auth registries, in one run. Scenarios:
//   cold           a destination registry that has none of the blobs (a fresh one per run)
//   warm re-run    the same copy again: every blob is already there
//   same registry  staging to another repository of staging (mountable)
// Prints medians of BENCH_RUNS runs (default 9: a cold copy varies by 10 % from run to run
// here) with ratios to skopeo, and the peak RSS, and writes the table to
// bench/results/promote.md.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { inspectRaw } from '../../test/harness/skopeo.js';
import { stageImage } from '../../test/harness/staging.js';
import { startRegistry, type Registry } from '../../test/harness/registry.js';
import { PRODUCTION_SERVICE, startRegistries } from '../../test/harness/world.js';
import { node24 } from '../../test/support/node24.js';
import { repoRoot } from '../../test/support/paths.js';
import { median } from '../support/stats.js';
import { writeResults } from '../support/results.js';
import { measure, type Measurement } from './measure.js';
import { availableCopiers, type Copier, type Endpoint } from './tools.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const LAYER_MB = [40, 30, 20, 10];
type Scenario = 'cold' | 'warm re-run' | 'same registry';
const SCENARIOS: Scenario[] = ['cold', 'warm re-run', 'same registry'];

async function main(): Promise<void> {
  const { copiers, missing } = availableCopiers();
  const world = await startRegistries();
  const results = new Map<string, Measurement[]>();
  const record = (tool: string, scenario: Scenario, m: Measurement) => {
    const key = `${tool}|${scenario}`;
    results.set(key, [...(results.get(key) ?? []), m]);
  };
  try {
    process.stdout.write(`building and staging a ${LAYER_MB.reduce((a, b) => a + b) * 2} MB multi-arch image...\n`);
    const image = await stageImage(world.staging.host, 'acme/bench', 'src', world.creds.staging.ci, {
      attestations: true,
      layerSizes: LAYER_MB.map((mb) => mb * 1024 * 1024),
    });
    const source = `${world.staging.host}/acme/bench@${image.digest}`;
    const stagingEndpoint: Endpoint = { host: world.staging.host, ...world.creds.staging.ci };

    for (let run = 1; run <= RUNS; run++) {
      // Rotate the order so no tool always runs first (cold caches) or last.
      const order = copiers.map((_, i) => copiers[(i + run) % copiers.length]);
      for (const copier of order) {
        const production = await freshProduction(world.creds.production.publisher);
        try {
          const prodEndpoint: Endpoint = { host: production.host, ...world.creds.production.publisher };
          const destination = `${production.host}/acme/bench:1.0.${run}`;
          record(copier.name, 'cold', await measure(copier.command(source, destination, [stagingEndpoint, prodEndpoint])));
          await expectIdentical(copier, `docker://${destination}`, image.raw, world.creds.production.publisher);
          const warm = copier.command(source, destination, [stagingEndpoint, prodEndpoint]);
          record(copier.name, 'warm re-run', await measure(warm));
          if (warm.outputFile) expectNothingCopied(copier, warm.outputFile);
        } finally {
          await production.destroy();
        }
        const sameRegistry = `${world.staging.host}/acme/same-${copier.name}-${run}:1.0.${run}`;
        record(copier.name, 'same registry', await measure(copier.command(source, sameRegistry, [stagingEndpoint])));
        await expectIdentical(copier, `docker://${sameRegistry}`, image.raw, world.creds.staging.ci);
      }
      process.stdout.write(`run ${run}/${RUNS} done\n`);
    }
    const table = report(copiers, results, image.totalBytes, missing);
    writeResults('promote', table);
  } finally {
    await world.stop();
  }
}

async function freshProduction(publisher: { username: string; password: string }): Promise<Registry> {
  return startRegistry({
    name: `bench-production-${randomBytes(3).toString('hex')}`,
    service: PRODUCTION_SERVICE,
    users: { [publisher.username]: { password: publisher.password, grants: [{ repository: 'acme/*', actions: ['pull', 'push'] }] } },
  });
}

async function expectIdentical(copier: Copier, ref: string, raw: Buffer, creds: { username: string; password: string }): Promise<void> {
  const copied = await inspectRaw(ref, creds);
  if (!copied.equals(raw)) throw new Error(`${copier.name} did not produce a byte-identical index at ${ref}`);
}

/** A warm re-run must move no blob byte: promote-image's own `bytes-copied` output says so. */
function expectNothingCopied(copier: Copier, outputFile: string): void {
  const match = /^bytes-copied<<(\S+)\n([^\n]*)\n\1$/m.exec(readFileSync(outputFile, 'utf8'));
  if (match?.[2] !== '0') throw new Error(`${copier.name}: the warm re-run copied ${match?.[2] ?? 'an unknown number of'} bytes, expected 0`);
}

function report(copiers: Copier[], results: Map<string, Measurement[]>, totalBytes: number, missing: string[]): string {
  const seconds = (tool: string, s: Scenario) => median(results.get(`${tool}|${s}`)!.map((m) => m.seconds));
  const rss = (tool: string, s: Scenario) => Math.max(...results.get(`${tool}|${s}`)!.map((m) => m.peakRssMb));
  const cpu = (tool: string, s: Scenario) => median(results.get(`${tool}|${s}`)!.map((m) => m.cpuSeconds));
  const names = copiers.map((c) => c.name);
  const lines = [
    `# promote-image vs peers (median of ${RUNS} runs)`,
    '',
    `Image: ${(totalBytes / 1024 / 1024).toFixed(0)} MB, 2 platforms x ${LAYER_MB.length} layers, buildx attestations. Registries: CNCF distribution ${version('docker-registry', ['--version'])} on 127.0.0.1 with token auth.`,
    `Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB; promote-image under Node ${version(node24(), ['--version'])}; ${version('skopeo', ['--version'])}${names.includes('crane') ? `; crane ${version(path.join(repoRoot, '.tools/bin/crane'), ['version'])}` : ''}${names.includes('regctl') ? `; regctl ${version(path.join(repoRoot, '.tools/bin/regctl'), ['version', '--format', '{{.VCSTag}}'])}` : ''}.`,
    ...(missing.length > 0 ? [`Not measured (not installed): ${missing.join(', ')}.`] : []),
    '',
    `| scenario | ${names.join(' | ')} | promote-image / skopeo |`,
    `|---|${names.map(() => '---:').join('|')}|---:|`,
    ...SCENARIOS.map(
      (s) => `| ${s} | ${names.map((n) => `${seconds(n, s).toFixed(3)} s`).join(' | ')} | ${(seconds('promote-image', s) / seconds('skopeo', s)).toFixed(2)} |`,
    ),
    ...SCENARIOS.map(
      (s) => `| peak RSS, ${s} | ${names.map((n) => `${rss(n, s).toFixed(0)} MB`).join(' | ')} | ${(rss('promote-image', s) / rss('skopeo', s)).toFixed(2)} |`,
    ),
    `| CPU (user + system), cold | ${names.map((n) => `${cpu(n, 'cold').toFixed(2)} s`).join(' | ')} | ${(cpu('promote-image', 'cold') / cpu('skopeo', 'cold')).toFixed(2)} |`,
    '',
  ];
  return lines.join('\n');
}

function version(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).trim().split('\n')[0];
  } catch {
    return 'unknown';
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
