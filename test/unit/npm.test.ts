// The npm decisions that need no registry: versions, dist-tags, the npmrc, package.json checks.
import { dependencyProblems, pinSiblings } from '@ci-actions/publishing/npm/dependencies.js';
import { manifestProblems } from '@ci-actions/publishing/npm/manifest.js';
import { stagedState } from '@ci-actions/publishing/npm/staged.js';
import { githubRepositoryOf, provenanceProblems, sourceVisibilityProblem } from '@ci-actions/publishing/npm/provenance.js';
import { isAtLeast, STAGED_PUBLISHING_NPM, TRUSTED_PUBLISHING_NPM } from '@ci-actions/publishing/npm/npm-version.js';
import { npmrcText, registryAuthKey } from '@ci-actions/publishing/npm/npmrc.js';
import { distTagProblem, isNpmVersion, isPrerelease } from '@ci-actions/publishing/npm/versions.js';

describe('npm versions', () => {
  test.each([
    ['1.0.42', true],
    ['0.0.0', true],
    ['1.0.42-pr.7.g1a2b3c4', true],
    ['1.0.42-feature-login.g1a2b3c4', true],
    ['1.0.0-alpha.0', true],
    ['1.0.0+build.5', true],
    ['v1.0.0', false],
    ['=1.0.0', false],
    ['1.0', false],
    ['1.0.x', false],
    ['01.0.0', false],
    ['1.0.0-01', false],
    ['1.0.0-', false],
    ['1.0.0 ', false],
    ['', false],
  ])('%j is a version npm takes: %s', (version, expected) => {
    expect(isNpmVersion(version)).toBe(expected);
  });

  test.each([
    ['1.0.42', false],
    ['1.0.42-pr.7.gabcdef0', true],
    ['1.0.42+build-5', false],
    ['1.0.42-rc.1+build-5', true],
  ])('%s is a prerelease: %s', (version, expected) => {
    expect(isPrerelease(version)).toBe(expected);
  });
});

describe('npm dist-tags', () => {
  test.each([
    ['latest', '1.0.42', undefined],
    ['next', '1.0.42', undefined],
    ['pr-7', '1.0.42-pr.7.gabcdef0', undefined],
    ['superseded', '1.0.40', undefined],
    ['branch-v2', '1.0.42-v2.gabcdef0', undefined],
    ['release_1.x-rc', '1.0.42', undefined],
    ['latest', '1.0.42-pr.7.gabcdef0', '"latest" for the prerelease 1.0.42-pr.7.gabcdef0 would make plain `npm install` take it'],
    ['1', '1.0.42', '"1" reads as a version range'],
    ['1.x', '1.0.42', '"1.x" reads as a version range'],
    ['v2', '1.0.42', '"v2" reads as a version range'],
    ['vv10', '1.0.42', '"vv10" reads as a version range'],
    ['x', '1.0.42', '"x" reads as a version range'],
    ['1.2.3-beta', '1.0.42', '"1.2.3-beta" reads as a version range'],
    ['pr/7', '1.0.42', '"pr/7" is not a dist-tag'],
    ['-next', '1.0.42', '"-next" is not a dist-tag'],
    ['', '1.0.42', '"" is not a dist-tag'],
  ])('%j for %s', (tag, version, problem) => {
    const found = distTagProblem(tag, version);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});

describe('the step npmrc', () => {
  test.each([
    ['https://registry.npmjs.org/', '//registry.npmjs.org/'],
    ['https://registry.npmjs.org', '//registry.npmjs.org/'],
    ['http://127.0.0.1:4873/', '//127.0.0.1:4873/'],
    ['https://npm.pkg.github.com/acme', '//npm.pkg.github.com/acme/'],
    ['https://nexus.example/repository/npm-releases/', '//nexus.example/repository/npm-releases/'],
  ])('the token of %s is keyed %s', (url, key) => {
    expect(registryAuthKey(url)).toBe(key);
  });

  test('routes the scope to the registry and keys the token to it', () => {
    expect(npmrcText({ url: 'http://127.0.0.1:4873/', scope: '@acme', token: 'T0KEN' })).toBe(
      'registry=http://127.0.0.1:4873/\n//127.0.0.1:4873/:_authToken=T0KEN\n@acme:registry=http://127.0.0.1:4873/\n',
    );
    expect(npmrcText({ url: 'https://registry.npmjs.org/', scope: '', token: 'T' })).toBe(
      'registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=T\n',
    );
    // Trusted publishing: no token line, npm sets the one it gets from the OIDC exchange.
    expect(npmrcText({ url: 'https://registry.npmjs.org/', scope: '@acme', token: '' })).toBe(
      'registry=https://registry.npmjs.org/\n@acme:registry=https://registry.npmjs.org/\n',
    );
  });
});

/** A package outside the scope: the scope is what the user gave, and the action names its input. */
function outOfScope(name: string) {
  return { message: `client/package.json names ${name}, which is not in the scope @acme the packages are published under`, subject: { kind: 'npm-scope' } };
}

describe('package.json checks', () => {
  test.each([
    [{ name: '@acme/client' }, '@acme', []],
    [{ name: 'anything' }, '', []],
    [{ name: '@acme/client', private: false }, '@acme', []],
    [{}, '@acme', [{ message: 'client/package.json has no "name"' }]],
    [{ name: '' }, '', [{ message: 'client/package.json has no "name"' }]],
    [{ name: 'client' }, '@acme', [outOfScope('client')]],
    [{ name: '@acme-corp/client' }, '@acme', [outOfScope('@acme-corp/client')]],
    [{ name: '@acme/client', private: true }, '@acme', [{ message: 'client/package.json has "private": true, so npm refuses to publish it' }]],
  ])('%j in scope %j', (manifest, scope, problems) => {
    expect(manifestProblems('client', manifest, scope)).toEqual(problems);
  });
});

describe('dependencies a user could not install', () => {
  const siblings = new Set(['@acme/core']);
  const local = (section: string, name: string, spec: string) => ({
    message:
      `app/package.json: ${section} "${name}": "${spec}" points at the build machine, so no user could install the published package; ` +
      `depend on a version in the registry, or add ${name}'s directory to the packages published to publish it alongside`,
    // The list of packages is what the user gave: the action names its input.
    subject: { kind: 'npm-package-list' },
  });
  test.each([
    [{ dependencies: { 'left-pad': '^1.3.0', tar: 'npm:tar@7' } }, []],
    [{ dependencies: { '@acme/util': 'workspace:*' } }, [local('dependencies', '@acme/util', 'workspace:*')]],
    [{ optionalDependencies: { fsevents: 'file:../fsevents' } }, [local('optionalDependencies', 'fsevents', 'file:../fsevents')]],
    [{ peerDependencies: { react: 'link:../react' } }, [local('peerDependencies', 'react', 'link:../react')]],
    [{ devDependencies: { '@acme/util': 'workspace:*', jest: 'file:../jest' } }, []],
    [{ dependencies: { '@acme/core': 'workspace:^', '@acme/util': 'link:../util' } }, [local('dependencies', '@acme/util', 'link:../util')]],
    [{ dependencies: ['not', 'an', 'object'] }, []],
  ])('%j', (manifest, problems) => {
    expect(dependencyProblems('app', { name: '@acme/app', ...manifest }, siblings)).toEqual(problems);
  });

  test.each([
    [{ dependencies: { '@acme/core': 'workspace:*', tar: '^7' } }, { dependencies: { '@acme/core': '1.2.3', tar: '^7' } }],
    [{ peerDependencies: { '@acme/core': 'file:../core' } }, { peerDependencies: { '@acme/core': '1.2.3' } }],
    [{ optionalDependencies: { '@acme/core': '^0.0.0' } }, { optionalDependencies: { '@acme/core': '1.2.3' } }],
    [{ devDependencies: { '@acme/core': 'workspace:*' } }, { devDependencies: { '@acme/core': 'workspace:*' } }],
    [{ dependencies: { tar: '^7' } }, { dependencies: { tar: '^7' } }],
  ])('siblings are pinned to the build version: %j', (manifest, pinned) => {
    expect(pinSiblings({ name: '@acme/app', ...manifest }, siblings, '1.2.3')).toEqual({ name: '@acme/app', ...pinned });
  });
});

describe('npm CLI versions', () => {
  test.each([
    ['11.5.1', TRUSTED_PUBLISHING_NPM, true],
    ['11.19.1', TRUSTED_PUBLISHING_NPM, true],
    ['12.0.0', TRUSTED_PUBLISHING_NPM, true],
    ['11.5.0', TRUSTED_PUBLISHING_NPM, false],
    ['10.9.2', TRUSTED_PUBLISHING_NPM, false],
    ['11.5.1-pre.0', TRUSTED_PUBLISHING_NPM, false],
    ['11.14.1', STAGED_PUBLISHING_NPM, false],
    ['11.15.0', STAGED_PUBLISHING_NPM, true],
    ['11.15.0\n', STAGED_PUBLISHING_NPM, true],
    ['', TRUSTED_PUBLISHING_NPM, false],
    ['not a version', TRUSTED_PUBLISHING_NPM, false],
  ])('npm %j is at least %s: %s', (version, needed, expected) => {
    expect(isAtLeast(version, needed)).toBe(expected);
  });
});

describe('provenance npm would refuse after signing', () => {
  test.each([
    ['git+https://github.com/acme/clients.git', 'acme/clients'],
    ['https://github.com/acme/clients', 'acme/clients'],
    ['https://github.com/acme/clients/', 'acme/clients'],
    ['git://github.com/acme/clients.git', 'acme/clients'],
    ['ssh://git@github.com/acme/clients.git', 'acme/clients'],
    ['git@github.com:acme/clients.git', 'acme/clients'],
    ['github:acme/clients', 'acme/clients'],
    ['acme/clients', 'acme/clients'],
    ['https://gitlab.com/acme/clients.git', undefined],
    ['https://github.com/acme/clients/tree/main/ts', undefined],
    ['', undefined],
  ])('repository %j names %j', (url, repository) => {
    expect(githubRepositoryOf(url)).toBe(repository);
  });

  const fix = 'set "repository": {"type": "git", "url": "git+https://github.com/acme/clients.git"} (with "directory" for a package in a subdirectory)';
  test.each([
    [{ repository: { type: 'git', url: 'git+https://github.com/acme/clients.git', directory: 'ts' } }, []],
    [{ repository: 'github:Acme/Clients' }, []],
    [
      {},
      [
        `ts/package.json: "repository.url" is "", and npm refuses provenance (E422) unless it names the repository that builds the package, acme/clients; ${fix}`,
      ],
    ],
    [
      { repository: { url: 'git+https://github.com/someone/fork.git' } },
      [
        `ts/package.json: "repository.url" is "git+https://github.com/someone/fork.git", and npm refuses provenance (E422) unless it names the repository that builds the package, acme/clients; ${fix}`,
      ],
    ],
  ])('package.json %j built by acme/clients', (manifest, problems) => {
    expect(provenanceProblems('ts', { name: '@acme/client', ...manifest }, 'acme/clients')).toEqual(problems);
  });

  const refused = (visibility: string) =>
    `is true, but acme/clients is a ${visibility} repository, and npm publishes provenance only from public source repositories (E422 after signing); set npm-provenance to false`;
  test.each([
    [{ repository: { private: false, visibility: 'public' } }, undefined],
    [{ repository: { private: true, visibility: 'private' } }, refused('private')],
    [{ repository: { private: true } }, refused('private')],
    [{ repository: { private: true, visibility: 'internal' } }, refused('internal')],
    [{ repository: { private: false } }, undefined],
    [{}, undefined],
    [undefined, undefined],
  ])('event payload %j', (event, problem) => {
    expect(sourceVisibilityProblem(event, 'acme/clients')).toBe(problem);
  });
});

describe('a version in the staging area', () => {
  const staged = [
    { id: 'a1', version: '1.0.0', shasum: 'aaa' },
    { id: 'b2', version: '1.0.1', shasum: 'bbb' },
  ];
  test.each([
    ['1.0.2', 'ccc', { kind: 'not staged' }],
    ['1.0.1', 'bbb', { kind: 'same contents', id: 'b2' }],
    ['1.0.1', 'ccc', { kind: 'other contents', id: 'b2' }],
    ['1.0.0', 'aaa', { kind: 'same contents', id: 'a1' }],
  ])('%s with shasum %s', (version, shasum, state) => {
    expect(stagedState(staged, version, shasum)).toEqual(state);
  });
  test('nothing staged', () => expect(stagedState([], '1.0.0', 'aaa')).toEqual({ kind: 'not staged' }));
});
