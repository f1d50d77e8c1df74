// What a container package on GitHub is, as the cleanup's pure planners and the API client
// both see it: its owner, its versions (one per manifest on GHCR) and what a delete came to.
// Types only, so that code deciding what to delete imports no HTTP client.

export interface PackageVersion {
  /** The version id the API deletes by. */
  id: number;
  /** The manifest digest (the version's `name`). */
  digest: string;
  tags: string[];
  /** created_at, in epoch milliseconds. */
  createdAt: number;
}

export type OwnerKind = 'org' | 'user';

export interface PackageOwner {
  login: string;
  kind: OwnerKind;
}

/**
 * What a delete came to: gone now, gone already (404), or refused by a rule of GitHub's
 * that no re-run can pass: the package's last tagged version, or a version of a public
 * package downloaded more than 5,000 times.
 */
export type DeleteOutcome = 'deleted' | 'already-gone' | 'last-tagged-version' | 'downloaded-public-version';
