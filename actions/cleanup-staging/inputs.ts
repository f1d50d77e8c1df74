// cleanup-staging's inputs, parsed and checked before anything touches the API or a
// registry: a bad input fails the step with nothing deleted.
import {
  addressInput,
  addressListInput,
  booleanInput,
  credentialsInput,
  InputError,
  integerInput,
  parsedInput,
  retryPolicyInput,
  secretInput,
  stringInput,
} from '../../packages/core/src/action/index.js';
import type { CleanupOptions } from '../../packages/core/src/cleanup/cleanup.js';
import { checkBranchName } from '../../packages/core/src/git/index.js';
import {
  parseImageSelector,
  parseProductionRepositories,
  parseStagingPackage,
  type ImageSelector,
  type StagingLocation,
} from '../../packages/core/src/cleanup/selectors.js';
import { parseJobResult, parseStrategy, selectStrategy, type PipelineFacts, type StrategyDecision } from '../../packages/core/src/cleanup/strategy.js';
import type { RegistryCredentials } from '../../packages/core/src/oci/auth.js';

export function readCleanupInputs(): Omit<CleanupOptions, 'log'> {
  const token = secretInput('token').trim();
  if (!token) throw new InputError('token', 'is required and was empty (the default is github.token; a secret that is not defined arrives empty)');
  const decision = strategyDecision();
  const owner = stringInput('owner', { required: true });
  const stagingRegistry = addressInput('staging-registry', 'url', { required: true });
  const location: StagingLocation = { registry: stagingRegistry, owner };
  const staged = selectors('staged', location);
  const protectedImages = selectors('protected', location);
  const named = addressListInput('package', 'image-reference').map((entry) => parsedInput('package', entry, (text) => parseStagingPackage(text, location)));
  const packages = [...new Set([...named, ...[...staged, ...protectedImages].flatMap((s) => (s.package ? [s.package] : []))])];
  if (packages.length === 0) {
    throw new InputError('package', 'is empty and no staged image reference names a package; name the GHCR package(s) to clean, e.g. webauthn-server');
  }
  const productionEntries = addressListInput('production-repository', 'image-reference');
  const productionRepositories = parsedInput('production-repository', productionEntries.join('\n'), () =>
    parseProductionRepositories(productionEntries, packages, location),
  );
  const unmapped = packages.filter((p) => !productionRepositories.has(p));
  if (decision.strategy === 'post-production-cleanup' && unmapped.length > 0) {
    throw new InputError(
      'production-repository',
      `is required for post-production-cleanup, which verifies each image in production before deleting its staging copy; missing for: ${unmapped.join(', ')}`,
    );
  }
  const apiUrl = addressInput('github-api-url', 'url') || process.env.GITHUB_API_URL || 'https://api.github.com';
  parsedInput('github-api-url', apiUrl, (url) => new URL(url));
  return {
    decision,
    owner,
    packages,
    staged,
    protected: protectedImages,
    // The upper bounds are load-config's for cleanup.keep-last and cleanup.max-age-days, so
    // that what this step would refuse is refused before anything is promoted.
    keepLast: integerInput('keep-last', 5, { min: 0, max: 10_000 }),
    maxAgeDays: integerInput('max-age-days', 14, { min: 1, max: 3650 }),
    graceHours: integerInput('grace-hours', 6, { min: 0 }),
    stagingRegistry,
    // GHCR ignores the user name when the password is a token; it only must not be empty.
    stagingCredentials: { username: stringInput('staging-username') || owner, password: secretInput('staging-password') || token },
    productionRepositories,
    ...productionCredentials(),
    token,
    apiUrl,
    concurrency: integerInput('concurrency', 4, { min: 1, max: 16 }),
    dryRun: booleanInput('dry-run', false),
    retry: retryPolicyInput(),
  };
}

function strategyDecision(): StrategyDecision {
  const explicit = stringInput('strategy');
  if (explicit) return { strategy: parsedInput('strategy', explicit, parseStrategy), reason: 'requested by the strategy input' };
  const result = (name: string) => parsedInput(name, stringInput(name), parseJobResult);
  const facts: PipelineFacts = {
    eventName: stringInput('event-name'),
    ref: stringInput('ref'),
    productionBranch: parsedInput('production-branch', stringInput('production-branch', { required: true }), checkBranchName),
    tests: result('tests-result'),
    scan: result('scan-result'),
    promote: result('promote-result'),
    publish: result('publish-result'),
    headCommitMessage: stringInput('head-commit-message'),
    preserveMarker: stringInput('preserve-marker'),
    forcePublish: booleanInput('force-publish', false),
  };
  return selectStrategy(facts);
}

function selectors(name: string, location: StagingLocation): ImageSelector[] {
  return addressListInput(name, 'image-reference').map((value) => parsedInput(name, value, (v) => parseImageSelector(v, location)));
}

function productionCredentials(): { productionCredentials?: RegistryCredentials } {
  const credentials = credentialsInput('production');
  return credentials ? { productionCredentials: credentials } : {};
}
