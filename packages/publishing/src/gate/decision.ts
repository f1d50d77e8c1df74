// Whether a run publishes to production: the stage gate's one decision, from what happened in
// the run (its event and ref, the caller's test and scan results, force-publish) and the
// configuration's production branch. Pure: the table in test/unit/gate.test.ts is its
// specification. Tests and scan gate everything; force-publish lifts only the branch rule.

export interface GateFacts {
  /** github.event_name */
  eventName: string;
  /** github.ref, e.g. refs/heads/main */
  ref: string;
  productionBranch: string;
  /** needs.<tests>.result of the caller; '' when not given. */
  tests: string;
  scan: string;
  /** The force-publish input; honoured for workflow_dispatch runs only. */
  forcePublish: boolean;
  /** How many images the build staged. */
  staged: number;
}

export interface GateDecision {
  publish: boolean;
  /** Published from a branch other than the production branch, because force-publish was set. */
  forced: boolean;
  reason: string;
}

/** Only these events publish: a push to the production branch, or a run started by hand. */
const PUBLISHING_EVENTS = ['push', 'workflow_dispatch'];

export function decidePublish(facts: GateFacts): GateDecision {
  const no = (reason: string): GateDecision => ({ publish: false, forced: false, reason });
  if (facts.tests !== 'success' || facts.scan !== 'success') {
    return no(`tests: ${facts.tests || 'no result'}, security scan: ${facts.scan || 'no result'}; only tested and scanned images are published`);
  }
  if (facts.staged === 0) return no('nothing was staged');
  if (!PUBLISHING_EVENTS.includes(facts.eventName)) return no(`a ${facts.eventName} run never publishes; only push and workflow_dispatch runs do`);
  if (facts.ref === `refs/heads/${facts.productionBranch}`) {
    return { publish: true, forced: false, reason: `tests and scan passed on the production branch ${facts.productionBranch}` };
  }
  if (facts.eventName === 'workflow_dispatch' && facts.forcePublish) {
    return { publish: true, forced: true, reason: `tests and scan passed, and force-publish was set for this manual run of ${facts.ref}` };
  }
  return no(`${facts.ref} is not the production branch ${facts.productionBranch}`);
}
