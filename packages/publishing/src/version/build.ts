// What is being built, from the GitHub context: a release (a build of the production
// branch), a pull request, or any other ref. Only the first is ever a release.
import { DomainError } from '../errors.js';
import { refLabel } from './prerelease.js';

export type Build =
  | { kind: 'release'; branch: string }
  | { kind: 'pull-request'; number: number }
  /**
   * Any other ref: another branch, a tag, a merge-queue branch. `label` names it in versions,
   * `namespace` keeps a branch's dist-tag apart from a tag's of the same name.
   */
  | { kind: 'ref'; namespace: RefNamespace; name: string; label: string };

export type RefNamespace = 'branch' | 'tag' | 'ref';

export interface BuildContext {
  eventName: string;
  ref: string;
  /** Empty unless the build is a pull request's. */
  prNumber: string;
  productionBranch: string;
}

const PULL_REF = /^refs\/pull\/([0-9]+)\/(merge|head)$/;

// GitHub's pull request numbers are 32-bit (GraphQL Int); a longer one is a typo, and past
// 2^53 two different numbers would read as one.
const MAX_PR_NUMBER = 2 ** 31 - 1;

export function classifyBuild({ eventName, ref, prNumber, productionBranch }: BuildContext): Build {
  const pullRef = PULL_REF.exec(ref);
  // pull_request_target (and pull_request_review...) run with the base branch as their ref:
  // the event name, not the ref, is what keeps a pull request from releasing.
  if (eventName.startsWith('pull_request') || pullRef) {
    const number = prNumber || pullRef?.[1] || '';
    if (!/^[1-9][0-9]*$/.test(number)) {
      throw new DomainError(
        number
          ? `expected a pull request number, got ${JSON.stringify(number)}`
          : `a ${eventName || 'pull request'} build needs its pull request number, and its ref (${ref}) does not name the pull request`,
        { subject: { kind: 'pull-request', number } },
      );
    }
    if (Number(number) > MAX_PR_NUMBER) {
      throw new DomainError(`${number} is above ${MAX_PR_NUMBER}, the highest pull request number GitHub gives`, { subject: { kind: 'pull-request', number } });
    }
    return { kind: 'pull-request', number: Number(number) };
  }
  if (!ref) throw new DomainError('the ref being built is missing: outside GitHub Actions give it, e.g. refs/heads/main', { subject: { kind: 'ref', ref } });
  const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref.startsWith('refs/') ? undefined : ref;
  if (branch === productionBranch) return { kind: 'release', branch };
  // The label hashes the full ref: a bare branch name and refs/heads/<name> are one build.
  const [namespace, name, fullRef]: [RefNamespace, string, string] =
    branch !== undefined
      ? ['branch', branch, `refs/heads/${branch}`]
      : ref.startsWith('refs/tags/')
        ? ['tag', ref.slice('refs/tags/'.length), ref]
        : ['ref', ref, ref];
  return { kind: 'ref', namespace, name, label: refLabel(name, fullRef) };
}
