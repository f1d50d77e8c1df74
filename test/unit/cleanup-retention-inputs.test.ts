// cleanup-staging's retention inputs as the runner passes them (INPUT_* variables): which
// strategy they select, what they mean, and what is refused before anything is asked of GitHub.
import { readCleanupInputsFrom } from '../support/cleanup-inputs.js';

const read = readCleanupInputsFrom;

describe('the retention inputs', () => {
  test('none given: the stage gate decides, no retention rules, half the rate limit', () => {
    const inputs = read({ 'event-name': 'schedule' });
    expect(inputs.decision.strategy).toBe('scheduled-sweep');
    expect(inputs.retention).toBeUndefined();
    expect(inputs.rateLimitBudget).toBe(0.5);
  });

  test.each<[string, Record<string, string>, string, Record<string, unknown>]>([
    ['keep-n-tagged alone', { 'keep-n-tagged': '3' }, 'keep-n-tagged', { keepNTagged: 3, deleteUntagged: false }],
    ["validate alone deletes untagged images, as dataaxiom's default", { validate: 'true' }, 'validate', { deleteUntagged: true }],
    [
      'older-than and exclude-tags only narrow',
      { 'older-than': '12 hours', 'exclude-tags': 'latest' },
      'exclude-tags, older-than',
      { olderThanMs: 12 * 3_600_000, olderThan: '12 hours', deleteUntagged: true },
    ],
    ['delete-untagged false', { 'delete-untagged': 'false' }, 'delete-untagged', { deleteUntagged: false }],
  ])('%s selects the retention strategy', (_name, given, named, rules) => {
    const inputs = read({ 'event-name': 'push', ref: 'refs/heads/main', ...given });
    expect(inputs.decision).toEqual({ strategy: 'retention', reason: `retention inputs given: ${named}` });
    expect(inputs.retention).toMatchObject(rules);
    expect(inputs.validate).toBe(given.validate === 'true');
  });

  test('patterns: globs by default, one regular expression with use-regex', () => {
    expect(read({ 'delete-tags': 'pr-*, dev' }).retention!.deleteTags!('pr-42')).toBe(true);
    expect(read({ 'delete-tags': 'pr-*, dev' }).retention!.deleteTags!('dev-1')).toBe(false);
    expect(read({ 'delete-tags': '^pr-\\d+$', 'use-regex': 'true' }).retention!.deleteTags!('pr-42')).toBe(true);
  });

  test("a retention run with no package cleans the repository's own", () => {
    expect(read({ package: '', 'keep-n-untagged': '2' }, { GITHUB_REPOSITORY: 'acme/Web-App' }).packages).toEqual(['web-app']);
  });

  test("expand-packages turns package and packages into patterns over the owner's packages", () => {
    const inputs = read({ package: '', packages: 'app-*', 'expand-packages': 'true', 'delete-untagged': 'true' });
    expect(inputs.packages).toEqual([]);
    expect(['app-1', 'app', 'other'].filter(inputs.packagePattern!)).toEqual(['app-1']);
  });

  test.each<[string, Record<string, string>, string]>([
    [
      'a retention input next to another strategy',
      { strategy: 'scheduled-sweep', 'delete-tags': 'pr-*' },
      'input "delete-tags": applies to the retention strategy only, and strategy is scheduled-sweep',
    ],
    [
      "expand-packages for this run's images",
      { strategy: 'immediate-cleanup', 'expand-packages': 'true' },
      'input "expand-packages": applies to the package-wide strategies',
    ],
    [
      'expand-packages without a pattern',
      { package: '', 'expand-packages': 'true', 'delete-untagged': 'true' },
      'input "packages": is empty, and expand-packages needs a pattern',
    ],
    ['an interval without a unit', { 'older-than': '30' }, 'input "older-than": "30" is not an interval'],
    ['a broken regular expression', { 'delete-tags': 'pr-(', 'use-regex': 'true' }, 'input "delete-tags": "pr-(" is not a regular expression'],
    ['a negative count', { 'keep-n-tagged': '-1' }, 'input "keep-n-tagged": expected at least 0'],
    ['a budget of nothing', { 'rate-limit-budget': '0' }, 'input "rate-limit-budget": "0" is not a share of the rate limit'],
    ['a budget above the whole', { 'rate-limit-budget': '1.5' }, 'input "rate-limit-budget": "1.5" is not a share of the rate limit'],
  ])('refused: %s', (_name, given, message) => {
    expect(() => read(given)).toThrow(message);
  });

  test('a share of the rate limit is read as given', () => {
    expect(read({ 'rate-limit-budget': '0.25' }).rateLimitBudget).toBe(0.25);
    expect(read({ 'rate-limit-budget': '1' }).rateLimitBudget).toBe(1);
  });
});
