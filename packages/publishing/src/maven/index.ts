export { isMavenId, mavenVersionProblem, type Coordinates } from './coordinates.js';
export { DeploymentFailedError, type PollSchedule } from './deployment.js';
export type { DeploymentState, PublishingType, WaitUntil } from './deployments.js';
export { CentralPortalError } from './portal.js';
export {
  MavenReleaseError,
  prepareMavenRelease,
  publishMavenRelease,
  type MavenComponentResult,
  type MavenOutcome,
  type MavenRelease,
  type MavenReleaseOptions,
  type MavenReleaseResult,
} from './release.js';
