// What generate-version is asked for, checked: the action's inputs parse into it, and the
// pure version computation and the git I/O both read it.
import type { Build } from './build.js';
import type { ReleaseVersion } from './release-version.js';

export type OnRegression = 'fail' | 'bump';

export interface VersionRequest {
  base: Pick<ReleaseVersion, 'major' | 'minor'>;
  runNumber: number;
  runAttempt: number;
  offset: number;
  onRegression: OnRegression;
  tagPrefix: string;
  build: Build;
  /** Whether a release also moves the Docker tags MAJOR and MAJOR.MINOR. */
  floatingTags: boolean;
  /** The commit being built, lowercase hex; undefined to take the checkout's HEAD. */
  sha: string | undefined;
}
