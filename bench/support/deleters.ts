// What the cleanup benchmarks (bench/cleanup, bench/retention) hand a deleter, and the
// deleter they both compare cleanup-staging with, run as an action the way the runner runs
// it (Node 24, inputs as INPUT_* variables) against the GitHub API emulator:
//   delete-package-versions  actions/delete-package-versions v5.0.0, GitHub's own action:
//                            deletes the oldest versions of a package, at most 100 per
//                            run, each with one DELETE, all of a run's at once; started
//                            again until only the versions to keep are left
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { runBundledAction } from '../../test/support/action-runner.js';
import { repoRoot } from '../../test/support/paths.js';

export interface DeleteJob {
  apiUrl: string;
  token: string;
  owner: string;
  package: string;
  /** The images to delete, each by its tag and index digest (cleanup-staging deletes each whole). */
  staged: { tag: string; digest: string }[];
  /** Versions that must remain (delete-package-versions' min-versions-to-keep). */
  keepVersions: number;
  stagingRegistry: string;
  stagingCredentials: { username: string; password: string };
  /** Versions the package has now. */
  remaining(): number;
}

export interface Deleter {
  name: string;
  run(job: DeleteJob): Promise<void>;
}

/** The inputs that point a cleanup-staging run at the job's package, its staging registry and the API; no run here is a push, so no head commit message. */
export function cleanupStagingTarget(job: DeleteJob): Record<string, string> {
  return {
    'head-commit-message': '',
    owner: job.owner,
    package: job.package,
    'staging-registry': job.stagingRegistry,
    'staging-username': job.stagingCredentials.username,
    'staging-password': job.stagingCredentials.password,
    token: job.token,
    'github-api-url': job.apiUrl,
  };
}

const PEER_VERSION = 'v5.0.0';
const PEER_DIR = `.tools/peers/delete-package-versions-${PEER_VERSION}`;

/** actions/delete-package-versions, fetched once into .tools; why not, when it cannot be. */
export function deletePackageVersions(): Deleter | string {
  const dir = path.join(repoRoot, PEER_DIR);
  if (!existsSync(path.join(dir, 'dist/index.js'))) {
    try {
      mkdirSync(path.dirname(dir), { recursive: true });
      execFileSync('git', ['clone', '--quiet', '--depth', '1', '--branch', PEER_VERSION, 'https://github.com/actions/delete-package-versions.git', dir], {
        stdio: 'pipe',
      });
    } catch (err) {
      return `actions/delete-package-versions ${PEER_VERSION} could not be fetched (${(err as Error).message.split('\n')[0]})`;
    }
  }
  return {
    name: `delete-package-versions ${PEER_VERSION}`,
    async run(job) {
      // It deletes at most 100 versions per run (its RATE_LIMIT), so a pipeline runs it again until done.
      for (let left = job.remaining(); left > job.keepVersions;) {
        const run = await runBundledAction(PEER_DIR, {
          inputs: {
            'package-name': job.package,
            'package-type': 'container',
            owner: job.owner,
            token: job.token,
            'min-versions-to-keep': String(job.keepVersions),
          },
          env: { GITHUB_API_URL: job.apiUrl },
        });
        if (run.exitCode !== 0) throw new Error(`delete-package-versions failed:\n${run.stdout.slice(-3000)}`);
        const now = job.remaining();
        if (now === left) throw new Error(`delete-package-versions deleted nothing with ${left} versions left:\n${run.stdout.slice(-3000)}`);
        left = now;
      }
    },
  };
}
