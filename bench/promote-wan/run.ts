// promote-image against skopeo, crane and regctl over a simulated wide-area link: both
// registries and both token servers behind TLS (a CA made for the run) and a relay that
// delays each direction by half the round-trip time (test/harness/wan.ts), at RTT 50 ms
// (a runner to GHCR or Docker Hub) and RTT 150 ms (another continent). Over loopback only
// CPU counts; here every handshake, token request and request made in a row does.
// Scenarios per RTT and image size (24 MB, 200 MB): cold (a fresh destination) and warm
// re-run (everything there). For each tool: median wall time, the requests it made, and
// the longest chain of requests that each waited on the one before (round trips in a row).
// Writes bench/results/promote-wan.md.
import { lookup } from 'node:dns/promises';
import { randomBytes } from 'node:crypto';
import { inspectRaw } from '../../test/harness/skopeo.js';
import { stageImage } from '../../test/harness/staging.js';
import { startRegistry, type Registry } from '../../test/harness/registry.js';
import { makeLinkCertificates, RequestLog, startWanLink, WAN_HOSTS, type LinkCertificates, type WanLink } from '../../test/harness/wan.js';
import { PRODUCTION_SERVICE, STAGING_SERVICE } from '../../test/harness/world.js';
import { median } from '../support/stats.js';
import { writeResults } from '../support/results.js';
import { measure } from '../promote/measure.js';
import { availableCopiers, type Copier, type Endpoint } from '../promote/tools.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const RTTS_MS = [50, 150];
const IMAGES = [
  { label: '24 MB', layerMb: [5, 4, 2, 1] },
  { label: '200 MB', layerMb: [40, 30, 20, 10] },
];
type Scenario = 'cold' | 'warm re-run';

interface Sample {
  seconds: number;
  requests: number;
  chain: number;
}

interface Site {
  registry: Registry;
  link: WanLink;
  links: WanLink[];
  credentials: { username: string; password: string };
  destroy(): Promise<void>;
}

async function main(): Promise<void> {
  for (const host of WAN_HOSTS) {
    const { address } = await lookup(host).catch(() => ({ address: 'nothing' }));
    if (address !== '127.0.0.1') throw new Error(`${host} resolves to ${address}, not 127.0.0.1: bench/run adds it to /etc/hosts when run as root`);
  }
  const { copiers, missing } = availableCopiers();
  const certificates = await makeLinkCertificates();
  const log = new RequestLog();
  const samples = new Map<string, Sample[]>();
  const key = (rtt: number, image: string, scenario: Scenario, tool: string) => `${rtt}|${image}|${scenario}|${tool}`;

  for (const rtt of RTTS_MS) {
    const delayMs = rtt / 2;
    const staging = await startSite('staging', STAGING_SERVICE, WAN_HOSTS[0], delayMs, certificates, log);
    try {
      for (const image of IMAGES) {
        process.stdout.write(`RTT ${rtt} ms: staging a ${image.label} two-platform image...\n`);
        // Staged over loopback: only the copies under test cross the link.
        const staged = await stageImage(staging.registry.host, 'acme/bench', image.label.replace(' ', ''), staging.credentials, {
          attestations: true,
          layerSizes: image.layerMb.map((mb) => mb * 1024 * 1024),
        });
        const source = `${staging.link.host}/acme/bench@${staged.digest}`;
        for (let run = 1; run <= RUNS; run++) {
          const order = copiers.map((_, i) => copiers[(i + run) % copiers.length]);
          for (const copier of order) {
            const production = await startSite(`production-${randomBytes(3).toString('hex')}`, PRODUCTION_SERVICE, WAN_HOSTS[1], delayMs, certificates, log);
            try {
              const endpoints: Endpoint[] = [
                { host: staging.link.host, ...staging.credentials, ca: { path: certificates.caPath, dir: certificates.caDir } },
                { host: production.link.host, ...production.credentials, ca: { path: certificates.caPath, dir: certificates.caDir } },
              ];
              const destination = `${production.link.host}/acme/bench:1.0.${run}`;
              for (const scenario of ['cold', 'warm re-run'] as const) {
                log.clear();
                const measured = await measure(copier.command(source, destination, endpoints));
                const sample = { seconds: measured.seconds, requests: log.records.length, chain: log.longestChain(delayMs) };
                const k = key(rtt, image.label, scenario, copier.name);
                samples.set(k, [...(samples.get(k) ?? []), sample]);
              }
              await expectIdentical(copier, `docker://${production.registry.host}/acme/bench:1.0.${run}`, staged.raw, production.credentials);
            } finally {
              await production.destroy();
            }
          }
          process.stdout.write(`  ${image.label}: run ${run}/${RUNS} done\n`);
        }
      }
    } finally {
      await staging.destroy();
    }
  }

  const table = report(copiers, samples, key, missing);
  writeResults('promote-wan', table);
}

/** A registry and its token server, each reached only through its own link. */
async function startSite(name: string, service: string, hostname: string, delayMs: number, certificates: LinkCertificates, log: RequestLog): Promise<Site> {
  const credentials = { username: 'ci', password: `ci-${randomBytes(12).toString('hex')}` };
  const links: WanLink[] = [];
  const link = (upstream: string, what: string) =>
    startWanLink({ name: `${name} ${what}`, upstream, hostname, delayMs, certificates, log }).then((l) => (links.push(l), l));
  const registry = await startRegistry({
    name,
    service,
    users: { ci: { password: credentials.password, grants: [{ repository: 'acme/*', actions: ['pull', 'push'] }] } },
    realmFor: async (tokenServer) => `${(await link(tokenServer.url, 'token server')).url}/token`,
  });
  const registryLink = await link(registry.url, 'registry');
  return {
    registry,
    link: registryLink,
    links,
    credentials,
    destroy: async () => {
      await Promise.all(links.map((l) => l.close()));
      await registry.destroy();
    },
  };
}

async function expectIdentical(copier: Copier, ref: string, raw: Buffer, creds: { username: string; password: string }): Promise<void> {
  const copied = await inspectRaw(ref, creds);
  if (!copied.equals(raw)) throw new Error(`${copier.name} did not produce a byte-identical index at ${ref}`);
}

function report(
  copiers: Copier[],
  samples: Map<string, Sample[]>,
  key: (rtt: number, image: string, s: Scenario, tool: string) => string,
  missing: string[],
): string {
  const names = copiers.map((c) => c.name);
  const peers = names.filter((n) => n !== 'promote-image');
  const lines = [
    `# promote-image vs peers over a wide-area link (median of ${RUNS} runs)`,
    '',
    'Both registries (CNCF distribution, token auth) and both token servers behind TLS and a relay delaying each direction by RTT/2 (test/harness/wan.ts).',
    'Requests: every HTTP request the tool made (token requests included). Chain: the longest run of requests each of which waited for the one before.',
    ...(missing.length > 0 ? [`Not measured (not installed): ${missing.join(', ')}.`] : []),
    '',
    `| RTT | image | scenario | ${names.join(' | ')} | promote-image / fastest peer |`,
    `|---|---|---|${names.map(() => '---:').join('|')}|---:|`,
  ];
  for (const rtt of RTTS_MS) {
    for (const image of IMAGES) {
      for (const scenario of ['cold', 'warm re-run'] as const) {
        const of = (tool: string) => samples.get(key(rtt, image.label, scenario, tool)) ?? [];
        const seconds = (tool: string) => median(of(tool).map((s) => s.seconds));
        const cell = (tool: string) =>
          `${seconds(tool).toFixed(3)} s, ${median(of(tool).map((s) => s.requests))} req, chain ${median(of(tool).map((s) => s.chain))}`;
        const fastestPeer = Math.min(...peers.map(seconds));
        lines.push(`| ${rtt} ms | ${image.label} | ${scenario} | ${names.map(cell).join(' | ')} | ${(seconds('promote-image') / fastestPeer).toFixed(2)} |`);
      }
    }
  }
  lines.push('');
  return lines.join('\n');
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
