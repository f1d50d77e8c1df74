import type { RawVersionInputs } from '../../actions/generate-version/inputs.js';

export const HEAD_SHA = '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d';

/** generate-version's inputs for run 42 of a push to main, as the runner passes them. */
export const MAIN_PUSH_INPUTS: RawVersionInputs = {
  'base-version': '1.0',
  offset: '0',
  'on-regression': 'fail',
  'tag-prefix': 'v',
  'production-branch': 'main',
  'run-number': '42',
  'run-attempt': '1',
  sha: HEAD_SHA,
  ref: 'refs/heads/main',
  'event-name': 'push',
  'pr-number': '',
  'floating-tags': 'false',
};
