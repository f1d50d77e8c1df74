// publish-clients' inputs, parsed and checked before anything is packed, signed or published.
// action.yml holds every default, so an empty value here was passed explicitly (often a
// misspelt output or an undefined secret) and is an error, except where empty has a meaning.
import { tmpdir } from 'node:os';
import {
  addressInput,
  booleanInput,
  eventPayload,
  InputError,
  integerInput,
  listInput,
  retryPolicyInput,
  secretInput,
  stringInput,
  type InputFor,
} from '@ci-actions/publishing/action/index.js';
import { isMavenId, mavenVersionProblem, type MavenReleaseOptions, type PublishingType, type WaitUntil } from '@ci-actions/publishing/maven/index.js';
import { distTagProblem, isNpmVersion, isPrerelease, sourceVisibilityProblem, type NpmReleaseOptions } from '@ci-actions/publishing/npm/index.js';
import { addSecret } from '@ci-actions/publishing/secrets.js';
import { actionWorkspace } from '@ci-actions/publishing/util/workspace-path.js';

export interface PublishInputs {
  /** Undefined when no npm package is configured. */
  npm: Omit<NpmReleaseOptions, 'log'> | undefined;
  /** Undefined when no Maven repository is configured. */
  maven: Omit<MavenReleaseOptions, 'log'> | undefined;
  /** The input the Maven version came from: maven-version, or version when that is empty. */
  mavenVersionInput: 'maven-version' | 'version';
  dryRun: boolean;
}

export function readPublishInputs(): PublishInputs {
  const packagePaths = listInput('npm-package-paths');
  const repositoryPath = stringInput('maven-repository-path');
  if (packagePaths.length === 0 && !repositoryPath) {
    throw new InputError(
      'npm-package-paths',
      "and maven-repository-path are both empty: nothing to publish (wire them from load-config's outputs of the same names)",
    );
  }
  const version = stringInput('version', { required: true });
  return {
    npm: packagePaths.length > 0 ? readNpmInputs(packagePaths, version) : undefined,
    maven: repositoryPath ? readMavenInputs(repositoryPath, version) : undefined,
    mavenVersionInput: mavenVersionInput(),
    dryRun: booleanInput('dry-run', false),
  };
}

/** What the core's failures are about, as publish-clients' inputs. */
export function publishInputFor(inputs: Pick<PublishInputs, 'mavenVersionInput'>): InputFor {
  return (subject) => {
    switch (subject.kind) {
      case 'credentials':
        if (subject.service === 'npm') return 'npm-token';
        if (subject.service === 'central-portal') return 'central-username/central-password';
        return undefined;
      case 'npm-package':
        return 'npm-package-paths';
      case 'signing-key':
        return 'signing-key';
      case 'signing-passphrase':
        return 'signing-password';
      case 'maven-repository':
        return 'maven-repository-path';
      case 'maven-version':
        return inputs.mavenVersionInput;
      case 'deployment-timeout':
        return 'maven-timeout-minutes';
      case 'npm-scope':
        return 'npm-scope';
      case 'npm-package-list':
        return 'npm-package-paths';
      case 'retry-wait':
        return 'max-retry-wait';
      default:
        return undefined;
    }
  };
}

function readNpmInputs(packagePaths: string[], version: string): Omit<NpmReleaseOptions, 'log'> {
  if (!isNpmVersion(version)) {
    throw new InputError(
      'version',
      `"${version}" is not a version npm takes: MAJOR.MINOR.PATCH[-PRERELEASE], no leading v (e.g. 1.0.42 or 1.0.42-pr.7.g1a2b3c4)`,
    );
  }
  const distTag = stringInput('npm-dist-tag') || (isPrerelease(version) ? '' : 'latest');
  if (!distTag)
    throw new InputError(
      'npm-dist-tag',
      `is empty, and npm publishes the prerelease ${version} only under a dist-tag of its own; pass generate-version's npm-dist-tag`,
    );
  const tagProblem = distTagProblem(distTag, version);
  if (tagProblem) throw new InputError('npm-dist-tag', tagProblem);
  const scope = stringInput('npm-scope');
  if (scope && !/^@[a-z0-9][a-z0-9._~-]*$/.test(scope)) throw new InputError('npm-scope', `"${scope}" is not an npm scope, e.g. @acme`);
  const access = oneOf('npm-access', ['public', 'restricted'] as const);
  const provenance = booleanInput('npm-provenance', false);
  const token = secretInput('npm-token');
  // The runner sets both variables only for a job with "permissions: id-token: write".
  const canRequestOidcToken = Boolean(process.env.ACTIONS_ID_TOKEN_REQUEST_URL && process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
  // Without a token npm publishes through trusted publishing: it exchanges the job's OIDC token for a short-lived one.
  if (!token && !canRequestOidcToken) {
    throw new InputError(
      'npm-token',
      'is empty, so npm would publish through trusted publishing, but this job cannot request an OIDC token: give the job "permissions: id-token: write" (and contents: read), or pass secrets.NPM_PUBLISH_TOKEN (a secret that is not defined, or not passed to a reusable workflow, arrives empty)',
    );
  }
  // npm signs the provenance statement with a token from the job's OIDC provider.
  if (provenance && !canRequestOidcToken) {
    throw new InputError(
      'npm-provenance',
      'is true, but this job cannot request an OIDC token: give the job "permissions: id-token: write" (and contents: read)',
    );
  }
  // Provenance goes to a public transparency log, so npm attaches it to public packages only.
  if (provenance && access !== 'public')
    throw new InputError('npm-provenance', `is true with npm-access ${access}; npm publishes provenance for public packages only`);
  // The repository the provenance statement names: in a reusable workflow, the caller's.
  const repository = process.env.GITHUB_REPOSITORY ?? '';
  if (provenance && !repository)
    throw new InputError('npm-provenance', 'is true, but GITHUB_REPOSITORY is not set; npm makes provenance only in a GitHub Actions run');
  const visibilityProblem = provenance ? sourceVisibilityProblem(eventPayload(), repository) : undefined;
  if (visibilityProblem) throw new InputError('npm-provenance', visibilityProblem);
  return {
    packagePaths,
    workspace: actionWorkspace(),
    version,
    distTag,
    registry: urlInput('npm-registry'),
    scope,
    access,
    provenance,
    repository,
    staged: booleanInput('npm-staged', false),
    token,
    tempRoot: process.env.RUNNER_TEMP || tmpdir(),
  };
}

function readMavenInputs(repositoryPath: string, version: string): Omit<MavenReleaseOptions, 'log'> {
  const mavenVersion = stringInput('maven-version') || version;
  const snapshots = booleanInput('maven-snapshots', false);
  const versionProblem = mavenVersionProblem(mavenVersion, snapshots);
  if (versionProblem) throw new InputError(mavenVersionInput(), versionProblem);
  const groupId = stringInput('maven-group-id', { required: true });
  if (!isMavenId(groupId)) throw new InputError('maven-group-id', `"${groupId}" is not a Maven groupId, e.g. io.github.acme`);
  const signingKey = requiredSecret('signing-key', 'secrets.SIGNING_KEY');
  // The runner masks a multi-line secret line by line; so do we, for a key that comes from elsewhere.
  for (const line of signingKey.split(/\r?\n/)) addSecret(line.trim());
  return {
    repositoryPath,
    workspace: actionWorkspace(),
    groupId,
    version: mavenVersion,
    centralUrl: urlInput('central-url'),
    publishingType: oneOf('publishing-type', ['automatic', 'user-managed'] as const satisfies readonly PublishingType[]),
    waitUntil: oneOf('wait-until', ['published', 'validated'] as const satisfies readonly WaitUntil[]),
    username: requiredSecret('central-username', 'secrets.CENTRAL_PORTAL_USERNAME'),
    password: requiredSecret('central-password', 'secrets.CENTRAL_PORTAL_PASSWORD'),
    signingKey,
    signingPassword: secretInput('signing-password'),
    timeoutMs: integerInput('maven-timeout-minutes', 30, { min: 1, max: 360 }) * 60_000,
    snapshots,
    retry: retryPolicyInput(),
  };
}

function mavenVersionInput(): 'maven-version' | 'version' {
  return stringInput('maven-version') ? 'maven-version' : 'version';
}

function requiredSecret(name: string, usual: string): string {
  const value = secretInput(name);
  if (!value) throw new InputError(name, `is empty; pass ${usual} (a secret that is not defined, or not passed to a reusable workflow, arrives empty)`);
  return value;
}

function urlInput(name: string): string {
  const value = addressInput(name, 'url', { required: true });
  if (!/^https?:\/\/[^/\s]+/.test(value)) throw new InputError(name, `"${value}" is not an http(s) URL`);
  return value;
}

function oneOf<T extends string>(name: string, allowed: readonly T[]): T {
  const value = stringInput(name);
  const match = allowed.find((a) => a === value);
  if (!match) throw new InputError(name, `expected ${allowed.join(' or ')}, got "${value}"`);
  return match;
}
