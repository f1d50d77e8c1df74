export { classifyBuild, type Build } from './build.js';
export { computeVersion, type ReleaseHistory, type VersionPlan } from './compute.js';
export { ShallowCloneError, VersionRegressionError } from './errors.js';
export { generateVersion, type GeneratedVersion, type GenerateVersionOptions, type TagOutcome } from './generate.js';
export type { OnRegression, VersionRequest } from './request.js';
export { releaseTags, type ReleaseTag, type ReleaseVersion } from './release-version.js';
export { dockerTags, mavenVersion, versionOutputs } from './outputs.js';
