export { ReleaseRefusal } from './errors.js';
export {
  CHANGELOG_FILE,
  CHANGELOG_HEADER,
  changeEntries,
  extractSection,
  hasSection,
  insertSection,
  isConventional,
  newestReleaseTag,
  parseCommit,
  releaseCommitSubject,
  renderChanges,
  renderSection,
  type ChangeEntry,
} from './changelog.js';
export { pinProblems, pinSuiteReferences, PINNED_WORKFLOWS, suiteReferences, UNRELEASED_REF, type SuiteReference } from './workflow-pins.js';
export { planRelease, type PlanInput, type ReleasePlan, type TagRef } from './plan.js';
export { runRelease, type MajorOutcome, type Outcome, type ReleaseOptions, type ReleaseResult } from './release.js';
export { majorTagName, nextVersions, parseReleaseVersion, releaseTagName, TAG_PREFIX } from './version.js';
export { codeCell, inlineText } from './markdown.js';
export {
  actionBlockId,
  DocsError,
  markedBlocks,
  parseActionMetadata,
  renderActionDocs,
  renderRollback,
  replaceMarkedBlock,
  ROLLBACK_BLOCK,
  updateReadme,
  type ActionInput,
  type ActionMetadata,
  type ActionOutput,
  type DocsOptions,
  type ReadmeUpdate,
} from './action-docs.js';
