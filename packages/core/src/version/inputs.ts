// The action's inputs, validated before anything touches git: each problem names its input.
// action.yml holds every default, so an empty value here was passed explicitly (often a
// misspelt `needs.*.outputs.*` expression) and is an error, not a cue for a default.
import { branchNameProblem, refFormatProblem } from '../git/ref-names.js';
import { classifyBuild, type Build } from './build.js';
import { VersionInputError } from './errors.js';
import { parseBaseVersion, type ReleaseVersion } from './release-version.js';

export type OnRegression = 'fail' | 'bump';

/**
 * The inputs as the runner passes them, keyed by their names in action.yml. The GitHub
 * context values (run-number ... pr-number) are already defaulted from the runner's context.
 */
export interface RawVersionInputs {
  'base-version': string;
  offset: string;
  'on-regression': string;
  'tag-prefix': string;
  'production-branch': string;
  'run-number': string;
  'run-attempt': string;
  sha: string;
  ref: string;
  'event-name': string;
  'pr-number': string;
  'floating-tags': string;
}

export interface VersionRequest {
  base: Pick<ReleaseVersion, 'major' | 'minor'>;
  runNumber: number;
  runAttempt: number;
  offset: number;
  onRegression: OnRegression;
  tagPrefix: string;
  build: Build;
  /** Whether a release also moves the Docker tags MAJOR and MAJOR.MINOR. */
  floatingTags: boolean;
  /** The commit being built, lowercase hex; undefined to take the checkout's HEAD. */
  sha: string | undefined;
}

// Far above any gap in run numbers an offset bridges; load-config's versioning.offset has the
// same bound, so a value this step would refuse is refused before anything is promoted.
const MAX_OFFSET = 1_000_000_000;

export function parseVersionInputs(raw: RawVersionInputs): VersionRequest {
  const baseText = raw['base-version'];
  const base = parseBaseVersion(baseText);
  if (!base) throw new VersionInputError('base-version', `expected MAJOR.MINOR (e.g. 1.0; the patch is the build number), got ${JSON.stringify(baseText)}`);

  const runNumber = counter(raw, 'run-number', 'GITHUB_RUN_NUMBER', 1);
  const runAttempt = counter(raw, 'run-attempt', 'GITHUB_RUN_ATTEMPT', 1);
  const offset = counter(raw, 'offset', undefined, 0);
  if (offset > MAX_OFFSET) throw new VersionInputError('offset', `expected at most ${MAX_OFFSET}, got ${offset}`);
  if (!Number.isSafeInteger(runNumber + offset)) throw new VersionInputError('offset', `run number ${runNumber} + offset ${offset} is too large for a version`);

  const onRegression = raw['on-regression'];
  if (onRegression !== 'fail' && onRegression !== 'bump')
    throw new VersionInputError('on-regression', `expected fail or bump, got ${JSON.stringify(onRegression)}`);

  const tagPrefix = raw['tag-prefix'];
  // Starting with a letter or digit keeps the tag name from reading as a git option (-v...) or a hidden ref (.v...).
  if (!/^([A-Za-z0-9][A-Za-z0-9._/-]*)?$/.test(tagPrefix)) {
    throw new VersionInputError('tag-prefix', `expected a letter or digit, then letters, digits and . _ / - (e.g. v), got ${JSON.stringify(tagPrefix)}`);
  }
  const tagProblem = refFormatProblem(`refs/tags/${tagPrefix}1.0.0`);
  if (tagProblem) throw new VersionInputError('tag-prefix', `${JSON.stringify(tagPrefix)} makes tags git refuses: refs/tags/${tagPrefix}1.0.0 ${tagProblem}`);

  const productionBranch = raw['production-branch'];
  if (!productionBranch) throw new VersionInputError('production-branch', 'empty; expected the branch whose builds are releases, e.g. main');
  const branchProblem = branchNameProblem(productionBranch);
  if (branchProblem) throw new VersionInputError('production-branch', branchProblem);

  const sha = raw.sha.toLowerCase();
  if (sha && !/^[0-9a-f]{7,64}$/.test(sha)) throw new VersionInputError('sha', `expected a commit hash (hex), got ${JSON.stringify(raw.sha)}`);

  const floatingTags = raw['floating-tags'];
  if (floatingTags !== 'true' && floatingTags !== 'false')
    throw new VersionInputError('floating-tags', `expected true or false, got ${JSON.stringify(floatingTags)}`);

  const build = classifyBuild({ eventName: raw['event-name'], ref: raw.ref, prNumber: raw['pr-number'], productionBranch });
  return { base, runNumber, runAttempt, offset, onRegression, tagPrefix, build, floatingTags: floatingTags === 'true', sha: sha || undefined };
}

/** A whole number >= `min`, as GitHub's run counters and the configured offset are. */
function counter(raw: RawVersionInputs, input: keyof RawVersionInputs, variable: string | undefined, min: 0 | 1): number {
  const text = raw[input];
  if (!text) {
    const hint = variable ? `; outside GitHub Actions set it (${variable} is not set)` : '';
    throw new VersionInputError(input, `missing${hint}`);
  }
  const value = /^(0|[1-9][0-9]*)$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new VersionInputError(input, `expected a whole number from ${min}, got ${JSON.stringify(text)}`);
  }
  return value;
}
