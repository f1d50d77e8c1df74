// A registry with the OCI 1.1 referrers API, for the paths of the registry client and of
// promotion that the distribution registry (no referrers API) never reaches. It is
// go-containerregistry's pkg/registry with referrers support (referrers-registry/main.go),
// built here from its Go module on first use and kept in .tools/bin under a name that
// carries the hash of its sources, so a change to them builds it anew. In memory, no
// authentication: what is under test is the referrers protocol, not the token dance.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../support/paths.js';
import { freePort, LOOPBACK } from './ports.js';
import { httpProbe, findExecutable, ServiceProcess } from './process.js';

const run = promisify(execFile);
const sourceDir = path.join(repoRoot, 'test/harness/referrers-registry');

export interface ReferrersRegistry {
  /** host:port, as used in image references. */
  host: string;
  url: string;
  stop(): Promise<void>;
}

/** The built binary, building it when its sources changed since the last build. */
export async function buildReferrersRegistry(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of ['main.go', 'go.mod', 'go.sum']) hash.update(readFileSync(path.join(sourceDir, file)));
  const binary = path.join(repoRoot, '.tools/bin', `referrers-registry-${hash.digest('hex').slice(0, 12)}`);
  if (existsSync(binary)) return binary;
  const go = findExecutable('go');
  if (!go)
    throw new Error(
      'Go is needed to build the referrers registry (test/harness/referrers-registry): install Go, it fetches go-containerregistry from the Go module proxy',
    );
  mkdirSync(path.dirname(binary), { recursive: true });
  try {
    await run(go, ['build', '-o', binary, '.'], {
      cwd: sourceDir,
      env: { ...process.env, GOFLAGS: '-mod=mod' },
      timeout: 600_000,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (err) {
    throw new Error(
      `go build of test/harness/referrers-registry failed (the Go module proxy must be reachable):\n${String((err as { stderr?: string }).stderr ?? err).trim()}`,
      { cause: err },
    );
  }
  return binary;
}

export async function startReferrersRegistry(): Promise<ReferrersRegistry> {
  const binary = await buildReferrersRegistry();
  const host = `${LOOPBACK}:${await freePort()}`;
  const url = `http://${host}`;
  const service = await ServiceProcess.start({
    name: `referrers registry (${url})`,
    command: binary,
    args: ['-addr', host],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    ready: httpProbe(`${url}/v2/`, (status) => status === 200),
  });
  return { host, url, stop: () => service.stop() };
}
