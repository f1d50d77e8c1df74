import { readFileSync } from 'node:fs';
import { ConfigError, configOutputs, MAX_CONFIG_BYTES, parseConfig, UnknownImageError } from '@ci-actions/publishing/config/index.js';
import { parseVersionInputs } from '../../actions/generate-version/inputs.js';
import { loadConfigInputFor } from '../../actions/load-config/inputs.js';
import { attributeToInput } from '@ci-actions/publishing/action/index.js';
import schema from '../../config/publishing-config.schema.json' with { type: 'json' };
import { readCleanupInputsFrom } from '../support/cleanup-inputs.js';
import { MAIN_PUSH_INPUTS } from '../support/version-inputs.js';

const FILE = 'config/publishing-config.yml';

const VALID_MINIMAL = `docker:
  staging: {registry: ghcr.io, namespace: acme}
  production: {registry: docker.io, namespace: acme}
  images:
    - name: server
`;

function problemsOf(text: string): string[] {
  try {
    parseConfig(FILE, text);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.line}:${p.column} ${p.keyPath} | ${p.message}`);
    throw err;
  }
  throw new Error('expected a ConfigError, but the configuration was accepted');
}

describe('parseConfig: valid configurations', () => {
  test('the example config in the repository is valid', () => {
    const config = parseConfig(FILE, readFileSync(FILE, 'utf8'));
    expect(config.docker.images.map((i) => i.name)).toEqual(['webauthn-server', 'test-credentials-service']);
    expect(config.npm?.scope).toBe('@acme');
  });

  test('defaults are applied to every omitted optional key', () => {
    const config = parseConfig(FILE, VALID_MINIMAL);
    expect(config.versioning).toEqual({ 'base-version': '1.0', offset: 0, 'on-regression': 'fail', 'tag-prefix': 'v', 'floating-tags': false });
    expect(config.publishing).toEqual({ 'production-branch': 'main', 'force-publish': false });
    expect(config.cleanup).toEqual({ 'keep-last': 5, 'max-age-days': 14, 'preserve-marker': '[preserve]' });
    expect(config.npm).toBeUndefined();
  });

  test('production may share the registry of staging, in another namespace', () => {
    const config = parseConfig(FILE, VALID_MINIMAL.replace('registry: docker.io, namespace: acme', 'registry: ghcr.io, namespace: acme-public'));
    expect(configOutputs(config)['docker-production-repository']).toBe('ghcr.io/acme-public/server');
  });

  test('paths that stay inside the workspace, .. included, are taken', () => {
    const config = parseConfig(FILE, `${VALID_MINIMAL}      readme: docs/../README.md\nmaven: {group-id: io.acme, repository-path: ./build/../repo}\n`);
    expect([config.docker.images[0].readme, config.maven?.['repository-path']]).toEqual(['docs/../README.md', './build/../repo']);
  });

  test('npm and maven sections get their own defaults', () => {
    const config = parseConfig(
      FILE,
      `${VALID_MINIMAL}npm:\n  scope: "@acme"\n  packages: [{path: clients/ts}]\nmaven:\n  group-id: io.github.acme\n  repository-path: build/repo\n`,
    );
    expect(config.npm).toEqual({
      registry: 'https://registry.npmjs.org/',
      scope: '@acme',
      access: 'public',
      provenance: false,
      staged: false,
      packages: [{ path: 'clients/ts' }],
    });
    expect(config.maven).toEqual({
      'group-id': 'io.github.acme',
      'repository-path': 'build/repo',
      'central-url': 'https://central.sonatype.com',
      'publishing-type': 'automatic',
      'wait-until': 'published',
      snapshots: false,
    });
  });
});

// Each broken configuration names the exact line:column, key path and expectation.
const BROKEN: [string, string, string[]][] = [
  ['invalid YAML', 'docker:\n  staging: [\n', ['3:1  | invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]']],
  ['duplicate key', `${VALID_MINIMAL}docker: {}\n`, ['6:1  | invalid YAML: Map keys must be unique']],
  [
    'duplicate keys in nested maps, block and flow',
    'docker:\n  staging: {registry: ghcr.io, registry: x, namespace: acme}\n  images: []\n  images: [{name: a}]\n',
    ['2:32  | invalid YAML: Map keys must be unique', '4:3  | invalid YAML: Map keys must be unique'],
  ],
  [
    'the same key in different maps is no duplicate',
    `${VALID_MINIMAL}cleanup: {docker: 1}\n`,
    ['6:11 cleanup.docker | unknown key; expected one of: keep-last, max-age-days, preserve-marker'],
  ],
  ['empty document', '# nothing here\n', ['1:1  | expected a mapping with at least the key "docker", got an empty document']],
  ['a list instead of a mapping', '- docker\n', ['1:1  | expected a mapping with at least the key "docker", got a list']],
  ['missing required section', 'versioning: {}\n', ['1:1  | missing required key "docker"']],
  [
    'missing required nested key',
    'docker:\n  staging: {registry: ghcr.io}\n  production: {registry: docker.io, namespace: acme}\n  images: [{name: a}]\n',
    ['2:12 docker.staging | missing required key "namespace"'],
  ],
  [
    'wrong type',
    VALID_MINIMAL.replace('registry: docker.io', 'registry: 42'),
    ['3:26 docker.production.registry | expected a string (Registry host[:port], e.g. ghcr.io or docker.io.), got number 42'],
  ],
  [
    'unknown key points at the key',
    `${VALID_MINIMAL}      platfroms: [linux/amd64]\n`,
    ['6:7 docker.images[0].platfroms | unknown key; expected one of: name, production-name, platforms, description, readme'],
  ],
  [
    'unknown top-level key',
    `${VALID_MINIMAL}clenaup: {keep-last: 3}\n`,
    ['6:1 clenaup | unknown key; expected one of: docker, npm, maven, versioning, publishing, cleanup'],
  ],
  [
    'bad base version',
    `${VALID_MINIMAL}versioning:\n  base-version: "1"\n`,
    ['7:17 versioning.base-version | got "1", expected a value matching ^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)$ (MAJOR.MINOR; the patch is the build number.)'],
  ],
  [
    'a tag prefix that makes tags git refuses',
    `${VALID_MINIMAL}versioning:\n  tag-prefix: x.lock/\n`,
    [
      '7:15 versioning.tag-prefix | got "x.lock/", expected a value matching ^(?!.*\\.\\.)(?!.*//)(?!.*/\\.)(?!.*\\.lock/)([A-Za-z0-9][A-Za-z0-9._/-]*)?$ ' +
        '(Prefix of release git tags, making names git check-ref-format accepts: no .., no //, no component starting with . or ending with .lock.)',
    ],
  ],
  ['enum', `${VALID_MINIMAL}versioning:\n  on-regression: panic\n`, ['7:18 versioning.on-regression | expected one of "fail", "bump", got "panic"']],
  [
    'negative keep-last',
    `${VALID_MINIMAL}cleanup:\n  keep-last: -1\n`,
    ['7:14 cleanup.keep-last | must be >= 0 (conditional-preserve keeps the newest N versions per package.), got number -1'],
  ],
  [
    'uppercase image name',
    VALID_MINIMAL.replace('name: server', 'name: Server'),
    ['5:13 docker.images[0].name | got "Server", expected a value matching ^[a-z0-9]+([._-][a-z0-9]+)*$ (Image name inside the namespace (lowercase).)'],
  ],
  [
    'duplicate image names',
    `${VALID_MINIMAL}    - name: server\n`,
    ['6:13 docker.images[1].name | duplicate image name "server"; each image must be named once'],
  ],
  [
    'production is staging',
    VALID_MINIMAL.replace('registry: docker.io', 'registry: ghcr.io'),
    [
      '3:3 docker.production | ghcr.io/acme is the staging location, docker.staging at config/publishing-config.yml:2:3 (ghcr.io/acme); production must be another registry or namespace, or cleanup-staging would delete what was promoted',
    ],
  ],
  [
    'production is staging under another name of Docker Hub',
    VALID_MINIMAL.replace('registry: ghcr.io', 'registry: Registry-1.Docker.IO'),
    [
      '3:3 docker.production | docker.io/acme is the staging location, docker.staging at config/publishing-config.yml:2:3 (Registry-1.Docker.IO/acme); production must be another registry or namespace, or cleanup-staging would delete what was promoted',
    ],
  ],
  [
    'production branch that would inject a step output',
    `${VALID_MINIMAL}publishing:\n  production-branch: "main\\npublish=true"\n`,
    ['7:22 publishing.production-branch | "main\\npublish=true" is not a valid git branch name: it contains "\\n"'],
  ],
  [
    'production branch git would read as an option',
    `${VALID_MINIMAL}publishing: {production-branch: --force}\n`,
    ['6:33 publishing.production-branch | "--force" is not a valid git branch name: it starts with "-", which git would read as an option'],
  ],
  [
    'a README path outside the workspace',
    VALID_MINIMAL.replace('- name: server', '- name: server\n      readme: /proc/self/environ'),
    ['6:15 docker.images[0].readme | "/proc/self/environ" is an absolute path; expected a path relative to the repository root, inside the workspace'],
  ],
  [
    'a README path leading out with ..',
    VALID_MINIMAL.replace('- name: server', '- name: server\n      readme: docs/../../runner.env'),
    ['6:15 docker.images[0].readme | "docs/../../runner.env" leads out of the workspace (as ../runner.env); expected a path inside it'],
  ],
  [
    'an npm package path that is absolute',
    `${VALID_MINIMAL}npm:\n  scope: "@acme"\n  packages: [{path: clients/ts}, {path: /etc}]\n`,
    ['8:41 npm.packages[1].path | "/etc" is an absolute path; expected a path relative to the repository root, inside the workspace'],
  ],
  [
    'a Maven repository path outside the workspace',
    `${VALID_MINIMAL}maven: {group-id: io.acme, repository-path: ../../outside}\n`,
    ['6:45 maven.repository-path | "../../outside" leads out of the workspace (as ../../outside); expected a path inside it'],
  ],
  [
    'a Windows absolute path',
    `${VALID_MINIMAL}maven: {group-id: io.acme, repository-path: 'C:\\repo'}\n`,
    ['6:45 maven.repository-path | "C:\\repo" is an absolute path; expected a path relative to the repository root, inside the workspace'],
  ],
  [
    'several problems are all reported',
    'docker:\n  staging: {registry: ghcr.io, namespace: acme}\n  production: {registry: docker.io, namespace: Acme}\n  images: []\nnpm: {scope: acme, packages: [{path: x}]}\n',
    [
      '3:48 docker.production.namespace | got "Acme", expected a value matching ^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$ (Owner or organisation path in the registry (lowercase).)',
      '4:11 docker.images | must NOT have fewer than 1 items (The images this repository builds.), got a list',
      '5:14 npm.scope | got "acme", expected a value matching ^@[a-z0-9][a-z0-9._~-]*$ (npm scope of the packages, e.g. @acme.)',
    ],
  ],
];

// The credential (s3cret) is never shown; the URL is, with *** for its user information.
const CREDENTIALS: [string, string, string[]][] = [
  [
    'npm registry',
    `${VALID_MINIMAL}npm:\n  registry: https://ci:s3cret@npm.example.com/repo/\n  scope: "@acme"\n  packages: [{path: x}]\n`,
    [
      '7:13 npm.registry | holds a URL with credentials ("https://***@npm.example.com/repo/"); remove them, and give them to the action as secrets (npm-token, central-username and central-password)',
    ],
  ],
  [
    'maven central URL with a token as the user name',
    `${VALID_MINIMAL}maven: {group-id: io.acme, repository-path: r, central-url: "https://s3cret@central.example.com"}\n`,
    [
      '6:61 maven.central-url | holds a URL with credentials ("https://***@central.example.com/"); remove them, and give them to the action as secrets (npm-token, central-username and central-password)',
    ],
  ],
  [
    'a URL the schema refuses too is shown redacted',
    `${VALID_MINIMAL}npm: {registry: "ftp://ci:s3cret@npm.example.com", scope: "@acme", packages: [{path: x}]}\n`,
    [
      '6:17 npm.registry | got "ftp://***@npm.example.com/", expected a value matching ^https?:// (npm registry URL.)',
      '6:17 npm.registry | holds a URL with credentials ("ftp://***@npm.example.com/"); remove them, and give them to the action as secrets (npm-token, central-username and central-password)',
    ],
  ],
  [
    'any other string, such as an image description',
    VALID_MINIMAL.replace('- name: server', '- name: server\n      description: mirror at https://ci:s3cret@mirror.example.com/x'),
    [
      '6:20 docker.images[0].description | holds a URL with credentials ("mirror at https://***@mirror.example.com/x"); remove them, and give them to the action as secrets (npm-token, central-username and central-password)',
    ],
  ],
];

describe('parseConfig: credentials in URLs', () => {
  test.each(CREDENTIALS)('%s', (_name, text, expected) => {
    expect(problemsOf(text)).toEqual(expected);
    expect(() => parseConfig(FILE, text)).toThrow(ConfigError);
    expect(() => parseConfig(FILE, text)).not.toThrow(/s3cret/);
  });
});

describe('parseConfig: broken configurations', () => {
  test.each(BROKEN)('%s', (_name, text, expected) => {
    expect(problemsOf(text)).toEqual(expected);
  });

  test('the error message names the file, line, column and key path', () => {
    expect(() => parseConfig(FILE, VALID_MINIMAL.replace('registry: docker.io', 'registry: 42'))).toThrow(
      `${FILE}:3:26: docker.production.registry: expected a string`,
    );
  });
});

// Both once took minutes: every key was compared with every key before it (yaml's
// uniqueKeys), and every problem searched its map's items for its position.
describe('parseConfig: large files within the size limit', () => {
  const keys = (count: number) => Array.from({ length: count }, (_, i) => `  key${i}: ${i}\n`).join('');

  test('50,000 keys in an unknown section are one problem', () => {
    const text = `${VALID_MINIMAL}unknown:\n${keys(50_000)}`;
    expect(text.length).toBeLessThan(MAX_CONFIG_BYTES);
    expect(problemsOf(text)).toEqual(['6:1 unknown | unknown key; expected one of: docker, npm, maven, versioning, publishing, cleanup']);
  });

  test('20,000 unknown keys in a section are each located', () => {
    const text = `${VALID_MINIMAL}cleanup:\n${keys(20_000)}`;
    expect(text.length).toBeLessThan(MAX_CONFIG_BYTES);
    const problems = problemsOf(text);
    expect(problems).toHaveLength(20_000);
    expect(problems.at(-1)).toBe('20006:3 cleanup.key19999 | unknown key; expected one of: keep-last, max-age-days, preserve-marker');
  });

  test('a duplicate among 50,000 keys is found', () => {
    expect(problemsOf(`${VALID_MINIMAL}unknown:\n${keys(50_000)}  key7: again\n`)).toEqual(['50007:3  | invalid YAML: Map keys must be unique']);
  });
});

describe('configOutputs', () => {
  test('the publishing options reach the outputs the stage gate passes to publish-clients', () => {
    const config = parseConfig(
      FILE,
      `${VALID_MINIMAL}npm:\n  scope: "@acme"\n  staged: true\n  packages: [{path: clients/ts}]\nmaven:\n  group-id: io.github.acme\n  repository-path: build/repo\n  wait-until: validated\n  snapshots: true\n`,
    );
    expect(configOutputs(config)).toMatchObject({ 'npm-staged': 'true', 'maven-wait-until': 'validated', 'maven-snapshots': 'true' });
  });

  const config = parseConfig(FILE, readFileSync(FILE, 'utf8'));

  test('flat outputs describe the first image by default', () => {
    const outputs = configOutputs(config);
    expect(outputs['image']).toBe('webauthn-server');
    expect(outputs['docker-staging-repository']).toBe('ghcr.io/acme/webauthn-server');
    expect(outputs['docker-production-repository']).toBe('docker.io/acme/webauthn-server');
    expect(outputs['npm-scope']).toBe('@acme');
    expect(outputs['cleanup-keep-last']).toBe('5');
    expect(JSON.parse(outputs['config-json'])).toEqual(config);
    expect(JSON.parse(outputs['image-names'])).toEqual(['webauthn-server', 'test-credentials-service']);
  });

  test('the image input selects another image', () => {
    const outputs = configOutputs(config, 'test-credentials-service');
    expect(outputs['docker-production-repository']).toBe('docker.io/acme/test-credentials-service');
    expect(outputs['image-platforms']).toBe('linux/amd64,linux/arm64');
  });

  test('production-name renames the image in production only', () => {
    const renamed = parseConfig(FILE, VALID_MINIMAL.replace('- name: server', '- name: server\n      production-name: server-public'));
    expect(configOutputs(renamed)['docker-staging-repository']).toBe('ghcr.io/acme/server');
    expect(configOutputs(renamed)['docker-production-repository']).toBe('docker.io/acme/server-public');
  });

  test('an unknown image is refused naming the configured images; load-config names its input image', () => {
    expect(() => configOutputs(config, 'nope')).toThrow(UnknownImageError);
    expect(() => configOutputs(config, 'nope')).toThrow('no image named "nope" in docker.images; configured images: webauthn-server, test-credentials-service');
    let error: unknown;
    try {
      configOutputs(config, 'nope');
    } catch (err) {
      error = attributeToInput(err, loadConfigInputFor);
    }
    expect((error as Error).message).toBe(
      'input "image": no image named "nope" in docker.images; configured images: webauthn-server, test-credentials-service',
    );
  });
});

// What load-config passes on, the actions that read it must take, and what they would refuse,
// load-config must refuse: otherwise a bad value passes and fails a later job, after promotion.
describe('load-config refuses what the actions it feeds would refuse', () => {
  // Each number in the configuration: the output that carries it, the action input it feeds
  // and that action's reading of it.
  const FED_NUMBERS: [string, string, string, (value: string) => number][] = [
    ['cleanup.keep-last', 'cleanup-keep-last', 'keep-last', (v) => readCleanupInputsFrom({ 'keep-last': v }).keepLast],
    ['cleanup.max-age-days', 'cleanup-max-age-days', 'max-age-days', (v) => readCleanupInputsFrom({ 'max-age-days': v }).maxAgeDays],
    ['versioning.offset', 'version-offset', 'offset', (v) => parseVersionInputs({ ...MAIN_PUSH_INPUTS, offset: v }).offset],
  ];

  type SchemaNode = { type?: string; minimum?: number; maximum?: number; properties?: Record<string, SchemaNode>; items?: SchemaNode };
  function numbersIn(node: SchemaNode, keyPath: string): string[] {
    if (node.type === 'integer' || node.type === 'number') return [keyPath];
    const children = Object.entries(node.properties ?? {}).map(([key, child]) => [keyPath ? `${keyPath}.${key}` : key, child] as const);
    if (node.items) children.push([`${keyPath}[]`, node.items]);
    return children.flatMap(([childPath, child]) => numbersIn(child, childPath));
  }
  const property = (keyPath: string) => keyPath.split('.').reduce<SchemaNode>((node, key) => node.properties![key], schema as SchemaNode);
  const withNumber = (keyPath: string, n: number) => `${VALID_MINIMAL}${keyPath.replace('.', ':\n  ')}: ${n}\n`;

  test('every number in the schema is fed to an action listed here', () => {
    expect(numbersIn(schema as SchemaNode, '').sort()).toEqual(FED_NUMBERS.map(([keyPath]) => keyPath).sort());
  });

  test.each(FED_NUMBERS)('%s is an integer with the bounds of the action reading %s', (keyPath, output, input, readByAction) => {
    const { type, minimum, maximum } = property(keyPath);
    expect(type).toBe('integer');
    expect(minimum).toEqual(expect.any(Number));
    expect(maximum).toEqual(expect.any(Number));
    for (const n of [minimum!, maximum!]) {
      expect(readByAction(configOutputs(parseConfig(FILE, withNumber(keyPath, n)))[output])).toBe(n);
    }
    for (const n of [minimum! - 1, maximum! + 1]) {
      expect(() => parseConfig(FILE, withNumber(keyPath, n))).toThrow(`${keyPath}: must be`);
      expect(() => readByAction(String(n))).toThrow(`input "${input}": expected `);
    }
  });

  test('the numbers of the issue fail at load-config', () => {
    expect(problemsOf(`${VALID_MINIMAL}cleanup: {keep-last: 1e300, max-age-days: 1e20}\n`)).toEqual([
      '6:22 cleanup.keep-last | must be <= 10000 (conditional-preserve keeps the newest N versions per package.), got number 1e+300',
      '6:43 cleanup.max-age-days | must be <= 3650 (The scheduled sweep deletes unprotected staging versions older than this.), got number 100000000000000000000',
    ]);
  });

  // A string the schema's pattern bounds in form only: the numbers generate-version counts from.
  test.each(['99999999999999999999.0', '1.9007199254740992', '9007199254740992.0'])(
    'base version %s is refused by load-config and by generate-version',
    (base) => {
      expect(problemsOf(`${VALID_MINIMAL}versioning: {base-version: "${base}"}\n`)).toEqual([
        `6:28 versioning.base-version | "${base}" has a number above 9007199254740991, which generate-version refuses; expected MAJOR.MINOR, each at most 9007199254740991`,
      ]);
      expect(() => parseVersionInputs({ ...MAIN_PUSH_INPUTS, 'base-version': base })).toThrow('input "base-version": expected MAJOR.MINOR');
    },
  );

  test('the largest base version load-config passes on is taken by generate-version', () => {
    const outputs = configOutputs(parseConfig(FILE, `${VALID_MINIMAL}versioning: {base-version: "9007199254740991.9007199254740991"}\n`));
    expect(parseVersionInputs({ ...MAIN_PUSH_INPUTS, 'base-version': outputs['base-version'] }).base).toEqual({
      major: Number.MAX_SAFE_INTEGER,
      minor: Number.MAX_SAFE_INTEGER,
    });
  });

  const HOSTILE_BRANCHES = ['main\npublish=true', 'main publish', '--force', 'a..b', 'main.lock', ''];

  test.each(HOSTILE_BRANCHES)('production branch %j is refused by load-config, generate-version and cleanup-staging', (branch) => {
    expect(() => parseConfig(FILE, `${VALID_MINIMAL}publishing: {production-branch: ${JSON.stringify(branch)}}\n`)).toThrow('publishing.production-branch: ');
    expect(() => parseVersionInputs({ ...MAIN_PUSH_INPUTS, 'production-branch': branch })).toThrow('input "production-branch": ');
    expect(() => readCleanupInputsFrom({ 'production-branch': branch })).toThrow('input "production-branch": ');
  });

  test('the production branch load-config passes on is taken by both', () => {
    const outputs = configOutputs(parseConfig(FILE, `${VALID_MINIMAL}publishing: {production-branch: release/2.x}\n`));
    expect(parseVersionInputs({ ...MAIN_PUSH_INPUTS, ref: 'refs/heads/release/2.x', 'production-branch': outputs['production-branch'] }).build).toEqual({
      kind: 'release',
      branch: 'release/2.x',
    });
    expect(() => readCleanupInputsFrom({ 'production-branch': outputs['production-branch'] })).not.toThrow();
  });

  test.each([
    ['versioning: {floating-tags: true}\n', 'true', true],
    ['versioning: {floating-tags: false}\n', 'false', false],
    ['', 'false', false],
  ])('versioning.floating-tags %j reaches generate-version as %s', (section, output, taken) => {
    const outputs = configOutputs(parseConfig(FILE, `${VALID_MINIMAL}${section}`));
    expect(outputs['version-floating-tags']).toBe(output);
    expect(parseVersionInputs({ ...MAIN_PUSH_INPUTS, 'floating-tags': outputs['version-floating-tags'] }).floatingTags).toBe(taken);
  });
});
