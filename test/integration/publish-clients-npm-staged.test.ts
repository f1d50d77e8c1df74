// publish-clients' npm side with npm-staged: the real npm CLI runs `npm stage publish` against
// a stand-in of npmjs.com's staging area (test/harness/npm-front.ts) in front of Verdaccio. A
// staged version is not installable until a maintainer approves it; a re-run recognises its own
// staged tarball and refuses another one under the same version.
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NpmReleaseOptions } from '@ci-actions/publishing/npm/index.js';
import { startGithubOidc, type GithubOidc } from '../harness/github-oidc.js';
import { httpRequest } from '../harness/http.js';
import { startNpmFront, type NpmFront } from '../harness/npm-front.js';
import { startVerdaccio, stopVerdaccio, type Verdaccio } from '../harness/verdaccio.js';
import { captureLog } from '../support/capture-log.js';
import { repoRoot } from '../support/paths.js';
import { releaseNpm } from '../support/npm-release.js';

const REPOSITORY = 'acme/clients';

let verdaccio: Verdaccio;
let oidc: GithubOidc;
let front: NpmFront;
beforeAll(async () => {
  verdaccio = await startVerdaccio({ anonymousRead: true });
  oidc = await startGithubOidc({ repository: REPOSITORY, workflowFile: 'release.yml' });
  front = await startNpmFront(verdaccio, oidc);
  front.trust('@acme/client', { repository: REPOSITORY, workflowFile: 'release.yml' });
}, 90_000);
afterAll(async () => {
  await front?.stop();
  await oidc?.stop();
  await stopVerdaccio(verdaccio);
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
    repository: REPOSITORY,
    staged: true,
    token: verdaccio.token,
    tempRoot: mkdtempSync(path.join(tmpdir(), 'runner-temp-')),
    log: captureLog(),
    ...extra,
  };
}

function release(extra: Partial<NpmReleaseOptions>) {
  return releaseNpm(options(extra));
}

/** Whether anyone can install name@version from the registry. */
async function isPublished(name: string, version: string): Promise<boolean> {
  const res = await httpRequest(`${verdaccio.url}${name.replace('/', '%2f')}`);
  return res.status === 200 && version in (res.json<{ versions: Record<string, unknown> }>().versions ?? {});
}

/** A scratch copy of the fixture whose index.js says `text`: other contents under the same name. */
function changedFixture(text: string): { workspace: string; packagePaths: string[] } {
  const workspace = mkdtempSync(path.join(tmpdir(), 'workspace-'));
  const dir = path.join(workspace, 'client');
  cpSync(path.join(repoRoot, 'test/fixtures/npm-client'), dir, { recursive: true });
  writeFileSync(path.join(dir, 'index.js'), text);
  return { workspace, packagePaths: ['client'] };
}

describe('publish-clients npm release with staged publishing', () => {
  test('stages the version for approval, reports its stage id, and nobody can install it yet', async () => {
    const log = captureLog();
    const [result] = await release({ version: '4.0.0', log });

    const item = front.staged.find((s) => s.version === '4.0.0');
    expect(item).toMatchObject({ packageName: '@acme/client', tag: 'latest' });
    expect(result).toEqual({ name: '@acme/client', version: '4.0.0', distTag: 'latest', outcome: 'staged', stageId: item!.id });
    expect(log.lines).toContain(`staged @acme/client@4.0.0 to ${front.url} with dist-tag latest (stage ${item!.id}, awaiting approval)`);
    expect(await isPublished('@acme/client', '4.0.0')).toBe(false);
  });

  test('a re-run recognises its own staged tarball and stages nothing more', async () => {
    await release({ version: '4.0.1' });
    const before = front.staged.length;
    const log = captureLog();

    const [result] = await release({ version: '4.0.1', log });

    const item = front.staged.find((s) => s.version === '4.0.1')!;
    expect(result).toEqual({ name: '@acme/client', version: '4.0.1', distTag: 'latest', outcome: 'already staged', stageId: item.id });
    expect(front.staged).toHaveLength(before);
    expect(log.lines).toContain(`@acme/client@4.0.1 is already staged in ${front.url} with the same contents (stage ${item.id}): awaiting approval, skipped`);
  });

  test('other contents staged under the version fail before anything is staged, naming the stage to reject', async () => {
    await release({ version: '4.0.2' });
    const item = front.staged.find((s) => s.version === '4.0.2')!;

    await expect(release({ version: '4.0.2', ...changedFixture('exports.hello = () => "changed";\n') })).rejects.toThrow(
      `1 problem(s) with the npm packages; nothing was published:\n- @acme/client@4.0.2 is already staged in ${front.url} (stage ${item.id}) with other contents; reject it (npm stage reject ${item.id}) or build a new version`,
    );
  });

  test('through trusted publishing, a re-run is recognised from the registry refusing a second stage of the version', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { GITHUB_ACTIONS: 'true', ...oidc.env });
    try {
      expect((await release({ version: '4.0.3', token: '' }))[0]?.outcome).toBe('staged');
      const log = captureLog();
      expect(await release({ version: '4.0.3', token: '', log })).toEqual([
        { name: '@acme/client', version: '4.0.3', distTag: 'latest', outcome: 'already staged' },
      ]);
      expect(front.staged.filter((s) => s.version === '4.0.3')).toHaveLength(1);
      expect(log.lines.join('\n')).toContain('warning: @acme/client@4.0.3 is already staged');
    } finally {
      process.env = saved;
    }
  });
});
