import { createHash } from 'node:crypto';
import type { ManifestReader } from '@ci-actions/publishing/cleanup/io.js';
import { readManifestLinks } from '@ci-actions/publishing/cleanup/read-links.js';
import type { PackageVersion } from '@ci-actions/publishing/github/container-package.js';
import { AuthenticationError } from '@ci-actions/publishing/oci/errors.js';
import { MediaType } from '@ci-actions/publishing/oci/types.js';
import { captureLog } from '../support/capture-log.js';

// A package described by names, as in cleanup-plan.test.ts: X lists X-amd, nothing else relates.
const digest = (name: string) => `sha256:${createHash('sha256').update(name).digest('hex')}`;
const INDEX = { listed: ['X-amd'] };

type Answer = 'ok' | 'absent' | 'error' | 'credentials';

interface Case {
  tagged: string[];
  answers?: Record<string, Answer>;
  /** What GitHub lists when asked again; default: everything. */
  listedNow?: string[];
  read: string[];
  unreadable: [string, string][];
  /** Versions whose relations come out empty (gone, or unreadable). */
  relatesToNothing?: string[];
  asksGitHubAgain: number;
}

async function read(c: Case) {
  const names = ['X', 'X-amd', 'Y'];
  const versions: PackageVersion[] = names.map((name, i) => ({
    id: i + 1,
    digest: digest(name),
    tags: c.tagged.includes(name) ? [`${name}-tag`] : [],
    createdAt: 0,
  }));
  const reads: string[] = [];
  const reader: ManifestReader = {
    getManifest: async (_repository, reference) => {
      const name = names.find((n) => digest(n) === reference)!;
      reads.push(name);
      const answer = c.answers?.[name] ?? 'ok';
      if (answer === 'absent') return undefined;
      if (answer === 'error') throw new Error('HTTP 500: storage driver error');
      if (answer === 'credentials') throw new AuthenticationError('ghcr.io', 'the token service refused the credentials');
      const json =
        name === 'X'
          ? {
              schemaVersion: 2,
              mediaType: MediaType.OciIndex,
              manifests: INDEX.listed.map((l) => ({ mediaType: MediaType.OciManifest, digest: digest(l), size: 1 })),
            }
          : { schemaVersion: 2, config: {}, layers: [] };
      return { bytes: Buffer.from(JSON.stringify(json)), digest: reference, mediaType: name === 'X' ? MediaType.OciIndex : MediaType.OciManifest };
    },
  };
  let asked = 0;
  const listedNow = async () => {
    asked++;
    return new Set((c.listedNow ?? names).map(digest));
  };
  const result = await readManifestLinks(reader, 'acme/app', versions, 2, captureLog(), listedNow);
  return { result, reads, asked, names };
}

describe('readManifestLinks', () => {
  test.each<[string, Case]>([
    ['tagged versions first; what they list is known without reading it', { tagged: ['X'], read: ['X', 'Y'], unreadable: [], asksGitHubAgain: 0 }],
    // Regression, the shrunk counterexample of I1 (cleanup-properties.test.ts): with no tagged
    // version nothing was read, and an untagged index's child looked like an image of its own.
    [
      'no tagged version: every version is read, so an untagged index still explains its child',
      { tagged: [], read: ['X', 'X-amd', 'Y'], unreadable: [], asksGitHubAgain: 0 },
    ],
    [
      'a tagged index answering 404 that GitHub still lists is unreadable, not "related to nothing"',
      {
        tagged: ['X'],
        answers: { X: 'absent' },
        read: ['X', 'X-amd', 'Y'],
        unreadable: [['X', 'the registry does not serve it']],
        relatesToNothing: ['X'],
        asksGitHubAgain: 1,
      },
    ],
    [
      'a tagged index answering 404 that GitHub no longer lists is gone: it relates to nothing',
      {
        tagged: ['X'],
        answers: { X: 'absent' },
        listedNow: ['X-amd', 'Y'],
        read: ['X', 'X-amd', 'Y'],
        unreadable: [],
        relatesToNothing: ['X'],
        asksGitHubAgain: 1,
      },
    ],
    [
      'any other error is unreadable too, with the error',
      {
        tagged: ['X', 'Y'],
        answers: { Y: 'error' },
        read: ['X', 'Y'],
        unreadable: [['Y', 'HTTP 500: storage driver error']],
        relatesToNothing: ['Y'],
        asksGitHubAgain: 1,
      },
    ],
  ])('%s', async (_name, c) => {
    const { result, reads, asked, names } = await read(c);
    const name = (d: string) => names.find((n) => digest(n) === d)!;
    expect(reads.sort()).toEqual([...c.read].sort());
    expect([...result.unreadable].map(([d, why]) => [name(d), why])).toEqual(c.unreadable);
    expect(asked).toBe(c.asksGitHubAgain);
    if (!c.answers?.X) expect(result.links.get(digest('X'))?.listed.map((e) => name(e.digest))).toEqual(INDEX.listed);
    for (const n of c.relatesToNothing ?? []) expect(result.links.get(digest(n))).toEqual({ listed: [] });
  });

  test('credentials the registry refuses fail the run: a configuration to fix, not a version to skip', async () => {
    await expect(read({ tagged: ['X'], answers: { X: 'credentials' }, read: [], unreadable: [], asksGitHubAgain: 0 })).rejects.toThrow(
      'the token service refused the credentials',
    );
  });
});
