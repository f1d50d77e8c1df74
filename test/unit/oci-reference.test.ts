import { apiHost, formatReference, parseReference } from '@ci-actions/publishing/oci/reference.js';

const D = `sha256:${'a'.repeat(64)}`;

describe('parseReference', () => {
  test.each([
    ['nginx', { registry: 'docker.io', repository: 'library/nginx' }],
    ['acme/app:1.0.3', { registry: 'docker.io', repository: 'acme/app', tag: '1.0.3' }],
    ['docker.io/acme/app', { registry: 'docker.io', repository: 'acme/app' }],
    ['index.docker.io/acme/app', { registry: 'docker.io', repository: 'acme/app' }],
    ['ghcr.io/acme/team/app:pr-42', { registry: 'ghcr.io', repository: 'acme/team/app', tag: 'pr-42' }],
    [`ghcr.io/acme/app@${D}`, { registry: 'ghcr.io', repository: 'acme/app', digest: D }],
    [`ghcr.io/acme/app:1.0@${D}`, { registry: 'ghcr.io', repository: 'acme/app', tag: '1.0', digest: D }],
    ['127.0.0.1:5000/acme/app:latest', { registry: '127.0.0.1:5000', repository: 'acme/app', tag: 'latest' }],
    ['localhost/app', { registry: 'localhost', repository: 'app' }],
    ['[::1]:5000/app', { registry: '[::1]:5000', repository: 'app' }],
    ['acme/my_app__x-y.z', { registry: 'docker.io', repository: 'acme/my_app__x-y.z' }],
  ])('%s', (input, expected) => {
    expect(parseReference(input)).toEqual(expected);
  });

  test.each([
    ['', 'it is empty'],
    ['ghcr.io/Acme/app', '"Acme" is not a valid path component: repository names must be lowercase'],
    ['ghcr.io/acme/app:', '"" is not a valid tag'],
    ['ghcr.io/acme/app:-x', '"-x" is not a valid tag'],
    ['ghcr.io/acme/app@sha256:abc', '"sha256:abc" is not a digest'],
    ['ghcr.io//app', 'the repository path is empty'],
    ['ghcr.io/acme/app--', '"app--" is not a valid path component'],
  ])('rejects %j', (input, message) => {
    expect(() => parseReference(input)).toThrow(message);
  });

  test('formatReference round-trips and apiHost maps Docker Hub', () => {
    expect(formatReference(parseReference(`ghcr.io/acme/app:1@${D}`))).toBe(`ghcr.io/acme/app:1@${D}`);
    expect(apiHost('docker.io')).toBe('registry-1.docker.io');
    expect(apiHost('ghcr.io')).toBe('ghcr.io');
  });
});
