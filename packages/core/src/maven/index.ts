export { isMavenId, mavenVersionProblem, type Coordinates } from './coordinates.js';
export { DeploymentFailedError, type PollSchedule, type WaitUntil } from './deployment.js';
export { CentralPortalError, type DeploymentState, type PublishingType } from './portal.js';
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
