// Issue #17's measure, for legacy.test.ts and the demo: the same builds of main through both
// designs. Each build (a new commit, new images) goes first through the old two-workflow design
// (examples/legacy: CI, then post-processing on workflow_run), then through the stage gate
// (examples/ci-cd.yml) on the same commit with the same images. After each, the production
// registry says, by digest, whether the build reached it: checked before the next design runs,
// so one design's promotion never counts for the other.
import type { ImageLayout } from '../harness/oci-image.js';
import { isGone, pullsCompletely } from '../harness/pull-check.js';
import type { ActRun } from './act.js';
import { IMAGES, OWNER, type ImageName, type Pipeline } from './pipeline.js';

export interface BuildOutcome {
  /** The run number of each design's workflows for this build. */
  build: number;
  sha: string;
  images: Record<ImageName, ImageLayout>;
  legacy: {
    ci: ActRun;
    /** Staged images of the build still in staging once CI had completed, when post-processing starts. */
    stagedForPostProcessing: ImageName[];
    postProcessing: ActRun;
    published: boolean;
  };
  stageGate: { run: ActRun; published: boolean };
}

/** `builds` builds of main, numbered from `firstRun` (run numbers, so versions, of earlier runs stay theirs). */
export async function compareDesigns(pipeline: Pipeline, builds: number, firstRun = 1): Promise<BuildOutcome[]> {
  const { registries } = pipeline;
  const ci = registries.creds.staging.ci;
  const reader = registries.creds.production.reader;
  /** Published: every image of the build pulls whole from production by its digest (not through the fault proxy). */
  const published = async (images: Record<ImageName, ImageLayout>) => {
    const pulls = await Promise.all(IMAGES.map((name) => pullsCompletely(`${registries.production.host}/${OWNER}/${name}@${images[name].digest}`, reader)));
    return pulls.every(Boolean);
  };
  const outcomes: BuildOutcome[] = [];
  for (let build = firstRun; build < firstRun + builds; build++) {
    const legacyCi = await pipeline.runLegacyCi({ commit: `feat: change ${build}`, runNumber: build });
    const stagedForPostProcessing: ImageName[] = [];
    for (const name of IMAGES) if (!(await isGone(legacyCi.staged[name], ci))) stagedForPostProcessing.push(name);
    const postProcessing = await pipeline.runPostProcessing(legacyCi);
    const legacy = { ci: legacyCi.act, stagedForPostProcessing, postProcessing, published: await published(legacyCi.images) };
    // The same commit (the head of main) and the same images, staged again by the stage gate's build.
    const run = await pipeline.run({ event: 'push', runNumber: build, images: legacyCi.images });
    outcomes.push({ build, sha: legacyCi.sha, images: legacyCi.images, legacy, stageGate: { run: run.act, published: await published(run.images) } });
  }
  return outcomes;
}

/** One line per design: `legacy two-workflow design: 0/3 published (0%)`. */
export function publishSuccess(outcomes: BuildOutcome[]): string[] {
  const line = (design: string, published: number) =>
    `${design}: ${published}/${outcomes.length} published (${Math.round((100 * published) / outcomes.length)}%)`;
  return [
    line('legacy two-workflow design', outcomes.filter((o) => o.legacy.published).length),
    line('stage gate', outcomes.filter((o) => o.stageGate.published).length),
  ];
}
