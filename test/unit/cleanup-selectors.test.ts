import { matchSelectors, parseImageSelector, parseProductionRepositories, parseStagingPackage } from '@ci-actions/publishing/cleanup/selectors.js';
import type { PackageVersion } from '@ci-actions/publishing/github/container-package.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const GHCR = { registry: 'ghcr.io', owner: 'Acme' };

describe('parseImageSelector', () => {
  test.each([
    ['a digest', D1, { text: D1, digest: D1 }],
    ['a tag', 'pr-42', { text: 'pr-42', tag: 'pr-42' }],
    ['a reference by digest', `ghcr.io/acme/webauthn-server@${D1}`, { text: `ghcr.io/acme/webauthn-server@${D1}`, package: 'webauthn-server', digest: D1 }],
    [
      'a reference by tag',
      'ghcr.io/acme/webauthn-server:sha-1234567',
      { text: 'ghcr.io/acme/webauthn-server:sha-1234567', package: 'webauthn-server', tag: 'sha-1234567' },
    ],
    [
      "a reference with tag and digest: the digest decides, the tag is the run's",
      `ghcr.io/acme/app:pr-1@${D2}`,
      { text: `ghcr.io/acme/app:pr-1@${D2}`, package: 'app', digest: D2, tag: 'pr-1' },
    ],
    ['a nested package name', `ghcr.io/acme/team/app@${D1}`, { text: `ghcr.io/acme/team/app@${D1}`, package: 'team/app', digest: D1 }],
    ['a reference without tag means latest', 'ghcr.io/acme/app', { text: 'ghcr.io/acme/app', package: 'app', tag: 'latest' }],
  ])('%s', (_name, text, expected) => {
    expect(parseImageSelector(text, GHCR)).toEqual(expected);
  });

  test.each([
    ['a short digest', 'sha256:abc', '"sha256:abc" is not a digest (expected sha256: and 64 lowercase hex digits)'],
    ['an uppercase digest', `sha256:${'A'.repeat(64)}`, 'is not a digest'],
    ['a malformed digest in a reference', 'ghcr.io/acme/app@sha256:xyz', '"sha256:xyz" is not a digest'],
    ['another registry', `docker.io/acme/app@${D1}`, `"docker.io/acme/app@${D1}" is not in the staging registry ghcr.io`],
    ['another owner', `ghcr.io/other/app@${D1}`, `"ghcr.io/other/app@${D1}" is not a package of Acme (expected ghcr.io/acme/<package>)`],
    ['an owner without package', `ghcr.io/acme@${D1}`, 'is not a package of Acme'],
    ['neither digest nor tag', 'pr 42', '"pr 42" is neither a digest, a tag nor an image reference'],
  ])('rejects %s', (_name, text, message) => {
    expect(() => parseImageSelector(text, GHCR)).toThrow(message);
  });
});

describe('parseStagingPackage', () => {
  test.each([
    ['a package name', 'webauthn-server', 'webauthn-server'],
    ['a nested package name', 'team/app', 'team/app'],
    ['a name with a dot', 'acme.app', 'acme.app'],
    ['a staging repository, as images-json gives it', 'ghcr.io/acme/webauthn-server', 'webauthn-server'],
    ['a nested staging repository', 'ghcr.io/acme/team/app', 'team/app'],
  ])('%s', (_name, text, expected) => {
    expect(parseStagingPackage(text, GHCR)).toBe(expected);
  });

  test.each([
    ['an image by tag', 'ghcr.io/acme/app:pr-1', '"ghcr.io/acme/app:pr-1" names an image; a package is named without tag or digest'],
    ['an image by digest', `ghcr.io/acme/app@${D1}`, 'names an image'],
    ['another registry', 'docker.io/acme/app', '"docker.io/acme/app" is not in the staging registry ghcr.io'],
    ['another owner', 'ghcr.io/other/app', 'is not a package of Acme (expected ghcr.io/acme/<package>)'],
    ['an uppercase name', 'WebAuthn', '"WebAuthn" is not a package name'],
  ])('rejects %s', (_name, text, message) => {
    expect(() => parseStagingPackage(text, GHCR)).toThrow(message);
  });
});

describe('matchSelectors', () => {
  const versions: PackageVersion[] = [
    { id: 1, digest: D1, tags: ['pr-1', 'sha-1'], createdAt: 0 },
    { id: 2, digest: D2, tags: [], createdAt: 0 },
  ];
  test.each([
    ['by digest: no tags named', [{ text: D2, digest: D2 }], [[D2, []]], 1],
    ['by tag@digest: the digest decides and the tag is named', [{ text: 'x', digest: D1, tag: 'pr-1' }], [[D1, ['pr-1']]], 1],
    ['by tag: the tag is named', [{ text: 'pr-1', tag: 'pr-1' }], [[D1, ['pr-1']]], 1],
    [
      'by two tags and the digest',
      [
        { text: 'pr-1', tag: 'pr-1' },
        { text: 'sha-1', tag: 'sha-1' },
        { text: D1, digest: D1 },
      ],
      [[D1, ['pr-1', 'sha-1']]],
      3,
    ],
    ['another package', [{ text: 'x', package: 'other', digest: D1 }], [], 0],
    ['this package', [{ text: 'x', package: 'app', digest: D1 }], [[D1, []]], 1],
    ['an unknown tag', [{ text: 'pr-9', tag: 'pr-9' }], [], 0],
  ])('%s', (_name, selectors, digests, matched) => {
    const result = matchSelectors(selectors, 'app', versions);
    expect([...result.digests]).toEqual(digests);
    expect(result.matched).toHaveLength(matched);
  });
});

describe('parseProductionRepositories', () => {
  test('one package: a plain repository', () => {
    expect([...parseProductionRepositories(['docker.io/acme/server'], ['webauthn-server'], GHCR)]).toEqual([
      ['webauthn-server', { registry: 'docker.io', repository: 'acme/server' }],
    ]);
  });

  test('the same repository path in another registry is production, not staging', () => {
    expect(parseProductionRepositories(['docker.io/acme/a'], ['a'], GHCR).get('a')).toEqual({ registry: 'docker.io', repository: 'acme/a' });
  });

  test('several packages: one <package>=<repository> line each', () => {
    const map = parseProductionRepositories(
      ['webauthn-server=docker.io/acme/server', 'test-credentials=docker.io/acme/creds'],
      ['webauthn-server', 'test-credentials'],
      GHCR,
    );
    expect(map.get('test-credentials')).toEqual({ registry: 'docker.io', repository: 'acme/creds' });
  });

  test.each([
    [['docker.io/acme/server'], ['a', 'b'], 'does not say which package it is for; with several packages write <package>=<repository>'],
    [['c=docker.io/acme/server'], ['a', 'b'], 'names package "c", which is not being cleaned (packages: a, b)'],
    [['docker.io/acme/server:1.0'], ['a'], 'has a tag or digest; name the repository only'],
    [['docker.io/Acme/server'], ['a'], 'repository names must be lowercase'],
    // Production that is staging: every image would be "verified" against itself, then deleted.
    [['ghcr.io/acme/a'], ['a'], '"ghcr.io/acme/a" is the staging repository of package a itself; name the production repository its images are promoted to'],
    [['b=ghcr.io/acme/team/b', 'a=docker.io/acme/a'], ['a', 'team/b'], 'names package "b", which is not being cleaned'],
    [['team/b=ghcr.io/acme/team/b'], ['team/b'], 'is the staging repository of package team/b itself'],
  ])('rejects %j for %j', (entries, packages, message) => {
    expect(() => parseProductionRepositories(entries, packages, GHCR)).toThrow(message);
  });
});
