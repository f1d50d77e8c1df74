// cleanup-staging as bench/cleanup runs it: the committed bundle, given this run's index
// digests to delete with the immediate-cleanup strategy, as a pull request's job would.
import { runBundledAction } from '../../test/support/action-runner.js';
import type { Deleter } from '../support/deleters.js';

export function cleanupStaging(concurrency: number): Deleter {
  return {
    name: `cleanup-staging (concurrency ${concurrency})`,
    async run(job) {
      const run = await runBundledAction('cleanup-staging', {
        inputs: {
          strategy: 'immediate-cleanup',
          'event-name': 'pull_request',
          ref: 'refs/pull/1/merge',
          'head-commit-message': '',
          owner: job.owner,
          package: job.package,
          staged: job.staged.join('\n'),
          'staging-registry': job.stagingRegistry,
          'staging-username': job.stagingCredentials.username,
          'staging-password': job.stagingCredentials.password,
          token: job.token,
          'github-api-url': job.apiUrl,
          concurrency: String(concurrency),
        },
      });
      if (run.exitCode !== 0) throw new Error(`cleanup-staging failed:\n${run.stdout.slice(-3000)}`);
    },
  };
}
