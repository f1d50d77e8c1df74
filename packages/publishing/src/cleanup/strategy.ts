// Which cleanup a pipeline gets, decided from what happened in it (the results of its
// jobs, where it ran, what its head commit says). Pure: the table in
// test/unit/cleanup-strategy.test.ts is its specification.
import { DomainError } from '../errors.js';

export const STRATEGIES = [
  'immediate-cleanup',
  'post-production-cleanup',
  'conditional-preserve',
  'preserve-for-debug',
  'scheduled-sweep',
  'retention',
] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** `needs.<job>.result` values; '' when the workflow did not pass one. */
export const JOB_RESULTS = ['success', 'failure', 'cancelled', 'skipped', ''] as const;
export type JobResult = (typeof JOB_RESULTS)[number];

export interface PipelineFacts {
  eventName: string;
  /** refs/heads/main, or just main. */
  ref: string;
  productionBranch: string;
  tests: JobResult;
  scan: JobResult;
  /** Image promotion to production (promote-image). */
  promote: JobResult;
  /** Client library publishing (publish-clients). */
  publish: JobResult;
  headCommitMessage: string;
  preserveMarker: string;
  forcePublish: boolean;
}

export interface StrategyDecision {
  strategy: Strategy;
  reason: string;
}

const GATES = [
  ['tests', 'tests'],
  ['scan', 'the security scan'],
  ['promote', 'image promotion'],
  ['publish', 'client publishing'],
] as const;

/** First rule that applies wins; the order is the point (keeping beats deleting). */
export function selectStrategy(facts: PipelineFacts): StrategyDecision {
  if (facts.eventName === 'schedule') {
    return { strategy: 'scheduled-sweep', reason: 'scheduled run: sweeping old staging versions that nothing protects' };
  }
  if (facts.preserveMarker && facts.headCommitMessage.includes(facts.preserveMarker)) {
    return { strategy: 'preserve-for-debug', reason: `the head commit message contains ${facts.preserveMarker}` };
  }
  const failed = GATES.filter(([key]) => facts[key] === 'failure').map(([, name]) => name);
  if (failed.length > 0) {
    return { strategy: 'preserve-for-debug', reason: `${failed.join(' and ')} failed: staging images kept for investigation` };
  }
  // Whatever was promoted, on any branch, is deleted from staging only once production has it.
  if (facts.promote === 'success') {
    return {
      strategy: 'post-production-cleanup',
      reason: 'production publishing succeeded; each image is verified in production before its staging copy goes',
    };
  }
  if (facts.eventName.startsWith('pull_request')) {
    return { strategy: 'immediate-cleanup', reason: 'pull-request build finished: its staging images are no longer needed' };
  }
  const branch = facts.ref.replace(/^refs\/heads\//, '');
  // A forced publish counts as a production run: its images were meant for production.
  if (branch !== facts.productionBranch && !facts.forcePublish) {
    return {
      strategy: 'immediate-cleanup',
      reason: `build of ${branch}, not the production branch ${facts.productionBranch}: its staging images are no longer needed`,
    };
  }
  const what = facts.promote === '' ? 'no production publishing result was given' : `production publishing was ${facts.promote}`;
  return { strategy: 'conditional-preserve', reason: `${what}: keeping the newest images` };
}

export function parseStrategy(value: string): Strategy {
  const found = STRATEGIES.find((s) => s === value);
  if (!found)
    throw new DomainError(
      `unknown strategy "${value}"; expected one of ${STRATEGIES.join(', ')} (or empty to decide from the pipeline's results, or retention when a retention input is set)`,
    );
  return found;
}

export function parseJobResult(value: string): JobResult {
  const found = JOB_RESULTS.find((r) => r === value);
  if (found === undefined) throw new DomainError(`"${value}" is not a job result; expected success, failure, cancelled, skipped or empty`);
  return found;
}
