// Credentials written into an address input are masked before anything prints and refused,
// naming the input: through each action's entry, with its inputs as INPUT_* variables.
import { maskAddressCredentials, type AddressKind } from '@ci-actions/publishing/address-credentials.js';
import { failureMessage, runActionInProcess } from '../support/in-process-action.js';
import { cleanup, DIGEST, promote, publishMaven, publishNpm, type Target } from '../support/minimal-inputs.js';
import { expectNoSecretShown } from '../support/secrets.js';

const REFUSED =
  "has credentials in it (user:password@ or token@), which would show in logs; remove them and pass them through the action's username and password inputs";

// [case, action, input, value, the secret in it, the value as the error shows it]
const CASES: [string, Target, string, string, string, string][] = [
  ['promote-image source', promote, 'source', 'ci:s3cret-source@ghcr.io/acme/app:pr-1', 's3cret-source', '***@ghcr.io/acme/app:pr-1'],
  [
    'a destination, password with / and @',
    promote,
    'destination',
    'docker.io/acme/app:1,bot:s3cret/dest@nation@docker.io/acme/app:2',
    's3cret/dest@nation',
    '***@docker.io/acme/app:2',
  ],
  ['a reference written as a URL', promote, 'source', 'https://ci:s3cret-url@ghcr.io/acme/app:pr-1', 's3cret-url', 'https://***@ghcr.io/acme/app:pr-1'],
  ['insecure-registries', promote, 'insecure-registries', 'ci:s3cret-insecure@registry.internal:5000', 's3cret-insecure', '***@registry.internal:5000'],
  [
    'dockerhub-api-url',
    {
      ...promote,
      inputs: { ...promote.inputs, 'dockerhub-description': 'An app', 'destination-username': 'hubuser', 'destination-password': 'hub-password-for-tests' },
    },
    'dockerhub-api-url',
    'https://hubuser:s3cret-hub@hub.docker.com',
    's3cret-hub',
    'https://***@hub.docker.com',
  ],
  ['cleanup-staging staged', cleanup, 'staged', `ci:s3cret-staged@ghcr.io/acme/app@${DIGEST}`, 's3cret-staged', `***@ghcr.io/acme/app@${DIGEST}`],
  ['protected', cleanup, 'protected', 'ghp_s3cretprotected@ghcr.io/acme/app:keep', 'ghp_s3cretprotected', '***@ghcr.io/acme/app:keep'],
  ['package', cleanup, 'package', 'ci:s3cret-package@ghcr.io/acme/app', 's3cret-package', '***@ghcr.io/acme/app'],
  ['production-repository', cleanup, 'production-repository', 'app=bot:s3cret-prod@docker.io/acme/app', 's3cret-prod', '***@docker.io/acme/app'],
  ['staging-registry', cleanup, 'staging-registry', 'ci:s3cret-registry@ghcr.io', 's3cret-registry', '***@ghcr.io'],
  ['github-api-url', cleanup, 'github-api-url', 'https://x-access-token:ghs_s3cretapi@api.github.com', 'ghs_s3cretapi', 'https://***@api.github.com'],
  [
    'npm-registry, token only',
    publishNpm,
    'npm-registry',
    'https://npm_s3cretregistry@registry.npmjs.org/',
    'npm_s3cretregistry',
    'https://***@registry.npmjs.org/',
  ],
  ['central-url', publishMaven, 'central-url', 'https://portal:s3cret%2Fcentral@central.sonatype.com', 's3cret/central', 'https://***@central.sonatype.com'],
];

describe('an address input with credentials in it', () => {
  test.each(CASES)('%s: refused naming the input, the secret masked and never shown', async (_case, target, input, value, secret, shown) => {
    const run = await runActionInProcess(target.action, target.run, { ...target.inputs, [input]: value });
    expect(run.exitCode).toBe(1);
    expect(failureMessage(run)).toBe(`input "${input}": "${shown}" ${REFUSED}`);
    // Masked before the failure was printed.
    const masks = run.stdout.split('\n').filter((l) => l.startsWith('::add-mask::'));
    expect(masks).toContain(`::add-mask::${secret}`);
    expectNoSecretShown(run, [secret]);
  });
});

describe('maskAddressCredentials', () => {
  test.each([
    // [address, kind, shown]
    ['ghcr.io/acme/app@' + DIGEST, 'image-reference', undefined],
    ['acme/app@' + DIGEST, 'image-reference', undefined],
    ['nginx@' + DIGEST, 'image-reference', undefined],
    ['127.0.0.1:5000/acme/app:1', 'image-reference', undefined],
    ['user:pw@127.0.0.1:5000/acme/app@' + DIGEST, 'image-reference', '***@127.0.0.1:5000/acme/app@' + DIGEST],
    ['https://npm.pkg.github.com/@acme', 'url', undefined],
    ['https://registry.example/path?next=a@b', 'url', undefined],
    ['https://token@registry.example', 'url', 'https://***@registry.example'],
    ['https://user:p@ss@registry.example:8443/npm/', 'url', 'https://***@registry.example:8443/npm/'],
    ['ghcr.io', 'url', undefined],
  ] as [string, AddressKind, string | undefined][])('%s (%s) -> %s', (address, kind, shown) => {
    expect(maskAddressCredentials(address, kind)).toBe(shown);
  });
});
