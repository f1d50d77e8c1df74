// cleanup-staging's inputs, parsed and checked before anything touches the API or a
// registry: a bad input fails the step with nothing deleted.
import {
  addressInput,
  addressListInput,
  booleanInput,
  credentialInputsOf,
  credentialsInput,
  InputError,
  integerInput,
  LOG_LEVELS,
  parsedInput,
  retryPolicyInput,
  secretInput,
  stringInput,
  type InputFor,
  type LogLevel,
} from '@ci-actions/publishing/action/index.js';
import { DomainError } from '@ci-actions/publishing/errors.js';
import { isLoopbackHost } from '@ci-actions/publishing/http/transport.js';
import type { CleanupOptions } from '@ci-actions/publishing/cleanup/cleanup.js';
import { checkBranchName } from '@ci-actions/publishing/git/index.js';
import {
  parseImageSelector,
  parseProductionRepositories,
  parseStagingPackage,
  type ImageSelector,
  type StagingLocation,
} from '@ci-actions/publishing/cleanup/selectors.js';
import { parseJobResult, parseStrategy, selectStrategy, type PipelineFacts, type StrategyDecision } from '@ci-actions/publishing/cleanup/strategy.js';
import { parseInterval } from '@ci-actions/publishing/cleanup/interval.js';
import { patternMatcher } from '@ci-actions/publishing/cleanup/patterns.js';
import { retentionRules, type RetentionInputs, type TagMatcher } from '@ci-actions/publishing/cleanup/retention.js';
import { parsePromotionRecords } from '@ci-actions/publishing/gate/promotion-record.js';
import type { RegistryCredentials } from '@ci-actions/publishing/oci/auth.js';

export interface CleanupInputs extends Omit<CleanupOptions, 'log'> {
  logLevel: LogLevel;
  /** dataaxiom's `repository`: named in the log only; owner and package choose what is cleaned, as there. */
  repository: string;
}

export function readCleanupInputs(): CleanupInputs {
  const token = secretInput('token').trim();
  if (!token) throw new InputError('token', 'is required and was empty (the default is github.token; a secret that is not defined arrives empty)');
  const retention = retentionInputs();
  const decision = strategyDecision(retention.named);
  const owner = stringInput('owner', { required: true });
  const stagingRegistry = stagingRegistryInput();
  const location: StagingLocation = { registry: stagingRegistry, owner };
  const staged = selectors('staged', location);
  const protectedImages = selectors('protected', location);
  // `packages` is dataaxiom's spelling; both are read, as theirs reads both.
  const packagePattern = expandedPackages(decision);
  const named = packagePattern
    ? []
    : ['package', 'packages'].flatMap((input) =>
        addressListInput(input, 'image-reference').map((entry) => parsedInput(input, entry, (text) => parseStagingPackage(text, location))),
      );
  const fromImages = [...staged, ...protectedImages].flatMap((s) => (s.package ? [s.package] : []));
  // A retention run with no package cleans the repository's own, as dataaxiom's does.
  const ownPackage = decision.strategy === 'retention' && !packagePattern && named.length === 0 && fromImages.length === 0 ? repositoryPackage() : [];
  const packages = [...new Set([...named, ...fromImages, ...ownPackage])];
  if (packages.length === 0 && !packagePattern) {
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
  parsedInput('github-api-url', apiUrl, parseUrl);
  return {
    decision,
    owner,
    packages,
    ...(packagePattern ? { packagePattern } : {}),
    staged,
    protected: protectedImages,
    // The upper bounds are load-config's for cleanup.keep-last and cleanup.max-age-days, so
    // that what this step would refuse is refused before anything is promoted.
    keepLast: integerInput('keep-last', 5, { min: 0, max: 10_000 }),
    maxAgeDays: integerInput('max-age-days', 14, { min: 1, max: 3650 }),
    graceHours: integerInput('grace-hours', 6, { min: 0 }),
    ...(decision.strategy === 'retention' ? { retention: retentionRules(retention.given) } : {}),
    validate: retention.validate,
    rateLimitBudget: parsedInput('rate-limit-budget', stringInput('rate-limit-budget') || '0.5', parseShare),
    stagingRegistry,
    // GHCR ignores the user name when the password is a token; it only must not be empty.
    stagingCredentials: { username: stringInput('staging-username') || owner, password: secretInput('staging-password') || token },
    productionRepositories,
    promotions: parsedInput('promotions', stringInput('promotions'), (text) => parsePromotionRecords(text, 'promotions')),
    ...productionCredentials(),
    token,
    apiUrl,
    concurrency: integerInput('concurrency', 4, { min: 1, max: 16 }),
    dryRun: booleanInput('dry-run', false),
    retry: retryPolicyInput(),
    logLevel: parsedInput('log-level', stringInput('log-level').toLowerCase() || 'info', parseLogLevel),
    repository: parsedInput('repository', stringInput('repository') || (process.env.GITHUB_REPOSITORY ?? ''), checkRepositoryName),
  };
}

function parseLogLevel(text: string): LogLevel {
  const level = LOG_LEVELS.find((l) => l === text);
  if (!level) throw new DomainError(`expected ${LOG_LEVELS.join(', ')}; got "${text}"`);
  return level;
}

/** owner/name or name, as GitHub spells repositories; empty outside a workflow run. */
function checkRepositoryName(text: string): string {
  if (text && !/^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\/)?[A-Za-z0-9._-]+$/.test(text))
    throw new DomainError(`"${text}" is not a repository name; expected owner/name or name, e.g. acme/webauthn-server`);
  return text;
}

function strategyDecision(retentionNamed: string[]): StrategyDecision {
  const explicit = stringInput('strategy');
  const strategy = explicit ? parsedInput('strategy', explicit, parseStrategy) : retentionNamed.length > 0 ? 'retention' : undefined;
  // A retention input read by a strategy that ignores it would delete other than it says.
  if (strategy !== undefined && strategy !== 'retention' && retentionNamed.length > 0) {
    throw new InputError(retentionNamed[0], `applies to the retention strategy only, and strategy is ${strategy}; leave strategy empty or set it to retention`);
  }
  if (explicit) return { strategy: strategy!, reason: 'requested by the strategy input' };
  if (strategy === 'retention') return { strategy, reason: `retention inputs given: ${retentionNamed.join(', ')}` };
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

const RETENTION_INPUTS = [
  'delete-tags',
  'tags',
  'exclude-tags',
  'keep-n-tagged',
  'keep-n-untagged',
  'delete-untagged',
  'delete-ghost-images',
  'delete-partial-images',
  'delete-orphaned-images',
  'older-than',
  'validate',
] as const;

/** dataaxiom/ghcr-cleanup-action's inputs, under its names; `named` lists those given. */
function retentionInputs(): { given: RetentionInputs; validate: boolean; named: string[] } {
  const named = RETENTION_INPUTS.filter((name) => stringInput(name) !== '');
  const useRegex = booleanInput('use-regex', false);
  const pattern = (name: string) => parsedInput(name, stringInput(name), (text) => patternMatcher(text, useRegex));
  const count = (name: string) => (stringInput(name) ? integerInput(name, 0, { min: 0, max: 100_000 }) : undefined);
  const flag = (name: string) => (stringInput(name) ? booleanInput(name, false) : undefined);
  const olderThan = stringInput('older-than');
  const given: RetentionInputs = {
    deleteTags: pattern(deleteTagsInput()),
    excludeTags: pattern('exclude-tags'),
    keepNTagged: count('keep-n-tagged'),
    keepNUntagged: count('keep-n-untagged'),
    deleteUntagged: flag('delete-untagged'),
    deleteGhostImages: flag('delete-ghost-images'),
    deletePartialImages: flag('delete-partial-images'),
    deleteOrphanedImages: flag('delete-orphaned-images'),
    ...(olderThan ? { olderThanMs: parsedInput('older-than', olderThan, parseInterval), olderThan } : {}),
  };
  return { given, validate: booleanInput('validate', false), named };
}

/**
 * With expand-packages, package and packages are patterns (globs, or a regular expression
 * with use-regex) over the owner's container packages, listed through the API. Only the
 * package-wide strategies take them: the others act on images named by this run.
 */
function expandedPackages(decision: StrategyDecision): TagMatcher | undefined {
  const text = [stringInput('package'), stringInput('packages')].filter(Boolean).join(',');
  // Not set: on when a package name has a wildcard, as dataaxiom's does (a package name never has one).
  const expand = stringInput('expand-packages') ? booleanInput('expand-packages', false) : /[*?]/.test(text);
  if (!expand) return undefined;
  if (decision.strategy !== 'retention' && decision.strategy !== 'scheduled-sweep' && decision.strategy !== 'conditional-preserve') {
    throw new InputError(
      stringInput('expand-packages') ? 'expand-packages' : 'package',
      `applies to the package-wide strategies (retention, scheduled-sweep, conditional-preserve), and strategy is ${decision.strategy}`,
    );
  }
  const pattern = parsedInput('packages', text, (value) => patternMatcher(value, booleanInput('use-regex', false)));
  if (!pattern) throw new InputError('packages', 'is empty, and expand-packages needs a pattern of the packages to clean, e.g. app-*');
  return pattern;
}

/**
 * delete-tags, or `tags`, its short form in dataaxiom's inputs; the name of the one given
 * (both is refused, as dataaxiom refuses it).
 */
function deleteTagsInput(): 'delete-tags' | 'tags' {
  if (!stringInput('tags')) return 'delete-tags';
  if (stringInput('delete-tags')) throw new InputError('tags', 'is the short form of delete-tags, and both are given; use one');
  return 'tags';
}

/**
 * The staging registry's host: registry-url (dataaxiom's name: a URL such as https://ghcr.io/)
 * when given, else staging-registry. The registry API is served at the host's root (/v2/),
 * so a URL with a path is refused rather than quietly spoken to elsewhere.
 */
function stagingRegistryInput(): string {
  const stagingRegistry = addressInput('staging-registry', 'url', { required: true });
  const url = addressInput('registry-url', 'url');
  if (!url) return stagingRegistry;
  const host = parsedInput('registry-url', url, registryUrlHost);
  // staging-registry always arrives (its default is ghcr.io): only another value disagrees.
  if (stagingRegistry !== DEFAULT_STAGING_REGISTRY && stagingRegistry !== host)
    throw new InputError('registry-url', `names ${host} and staging-registry names ${stagingRegistry}; give one`);
  return host;
}

const DEFAULT_STAGING_REGISTRY = 'ghcr.io';

function registryUrlHost(text: string): string {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw new DomainError(`"${text}" is not a registry URL; expected one such as https://ghcr.io/`);
  if (url.pathname !== '/' || url.search || url.hash) throw new DomainError(`"${text}" has a path; expected the registry's root URL, such as https://ghcr.io/`);
  // Plain HTTP is spoken only to loopback registries (see baseUrl), so http:// elsewhere would not be honoured.
  if (url.protocol === 'http:' && !isLoopbackHost(url.host)) throw new DomainError(`"${text}" is plain HTTP; only a loopback registry is spoken to over HTTP`);
  return url.host;
}

/** The repository's name, GitHub's default package name (GITHUB_REPOSITORY is owner/name). */
function repositoryPackage(): string[] {
  const name = process.env.GITHUB_REPOSITORY?.split('/')[1];
  return name ? [name.toLowerCase()] : [];
}

/**
 * What the core's failures are about, as cleanup-staging's inputs: an owner or package GitHub
 * does not know, or credentials GitHub or a registry refused.
 */
export function cleanupInputFor(inputs: Pick<CleanupInputs, 'stagingRegistry' | 'productionRepositories'>): InputFor {
  return (subject) => {
    switch (subject.kind) {
      case 'github-owner':
        return 'owner';
      case 'github-package':
        return 'package';
      case 'retry-wait':
        return 'max-retry-wait';
      case 'credentials':
        if (subject.service === 'github') return 'token';
        if (subject.service !== 'registry') return undefined;
        return credentialInputsOf(subject.address, {
          staging: [inputs.stagingRegistry],
          production: [...inputs.productionRepositories.values()].map((r) => r.registry),
        });
      default:
        return undefined;
    }
  };
}

function parseUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new DomainError(`"${text}" is not a URL, e.g. https://api.github.com`);
  }
}

function parseShare(text: string): number {
  const share = Number(text);
  if (!/^\d*\.?\d+$/.test(text) || share <= 0 || share > 1)
    throw new DomainError(`"${text}" is not a share of the rate limit; expected a number above 0 and at most 1, e.g. 0.5`);
  return share;
}

function selectors(name: string, location: StagingLocation): ImageSelector[] {
  return addressListInput(name, 'image-reference').map((value) => parsedInput(name, value, (v) => parseImageSelector(v, location)));
}

function productionCredentials(): { productionCredentials?: RegistryCredentials } {
  const credentials = credentialsInput('production');
  return credentials ? { productionCredentials: credentials } : {};
}
