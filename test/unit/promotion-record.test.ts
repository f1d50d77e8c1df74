// promote-image's record of a promotion, as cleanup-staging and the run report read it back.
import { parsePromotionRecords, type PromotionRecord } from '@ci-actions/publishing/gate/promotion-record.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const RECORD: PromotionRecord = {
  staging: 'ghcr.io/acme/app',
  stagedDigest: D1,
  digest: D2,
  repositories: ['docker.io/acme/app'],
  references: ['docker.io/acme/app:1.0.1', 'docker.io/acme/app:latest'],
  platforms: 'linux/arm64',
  blobsCopied: 3,
  blobsMounted: 0,
  blobsSkipped: 1,
  bytesCopied: 4096,
  dryRun: false,
  startedAt: '2026-12-01T10:00:00.000Z',
  finishedAt: '2026-12-01T10:00:07.500Z',
};

describe('parsePromotionRecords', () => {
  test.each<[string, string, PromotionRecord[]]>([
    ['empty: no promotions', '', []],
    ['one record, as record-file holds it', JSON.stringify(RECORD), [RECORD]],
    [
      'an array, as promoted-images holds them',
      JSON.stringify([RECORD, { ...RECORD, staging: 'ghcr.io/acme/other' }]),
      [RECORD, { ...RECORD, staging: 'ghcr.io/acme/other' }],
    ],
  ])('%s', (_, text, expected) => expect(parsePromotionRecords(text, 'promotions')).toEqual(expected));

  test.each<[string, unknown, string | RegExp]>([
    ['not JSON', '{', 'promotions: not JSON (at position 1); expected'],
    ['not JSON, quoting none of its text', 'SECRET_TOKEN=x', /^promotions: not JSON; expected promote-image's record-file, or an array of them$/],
    ['a staging reference with a digest', { ...RECORD, staging: `ghcr.io/acme/app@${D1}` }, 'promotions: staging is'],
    ['a digest that is none', { ...RECORD, digest: 'sha256:abc' }, 'promotions: digest is "sha256:abc"; expected a digest (sha256:<64 hex>)'],
    ['a negative count', { ...RECORD, bytesCopied: -1 }, 'promotions: bytesCopied is -1; expected a count'],
    ['dryRun as a string', { ...RECORD, dryRun: 'true' }, 'promotions: dryRun is "true"; expected true or false'],
    ['a time that is none', { ...RECORD, startedAt: 'yesterday' }, 'promotions: startedAt is "yesterday"; expected an ISO 8601 time'],
    ['the second of two records bad', [RECORD, { ...RECORD, references: 'x' }], 'promotions[1]: references is "x"; expected a non-empty array'],
  ])('%s is refused, naming the field', (_, value, message) => {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    expect(() => parsePromotionRecords(text, 'promotions')).toThrow(message);
  });
});
