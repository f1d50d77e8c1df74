// Errors a person fixes in the workflow or the configuration, so each one says where:
// the input it is about, or the release it would go behind and the two ways out.

/** A bad action input. The message starts with the input's name, as it appears in `with:`. */
export class VersionInputError extends Error {
  readonly input: string;

  constructor(input: string, problem: string) {
    super(`input "${input}": ${problem}`);
    this.name = 'VersionInputError';
    this.input = input;
  }
}

/** The run-number version is not above the last release and `on-regression` is `fail`. */
export class VersionRegressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VersionRegressionError';
  }
}

/** A release build in a shallow clone that shows no release tags: the check would be blind. */
export class ShallowCloneError extends Error {
  constructor(tagPrefix: string) {
    super(
      `this is a shallow clone and it has no release tags (${tagPrefix}MAJOR.MINOR.PATCH), so generate-version cannot ` +
        'check that the release is above the last one. Fetch the tags: set fetch-depth: 0 on actions/checkout ' +
        '(or fetch-tags: true once the first release tag exists).',
    );
    this.name = 'ShallowCloneError';
  }
}
