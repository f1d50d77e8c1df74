// prepareNpmRelease, publishNpmRelease and dispose, in the order publish-clients runs them:
// what the npm integration tests do to publish once.
import { prepareNpmRelease, publishNpmRelease, type NpmPackageResult, type NpmReleaseOptions } from '@ci-actions/publishing/npm/index.js';

export async function releaseNpm(options: NpmReleaseOptions, dryRun = false): Promise<NpmPackageResult[]> {
  const prepared = await prepareNpmRelease(options);
  try {
    return await publishNpmRelease(prepared, { dryRun });
  } finally {
    await prepared.dispose();
  }
}
