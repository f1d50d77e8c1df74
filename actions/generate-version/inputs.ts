// generate-version's inputs, validated before anything touches git: each problem names its
// input. action.yml holds every default, so an empty value here was passed explicitly (often
// a misspelt `needs.*.outputs.*` expression) and is an error, not a cue for a default.
import * as core from '@actions/core';
import { context } from '@actions/github';
import { attributeToInput, booleanInput, InputError, type InputFor } from '@ci-actions/publishing/action/index.js';
import { branchNameProblem, refFormatProblem } from '@ci-actions/publishing/git/ref-names.js';
import { classifyBuild, type Build, type VersionRequest } from '@ci-actions/publishing/version/index.js';
import { parseBaseVersion } from '@ci-actions/publishing/version/release-version.js';

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

export interface VersionInputs {
  request: VersionRequest;
  createTag: boolean;
  pushTag: boolean;
}

/** The step's inputs (INPUT_* variables), checked. */
export function readVersionInputs(): VersionInputs {
  return {
    request: parseVersionInputs(readRawVersionInputs()),
    createTag: booleanInput('create-tag', false),
    pushTag: booleanInput('push-tag', true),
  };
}

/** What the core's failures are about, as this action's inputs. */
export const versionInputFor: InputFor = (subject) => {
  switch (subject.kind) {
    case 'commit':
      return 'sha';
    case 'ref':
      return 'ref';
    case 'pull-request':
      return 'pr-number';
    case 'version-regression':
      return `${subject.remedy}/on-regression`;
    default:
      return undefined;
  }
};

// Empty context inputs (their action.yml default) take the runner's values. The run counters
// are read raw: @actions/github's context parses them with parseInt, turning "5x" into 5.
function readRawVersionInputs(): RawVersionInputs {
  const input = (name: string) => core.getInput(name);
  const pullRequest = context.payload.pull_request;
  // The payload types pull_request's other fields as any; only head.sha is read from them.
  const pullRequestHead = pullRequest?.head as { sha?: string } | undefined;
  return {
    'base-version': input('base-version'),
    offset: input('offset'),
    'on-regression': input('on-regression'),
    'tag-prefix': input('tag-prefix'),
    'production-branch': input('production-branch'),
    'run-number': input('run-number') || (process.env.GITHUB_RUN_NUMBER ?? ''),
    'run-attempt': input('run-attempt') || (process.env.GITHUB_RUN_ATTEMPT ?? ''),
    // A pull request's GITHUB_SHA is the merge commit GitHub made; the head is what was pushed.
    sha: input('sha') || String(pullRequestHead?.sha ?? '') || (context.sha ?? ''),
    ref: input('ref') || (context.ref ?? ''),
    'event-name': input('event-name') || (context.eventName ?? ''),
    'pr-number': input('pr-number') || String(pullRequest?.number ?? ''),
    'floating-tags': input('floating-tags').trim().toLowerCase(),
  };
}

// Far above any gap in run numbers an offset bridges; load-config's versioning.offset has the
// same bound, so a value this step would refuse is refused before anything is promoted.
const MAX_OFFSET = 1_000_000_000;

export function parseVersionInputs(raw: RawVersionInputs): VersionRequest {
  const baseText = raw['base-version'];
  const base = parseBaseVersion(baseText);
  if (!base) throw new InputError('base-version', `expected MAJOR.MINOR (e.g. 1.0; the patch is the build number), got ${JSON.stringify(baseText)}`);

  const runNumber = counter(raw, 'run-number', 'GITHUB_RUN_NUMBER', 1);
  const runAttempt = counter(raw, 'run-attempt', 'GITHUB_RUN_ATTEMPT', 1);
  const offset = counter(raw, 'offset', undefined, 0);
  if (offset > MAX_OFFSET) throw new InputError('offset', `expected at most ${MAX_OFFSET}, got ${offset}`);
  if (!Number.isSafeInteger(runNumber + offset)) throw new InputError('offset', `run number ${runNumber} + offset ${offset} is too large for a version`);

  const onRegression = raw['on-regression'];
  if (onRegression !== 'fail' && onRegression !== 'bump') throw new InputError('on-regression', `expected fail or bump, got ${JSON.stringify(onRegression)}`);

  const tagPrefix = raw['tag-prefix'];
  // Starting with a letter or digit keeps the tag name from reading as a git option (-v...) or a hidden ref (.v...).
  if (!/^([A-Za-z0-9][A-Za-z0-9._/-]*)?$/.test(tagPrefix)) {
    throw new InputError('tag-prefix', `expected a letter or digit, then letters, digits and . _ / - (e.g. v), got ${JSON.stringify(tagPrefix)}`);
  }
  const tagProblem = refFormatProblem(`refs/tags/${tagPrefix}1.0.0`);
  if (tagProblem) throw new InputError('tag-prefix', `${JSON.stringify(tagPrefix)} makes tags git refuses: refs/tags/${tagPrefix}1.0.0 ${tagProblem}`);

  const productionBranch = raw['production-branch'];
  if (!productionBranch) throw new InputError('production-branch', 'empty; expected the branch whose builds are releases, e.g. main');
  const branchProblem = branchNameProblem(productionBranch);
  if (branchProblem) throw new InputError('production-branch', branchProblem);

  const sha = raw.sha.toLowerCase();
  if (sha && !/^[0-9a-f]{7,64}$/.test(sha)) throw new InputError('sha', `expected a commit hash (hex), got ${JSON.stringify(raw.sha)}`);

  const floatingTags = raw['floating-tags'];
  if (floatingTags !== 'true' && floatingTags !== 'false') throw new InputError('floating-tags', `expected true or false, got ${JSON.stringify(floatingTags)}`);

  let build: Build;
  try {
    build = classifyBuild({ eventName: raw['event-name'], ref: raw.ref, prNumber: raw['pr-number'], productionBranch });
  } catch (err) {
    throw attributeToInput(err, versionInputFor);
  }
  return { base, runNumber, runAttempt, offset, onRegression, tagPrefix, build, floatingTags: floatingTags === 'true', sha: sha || undefined };
}

/** A whole number >= `min`, as GitHub's run counters and the configured offset are. */
function counter(raw: RawVersionInputs, input: keyof RawVersionInputs, variable: string | undefined, min: 0 | 1): number {
  const text = raw[input];
  if (!text) {
    const hint = variable ? `; outside GitHub Actions set it (${variable} is not set)` : '';
    throw new InputError(input, `missing${hint}`);
  }
  const value = /^(0|[1-9][0-9]*)$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new InputError(input, `expected a whole number from ${min}, got ${JSON.stringify(text)}`);
  }
  return value;
}
