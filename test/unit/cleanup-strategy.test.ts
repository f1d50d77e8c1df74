import { parseJobResult, parseStrategy, selectStrategy, type PipelineFacts } from '@ci-actions/publishing/cleanup/strategy.js';

const main: PipelineFacts = {
  eventName: 'push',
  ref: 'refs/heads/main',
  productionBranch: 'main',
  tests: 'success',
  scan: 'success',
  promote: 'success',
  publish: 'success',
  headCommitMessage: 'feat: passkeys',
  preserveMarker: '[preserve]',
  forcePublish: false,
};
const pr: PipelineFacts = { ...main, eventName: 'pull_request', ref: 'refs/pull/42/merge', promote: 'skipped', publish: 'skipped' };

describe('selectStrategy', () => {
  test.each<[string, Partial<PipelineFacts>, string, string]>([
    [
      'main, everything succeeded',
      {},
      'post-production-cleanup',
      'production publishing succeeded; each image is verified in production before its staging copy goes',
    ],
    [
      'main, short ref name',
      { ref: 'main' },
      'post-production-cleanup',
      'production publishing succeeded; each image is verified in production before its staging copy goes',
    ],
    ['main, promotion skipped', { promote: 'skipped' }, 'conditional-preserve', 'production publishing was skipped: keeping the newest images'],
    [
      'main, promotion cancelled',
      { promote: 'cancelled', publish: 'cancelled' },
      'conditional-preserve',
      'production publishing was cancelled: keeping the newest images',
    ],
    ['main, no promotion result given', { promote: '' }, 'conditional-preserve', 'no production publishing result was given: keeping the newest images'],
    [
      'main, tests cancelled so promotion skipped',
      { tests: 'cancelled', promote: 'skipped' },
      'conditional-preserve',
      'production publishing was skipped: keeping the newest images',
    ],
    ['main, tests failed', { tests: 'failure', promote: 'skipped' }, 'preserve-for-debug', 'tests failed: staging images kept for investigation'],
    ['main, scan failed', { scan: 'failure', promote: 'skipped' }, 'preserve-for-debug', 'the security scan failed: staging images kept for investigation'],
    ['main, promotion failed', { promote: 'failure' }, 'preserve-for-debug', 'image promotion failed: staging images kept for investigation'],
    [
      'main, promoted but client publishing failed',
      { publish: 'failure' },
      'preserve-for-debug',
      'client publishing failed: staging images kept for investigation',
    ],
    [
      'main, tests and scan failed',
      { tests: 'failure', scan: 'failure' },
      'preserve-for-debug',
      'tests and the security scan failed: staging images kept for investigation',
    ],
    [
      'main, [preserve] in the commit message',
      { headCommitMessage: 'fix: x\n\n[preserve]' },
      'preserve-for-debug',
      'the head commit message contains [preserve]',
    ],
    [
      'main, a custom marker',
      { headCommitMessage: 'fix: x #keep-images', preserveMarker: '#keep-images' },
      'preserve-for-debug',
      'the head commit message contains #keep-images',
    ],
    [
      'main, no marker configured',
      { headCommitMessage: 'fix: x [preserve]', preserveMarker: '' },
      'post-production-cleanup',
      'production publishing succeeded; each image is verified in production before its staging copy goes',
    ],
    [
      'other production branch name',
      { ref: 'refs/heads/release', productionBranch: 'release', promote: 'skipped' },
      'conditional-preserve',
      'production publishing was skipped: keeping the newest images',
    ],
    [
      'feature branch push',
      { ref: 'refs/heads/feat/x', promote: 'skipped' },
      'immediate-cleanup',
      'build of feat/x, not the production branch main: its staging images are no longer needed',
    ],
    [
      'feature branch, forced publish skipped',
      { ref: 'refs/heads/feat/x', promote: 'skipped', forcePublish: true },
      'conditional-preserve',
      'production publishing was skipped: keeping the newest images',
    ],
    [
      'feature branch, forced publish succeeded',
      { ref: 'refs/heads/feat/x', forcePublish: true },
      'post-production-cleanup',
      'production publishing succeeded; each image is verified in production before its staging copy goes',
    ],
    [
      'release tag, promoted',
      { ref: 'refs/tags/v1.2.0' },
      'post-production-cleanup',
      'production publishing succeeded; each image is verified in production before its staging copy goes',
    ],
    ['scheduled run', { eventName: 'schedule' }, 'scheduled-sweep', 'scheduled run: sweeping old staging versions that nothing protects'],
    [
      'scheduled run beats a failure',
      { eventName: 'schedule', tests: 'failure' },
      'scheduled-sweep',
      'scheduled run: sweeping old staging versions that nothing protects',
    ],
  ])('%s', (_name, facts, strategy, reason) => {
    expect(selectStrategy({ ...main, ...facts })).toEqual({ strategy, reason });
  });

  test.each<[string, Partial<PipelineFacts>, string, string]>([
    ['pull request finished', {}, 'immediate-cleanup', 'pull-request build finished: its staging images are no longer needed'],
    ['pull request, tests cancelled', { tests: 'cancelled' }, 'immediate-cleanup', 'pull-request build finished: its staging images are no longer needed'],
    ['pull_request_target', { eventName: 'pull_request_target' }, 'immediate-cleanup', 'pull-request build finished: its staging images are no longer needed'],
    ['pull request, tests failed', { tests: 'failure' }, 'preserve-for-debug', 'tests failed: staging images kept for investigation'],
    ['pull request, [preserve]', { headCommitMessage: 'wip [preserve]' }, 'preserve-for-debug', 'the head commit message contains [preserve]'],
  ])('%s', (_name, facts, strategy, reason) => {
    expect(selectStrategy({ ...pr, ...facts })).toEqual({ strategy, reason });
  });
});

describe('parsing', () => {
  test('strategies and job results are checked against the known values', () => {
    expect(parseStrategy('scheduled-sweep')).toBe('scheduled-sweep');
    expect(() => parseStrategy('delete-all')).toThrow(
      'unknown strategy "delete-all"; expected one of immediate-cleanup, post-production-cleanup, conditional-preserve, preserve-for-debug, scheduled-sweep, retention (or empty to decide from the pipeline\'s results, or retention when a retention input is set)',
    );
    expect(parseJobResult('')).toBe('');
    expect(parseJobResult('cancelled')).toBe('cancelled');
    expect(() => parseJobResult('passed')).toThrow('"passed" is not a job result; expected success, failure, cancelled, skipped or empty');
  });
});
