// publish-clients' outputs and job summary rows: what a later job reads to know what was
// published, skipped, validated, or is waiting for a maintainer's approval.
import { publishOutputs, summaryRows } from '../../actions/publish-clients/main.js';
import type { MavenOutcome } from '@ci-actions/publishing/maven/index.js';
import type { NpmPackageResult } from '@ci-actions/publishing/npm/index.js';

const coordinates = 'io.github.acme:greeting:1.0.42';

describe('publishOutputs, Maven side', () => {
  test.each<[MavenOutcome, string, string, string]>([
    // [outcome, maven-published, maven-validated, maven-skipped]
    ['published', coordinates, '', ''],
    ['publishing', '', coordinates, ''],
    ['validated', '', coordinates, ''],
    ['already published', '', '', coordinates],
    ['dry run', '', '', ''],
  ])('%s', (outcome, published, validated, skipped) => {
    const outputs = publishOutputs([], { components: [{ coordinates, outcome }], deploymentId: 'd-1', deploymentState: 'VALIDATED', bundleSize: 1 });
    expect(outputs).toMatchObject({ 'maven-published': published, 'maven-validated': validated, 'maven-skipped': skipped });
  });
});

const result = (name: string, outcome: NpmPackageResult['outcome'], stageId?: string): NpmPackageResult => ({
  name,
  version: '1.0.0',
  distTag: 'latest',
  outcome,
  ...(stageId ? { stageId } : {}),
});

describe('publishOutputs, npm side', () => {
  test.each([
    [
      [result('@acme/a', 'published'), result('@acme/b', 'already published')],
      { 'npm-published': '@acme/a@1.0.0', 'npm-skipped': '@acme/b@1.0.0', 'npm-awaiting-approval': '' },
    ],
    [
      [result('@acme/a', 'staged', 'id-1'), result('@acme/b', 'already staged')],
      { 'npm-published': '', 'npm-skipped': '', 'npm-awaiting-approval': '@acme/a@1.0.0\n@acme/b@1.0.0' },
    ],
    [[result('@acme/a', 'dry run')], { 'npm-published': '', 'npm-skipped': '', 'npm-awaiting-approval': '' }],
  ])('%j', (npm, outputs) => {
    expect(publishOutputs(npm, undefined)).toMatchObject(outputs);
  });

  test.each([
    [result('@acme/a', 'staged', 'id-1'), "staged, dist-tag latest: awaiting a maintainer's approval (npm stage approve id-1)"],
    [result('@acme/a', 'already staged', 'id-2'), "already staged, dist-tag latest: awaiting a maintainer's approval (npm stage approve id-2)"],
    [
      result('@acme/a', 'already staged'),
      "already staged, dist-tag latest: awaiting a maintainer's approval (npm stage list @acme/a, then npm stage approve <id>)",
    ],
    [result('@acme/a', 'published'), 'published, dist-tag latest'],
    [result('@acme/a', 'already published'), 'already published, same contents'],
  ])('the summary row of %j', (npm, text) => {
    expect(summaryRows([npm], undefined)).toEqual([['npm', '@acme/a@1.0.0', text]]);
  });
});
