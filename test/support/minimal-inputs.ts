// The fewest inputs with which each HTTP action's entry gets past reading its inputs, for
// tests of one input at a time (nothing here reaches a service: each test breaks one input).
import { run as runCleanup } from '../../actions/cleanup-staging/main.js';
import { run as runPromote } from '../../actions/promote-image/main.js';
import { run as runPublish } from '../../actions/publish-clients/main.js';

export const DIGEST = `sha256:${'a'.repeat(64)}`;

export interface Target {
  action: string;
  run: () => Promise<void>;
  inputs: Record<string, string>;
}

export const promote: Target = {
  action: 'promote-image',
  run: runPromote,
  inputs: { source: `ghcr.io/acme/app@${DIGEST}`, destination: 'docker.io/acme/app:1.0.0' },
};
export const cleanup: Target = {
  action: 'cleanup-staging',
  run: runCleanup,
  inputs: {
    strategy: 'immediate-cleanup',
    token: 'ghs_token-for-tests',
    owner: 'acme',
    package: 'app',
    'event-name': 'push',
    ref: 'refs/heads/main',
    'head-commit-message': '',
    'staging-username': 'ci',
    'github-api-url': 'https://api.github.com',
  },
};
export const publishNpm: Target = {
  action: 'publish-clients',
  run: runPublish,
  inputs: { version: '1.0.0', 'npm-package-paths': 'clients/ts', 'npm-token': 'npm_token-for-tests' },
};
export const publishMaven: Target = {
  action: 'publish-clients',
  run: runPublish,
  inputs: {
    version: '1.0.0',
    'maven-repository-path': 'clients/java',
    'maven-group-id': 'io.github.acme',
    'signing-key': 'a key for tests',
    'central-username': 'portal-user',
    'central-password': 'portal-password-for-tests',
  },
};
