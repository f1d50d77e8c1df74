// The old design, shown failing (#17): examples/legacy (CI with its staging cleanup, then
// post-processing on workflow_run) and the stage gate run by act over the same three builds of
// main, against the same services. What counts is what the production registry holds, by
// digest: the old design publishes none of the builds, the stage gate all of them.
import { compareDesigns, publishSuccess, type BuildOutcome } from './designs.js';
import { startPipeline, type Pipeline } from './pipeline.js';

const BUILDS = 3;

let pipeline: Pipeline;
let outcomes: BuildOutcome[];
beforeAll(async () => {
  pipeline = await startPipeline();
  outcomes = await compareDesigns(pipeline, BUILDS);
  for (const line of publishSuccess(outcomes)) console.log(line);
}, 1_800_000);
afterAll(() => pipeline?.stop());

const why = (design: string, run: { exitCode: number; tail(lines?: number): string }) =>
  `${design}: act exited ${run.exitCode}; its log ends:\n${run.tail(40)}`;

describe('the old two-workflow design and the stage gate over the same builds of main', () => {
  test(`legacy: 0 of ${BUILDS} builds reached production; CI succeeded and cleaned each build's staging copy before post-processing ran, which then failed`, () => {
    for (const outcome of outcomes) {
      if (outcome.legacy.ci.exitCode !== 0) throw new Error(why(`legacy CI, build ${outcome.build}`, outcome.legacy.ci));
      expect({ build: outcome.build, stagedForPostProcessing: outcome.legacy.stagedForPostProcessing }).toEqual({
        build: outcome.build,
        stagedForPostProcessing: [],
      });
      // The source is gone: every promotion job fails, so the run does.
      expect({ build: outcome.build, postProcessingFailed: outcome.legacy.postProcessing.exitCode !== 0 }).toEqual({
        build: outcome.build,
        postProcessingFailed: true,
      });
      const promotions = outcome.legacy.postProcessing.jobs.filter((j) => /Publish .+ to Docker Hub/.test(j.job)).map((j) => j.result);
      expect({ build: outcome.build, promotions }).toEqual({ build: outcome.build, promotions: ['failure', 'failure'] });
    }
    expect(outcomes.filter((o) => o.legacy.published).map((o) => o.build)).toEqual([]);
  });

  test(`stage gate: ${BUILDS} of ${BUILDS} builds reached production`, () => {
    for (const outcome of outcomes) if (outcome.stageGate.run.exitCode !== 0) throw new Error(why(`stage gate, build ${outcome.build}`, outcome.stageGate.run));
    expect(outcomes.filter((o) => o.stageGate.published).map((o) => o.build)).toEqual([1, 2, 3]);
    expect(publishSuccess(outcomes)).toEqual([`legacy two-workflow design: 0/${BUILDS} published (0%)`, `stage gate: ${BUILDS}/${BUILDS} published (100%)`]);
  });
});
