// The stage gate's one summary of a run (gate/run-summary.ts), from what its jobs report:
// each row is a run the gate can have, and what its summary must say.
import { runSummaryTables, summarizeRun, type GateJobs, type RunSummary } from '@ci-actions/publishing/gate/run-summary.js';
import type { PromotionRecord } from '@ci-actions/publishing/gate/promotion-record.js';

const d = (c: string) => `sha256:${c.repeat(64)}`;
const APP = 'ghcr.io/acme/app';
const CLI = 'ghcr.io/acme/cli';
const record = (staging: string, staged: string, promoted: string, extra: Partial<PromotionRecord> = {}): PromotionRecord => ({
  staging,
  stagedDigest: staged,
  digest: promoted,
  repositories: [`docker.io/${staging.slice('ghcr.io/'.length)}`],
  references: [`docker.io/${staging.slice('ghcr.io/'.length)}:1.0.5`, `docker.io/${staging.slice('ghcr.io/'.length)}:latest`],
  platforms: 'linux/amd64, linux/arm64',
  blobsCopied: 2,
  blobsMounted: 0,
  blobsSkipped: 1,
  bytesCopied: 3 * 1024 * 1024,
  dryRun: false,
  startedAt: '2026-12-01T10:00:10.000Z',
  finishedAt: '2026-12-01T10:00:20.000Z',
  ...extra,
});
const times = (start: string, end: string) => ({ 'started-at': `2026-12-01T10:${start}.000Z`, 'finished-at': `2026-12-01T10:${end}.000Z` });
const prepare = {
  result: 'success',
  outputs: {
    version: '1.0.5',
    publish: 'true',
    'publish-reason': 'tests and scan passed on the production branch main',
    'staged-refs': `${APP}:sha-1@${d('a')}\n${CLI}:sha-1@${d('c')}`,
    ...times('00:00', '00:04'),
  },
};
const published = (records: PromotionRecord[]): GateJobs => ({
  prepare,
  promote: { result: 'success' },
  promotions: { result: 'success', outputs: { 'promoted-images': JSON.stringify(records) } },
  'publish-clients': {
    result: 'success',
    outputs: { 'npm-published': '@acme/client@1.0.5', 'maven-published': 'com.acme:client:1.0.5', ...times('00:05', '00:35') },
  },
  cleanup: {
    result: 'success',
    outputs: {
      strategy: 'post-production-cleanup',
      reason: 'promoted and verified in production',
      deleted: `${d('a')}\n${d('1')}\n${d('c')}`,
      kept: '[]',
      'dry-run': 'false',
      ...times('00:40', '00:42'),
    },
  },
});

describe('summarizeRun', () => {
  test.each<[string, GateJobs, boolean, Partial<RunSummary>]>([
    [
      'published: each image where it went, bytes moved, its staging copy deleted; clients; every stage timed',
      published([record(APP, d('a'), d('a')), record(CLI, d('c'), d('e'), { platforms: 'linux/amd64' })]),
      false,
      {
        publish: true,
        images: [
          {
            staging: APP,
            staged: d('a'),
            production: ['docker.io/acme/app:1.0.5', 'docker.io/acme/app:latest'],
            productionDigest: d('a'),
            dryRun: false,
            bytesMoved: 3 * 1024 * 1024,
            blobsCopied: 2,
            cleanup: 'deleted',
            cleanupReason: 'promoted and verified in production',
          },
          {
            staging: CLI,
            staged: d('c'),
            production: ['docker.io/acme/cli:1.0.5', 'docker.io/acme/cli:latest'],
            productionDigest: d('e'),
            dryRun: false,
            bytesMoved: 3 * 1024 * 1024,
            blobsCopied: 2,
            cleanup: 'deleted',
            cleanupReason: 'promoted and verified in production',
          },
        ],
        clients: { published: ['@acme/client@1.0.5', 'com.acme:client:1.0.5'], skipped: [], wouldPublish: [] },
        cleanup: { strategy: 'post-production-cleanup', reason: 'promoted and verified in production', deleted: 3, kept: 0 },
        stages: [
          { job: 'prepare', result: 'success', seconds: 4 },
          { job: 'promote', result: 'success', seconds: 10 },
          { job: 'promotions', result: 'success', seconds: null },
          { job: 'publish-clients', result: 'success', seconds: 30 },
          { job: 'cleanup', result: 'success', seconds: 2 },
        ],
      },
    ],
    [
      'shadow mode: what would be promoted and published, and what cleanup would delete',
      {
        ...published([record(APP, d('a'), d('a'), { dryRun: true }), record(CLI, d('c'), d('e'), { dryRun: true })]),
        'publish-clients': { result: 'success', outputs: { 'would-publish': '@acme/client@1.0.5' } },
        cleanup: { result: 'success', outputs: { strategy: 'post-production-cleanup', reason: 'promoted', deleted: d('a'), kept: '[]', 'dry-run': 'true' } },
      },
      true,
      {
        dryRun: true,
        clients: { published: [], skipped: [], wouldPublish: ['@acme/client@1.0.5'] },
      },
    ],
    [
      'a failed promotion: the image not promoted, cleanup kept it and says why',
      {
        ...published([record(APP, d('a'), d('a'))]),
        promote: { result: 'failure' },
        cleanup: {
          result: 'success',
          outputs: {
            strategy: 'preserve-for-debug',
            reason: 'promote: failure',
            deleted: '',
            kept: JSON.stringify([{ package: 'cli', digest: d('c'), tags: ['sha-1'], reason: 'staged by this run; kept for debugging' }]),
            'dry-run': 'false',
          },
        },
      },
      false,
      {
        images: [
          expect.objectContaining({ staging: APP, productionDigest: d('a'), cleanup: 'kept', cleanupReason: 'promote: failure' }),
          expect.objectContaining({
            staging: CLI,
            production: [],
            productionDigest: '',
            cleanup: 'kept',
            cleanupReason: 'staged by this run; kept for debugging',
          }),
        ],
        stages: expect.arrayContaining([{ job: 'promote', result: 'failure', seconds: 10 }]),
      },
    ],
    [
      'prepare failed: nothing staged is known, no stage timed but prepare',
      { prepare: { result: 'failure', outputs: {} }, cleanup: { result: 'skipped', outputs: {} } },
      false,
      {
        version: '',
        publish: false,
        images: [],
        stages: [
          { job: 'prepare', result: 'failure', seconds: null },
          { job: 'cleanup', result: 'skipped', seconds: null },
        ],
      },
    ],
  ])('%s', (_, jobs, dryRun, expected) => expect(summarizeRun(jobs, dryRun)).toMatchObject(expected));

  test.each<[string, GateJobs, string[][]]>([
    [
      'shadow mode',
      {
        ...published([record(APP, d('a'), d('a'), { dryRun: true })]),
        cleanup: { result: 'success', outputs: { strategy: 'post-production-cleanup', reason: 'promoted', deleted: d('a'), kept: '[]', 'dry-run': 'true' } },
      },
      [
        [
          `${APP}@sha256:aaaaaaaaaaaa`,
          'docker.io/acme/app:1.0.5, docker.io/acme/app:latest (would be sha256:aaaaaaaaaaaa)',
          '3.0 MB in 2 blob(s)',
          'would delete: promoted',
        ],
        [`${CLI}@sha256:cccccccccccc`, 'not promoted', '', 'kept: promoted'],
      ],
    ],
    [
      'a failed promotion',
      {
        ...published([record(APP, d('a'), d('a'))]),
        promote: { result: 'failure' },
        cleanup: {
          result: 'success',
          outputs: {
            strategy: 'preserve-for-debug',
            reason: 'promote: failure',
            deleted: '',
            kept: JSON.stringify([{ package: 'cli', digest: d('c'), tags: [], reason: 'kept for debugging' }]),
          },
        },
      },
      [
        [
          `${APP}@sha256:aaaaaaaaaaaa`,
          'docker.io/acme/app:1.0.5, docker.io/acme/app:latest (sha256:aaaaaaaaaaaa)',
          '3.0 MB in 2 blob(s)',
          'kept: promote: failure',
        ],
        [`${CLI}@sha256:cccccccccccc`, 'not promoted', '', 'kept: kept for debugging'],
      ],
    ],
    [
      'cleanup did not run',
      { ...published([record(APP, d('a'), d('a'))]), cleanup: { result: 'failure', outputs: {} } },
      [
        [
          `${APP}@sha256:aaaaaaaaaaaa`,
          'docker.io/acme/app:1.0.5, docker.io/acme/app:latest (sha256:aaaaaaaaaaaa)',
          '3.0 MB in 2 blob(s)',
          'kept: cleanup failure',
        ],
        [`${CLI}@sha256:cccccccccccc`, 'not promoted', '', 'kept: cleanup failure'],
      ],
    ],
  ])('the images table: %s', (_, jobs, rows) => {
    const tables = runSummaryTables(summarizeRun(jobs, false));
    expect(tables.find((t) => t.heading === 'Images')!.rows).toEqual(rows);
  });

  test('the heading says shadow mode, and a bad promoted-images names the output', () => {
    expect(runSummaryTables(summarizeRun(published([]), true))[0].heading).toBe('Stage gate 1.0.5: shadow mode (dry run): nothing was written');
    expect(() => summarizeRun({ promotions: { result: 'success', outputs: { 'promoted-images': '[{}]' } } }, false)).toThrow(
      'needs.promotions.outputs.promoted-images[0]: staging is undefined',
    );
  });
});
