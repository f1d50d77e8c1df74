export { isRepository, isShallowRepository, resolveCommit } from './repository.js';
export { createAnnotatedTag, listTags, pushTag, TagConflictError, type GitTag } from './tags.js';
