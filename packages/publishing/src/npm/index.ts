export { NpmError } from './cli.js';
export { NpmAuthenticationError } from './registry.js';
export {
  NpmReleaseError,
  prepareNpmRelease,
  publishNpmRelease,
  type NpmOutcome,
  type NpmPackagePlan,
  type NpmPackageResult,
  type NpmRelease,
  type NpmReleaseOptions,
} from './release.js';
export { distTagProblem, isNpmVersion, isPrerelease } from './versions.js';
export { sourceVisibilityProblem } from './provenance.js';
