// publish-clients' Maven outputs: each component in the output that says how far it got.
import { publishOutputs } from '../../actions/publish-clients/main.js';
import type { MavenOutcome } from '../../packages/core/src/maven/index.js';

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
