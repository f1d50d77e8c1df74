// cleanup-staging as bench/cleanup runs it: the committed bundle, given this run's images
// (repository:tag@digest) to delete with the immediate-cleanup strategy, as a pull
// request's job would.
import { runBundledAction } from '../../test/support/action-runner.js';
import { cleanupStagingTarget, type Deleter } from '../support/deleters.js';

export function cleanupStaging(concurrency: number): Deleter {
  return {
    name: `cleanup-staging (concurrency ${concurrency})`,
    async run(job) {
      const run = await runBundledAction('cleanup-staging', {
        inputs: {
          ...cleanupStagingTarget(job),
          strategy: 'immediate-cleanup',
          'event-name': 'pull_request',
          ref: 'refs/pull/1/merge',
          // As a build job's outputs name them: by digest with this run's tag, without which a tagged image is kept.
          staged: job.staged.map((i) => `${job.stagingRegistry}/${job.owner}/${job.package}:${i.tag}@${i.digest}`).join('\n'),
          concurrency: String(concurrency),
        },
      });
      if (run.exitCode !== 0) throw new Error(`cleanup-staging failed:\n${run.stdout.slice(-3000)}`);
    },
  };
}
