// What cleanup-staging reads and deletes through, as three small interfaces, so the
// orchestration (cleanup.ts) runs unchanged against GitHub and real registries here, and
// against in-memory fakes in test/unit/cleanup-properties.test.ts.
import type { DeleteOutcome, PackageOwner, PackageVersion } from '../github/container-package.js';
import { ContainerPackages } from '../github/packages.js';
import type { RateLimitState } from '../github/rate-budget.js';
import type { RetryPolicy } from '../http/retry.js';
import type { Log } from '../log.js';
import type { RegistryCredentials } from '../oci/auth.js';
import { RegistryClient } from '../oci/registry-client.js';
import type { RawManifest } from '../oci/types.js';

/** The GitHub Packages API, as far as a cleanup needs it. */
export interface PackageApi {
  owner(login: string): Promise<PackageOwner>;
  /** The owner's container packages, by name (expand-packages). */
  listPackages(owner: PackageOwner): Promise<string[]>;
  listVersions(owner: PackageOwner, name: string): Promise<PackageVersion[]>;
  deleteVersion(owner: PackageOwner, name: string, version: PackageVersion): Promise<DeleteOutcome>;
  /** The primary rate limit as GitHub last told it, for the report; undefined when not known. */
  rateLimit(): RateLimitState | undefined;
}

/** A registry's manifests by digest: the exact bytes, or undefined when it does not have them. */
export interface ManifestReader {
  getManifest(repository: string, reference: string): Promise<RawManifest | undefined>;
}

/** A registry a tag can be moved in (untag.ts). */
export interface ManifestWriter extends ManifestReader {
  putManifest(repository: string, reference: string, manifest: RawManifest): Promise<unknown>;
}

export interface CleanupIO {
  packages: PackageApi;
  /** The staging registry, with pull access to these repositories. */
  staging(repositories: string[]): ManifestReader;
  /** The staging registry, with push access to these repositories: for moving tags only. */
  stagingWriter(repositories: string[]): ManifestWriter;
  /** Each production registry, with pull access to these repositories of it. */
  production(registry: string, repositories: string[]): ManifestReader;
}

export interface RegistryIOOptions {
  token: string;
  apiUrl: string;
  stagingRegistry: string;
  stagingCredentials?: RegistryCredentials;
  productionCredentials?: RegistryCredentials;
  log: Log;
  retry?: RetryPolicy;
  /** Share of the hour's primary rate limit the run may spend (packages.ts). */
  rateLimitBudget?: number;
}

/** The real thing: GitHub's REST API through Octokit, registries through RegistryClient. */
export function registryIO(options: RegistryIOOptions): CleanupIO {
  const retry = options.retry ? { retry: options.retry } : {};
  const budget = options.rateLimitBudget !== undefined ? { rateLimitBudget: options.rateLimitBudget } : {};
  const client = (registry: string, repositories: string[], credentials?: RegistryCredentials, actions = 'pull') =>
    new RegistryClient({
      registry,
      scopes: repositories.map((r) => `repository:${r}:${actions}`),
      log: options.log,
      ...(credentials ? { credentials } : {}),
      ...retry,
    });
  return {
    packages: new ContainerPackages({ token: options.token, apiUrl: options.apiUrl, log: options.log, ...retry, ...budget }),
    staging: (repositories) => client(options.stagingRegistry, repositories, options.stagingCredentials),
    stagingWriter: (repositories) => client(options.stagingRegistry, repositories, options.stagingCredentials, 'pull,push'),
    production: (registry, repositories) => client(registry, repositories, options.productionCredentials),
  };
}
