// The package.json facts that decide whether a package can be published where it is configured to go.
import type { Subject } from '../errors.js';

/** One reason a package cannot be published; `subject` when the fix may be in what the user gave rather than the package. */
export interface NpmProblem {
  message: string;
  subject?: Subject;
}

export interface PackageManifest {
  name?: unknown;
  private?: unknown;
  [field: string]: unknown;
}

/** Why the package in `dir` cannot be published to `scope` ('' for any), each as one line. */
export function manifestProblems(dir: string, manifest: PackageManifest, scope: string): NpmProblem[] {
  const problems: NpmProblem[] = [];
  if (typeof manifest.name !== 'string' || !manifest.name) problems.push({ message: `${dir}/package.json has no "name"` });
  else if (scope && !manifest.name.startsWith(`${scope}/`)) {
    problems.push({
      message: `${dir}/package.json names ${manifest.name}, which is not in the scope ${scope} the packages are published under`,
      subject: { kind: 'npm-scope' },
    });
  }
  if (manifest.private === true) problems.push({ message: `${dir}/package.json has "private": true, so npm refuses to publish it` });
  return problems;
}
