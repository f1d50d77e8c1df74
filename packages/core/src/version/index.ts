export { type Build } from './build.js';
export { computeVersion, type ReleaseHistory, type VersionPlan } from './compute.js';
export { ShallowCloneError, VersionInputError, VersionRegressionError } from './errors.js';
export { generateVersion, type GeneratedVersion, type GenerateVersionOptions, type TagOutcome } from './generate.js';
export { parseVersionInputs, type OnRegression, type RawVersionInputs, type VersionRequest } from './inputs.js';
export { releaseTags, type ReleaseTag, type ReleaseVersion } from './release-version.js';
export { dockerTags, mavenVersion, versionOutputs } from './outputs.js';
