export { branchNameProblem, checkBranchName, refFormatProblem } from './ref-names.js';
export { isRepository, isShallowRepository, resolveCommit } from './repository.js';
export { createAnnotatedTag, listTags, pushTag, TagConflictError, tagsInHistoryOf, type GitTag } from './tags.js';
export { identityArgs } from './identity.js';
export { commitMessage } from './commit-message.js';
