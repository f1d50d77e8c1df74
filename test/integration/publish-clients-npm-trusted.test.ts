// publish-clients' npm side with no token: trusted publishing. The real npm CLI asks the
// runner's OIDC endpoint (stand-in) for an id token and exchanges it at the registry
// (stand-in of npmjs.com's exchange, in front of a real Verdaccio) for a publish token;
// what it publishes must then be in Verdaccio under the dist-tag.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NpmReleaseOptions } from '@ci-actions/publishing/npm/index.js';
import { startGithubOidc, type GithubOidc } from '../harness/github-oidc.js';
import { startNpmFront, type NpmFront } from '../harness/npm-front.js';
import { startVerdaccio, stopVerdaccio, type Verdaccio } from '../harness/verdaccio.js';
import { captureLog } from '../support/capture-log.js';
import { repoRoot } from '../support/paths.js';
import { httpRequest } from '../harness/http.js';
import { freePort, LOOPBACK } from '../harness/ports.js';
import { releaseNpm } from '../support/npm-release.js';

const REPOSITORY = 'acme/clients';

let verdaccio: Verdaccio;
let oidc: GithubOidc;
let front: NpmFront;
beforeAll(async () => {
  verdaccio = await startVerdaccio({ anonymousRead: true });
  oidc = await startGithubOidc({ repository: REPOSITORY, workflowFile: 'release.yml' });
  front = await startNpmFront(verdaccio, oidc);
}, 90_000);
afterAll(async () => {
  await front?.stop();
  await oidc?.stop();
  await stopVerdaccio(verdaccio);
});

// What the runner gives a job with "permissions: id-token: write"; npm looks for OIDC only under GitHub Actions.
const saved = { ...process.env };
beforeEach(() => {
  front.exchanges.length = 0;
  Object.assign(process.env, { GITHUB_ACTIONS: 'true', ...oidc.env });
});
afterEach(() => {
  process.env = { ...saved };
});

function options(extra: Partial<NpmReleaseOptions> = {}): NpmReleaseOptions {
  return {
    packagePaths: ['test/fixtures/npm-client'],
    workspace: repoRoot,
    version: '1.0.0',
    distTag: 'latest',
    registry: front.url,
    scope: '@acme',
    access: 'public',
    provenance: false,
    staged: false,
    repository: REPOSITORY,
    token: '',
    tempRoot: mkdtempSync(path.join(tmpdir(), 'runner-temp-')),
    log: captureLog(),
    ...extra,
  };
}

function release(extra: Partial<NpmReleaseOptions>) {
  return releaseNpm(options(extra));
}

/** The registry's dist-tags of `name`, read anonymously as any user of a public package can. */
async function distTags(name: string): Promise<Record<string, string> | undefined> {
  const res = await httpRequest(`${verdaccio.url}${name.replace('/', '%2f')}`);
  return res.status === 200 ? res.json<{ 'dist-tags': Record<string, string> }>()['dist-tags'] : undefined;
}

describe('publish-clients npm release through trusted publishing (OIDC)', () => {
  test('with no token, npm exchanges the job OIDC token for a publish token and publishes under the dist-tag', async () => {
    front.trust('@acme/client', { repository: REPOSITORY, workflowFile: 'release.yml' });
    oidc.setIdentity({ repository: REPOSITORY, workflowFile: 'release.yml' });
    const log = captureLog();

    expect(await release({ version: '1.1.0', log })).toEqual([{ name: '@acme/client', version: '1.1.0', distTag: 'latest', outcome: 'published' }]);

    expect(front.exchanges).toEqual([{ name: '@acme/client', granted: true }]);
    expect(oidc.audiences.at(-1)).toBe('npm:127.0.0.1');
    expect((await distTags('@acme/client'))?.latest).toBe('1.1.0');
    expect(log.lines).toContain(`published @acme/client@1.1.0 to ${front.url} with dist-tag latest, through trusted publishing`);
  });

  test('from a reusable workflow the registry checks the calling workflow file, not the called one', async () => {
    // The run started from release.yml, which calls a shared workflow that runs the step.
    oidc.setIdentity({ repository: REPOSITORY, workflowFile: 'release.yml', jobWorkflow: 'acme/shared/.github/workflows/publish.yml' });
    front.trust('@acme/client', { repository: REPOSITORY, workflowFile: 'publish.yml' });

    await expect(release({ version: '1.2.0' })).rejects.toThrow(
      `${front.url} did not accept this job as a trusted publisher of @acme/client (ENEEDAUTH on npm publish; npm: Failed token exchange request with body message: OIDC token exchange error - package not found). ` +
        "Without a token the package's trusted publisher on npmjs.com must name this repository and the workflow file that started the run (for a reusable workflow: the calling workflow's file)",
    );
    expect((await distTags('@acme/client'))?.['next']).toBeUndefined();
    expect(front.exchanges).toEqual([{ name: '@acme/client', granted: false }]);

    front.trust('@acme/client', { repository: REPOSITORY, workflowFile: 'release.yml' });
    await release({ version: '1.2.0', distTag: 'next' });
    expect((await distTags('@acme/client'))?.['next']).toBe('1.2.0');
  });

  test('an npm on PATH older than 11.5.1 is replaced by a pinned npm 11 for the step', async () => {
    front.trust('@acme/client', { repository: REPOSITORY, workflowFile: 'release.yml' });
    oidc.setIdentity({ repository: REPOSITORY, workflowFile: 'release.yml' });
    putOldNpmOnPath();
    const log = captureLog();

    expect((await release({ version: '1.3.0', distTag: 'old-npm', log }))[0]?.outcome).toBe('published');

    expect(log.lines).toContain(
      'npm 10.9.2 on PATH is older than 11.5.1, which trusted publishing (no npm token given) needs: installing npm 11.19.1 for this step',
    );
    expect((await distTags('@acme/client'))?.['old-npm']).toBe('1.3.0');
  }, 120_000);

  test('when the pinned npm cannot be installed, the step fails naming the npm found and the one needed; nothing is published', async () => {
    front.trust('@acme/client', { repository: REPOSITORY, workflowFile: 'release.yml' });
    oidc.setIdentity({ repository: REPOSITORY, workflowFile: 'release.yml' });
    putOldNpmOnPath();
    // The registry npm installs from is down: nothing listens on the port.
    Object.assign(process.env, { npm_config_registry: `http://${LOOPBACK}:${await freePort()}/`, npm_config_fetch_retries: '0' });

    await expect(release({ version: '1.4.0', distTag: 'no-npm-11' })).rejects.toThrow(
      /^trusted publishing \(no npm token given\) needs npm 11\.5\.1 or later, and the npm on PATH is 10\.9\.2; installing npm 11\.19\.1 failed: npm install .* failed in .*ECONNREFUSED/,
    );
    expect(front.exchanges).toEqual([]);
    expect((await distTags('@acme/client'))?.['no-npm-11']).toBeUndefined();
  }, 120_000);

  test('with no npm on PATH the step fails saying so and which npm it needs; nothing is published', async () => {
    front.trust('@acme/client', { repository: REPOSITORY, workflowFile: 'release.yml' });
    oidc.setIdentity({ repository: REPOSITORY, workflowFile: 'release.yml' });
    process.env.PATH = mkdtempSync(path.join(tmpdir(), 'no-npm-'));

    await expect(release({ version: '1.5.0', distTag: 'no-npm' })).rejects.toThrow(
      'trusted publishing (no npm token given) needs npm 11.5.1 or later, and there is no npm on PATH: set up Node.js, which brings npm, before this step (e.g. actions/setup-node)',
    );
    expect(front.exchanges).toEqual([]);
    expect((await distTags('@acme/client'))?.['no-npm']).toBeUndefined();
  });
});

/** An npm 10 as setup-node gives with Node 20/22: it says its version, packs and reads, but cannot exchange an OIDC token. */
function putOldNpmOnPath(): void {
  const bin = mkdtempSync(path.join(tmpdir(), 'old-npm-'));
  writeFileSync(
    path.join(bin, 'npm'),
    `#!/bin/sh\ncase "$1" in\n  --version) echo 10.9.2 ;;\n  publish) echo "npm error code ENEEDAUTH" >&2; exit 1 ;;\n  *) PATH="${process.env.PATH}" exec npm "$@" ;;\nesac\n`,
  );
  chmodSync(path.join(bin, 'npm'), 0o755);
  process.env.PATH = `${bin}${path.delimiter}${process.env.PATH}`;
}
