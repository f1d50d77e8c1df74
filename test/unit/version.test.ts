// The pure version decision, table by table: what each build is versioned as, that a re-run
// attempt changes nothing, that a release never goes below the last release tag, and that
// every version and tag is one npm, Maven Central and Docker accept.
import { computeVersion, mavenVersion, releaseTags, versionOutputs, VersionRegressionError, type VersionPlan } from '@ci-actions/publishing/version/index.js';
import { parseVersionInputs, type RawVersionInputs } from '../../actions/generate-version/inputs.js';
import { HEAD_SHA, MAIN_PUSH_INPUTS } from '../support/version-inputs.js';

const HEAD = HEAD_SHA;
const OTHER = 'ffeeddccbbaa99887766554433221100ffeeddcc';

const DEFAULTS = MAIN_PUSH_INPUTS;

/** A tag, its commit, and optionally its message and whether it is outside the built commit's history. */
type Tags = [name: string, commit: string, more?: { subject?: string; later?: true }][];

function plan(inputs: Partial<RawVersionInputs>, tags: Tags = []): VersionPlan {
  const request = parseVersionInputs({ ...DEFAULTS, ...inputs });
  const releases = releaseTags(
    tags.map(([name, commit, more]) => ({ name, commit, subject: more?.subject })),
    request.tagPrefix,
  );
  const notInHistory = new Set(tags.filter(([, , more]) => more?.later).map(([name]) => name));
  return computeVersion(request, { commit: request.sha ?? HEAD, releases, notInHistory });
}

function outputs(inputs: Partial<RawVersionInputs>, tags: Tags = []): Record<string, string> {
  return versionOutputs(plan(inputs, tags));
}

// https://semver.org/#is-there-a-suggested-regular-expression-regex-to-check-a-semver-string
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
// https://github.com/distribution/reference/blob/main/regexp.go (tag)
const DOCKER_TAG = /^[\w][\w.-]{0,127}$/;

function expectPublishable(o: Record<string, string>): void {
  expect(o['version']).toMatch(SEMVER);
  expect(o['version']).not.toContain('+');
  expect(o['maven-version']).toBe(o['is-prerelease'] === 'true' ? o['version'].replace('-', '-alpha-') : o['version']);
  expect(o['maven-version']).not.toMatch(/SNAPSHOT/i);
  for (const tag of o['docker-tags'].split('\n')) expect(tag).toMatch(DOCKER_TAG);
  // npm refuses dist-tags that are semver ranges (test/integration/version-consumers.test.ts asks npm's semver).
  expect(o['npm-dist-tag']).toMatch(/^(latest|superseded|(pr|branch|tag|ref)-[a-z0-9-]+)$/);
}

describe('computeVersion: what each build is versioned as', () => {
  const RELEASE = { 'is-prerelease': 'false', 'is-latest': 'true', 'npm-dist-tag': 'latest' };
  const BUILDS: [string, Partial<RawVersionInputs>, Record<string, string>][] = [
    ['push to main: a release', {}, { ...RELEASE, version: '1.0.42', 'docker-tags': '1.0.42\nlatest', 'git-tag': 'v1.0.42' }],
    ['workflow_dispatch on main: a release', { 'event-name': 'workflow_dispatch' }, { ...RELEASE, version: '1.0.42' }],
    ['schedule on main: a release', { 'event-name': 'schedule' }, { ...RELEASE, version: '1.0.42' }],
    ['a bare branch name as ref', { ref: 'main' }, { ...RELEASE, version: '1.0.42' }],
    ['base version and offset', { 'base-version': '2.3', offset: '100' }, { version: '2.3.142', 'git-tag': 'v2.3.142' }],
    ['base version 0.0', { 'base-version': '0.0' }, { version: '0.0.42' }],
    ['another production branch', { 'production-branch': 'develop', ref: 'refs/heads/develop' }, { ...RELEASE, version: '1.0.42' }],
    [
      'main when production is develop: a prerelease',
      { 'production-branch': 'develop' },
      { version: '1.0.42-main.g1a2b3c4', 'npm-dist-tag': 'branch-main', 'is-prerelease': 'true' },
    ],
    ['an empty tag prefix', { 'tag-prefix': '' }, { 'git-tag': '1.0.42' }],
    ['a path-like tag prefix', { 'tag-prefix': 'server/v' }, { 'git-tag': 'server/v1.0.42' }],
    [
      'pull_request',
      { 'event-name': 'pull_request', ref: 'refs/pull/7/merge', 'pr-number': '7' },
      {
        version: '1.0.42-pr.7.g1a2b3c4',
        'maven-version': '1.0.42-alpha-pr.7.g1a2b3c4',
        'is-prerelease': 'true',
        'is-latest': 'false',
        'npm-dist-tag': 'pr-7',
        'docker-tags': '1.0.42-pr.7.g1a2b3c4',
        'git-tag': '',
      },
    ],
    [
      'pull_request: the number from the ref',
      { 'event-name': 'pull_request', ref: 'refs/pull/9/merge' },
      { version: '1.0.42-pr.9.g1a2b3c4', 'npm-dist-tag': 'pr-9' },
    ],
    [
      'pull_request_target runs on the base branch but is no release',
      { 'event-name': 'pull_request_target', 'pr-number': '7' },
      { version: '1.0.42-pr.7.g1a2b3c4', 'is-prerelease': 'true', 'git-tag': '' },
    ],
    ['a refs/pull ref under another event', { 'event-name': 'workflow_run', ref: 'refs/pull/3/head' }, { version: '1.0.42-pr.3.g1a2b3c4' }],
    [
      'push to another branch',
      { ref: 'refs/heads/feature/login' },
      {
        version: '1.0.42-feature-login-3de6205b.g1a2b3c4',
        'maven-version': '1.0.42-alpha-feature-login-3de6205b.g1a2b3c4',
        'is-prerelease': 'true',
        'is-latest': 'false',
        'npm-dist-tag': 'branch-feature-login-3de6205b',
        'docker-tags': '1.0.42-feature-login-3de6205b.g1a2b3c4',
        'git-tag': '',
      },
    ],
    [
      'a tag ref: a prerelease named after the tag',
      { ref: 'refs/tags/v1.0.5' },
      { version: '1.0.42-v1-0-5-4aff03b5.g1a2b3c4', 'npm-dist-tag': 'tag-v1-0-5-4aff03b5', 'is-prerelease': 'true' },
    ],
    [
      'a merge queue branch, shortened',
      { 'event-name': 'merge_group', ref: `refs/heads/gh-readonly-queue/main/pr-42-${OTHER}` },
      {
        version: '1.0.42-gh-readonly-queue-main-pr-42-ffeeddccbba-86a2759b.g1a2b3c4',
        'npm-dist-tag': 'branch-gh-readonly-queue-main-pr-42-ffeeddccbba-86a2759b',
      },
    ],
    [
      'a ref outside heads and tags',
      { ref: 'refs/remotes/origin/x' },
      { version: '1.0.42-refs-remotes-origin-x-f25c5ac5.g1a2b3c4', 'npm-dist-tag': 'ref-refs-remotes-origin-x-f25c5ac5' },
    ],
    [
      'an all-digit commit hash keeps a letter in front',
      { ref: 'refs/heads/dev', sha: '0123456789012345678901234567890123456789' },
      { version: '1.0.42-dev.g0123456' },
    ],
    ['an upper-case commit hash', { ref: 'refs/heads/dev', sha: HEAD.toUpperCase() }, { version: '1.0.42-dev.g1a2b3c4' }],
    ['a short commit hash', { ref: 'refs/heads/dev', sha: 'abcdef1' }, { version: '1.0.42-dev.gabcdef1' }],
  ];

  test.each(BUILDS)('%s', (_name, inputs, expected) => {
    const o = outputs(inputs);
    expect(o).toMatchObject(expected);
    expectPublishable(o);
  });

  test('the outputs are exactly these', () => {
    expect(Object.keys(outputs({})).sort()).toEqual(['docker-tags', 'git-tag', 'is-latest', 'is-prerelease', 'maven-version', 'npm-dist-tag', 'version']);
  });
});

describe('computeVersion: a re-run attempt is the same build', () => {
  const BUILDS: [string, Partial<RawVersionInputs>, Tags][] = [
    ['release', {}, []],
    ['release, already tagged by attempt 1', {}, [['v1.0.42', HEAD]]],
    [
      'release, already tagged by attempt 1, a newer release since',
      {},
      [
        ['v1.0.42', HEAD],
        ['v1.0.43', OTHER],
      ],
    ],
    ['pull request, newer releases since', { 'event-name': 'pull_request', 'pr-number': '7' }, [['v1.0.50', OTHER]]],
    ['branch', { ref: 'refs/heads/feature/x' }, []],
  ];
  test.each(BUILDS)('%s', (_name, inputs, tags) => {
    const versions = ['1', '2', '3', '17'].map((attempt) => plan({ ...inputs, 'run-attempt': attempt }, tags).version);
    expect(new Set(versions).size).toBe(1);
  });
});

describe('computeVersion: a re-run gets the version of attempt 1 whatever was tagged since', () => {
  const RUN_42 = { subject: 'Release 1.0.42 (workflow run 42, attempt 1)' };
  const LATER_43: Tags[number] = ['v1.0.43', OTHER, { subject: 'Release 1.0.43 (workflow run 43, attempt 1)', later: true }];
  // [name, inputs, tags at attempt 1, tags at attempt 2, what both attempts give, `latest` at attempt 2]
  const RERUNS: [string, Partial<RawVersionInputs>, Tags, Tags, string, boolean][] = [
    ['no release tag yet, none since', {}, [], [], '1.0.42', true],
    ['no release tag yet, a later run released since (failed: not above v1.0.43)', {}, [], [LATER_43], '1.0.42', false],
    ['attempt 1 tagged, a later run released since', {}, [], [['v1.0.42', HEAD, RUN_42], LATER_43], '1.0.42', false],
    [
      'a later run of the same commit tagged it (took 1.0.43 as a bump of this run)',
      {},
      [['v1.0.41', OTHER]],
      [
        ['v1.0.41', OTHER],
        ['v1.0.43', HEAD, { subject: 'Release 1.0.43 (workflow run 43, attempt 1)' }],
      ],
      '1.0.42',
      false,
    ],
    [
      'bumped, untagged, a later run bumped and tagged since (bumped to 1.0.303, past its artifacts)',
      { 'on-regression': 'bump' },
      [['v1.0.300', OTHER]],
      [
        ['v1.0.300', OTHER],
        ['v1.0.302', OTHER, { subject: 'Release 1.0.302 (workflow run 43, attempt 1)', later: true }],
      ],
      '1.0.301',
      false,
    ],
    [
      'bumped and tagged by attempt 1, a later run released since',
      { 'on-regression': 'bump' },
      [['v1.0.300', OTHER]],
      [
        ['v1.0.300', OTHER],
        ['v1.0.301', HEAD, { subject: 'Release 1.0.301 (workflow run 42, attempt 1)' }],
        ['v1.0.302', OTHER, { later: true }],
      ],
      '1.0.301',
      false,
    ],
    ['a pull request, a release since', { 'event-name': 'pull_request', 'pr-number': '7' }, [], [LATER_43], '1.0.42-pr.7.g1a2b3c4', false],
  ];
  test.each(RERUNS)('%s', (_name, inputs, before, after, version, latestAfter) => {
    const first = plan({ ...inputs, 'run-attempt': '1' }, before);
    const rerun = plan({ ...inputs, 'run-attempt': '2' }, after);
    expect([first.version, rerun.version]).toEqual([version, version]);
    // `latest` is attempt 1's unless a newer release took it since: it never moves back.
    expect(rerun.latest).toBe(latestAfter && first.latest);
  });

  test('a release tagged since on a commit outside this history still counts when it takes this very version', () => {
    expect(() => plan({}, [['v1.0.42', OTHER, { later: true }]])).toThrow(
      "version 1.0.42 (run number 42 + offset 0) is released already: v1.0.42 is on commit ffeeddc, outside this commit's history: releasing it again would clash with it in every registry.",
    );
    expect(
      plan({ 'on-regression': 'bump' }, [
        ['v1.0.42', OTHER, { later: true }],
        ['v1.0.43', OTHER, { later: true }],
      ]).version,
    ).toBe('1.0.44');
  });
});

describe('computeVersion: branch names become prerelease identifiers', () => {
  // A name that is its own slug is its label; any other takes 8 hex digits of SHA-256 of its ref.
  const NAMES: [branch: string, label: string][] = [
    ['dev', 'dev'],
    ['feature-login', 'feature-login'],
    ['feature/Login-Page', 'feature-login-page-5eac73c7'],
    ['Fix__double--dash', 'fix-double-dash-eb9854d5'],
    ['-leading/and/trailing-', 'leading-and-trailing-9493ac07'],
    ['release/1.2', 'release-1-2-7943b63a'],
    ['feature/café-ünïcode', 'feature-cafe-unicode-dccc9122'],
    ['straße', 'strasse-904e26ce'],
    ['Ærøskøbing/Łódź', 'aeroskobing-lodz-8216345e'],
    ['İstanbul', 'istanbul-a2996caa'],
    ['ＦＵＬＬ－ｗｉｄｔｈ', 'full-width-daf63c1a'],
    ['日本語-fix', 'fix-7fa2816f'],
    ['🎉party🎉time', 'party-time-140f73c8'],
    ['𝐀𝐁𝐂', 'abc-2efda234'],
    ['𝐅𝐞𝐚𝐭𝐮𝐫𝐞', 'feature-55f75049'],
    ['фича', 'ref-8dbf4c6f'],
    ['功能', 'ref-c70a640c'],
    ['🚀', 'ref-3a71872a'],
    ['123', '123-ca6b66b4'],
    ['007', '007-887d6a56'],
    ['feature-login-3f2a1b4c', 'feature-login-3f2a1b4c-7f1c2875'],
    ['1a2b3c4d', '1a2b3c4d-d6254a87'],
    ['v2', 'v2'],
    ['x', 'x'],
    ['latest', 'latest'],
    ['superseded', 'superseded'],
    ['xylophone', 'xylophone'],
    ['a'.repeat(200), `${'a'.repeat(40)}-0c2f59ed`],
    [`${'a'.repeat(39)}/b`, `${'a'.repeat(39)}-fde5c53f`],
  ];
  test.each(NAMES)('%s', (branch, label) => {
    const o = outputs({ ref: `refs/heads/${branch}` });
    expect([o['version'], o['npm-dist-tag']]).toEqual([`1.0.42-${label}.g1a2b3c4`, `branch-${label}`]);
    expectPublishable(o);
  });

  test('the longest version stays far below the 128 characters of a Docker tag', () => {
    const o = outputs({ 'base-version': '99999.99999', 'run-number': '9999999', offset: '9999999', ref: `refs/heads/${'x'.repeat(300)}` });
    expect(o['version'].length).toBeLessThan(80);
    expectPublishable(o);
  });
});

describe('computeVersion: no two builds share an npm dist-tag', () => {
  type Side = Partial<RawVersionInputs> | [Partial<RawVersionInputs>, Tags];
  const PR_7 = { 'event-name': 'pull_request', ref: 'refs/pull/7/merge', 'pr-number': '7' };
  // A re-run of release 1.0.42 after 1.0.43 is what takes `superseded`.
  const OLDER_RELEASE_RERUN: Side = [
    {},
    [
      ['v1.0.42', HEAD],
      ['v1.0.43', OTHER],
    ],
  ];
  const SHARED_BEFORE: [string, Side, Side][] = [
    ['feature/login and feature-login', { ref: 'refs/heads/feature/login' }, { ref: 'refs/heads/feature-login' }],
    ['Feature_Login and feature-login', { ref: 'refs/heads/Feature_Login' }, { ref: 'refs/heads/feature-login' }],
    ['feature/login and Feature_Login', { ref: 'refs/heads/feature/login' }, { ref: 'refs/heads/Feature_Login' }],
    ['branch pr/7 and pull request #7', { ref: 'refs/heads/pr/7' }, PR_7],
    ['branch pr-7 and pull request #7', { ref: 'refs/heads/pr-7' }, PR_7],
    ['branch superseded and a re-run of an older release', { ref: 'refs/heads/superseded' }, OLDER_RELEASE_RERUN],
    ['branch latest and the newest release', { ref: 'refs/heads/latest' }, {}],
    ['branch feature-login and tag feature-login', { ref: 'refs/heads/feature-login' }, { ref: 'refs/tags/feature-login' }],
    ['a branch and a name that ends like its hash', { ref: 'refs/heads/feature/login' }, { ref: 'refs/heads/feature-login-3de6205b' }],
    [
      'dependabot branches alike in their first 40 characters',
      { ref: 'refs/heads/dependabot/npm_and_yarn/packages/very-long-name/lodash-4.17.21' },
      { ref: 'refs/heads/dependabot/npm_and_yarn/packages/very-long-name/lodash-4.17.22' },
    ],
    [
      'merge-queue refs of a long base branch',
      { 'event-name': 'merge_group', ref: `refs/heads/gh-readonly-queue/release/very-long-base-branch-name/pr-42-${OTHER}` },
      { 'event-name': 'merge_group', ref: `refs/heads/gh-readonly-queue/release/very-long-base-branch-name/pr-43-${HEAD}` },
    ],
    ['two names only in other scripts', { ref: 'refs/heads/фича' }, { ref: 'refs/heads/功能' }],
  ];
  test.each(SHARED_BEFORE)('%s', (_name, a, b) => {
    const [tagA, tagB] = [a, b].map((side) => (Array.isArray(side) ? outputs(...side) : outputs(side))['npm-dist-tag']);
    expect(tagA).not.toBe(tagB);
  });

  test('one branch, named bare or as refs/heads/..., is one build', () => {
    expect(outputs({ ref: 'feature/login' })).toEqual(outputs({ ref: 'refs/heads/feature/login' }));
  });
});

describe('computeVersion: floating MAJOR and MAJOR.MINOR tags move only forward', () => {
  const ON = { 'floating-tags': 'true' };
  const FLOATING: [string, Partial<RawVersionInputs>, Tags, string][] = [
    ['off (the default)', {}, [], '1.0.42\nlatest'],
    ['the first release', ON, [], '1.0.42\n1\n1.0\nlatest'],
    [
      'above every release',
      ON,
      [
        ['v1.0.41', OTHER],
        ['v0.9.3', OTHER],
      ],
      '1.0.42\n1\n1.0\nlatest',
    ],
    ['a new major line', { ...ON, 'base-version': '2.0' }, [['v1.9.9', OTHER]], '2.0.42\n2\n2.0\nlatest'],
    [
      'the newest of 1.0 while 1.1 is released: 1.0 only',
      ON,
      [
        ['v1.0.41', OTHER],
        ['v1.1.5', OTHER, { later: true }],
      ],
      '1.0.42\n1.0',
    ],
    ['the newest of 1.0 while 2.0 is released: 1 and 1.0', ON, [['v2.0.1', OTHER, { later: true }]], '1.0.42\n1\n1.0'],
    [
      'a re-run after a newer release of its line: none',
      ON,
      [
        ['v1.0.42', HEAD],
        ['v1.0.43', OTHER],
      ],
      '1.0.42',
    ],
    ['a pull request: none', { ...ON, 'event-name': 'pull_request', 'pr-number': '7' }, [], '1.0.42-pr.7.g1a2b3c4'],
    ['a branch: none', { ...ON, ref: 'refs/heads/dev' }, [], '1.0.42-dev.g1a2b3c4'],
  ];
  test.each(FLOATING)('%s', (_name, inputs, tags, dockerTags) => {
    const o = outputs(inputs, tags);
    expect(o['docker-tags']).toBe(dockerTags);
    expectPublishable(o);
  });
});

describe('mavenVersion: below the release, as Maven orders qualifiers', () => {
  test.each([
    ['1.0.42', '1.0.42'],
    ['1.0.42-pr.7.g1a2b3c4', '1.0.42-alpha-pr.7.g1a2b3c4'],
    ['1.0.42-feature-login-3de6205b.g1a2b3c4', '1.0.42-alpha-feature-login-3de6205b.g1a2b3c4'],
  ])('%s -> %s', (version, maven) => {
    expect(mavenVersion(version)).toBe(maven);
  });
});

describe('computeVersion: never below the last release', () => {
  const RELEASES: [string, Partial<RawVersionInputs>, Tags, Partial<Record<string, string>>][] = [
    ['no release yet', {}, [], { version: '1.0.42', 'is-latest': 'true' }],
    [
      'above the last release',
      {},
      [
        ['v1.0.41', OTHER],
        ['v1.0.7', OTHER],
      ],
      { version: '1.0.42', 'is-latest': 'true', 'docker-tags': '1.0.42\nlatest' },
    ],
    ['older minor versions do not count', {}, [['v0.9.999', OTHER]], { version: '1.0.42' }],
    [
      'tags that are not releases are ignored',
      {},
      [
        ['v1.0.300-rc.1', OTHER],
        ['release-1.0.300', OTHER],
        ['v1.0', OTHER],
        ['v01.0.300', OTHER],
        ['V1.0.300', OTHER],
        ['v1.0.300.1', OTHER],
        ['v99999999999999999999.0.0', OTHER],
      ],
      { version: '1.0.42' },
    ],
    [
      'only tags with this prefix are releases',
      { 'tag-prefix': 'server/v' },
      [
        ['v1.0.300', OTHER],
        ['server/v1.0.41', OTHER],
      ],
      { version: '1.0.42', 'git-tag': 'server/v1.0.42' },
    ],
    [
      're-run: this commit already carries the version',
      {},
      [
        ['v1.0.42', HEAD],
        ['v1.0.41', OTHER],
      ],
      { version: '1.0.42', 'is-latest': 'true', 'npm-dist-tag': 'latest' },
    ],
    [
      're-run after a newer release: same version, but not latest',
      {},
      [
        ['v1.0.42', HEAD],
        ['v1.0.43', OTHER],
      ],
      { version: '1.0.42', 'is-latest': 'false', 'npm-dist-tag': 'superseded', 'docker-tags': '1.0.42', 'git-tag': 'v1.0.42' },
    ],
    ['bump past the last release', { 'on-regression': 'bump' }, [['v1.0.300', OTHER]], { version: '1.0.301', 'is-latest': 'true', 'git-tag': 'v1.0.301' }],
    ['bump past a higher minor version', { 'on-regression': 'bump' }, [['v1.1.5', OTHER]], { version: '1.1.6' }],
    [
      're-run of a bumped build: the version it was tagged with',
      { 'on-regression': 'bump' },
      [
        ['v1.0.301', HEAD],
        ['v1.0.300', OTHER],
      ],
      { version: '1.0.301', 'is-latest': 'true' },
    ],
    [
      're-run of a bumped build after another bump',
      { 'on-regression': 'bump' },
      [
        ['v1.0.301', HEAD],
        ['v1.0.302', OTHER],
      ],
      { version: '1.0.301', 'is-latest': 'false' },
    ],
    [
      're-run of a bumped build under on-regression: fail',
      {},
      [
        ['v1.0.301', HEAD],
        ['v1.0.300', OTHER],
      ],
      { version: '1.0.301' },
    ],
    [
      'another run on an already released commit gets its own number',
      {},
      [
        ['v1.0.5', HEAD],
        ['v1.0.41', OTHER],
      ],
      { version: '1.0.42', 'is-latest': 'true' },
    ],
    [
      'a pull request is never compared with releases',
      { 'event-name': 'pull_request', 'pr-number': '7' },
      [['v1.0.300', OTHER]],
      { version: '1.0.42-pr.7.g1a2b3c4' },
    ],
    ['a branch is never compared with releases', { ref: 'refs/heads/dev' }, [['v1.0.300', OTHER]], { version: '1.0.42-dev.g1a2b3c4' }],
  ];
  test.each(RELEASES)('%s', (_name, inputs, tags, expected) => {
    expect(outputs(inputs, tags)).toMatchObject(expected);
  });

  test('a bump says what it replaced and how to return to run numbers', () => {
    expect(plan({ 'on-regression': 'bump' }, [['v1.0.300', OTHER]]).bump).toEqual({
      from: '1.0.42',
      message:
        'version 1.0.42 (run number 42 + offset 0) is not above the last release v1.0.300 (commit ffeeddc): bumped to 1.0.301 (on-regression: bump). ' +
        'To return to run numbers, set versioning.offset to 259 or more.',
    });
    expect(plan({}, [['v1.0.41', OTHER]]).bump).toBeUndefined();
  });

  const REGRESSIONS: [string, Partial<RawVersionInputs>, Tags, string][] = [
    [
      'run numbers restarted',
      {},
      [
        ['v1.0.300', OTHER],
        ['v1.0.299', OTHER],
      ],
      'version 1.0.42 (run number 42 + offset 0) is not above the last release v1.0.300 (commit ffeeddc): releasing it would go backwards. ' +
        'Run numbers restart when the workflow file is renamed or recreated. Either set versioning.offset to 259 or more, ' +
        'or set versioning.on-regression to bump to release 1.0.301 instead.',
    ],
    [
      'an offset that is too small',
      { offset: '200' },
      [['v1.0.300', OTHER]],
      'version 1.0.242 (run number 42 + offset 200) is not above the last release v1.0.300',
    ],
    [
      'equal to the last release, on another commit',
      {},
      [['v1.0.42', OTHER]],
      'version 1.0.42 (run number 42 + offset 0) is not above the last release v1.0.42 (commit ffeeddc)',
    ],
    [
      'the version exists on another commit',
      {},
      [
        ['v1.0.42', OTHER],
        ['v1.0.50', OTHER],
      ],
      'and v1.0.42 already exists on another commit (ffeeddc)',
    ],
    [
      'the base version is below a released minor version',
      {},
      [['v1.1.5', OTHER]],
      'releasing it would go backwards. The base version 1.0 is below the released 1.1. ' +
        'Either raise versioning.base-version above 1.1, e.g. to 1.2, or set versioning.on-regression to bump to release 1.1.6 instead',
    ],
    ['an empty tag prefix', { 'tag-prefix': '' }, [['1.0.300', OTHER]], 'not above the last release 1.0.300'],
  ];
  test.each(REGRESSIONS)('%s', (_name, inputs, tags, message) => {
    expect(() => plan(inputs, tags)).toThrow(VersionRegressionError);
    expect(() => plan(inputs, tags)).toThrow(message);
    // What to change is the action's to name (generate-version: offset or base-version, and on-regression).
    expect(() => plan(inputs, tags)).toThrow(
      expect.objectContaining({ subject: { kind: 'version-regression', remedy: expect.stringMatching(/^(offset|base-version)$/) } }),
    );
  });
});
