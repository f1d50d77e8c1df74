// What npm checks of a provenance statement only after it is signed and uploaded: the registry
// refuses the publish (E422) when the source repository is not public, or when package.json's
// repository.url does not name the repository the statement says built it. Both are known
// before anything is packed, so the step refuses them first, naming the fix. In a reusable
// workflow the building repository is the caller's: GITHUB_REPOSITORY and the event payload
// are the caller's too.
//
// E422 texts: "Error verifying sigstore provenance bundle: Failed to validate repository
// information: package.json: "repository.url" is "", expected to match
// "https://github.com/OWNER/REPO" from provenance" (quoted in e.g. jesscss/jess#211,
// biomejs/gritql#679); private repositories: docs.npmjs.com/generating-provenance-statements
// and the GitHub changelog of 2023-07-25.
import type { PackageManifest } from './manifest.js';

/** package.json's repository URL as npm reads it: the string, or the object's url; '' for none. */
export function repositoryUrl(manifest: PackageManifest): string {
  const field = manifest.repository;
  const url = field && typeof field === 'object' ? (field as { url?: unknown }).url : field;
  return typeof url === 'string' ? url : '';
}

/** owner/name of the GitHub repository a repository URL names, or undefined for none or another host. */
export function githubRepositoryOf(url: string): string | undefined {
  // npm's shorthands: "owner/name" and "github:owner/name".
  const shorthand = /^(?:github:)?([\w.-]+\/[\w.-]+)$/.exec(url);
  if (shorthand) return shorthand[1].replace(/\.git$/, '');
  const full =
    /^(?:git\+)?(?:https?|git|ssh):\/\/(?:[^@/]+@)?github\.com[:/]([\w.-]+\/[\w.-]+?)(?:\.git)?\/?$/.exec(url) ??
    /^git@github\.com:([\w.-]+\/[\w.-]+?)(?:\.git)?$/.exec(url);
  return full?.[1];
}

/** Why npm would refuse the provenance of the package in `dir` built by `repository` (owner/name), each as one line. */
export function provenanceProblems(dir: string, manifest: PackageManifest, repository: string): string[] {
  const url = repositoryUrl(manifest);
  // GitHub's owner and repository names are case-insensitive.
  if (githubRepositoryOf(url)?.toLowerCase() === repository.toLowerCase()) return [];
  return [
    `${dir}/package.json: "repository.url" is "${url}", and npm refuses provenance (E422) unless it names the repository that builds the package, ${repository}; ` +
      `set "repository": {"type": "git", "url": "git+https://github.com/${repository}.git"} (with "directory" for a package in a subdirectory)`,
  ];
}

/** Why npm would refuse provenance from the repository the event payload (GITHUB_EVENT_PATH) describes; undefined when it is public or not described. */
export function sourceVisibilityProblem(event: unknown, repository: string): string | undefined {
  const described = (event as { repository?: { private?: unknown; visibility?: unknown } } | undefined)?.repository;
  if (!described) return undefined;
  const visibility = typeof described.visibility === 'string' ? described.visibility : described.private === true ? 'private' : 'public';
  if (visibility === 'public') return undefined;
  return `is true, but ${repository} is a ${visibility} repository, and npm publishes provenance only from public source repositories (E422 after signing); set npm-provenance to false`;
}
