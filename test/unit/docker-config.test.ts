// The Docker config file as docker login and docker/login-action write it: which
// credentials, or which helper, each registry gets; a malformed file named with what was
// expected, never with a secret in the message.
import { lookupDockerConfig, parseDockerConfig, type DockerConfigLookup } from '@ci-actions/publishing/oci/docker-config.js';

const FILE = '/home/runner/.docker/config.json';
const b64 = (text: string) => Buffer.from(text).toString('base64');

// [case, config.json, registry asked about, what it finds]
const LOOKUPS: [string, unknown, string, DockerConfigLookup][] = [
  [
    'Docker Hub under the key docker login writes',
    { auths: { 'https://index.docker.io/v1/': { auth: b64('hubuser:hub-s3cret') } } },
    'docker.io',
    { entry: { key: 'https://index.docker.io/v1/', credentials: { username: 'hubuser', password: 'hub-s3cret' } } },
  ],
  [
    'a host key as docker/login-action writes it, password holding a colon',
    { auths: { 'quay.io': { auth: b64('acme+robot:pa:ss') } } },
    'quay.io',
    { entry: { key: 'quay.io', credentials: { username: 'acme+robot', password: 'pa:ss' } } },
  ],
  [
    'a URL key with a port, separate username and password fields',
    { auths: { 'http://127.0.0.1:5000/v2/': { username: 'ci', password: 'ci-s3cret' } } },
    '127.0.0.1:5000',
    { entry: { key: 'http://127.0.0.1:5000/v2/', credentials: { username: 'ci', password: 'ci-s3cret' } } },
  ],
  [
    'an identity token',
    { auths: { 'acr.example.io': { auth: b64('00000000-0000-0000-0000-000000000000:'), identitytoken: 'refresh-s3cret' } } },
    'acr.example.io',
    { entry: { key: 'acr.example.io', credentials: { username: '00000000-0000-0000-0000-000000000000', identityToken: 'refresh-s3cret' } } },
  ],
  ['a registry the file does not name', { auths: { 'quay.io': { auth: b64('a:b') } } }, 'ghcr.io', {}],
  ['an empty entry (a credsStore placeholder) gives nothing', { auths: { 'ghcr.io': {} } }, 'ghcr.io', {}],
  [
    'credHelpers for the registry, ahead of credsStore and auths',
    { auths: { 'ghcr.io': { auth: b64('a:b') } }, credsStore: 'pass', credHelpers: { 'ghcr.io': 'gh' } },
    'ghcr.io',
    { helper: { name: 'gh', serverUrl: 'ghcr.io', setting: 'credHelpers' } },
  ],
  [
    'credsStore, with the auths entry as fallback; Docker Hub asked about by its server URL',
    { auths: { 'https://index.docker.io/v1/': { auth: b64('hubuser:x') } }, credsStore: 'desktop' },
    'docker.io',
    {
      helper: { name: 'desktop', serverUrl: 'https://index.docker.io/v1/', setting: 'credsStore' },
      entry: { key: 'https://index.docker.io/v1/', credentials: { username: 'hubuser', password: 'x' } },
    },
  ],
];

test.each(LOOKUPS)('%s', (_, config, registry, expected) => {
  expect(lookupDockerConfig(parseDockerConfig(FILE, JSON.stringify(config)), registry)).toEqual(expected);
});

// [case, file content, the error after "Docker config <file>: "]
const MALFORMED: [string, string, string][] = [
  ['not JSON (a secret near the fault)', '{"auths": {"ghcr.io": {"auth": "s3cret}}', 'is not valid JSON; expected a JSON object such as {"auths"'],
  ['a list at the top', '[]', 'holds an array; expected a JSON object such as'],
  ['auths a string', '{"auths": "s3cret"}', '"auths" holds a string; expected an object mapping registries to {"auth": ...} entries'],
  ['an entry a string', '{"auths": {"ghcr.io": "s3cret"}}', '"auths"."ghcr.io" holds a string; expected an object with "auth"'],
  ['auth not base64', '{"auths": {"ghcr.io": {"auth": "s3cret!"}}}', '"auths"."ghcr.io"."auth" is not base64 of user:password'],
  ['auth base64 without a colon', `{"auths": {"ghcr.io": {"auth": "${b64('s3cret')}"}}}`, '"auths"."ghcr.io"."auth" is not base64 of user:password'],
  ['auth a number', '{"auths": {"ghcr.io": {"auth": 12}}}', '"auths"."ghcr.io"."auth" holds a number; expected a string'],
  ['a password without a username', '{"auths": {"ghcr.io": {"password": "s3cret"}}}', '"auths"."ghcr.io" has a password without a username'],
  ['credsStore a path', '{"credsStore": "../../bin/s3cret"}', '"credsStore" holds a string; expected a credential helper name'],
  ['credHelpers a list', '{"credHelpers": ["pass"]}', '"credHelpers" holds an array; expected an object mapping registries to helper names'],
];

test.each(MALFORMED)('malformed: %s', (_, text, problem) => {
  let message = '';
  try {
    parseDockerConfig(FILE, text);
  } catch (err) {
    message = (err as Error).message;
  }
  expect(message.startsWith(`Docker config ${FILE}: ${problem}`)).toBe(true);
  expect(message).not.toContain('s3cret');
});
