// What a run does with the deployments an earlier run (an earlier attempt, a cancelled job)
// left on the portal for the same components. Uploading again would make a second deployment
// of components one already holds: the portal validates both, and whichever publishes second
// fails, as Central takes a version once. So a deployment that holds exactly the components
// to publish and is VALIDATED or PUBLISHING is followed instead of uploading again. FAILED
// deployments this suite made for the same components are dropped, so the portal's list shows
// what is live; anything else (another tool's, other components) is left alone.
//
// A VALIDATED deployment is ambiguous: an AUTOMATIC one passes through VALIDATED on its way
// to PUBLISHING, a USER_MANAGED one stays there until someone publishes it. The portal does not
// say which (neither the status nor the search returns the publishing type), so this suite
// writes the type into its deployments' names. With publishing-type automatic, a VALIDATED
// deployment that is not known to be this suite's automatic one (an earlier user-managed run's,
// another tool's) is published through the API, as the user asked this run to publish: following
// it unpublished would wait for PUBLISHED until the timeout, or with wait-until validated report
// as publishing what nobody publishes. With user-managed, a VALIDATED one is followed as it is:
// it awaits the release in the portal this configuration asks for.
import type { ListedDeployment, PublishingType } from './deployments.js';

/** The deployments of a re-run that are still worth following. */
const RESUMABLE = new Set<ListedDeployment['state']>(['VALIDATED', 'PUBLISHING']);

export interface DeploymentPlan {
  /** The deployment to follow instead of uploading; undefined to upload. */
  resume: ListedDeployment | undefined;
  /** True when `resume` is VALIDATED and waits for a release that this run must make (publishing-type automatic). */
  publishResumed: boolean;
  drop: ListedDeployment[];
}

/** What this suite's deployment names of `components` (groupId:artifactIds:version) start with: the whole name before the type was in it. */
function namePrefix(components: string): string {
  return `ci-actions ${components}`;
}

/** The name this suite gives its deployment of `components` when published as `publishingType`. */
export function deploymentName(components: string, publishingType: PublishingType): string {
  return `${namePrefix(components)} [${publishingType}]`;
}

/**
 * `listed` newest first; `purls` the components to publish; `components` what this suite's
 * deployment names say of them (see deploymentName), which tells its own from others'.
 */
export function planDeployment(
  listed: readonly ListedDeployment[],
  purls: readonly string[],
  components: string,
  publishingType: PublishingType,
): DeploymentPlan {
  const wanted = new Set(purls);
  const holdsExactly = (d: ListedDeployment) => d.purls.length === wanted.size && d.purls.every((p) => wanted.has(p));
  const ours = (d: ListedDeployment) => d.name === namePrefix(components) || d.name.startsWith(`${namePrefix(components)} [`);
  const resume = listed.find((d) => RESUMABLE.has(d.state) && holdsExactly(d));
  return {
    resume,
    publishResumed: publishingType === 'automatic' && resume?.state === 'VALIDATED' && resume.name !== deploymentName(components, 'automatic'),
    drop: listed.filter((d) => d.state === 'FAILED' && ours(d)),
  };
}
