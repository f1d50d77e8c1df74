// What a run does with the deployments an earlier run (an earlier attempt, a cancelled job)
// left on the portal for the same components. Uploading again would make a second deployment
// of components one already holds: the portal validates both, and whichever publishes second
// fails, as Central takes a version once. So a deployment that holds exactly the components
// to publish and is VALIDATED or PUBLISHING is followed instead of uploading again. FAILED
// deployments this suite made for the same components are dropped, so the portal's list shows
// what is live; anything else (another tool's, other components) is left alone.
import type { ListedDeployment } from './deployments.js';

/** The deployments of a re-run that are still worth following. */
const RESUMABLE = new Set<ListedDeployment['state']>(['VALIDATED', 'PUBLISHING']);

export interface DeploymentPlan {
  /** The deployment to follow instead of uploading; undefined to upload. */
  resume: ListedDeployment | undefined;
  drop: ListedDeployment[];
}

/**
 * `listed` newest first; `purls` the components to publish; `bundleName` the name this suite
 * gives its deployment of them (how its own are told from others').
 */
export function planDeployment(listed: readonly ListedDeployment[], purls: readonly string[], bundleName: string): DeploymentPlan {
  const wanted = new Set(purls);
  const holdsExactly = (d: ListedDeployment) => d.purls.length === wanted.size && d.purls.every((p) => wanted.has(p));
  return {
    resume: listed.find((d) => RESUMABLE.has(d.state) && holdsExactly(d)),
    drop: listed.filter((d) => d.state === 'FAILED' && d.name === bundleName),
  };
}
