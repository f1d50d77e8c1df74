// The stage gate's decision (gate/decision.ts) and its promotions (gate/promotions.ts): the
// rows are the specification the workflow relies on.
import { decidePublish, planPromotions, type GateFacts } from '@ci-actions/publishing/gate/index.js';
import type { ImageRepositories } from '@ci-actions/publishing/config/index.js';

const PUSH_TO_MAIN: GateFacts = {
  eventName: 'push',
  ref: 'refs/heads/main',
  productionBranch: 'main',
  tests: 'success',
  scan: 'success',
  forcePublish: false,
  staged: 1,
};

describe('decidePublish', () => {
  test.each<[string, Partial<GateFacts>, { publish: boolean; forced: boolean; reason: string }]>([
    [
      'a push to the production branch, tested and scanned',
      {},
      { publish: true, forced: false, reason: 'tests and scan passed on the production branch main' },
    ],
    [
      'a manual run of the production branch',
      { eventName: 'workflow_dispatch' },
      { publish: true, forced: false, reason: 'tests and scan passed on the production branch main' },
    ],
    [
      'failed tests',
      { tests: 'failure' },
      { publish: false, forced: false, reason: 'tests: failure, security scan: success; only tested and scanned images are published' },
    ],
    [
      'a skipped scan',
      { scan: 'skipped' },
      { publish: false, forced: false, reason: 'tests: success, security scan: skipped; only tested and scanned images are published' },
    ],
    [
      'no results passed',
      { tests: '', scan: '' },
      { publish: false, forced: false, reason: 'tests: no result, security scan: no result; only tested and scanned images are published' },
    ],
    [
      'failed tests with force-publish: tests gate everything',
      { eventName: 'workflow_dispatch', ref: 'refs/heads/hotfix', forcePublish: true, tests: 'failure' },
      { publish: false, forced: false, reason: 'tests: failure, security scan: success; only tested and scanned images are published' },
    ],
    ['nothing staged', { staged: 0 }, { publish: false, forced: false, reason: 'nothing was staged' }],
    [
      'a pull request',
      { eventName: 'pull_request', ref: 'refs/pull/7/merge' },
      { publish: false, forced: false, reason: 'a pull_request run never publishes; only push and workflow_dispatch runs do' },
    ],
    [
      'a pull request whose head is the production branch',
      { eventName: 'pull_request_target', ref: 'refs/heads/main' },
      { publish: false, forced: false, reason: 'a pull_request_target run never publishes; only push and workflow_dispatch runs do' },
    ],
    [
      'a schedule',
      { eventName: 'schedule' },
      { publish: false, forced: false, reason: 'a schedule run never publishes; only push and workflow_dispatch runs do' },
    ],
    [
      'a push to another branch',
      { ref: 'refs/heads/feature/x' },
      { publish: false, forced: false, reason: 'refs/heads/feature/x is not the production branch main' },
    ],
    [
      'a push to another branch with force-publish: only manual runs may force',
      { ref: 'refs/heads/feature/x', forcePublish: true },
      { publish: false, forced: false, reason: 'refs/heads/feature/x is not the production branch main' },
    ],
    [
      'a manual run of another branch with force-publish',
      { eventName: 'workflow_dispatch', ref: 'refs/heads/hotfix', forcePublish: true },
      { publish: true, forced: true, reason: 'tests and scan passed, and force-publish was set for this manual run of refs/heads/hotfix' },
    ],
    [
      'a tag that looks like the branch',
      { ref: 'refs/tags/main' },
      { publish: false, forced: false, reason: 'refs/tags/main is not the production branch main' },
    ],
    [
      'a branch whose name only starts like it',
      { ref: 'refs/heads/main-old' },
      { publish: false, forced: false, reason: 'refs/heads/main-old is not the production branch main' },
    ],
  ])('%s', (_, facts, expected) => {
    expect(decidePublish({ ...PUSH_TO_MAIN, ...facts })).toEqual(expected);
  });
});

const IMAGES: ImageRepositories[] = [
  {
    name: 'server',
    'staging-repository': 'ghcr.io/acme/server',
    'production-repository': 'docker.io/acme/server',
    platforms: ['linux/amd64'],
    description: 'The server',
    readme: 'docs/server.md',
  },
  {
    name: 'worker',
    'staging-repository': 'ghcr.io/acme/worker',
    'production-repository': 'quay.io/acme/worker',
    platforms: [],
    description: 'The worker',
    readme: 'docs/worker.md',
  },
];
const DIGEST = `sha256:${'b'.repeat(64)}`;

describe('planPromotions', () => {
  test('each staged image goes to the production repository of the image whose staging repository holds it', () => {
    expect(planPromotions([`ghcr.io/acme/server:sha-1a2b3c4@${DIGEST}`, `ghcr.io/acme/worker@${DIGEST}`, 'ghcr.io/acme/worker:build-7'], IMAGES)).toEqual([
      {
        name: 'server',
        source: `ghcr.io/acme/server:sha-1a2b3c4@${DIGEST}`,
        destination: 'docker.io/acme/server',
        platforms: 'linux/amd64',
        description: 'The server',
        readme: 'docs/server.md',
      },
      // Docker Hub's description and readme go to Docker Hub only.
      { name: 'worker', source: `ghcr.io/acme/worker@${DIGEST}`, destination: 'quay.io/acme/worker', platforms: '', description: '', readme: '' },
      { name: 'worker', source: 'ghcr.io/acme/worker:build-7', destination: 'quay.io/acme/worker', platforms: '', description: '', readme: '' },
    ]);
  });

  test('a bare digest names the only configured image', () => {
    expect(planPromotions([DIGEST], IMAGES.slice(0, 1)).map((p) => p.source)).toEqual([`ghcr.io/acme/server@${DIGEST}`]);
  });

  test.each([
    [
      'a bare digest with several images',
      DIGEST,
      `staged image ${DIGEST}: a bare digest needs a single configured image; name the repository (repository@digest)`,
    ],
    [
      'a repository without tag or digest',
      'ghcr.io/acme/server',
      'staged image ghcr.io/acme/server: expected repository:tag, repository@sha256:<digest> or repository:tag@sha256:<digest>',
    ],
    [
      'another repository',
      `ghcr.io/acme/other@${DIGEST}`,
      `staged image ghcr.io/acme/other@${DIGEST}: ghcr.io/acme/other is the staging repository of no configured image (ghcr.io/acme/server, ghcr.io/acme/worker)`,
    ],
    [
      'another registry',
      `docker.io/acme/server@${DIGEST}`,
      `staged image docker.io/acme/server@${DIGEST}: docker.io/acme/server is the staging repository of no configured image (ghcr.io/acme/server, ghcr.io/acme/worker)`,
    ],
    [
      'an output line smuggled in',
      'publish=true',
      'staged image publish=true: "publish=true" is not a valid image reference: "publish=true" is not a valid path component: use lowercase letters, digits and single separators (. _ __ -)',
    ],
    [
      'a truncated digest',
      'ghcr.io/acme/server@sha256:abc',
      'staged image ghcr.io/acme/server@sha256:abc: "ghcr.io/acme/server@sha256:abc" is not a valid image reference: "sha256:abc" is not a digest (expected sha256: and 64 lowercase hex digits)',
    ],
  ])('%s is refused, naming it', (_, staged, message) => {
    expect(() => planPromotions([staged], IMAGES)).toThrow(message);
  });
});
