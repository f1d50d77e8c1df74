// Staged publishing (npm 11.15.0+, `npm stage publish`): the registry holds the version until a
// maintainer approves it with 2FA. A staged version takes its number as a published one does
// ("you cannot publish a version that already exists as a staged version", docs.npmjs.com
// npm-stage), so a re-run must recognise its own staged tarball, and refuse another one.
import type { StagedVersion } from './registry.js';

export type StagedState = { kind: 'not staged' } | { kind: 'same contents'; id: string } | { kind: 'other contents'; id: string };

/** What the staging area holds of `version`, compared by the tarball's SHA-1 (npm stage list reports no integrity). */
export function stagedState(staged: readonly StagedVersion[], version: string, shasum: string): StagedState {
  const match = staged.find((item) => item.version === version);
  if (!match) return { kind: 'not staged' };
  return match.shasum === shasum ? { kind: 'same contents', id: match.id } : { kind: 'other contents', id: match.id };
}
