// planCleanup timed as the cleanup benchmarks (bench/cleanup, bench/retention) time it: over
// a synthetic package (synthetic-package.ts), PLAN_RUNS times, the median. What the whole
// run does is timed: the dependents and what the strategy adds are worked out each time.
import { dependentsOf } from '@ci-actions/publishing/cleanup/dependents.js';
import { planCleanup, type PlanInput } from '@ci-actions/publishing/cleanup/plan.js';
import { median } from './stats.js';
import type { SyntheticPackage } from './synthetic-package.js';

export const PLAN_RUNS = 7;

export interface PlanTiming {
  ms: number;
  /** Versions the plan deletes, and keeps and reports. */
  deleted: number;
  kept: number;
}

export function timePlanning(pkg: SyntheticPackage, now: number, strategy: () => Pick<PlanInput, 'strategy' | 'staged' | 'retention'>): PlanTiming {
  const times: number[] = [];
  let counts = { deleted: 0, kept: 0 };
  for (let i = 0; i < PLAN_RUNS; i++) {
    const started = process.hrtime.bigint();
    const plan = planCleanup({
      reason: 'bench',
      versions: pkg.versions,
      dependents: dependentsOf(pkg.versions, pkg.links),
      protected: new Map(),
      keepLast: 5,
      maxAgeDays: 14,
      graceHours: 6,
      now,
      ...strategy(),
    });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    counts = { deleted: plan.waves.flat().length, kept: plan.kept.length };
  }
  return { ms: median(times), ...counts };
}
