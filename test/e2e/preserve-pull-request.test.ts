// [preserve] on a pull request, under act: the pull_request event carries no head commit
// message (only a push's does), so the stage gate's prepare job reads it from its checkout, at
// the pull request's head, and the cleanup keeps every staging image. Asserted on the staging
// registry and the GitHub Packages API emulator's request record.
import { pullsCompletely } from '../harness/pull-check.js';
import { IMAGES, startPipeline, type Pipeline } from './pipeline.js';

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await startPipeline();
}, 900_000);
afterAll(() => pipeline?.stop());

test('a pull request whose head commit says [preserve]: nothing published, every staging image kept', async () => {
  const deletions = () => pipeline.api.requests.filter((r) => r.method === 'DELETE').length;
  const run = await pipeline.run({ event: 'pull_request', branch: 'feature', commit: 'fix: flaky session handling [preserve]', runNumber: 3 });
  expect({ exit: run.act.exitCode }).toEqual({ exit: 0 });
  if (run.act.exitCode !== 0) throw new Error(`act exited ${run.act.exitCode}; its log ends:\n${run.act.tail(60)}`);

  expect(run.act.jobs.filter((j) => j.job.endsWith('Clean up staging')).map((j) => j.result)).toEqual(['success']);
  for (const name of IMAGES)
    expect({ name, pulls: await pullsCompletely(run.staged[name], pipeline.registries.creds.staging.ci) }).toEqual({ name, pulls: true });
  expect(deletions()).toBe(0);
  expect((await pipeline.npmState()).versions).toEqual([]);
  expect(pipeline.api.violations).toEqual([]);
});
