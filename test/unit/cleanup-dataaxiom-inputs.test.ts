// dataaxiom/ghcr-cleanup-action's remaining input names, read as the runner passes them
// (INPUT_* variables): tags, repository, registry-url, log-level, and package wildcards
// expanding without expand-packages. Each means here what it means there.
import { readCleanupInputsFrom } from '../support/cleanup-inputs.js';
import { runActionInProcess, failureMessage } from '../support/in-process-action.js';
import { cleanup } from '../support/minimal-inputs.js';

const read = readCleanupInputsFrom;

test('tags is delete-tags: it selects retention and the same pattern', () => {
  const inputs = read({ tags: 'pr-*' });
  expect(inputs.decision).toEqual({ strategy: 'retention', reason: 'retention inputs given: tags' });
  expect(['pr-1', 'main'].filter(inputs.retention!.deleteTags!)).toEqual(['pr-1']);
  expect(read({ tags: '^pr-\\d+$', 'use-regex': 'true' }).retention!.deleteTags!('pr-42')).toBe(true);
});

test.each<[string, Record<string, string>, string]>([
  ['https with a trailing slash', { 'registry-url': 'https://ghcr.io/' }, 'ghcr.io'],
  ['another registry, no slash', { 'registry-url': 'https://registry.example.com:8443', 'staging-registry': 'ghcr.io' }, 'registry.example.com:8443'],
  ['plain HTTP to a loopback registry', { 'registry-url': 'http://127.0.0.1:5000/' }, '127.0.0.1:5000'],
  ['the same host in both', { 'registry-url': 'https://registry.example.com/', 'staging-registry': 'registry.example.com' }, 'registry.example.com'],
  ['not given: staging-registry', { 'staging-registry': 'registry.example.com' }, 'registry.example.com'],
])('registry-url names the staging registry: %s', (_, given, host) => {
  expect(read(given).stagingRegistry).toBe(host);
});

test.each<[string, string, string]>([
  ['info by default', '', 'info'],
  ['as dataaxiom spells them', 'warn', 'warn'],
  ['case ignored, as dataaxiom does', 'DEBUG', 'debug'],
])('log-level: %s', (_, given, level) => {
  expect(read({ 'log-level': given }).logLevel).toBe(level);
});

test('repository: the workflow repository by default; it never chooses the package', () => {
  expect(read({}, { GITHUB_REPOSITORY: 'acme/web' }).repository).toBe('acme/web');
  const inputs = read({ repository: 'acme/other', package: '', 'keep-n-untagged': '1' }, { GITHUB_REPOSITORY: 'acme/web' });
  expect(inputs.repository).toBe('acme/other');
  expect(inputs.packages).toEqual(['web']);
});

test('a wildcard in package expands it without expand-packages, as in dataaxiom; expand-packages: false keeps names', () => {
  const inputs = read({ package: 'app-*', 'delete-untagged': 'true' });
  expect(inputs.packages).toEqual([]);
  expect(['app-1', 'web'].filter(inputs.packagePattern!)).toEqual(['app-1']);
  expect(read({ package: 'app', 'delete-untagged': 'true' }).packagePattern).toBeUndefined();
});

// [case, inputs, the failure]
const REFUSED: [string, Record<string, string>, string][] = [
  ['tags and delete-tags both', { tags: 'pr-*', 'delete-tags': 'dev' }, 'input "tags": is the short form of delete-tags, and both are given; use one'],
  [
    'registry-url with a path',
    { 'registry-url': 'https://ghcr.io/v2/' },
    'input "registry-url": "https://ghcr.io/v2/" has a path; expected the registry\'s root URL, such as https://ghcr.io/',
  ],
  ['registry-url not a URL', { 'registry-url': 'ghcr.io' }, 'input "registry-url": "ghcr.io" is not a registry URL; expected one such as https://ghcr.io/'],
  [
    'registry-url plain HTTP to a remote host',
    { 'registry-url': 'http://registry.example.com/' },
    'input "registry-url": "http://registry.example.com/" is plain HTTP; only a loopback registry is spoken to over HTTP',
  ],
  [
    'registry-url and staging-registry disagree',
    { 'registry-url': 'https://ghcr.io/', 'staging-registry': 'registry.example.com' },
    'input "registry-url": names ghcr.io and staging-registry names registry.example.com; give one',
  ],
  ['log-level unknown', { 'log-level': 'verbose' }, 'input "log-level": expected error, warn, info, debug; got "verbose"'],
  [
    'repository not a name',
    { repository: 'acme/web/extra' },
    'input "repository": "acme/web/extra" is not a repository name; expected owner/name or name, e.g. acme/webauthn-server',
  ],
  [
    'a wildcard package with a strategy for this run only',
    { package: 'app-*', strategy: 'immediate-cleanup' },
    'input "package": applies to the package-wide strategies (retention, scheduled-sweep, conditional-preserve), and strategy is immediate-cleanup',
  ],
];

test.each(REFUSED)('refused: %s', async (_, given, failure) => {
  const run = await runActionInProcess(cleanup.action, cleanup.run, { ...cleanup.inputs, ...given });
  expect(run.exitCode).toBe(1);
  expect(failureMessage(run)).toBe(failure);
});
