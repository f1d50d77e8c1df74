// Bad input fails before anything touches git, with a message that starts with the input's name.
import { InputError } from '@ci-actions/publishing/action/index.js';
import { parseVersionInputs, type RawVersionInputs } from '../../actions/generate-version/inputs.js';
import { MAIN_PUSH_INPUTS } from '../support/version-inputs.js';

const VALID = MAIN_PUSH_INPUTS;

const BAD: [string, Partial<RawVersionInputs>, string][] = [
  ['base version without a minor', { 'base-version': '1' }, 'input "base-version": expected MAJOR.MINOR (e.g. 1.0; the patch is the build number), got "1"'],
  [
    'base version with a patch',
    { 'base-version': '1.0.0' },
    'input "base-version": expected MAJOR.MINOR (e.g. 1.0; the patch is the build number), got "1.0.0"',
  ],
  ['base version with a v', { 'base-version': 'v1.0' }, 'input "base-version": expected MAJOR.MINOR (e.g. 1.0; the patch is the build number), got "v1.0"'],
  [
    'base version with a leading zero',
    { 'base-version': '01.0' },
    'input "base-version": expected MAJOR.MINOR (e.g. 1.0; the patch is the build number), got "01.0"',
  ],
  [
    'empty base version (a misspelt output)',
    { 'base-version': '' },
    'input "base-version": expected MAJOR.MINOR (e.g. 1.0; the patch is the build number), got ""',
  ],
  ['no run number outside Actions', { 'run-number': '' }, 'input "run-number": missing; outside GitHub Actions set it (GITHUB_RUN_NUMBER is not set)'],
  ['run number 0', { 'run-number': '0' }, 'input "run-number": expected a whole number from 1, got "0"'],
  ['run number with a suffix', { 'run-number': '5x' }, 'input "run-number": expected a whole number from 1, got "5x"'],
  ['negative run number', { 'run-number': '-1' }, 'input "run-number": expected a whole number from 1, got "-1"'],
  ['no run attempt', { 'run-attempt': '' }, 'input "run-attempt": missing; outside GitHub Actions set it (GITHUB_RUN_ATTEMPT is not set)'],
  ['negative offset', { offset: '-1' }, 'input "offset": expected a whole number from 0, got "-1"'],
  ['fractional offset', { offset: '1.5' }, 'input "offset": expected a whole number from 0, got "1.5"'],
  ['empty offset', { offset: '' }, 'input "offset": missing'],
  ['offset above its maximum', { offset: '1000000001' }, 'input "offset": expected at most 1000000000, got 1000000001'],
  [
    'huge run number plus offset',
    { 'run-number': String(Number.MAX_SAFE_INTEGER), offset: '1' },
    'input "offset": run number 9007199254740991 + offset 1 is too large for a version',
  ],
  ['unknown on-regression', { 'on-regression': 'panic' }, 'input "on-regression": expected fail or bump, got "panic"'],
  ['tag prefix with a glob', { 'tag-prefix': 'v*' }, 'input "tag-prefix": expected a letter or digit, then letters, digits and . _ / - (e.g. v), got "v*"'],
  [
    'tag prefix that git would read as an option',
    { 'tag-prefix': '-v' },
    'input "tag-prefix": expected a letter or digit, then letters, digits and . _ / - (e.g. v), got "-v"',
  ],
  ['floating-tags that is not a boolean', { 'floating-tags': 'yes' }, 'input "floating-tags": expected true or false, got "yes"'],
  ['tag prefix with ".." (git refuses)', { 'tag-prefix': 'v..' }, 'input "tag-prefix": "v.." makes tags git refuses: refs/tags/v..1.0.0 contains ".."'],
  [
    'tag prefix with "//" (git refuses)',
    { 'tag-prefix': 'a//' },
    'input "tag-prefix": "a//" makes tags git refuses: refs/tags/a//1.0.0 has an empty component',
  ],
  [
    'tag prefix with a .lock component (git refuses)',
    { 'tag-prefix': 'x.lock/' },
    'input "tag-prefix": "x.lock/" makes tags git refuses: refs/tags/x.lock/1.0.0 has a component ending with ".lock" (x.lock)',
  ],
  [
    'tag prefix with a component starting with "." (git refuses)',
    { 'tag-prefix': 'a/.v' },
    'input "tag-prefix": "a/.v" makes tags git refuses: refs/tags/a/.v1.0.0 has a component starting with "." (.v1.0.0)',
  ],
  ['empty production branch', { 'production-branch': '' }, 'input "production-branch": empty; expected the branch whose builds are releases, e.g. main'],
  [
    'production branch with a newline',
    { 'production-branch': 'main\npublish=true' },
    'input "production-branch": "main\\npublish=true" is not a valid git branch name: it contains "\\n"',
  ],
  ['sha that is not hex', { sha: 'main' }, 'input "sha": expected a commit hash (hex), got "main"'],
  ['sha too short', { sha: 'abc' }, 'input "sha": expected a commit hash (hex), got "abc"'],
  ['no ref outside Actions', { ref: '' }, 'input "ref": the ref being built is missing: outside GitHub Actions give it, e.g. refs/heads/main'],
  [
    'a pull request without its number',
    { 'event-name': 'pull_request_target', ref: 'refs/heads/main' },
    'input "pr-number": a pull_request_target build needs its pull request number, and its ref (refs/heads/main) does not name the pull request',
  ],
  [
    'a pull request number that is not one',
    { 'event-name': 'pull_request', ref: 'refs/pull/7/merge', 'pr-number': 'seven' },
    'input "pr-number": expected a pull request number, got "seven"',
  ],
  [
    'a pull request number of 22 digits (was 1.0.42-pr.1e+21…)',
    { 'event-name': 'pull_request', ref: 'refs/pull/7/merge', 'pr-number': '1234567890123456789012' },
    'input "pr-number": 1234567890123456789012 is above 2147483647, the highest pull request number GitHub gives',
  ],
  [
    'a pull request number of 20 digits (two would collide once rounded)',
    { 'event-name': 'pull_request', ref: 'refs/pull/12345678901234567890/merge' },
    'input "pr-number": 12345678901234567890 is above 2147483647',
  ],
  [
    'the first pull request number above 32 bits',
    { 'event-name': 'pull_request', 'pr-number': '2147483648' },
    'input "pr-number": 2147483648 is above 2147483647',
  ],
];

describe('parseVersionInputs: bad input names the input', () => {
  test.each(BAD)('%s', (_name, inputs, message) => {
    let error: unknown;
    try {
      parseVersionInputs({ ...VALID, ...inputs });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(message);
    expect((error as InputError).input).toBe(/^input "([^"]+)"/.exec(message)![1]);
  });

  test('valid input is taken as given; an empty sha means the checkout HEAD', () => {
    expect(parseVersionInputs({ ...VALID, sha: '', 'tag-prefix': '', offset: '7', 'run-attempt': '3', 'floating-tags': 'true' })).toEqual({
      base: { major: 1, minor: 0 },
      runNumber: 42,
      runAttempt: 3,
      offset: 7,
      onRegression: 'fail',
      tagPrefix: '',
      build: { kind: 'release', branch: 'main' },
      floatingTags: true,
      sha: undefined,
    });
  });
});
