// Errors a person fixes in the workflow or the configuration, so each one says where:
// the release it would go behind and the two ways out, or the clone that hides the releases.
import { DomainError, type Subject } from '../errors.js';

/** The run-number version is not above the last release and `on-regression` is `fail`. */
export class VersionRegressionError extends DomainError {
  constructor(message: string, subject: Extract<Subject, { kind: 'version-regression' }>) {
    super(message, { subject });
  }
}

/** A release build in a shallow clone that shows no release tags: the check would be blind. */
export class ShallowCloneError extends DomainError {
  constructor(tagPrefix: string) {
    super(
      `this is a shallow clone and it has no release tags (${tagPrefix}MAJOR.MINOR.PATCH), so generate-version cannot ` +
        'check that the release is above the last one. Fetch the tags: set fetch-depth: 0 on actions/checkout ' +
        '(or fetch-tags: true once the first release tag exists).',
    );
  }
}
