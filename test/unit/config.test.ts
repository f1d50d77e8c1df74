import { readFileSync } from 'node:fs';
import { ConfigError, configOutputs, parseConfig, UnknownImageError } from '../../packages/core/src/config/index.js';

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
    expect(config.versioning).toEqual({ 'base-version': '1.0', offset: 0, 'on-regression': 'fail', 'tag-prefix': 'v' });
    expect(config.publishing).toEqual({ 'production-branch': 'main', 'force-publish': false });
    expect(config.cleanup).toEqual({ 'keep-last': 5, 'max-age-days': 14, 'preserve-marker': '[preserve]' });
    expect(config.npm).toBeUndefined();
  });

  test('npm and maven sections get their own defaults', () => {
    const config = parseConfig(
      FILE,
      `${VALID_MINIMAL}npm:\n  scope: "@acme"\n  packages: [{path: clients/ts}]\nmaven:\n  group-id: io.github.acme\n  repository-path: build/repo\n`,
    );
    expect(config.npm).toEqual({ registry: 'https://registry.npmjs.org/', scope: '@acme', access: 'public', provenance: false, packages: [{ path: 'clients/ts' }] });
    expect(config.maven).toEqual({ 'group-id': 'io.github.acme', 'repository-path': 'build/repo', 'central-url': 'https://central.sonatype.com', 'publishing-type': 'automatic' });
  });
});

// Each broken configuration names the exact line:column, key path and expectation.
const BROKEN: [string, string, string[]][] = [
  ['invalid YAML', 'docker:\n  staging: [\n', ['3:1  | invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]']],
  ['duplicate key', `${VALID_MINIMAL}docker: {}\n`, ['6:1  | invalid YAML: Map keys must be unique']],
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
    'enum',
    `${VALID_MINIMAL}versioning:\n  on-regression: panic\n`,
    ['7:18 versioning.on-regression | expected one of "fail", "bump", got "panic"'],
  ],
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
    'several problems are all reported',
    'docker:\n  staging: {registry: ghcr.io, namespace: acme}\n  production: {registry: docker.io, namespace: Acme}\n  images: []\nnpm: {scope: acme, packages: [{path: x}]}\n',
    [
      '3:48 docker.production.namespace | got "Acme", expected a value matching ^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$ (Owner or organisation path in the registry (lowercase).)',
      '4:11 docker.images | must NOT have fewer than 1 items (The images this repository builds.), got a list',
      '5:14 npm.scope | got "acme", expected a value matching ^@[a-z0-9][a-z0-9._~-]*$ (npm scope of the packages, e.g. @acme.)',
    ],
  ],
];

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

describe('configOutputs', () => {
  const config = parseConfig(FILE, readFileSync(FILE, 'utf8'));

  test('flat outputs describe the first image by default', () => {
    const outputs = configOutputs(config);
    expect(outputs['image']).toBe('webauthn-server');
    expect(outputs['docker-staging-repository']).toBe('ghcr.io/acme/webauthn-server');
    expect(outputs['docker-production-repository']).toBe('docker.io/acme/webauthn-server');
    expect(outputs['npm-scope']).toBe('@acme');
    expect(outputs['cleanup-keep-last']).toBe('5');
    expect(JSON.parse(outputs['config-json']!)).toEqual(config);
    expect(JSON.parse(outputs['image-names']!)).toEqual(['webauthn-server', 'test-credentials-service']);
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

  test('an unknown image names the input and the configured images', () => {
    expect(() => configOutputs(config, 'nope')).toThrow(UnknownImageError);
    expect(() => configOutputs(config, 'nope')).toThrow('input "image": no image named "nope" in docker.images; configured images: webauthn-server, test-credentials-service');
  });
});
