// The package.json facts that decide whether a package can be published where it is configured to go.

export interface PackageManifest {
  name?: unknown;
  private?: unknown;
  [field: string]: unknown;
}

/** Why the package in `dir` cannot be published to `scope` ('' for any), each as one line. */
export function manifestProblems(dir: string, manifest: PackageManifest, scope: string): string[] {
  const problems: string[] = [];
  if (typeof manifest.name !== 'string' || !manifest.name) problems.push(`${dir}/package.json has no "name"`);
  else if (scope && !manifest.name.startsWith(`${scope}/`)) {
    problems.push(`${dir}/package.json names ${manifest.name}, which is not in the scope ${scope} (input npm-scope)`);
  }
  if (manifest.private === true) problems.push(`${dir}/package.json has "private": true, so npm refuses to publish it`);
  return problems;
}
