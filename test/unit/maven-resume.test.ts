// What a re-run does with the deployments the portal lists for the namespace: follow the one
// that holds exactly these components and can still publish (publishing it when the run is
// automatic and it waits for a release), drop this suite's FAILED ones.
import { deploymentName, planDeployment } from '@ci-actions/publishing/maven/resume.js';
import type { ListedDeployment, PublishingType } from '@ci-actions/publishing/maven/deployments.js';

const COMPONENTS = 'io.github.acme:client,server:1.0.42';
const AUTOMATIC = deploymentName(COMPONENTS, 'automatic');
const USER_MANAGED = deploymentName(COMPONENTS, 'user-managed');
/** What the suite named its deployments before the publishing type was in the name. */
const UNTYPED = `ci-actions ${COMPONENTS}`;
const CLIENT = 'pkg:maven/io.github.acme/client@1.0.42';
const SERVER = 'pkg:maven/io.github.acme/server@1.0.42';
const PURLS = [CLIENT, SERVER];

const d = (id: string, state: ListedDeployment['state'], purls: string[] = [], name = AUTOMATIC): ListedDeployment => ({ id, name, state, purls });

test('deploymentName carries the components and the publishing type', () => {
  expect(AUTOMATIC).toBe('ci-actions io.github.acme:client,server:1.0.42 [automatic]');
  expect(USER_MANAGED).toBe('ci-actions io.github.acme:client,server:1.0.42 [user-managed]');
});

describe('planDeployment', () => {
  test.each<[string, ListedDeployment[], string | undefined, string[]]>([
    // [case, listed newest first, resumed, dropped]
    ['nothing listed: upload', [], undefined, []],
    ['VALIDATED with the same components: resumed', [d('a', 'VALIDATED', [SERVER, CLIENT])], 'a', []],
    ['PUBLISHING with the same components: resumed', [d('a', 'PUBLISHING', PURLS)], 'a', []],
    ["another tool's VALIDATED deployment of the same components: resumed too", [d('a', 'VALIDATED', PURLS, 'Deployment')], 'a', []],
    ['the newest of two resumable ones', [d('new', 'PUBLISHING', PURLS), d('old', 'VALIDATED', PURLS)], 'new', []],
    ['VALIDATED with one of the components: upload', [d('a', 'VALIDATED', [CLIENT])], undefined, []],
    ['VALIDATED with one more component: upload', [d('a', 'VALIDATED', [...PURLS, 'pkg:maven/io.github.acme/cli@1.0.42'])], undefined, []],
    [
      'VALIDATED of another version: upload',
      [d('a', 'VALIDATED', ['pkg:maven/io.github.acme/client@1.0.41', 'pkg:maven/io.github.acme/server@1.0.41'])],
      undefined,
      [],
    ],
    ['PENDING or VALIDATING, components not known yet: upload', [d('a', 'PENDING'), d('b', 'VALIDATING')], undefined, []],
    ['PUBLISHED (the published check missed it): upload, Central refuses the duplicate', [d('a', 'PUBLISHED', PURLS)], undefined, []],
    ["this suite's FAILED deployment of the same components: dropped", [d('f', 'FAILED')], undefined, ['f']],
    ["this suite's FAILED user-managed deployment of the same components: dropped", [d('f', 'FAILED', [], USER_MANAGED)], undefined, ['f']],
    ["this suite's FAILED deployment named before the type was in the name: dropped", [d('f', 'FAILED', [], UNTYPED)], undefined, ['f']],
    ["another tool's FAILED deployment: left alone", [d('f', 'FAILED', [], 'central-bundle.zip')], undefined, []],
    [
      "this suite's FAILED deployment of other components: left alone",
      [d('f', 'FAILED', [], deploymentName('io.github.acme:client:1.0.41', 'automatic')), d('g', 'FAILED', [], `${UNTYPED}.1`)],
      undefined,
      [],
    ],
    ['dropped and resumed together', [d('v', 'VALIDATED', PURLS), d('f1', 'FAILED'), d('f2', 'FAILED')], 'v', ['f1', 'f2']],
  ])('%s', (_case, listed, resumed, dropped) => {
    const plan = planDeployment(listed, PURLS, COMPONENTS, 'automatic');
    expect(plan.resume?.id).toBe(resumed);
    expect(plan.drop.map((x) => x.id)).toEqual(dropped);
  });
});

// A VALIDATED deployment an automatic run picks up is published by it unless it is this
// suite's automatic deployment, which the portal publishes on its own: otherwise the run would
// wait for PUBLISHED until its timeout, and nothing would publish it.
describe('planDeployment: whether the resumed deployment must be published by this run', () => {
  test.each<[string, ListedDeployment, PublishingType, boolean]>([
    // [case, the resumed deployment, this run's publishing type, published by this run]
    ["automatic run, this suite's automatic VALIDATED deployment: the portal publishes it", d('a', 'VALIDATED', PURLS, AUTOMATIC), 'automatic', false],
    ["automatic run, an earlier user-managed run's VALIDATED deployment: published", d('a', 'VALIDATED', PURLS, USER_MANAGED), 'automatic', true],
    ["automatic run, the suite's VALIDATED deployment of unknown type (older name): published", d('a', 'VALIDATED', PURLS, UNTYPED), 'automatic', true],
    ["automatic run, another tool's VALIDATED deployment: published", d('a', 'VALIDATED', PURLS, 'Deployment'), 'automatic', true],
    ['automatic run, a PUBLISHING deployment of any type: followed', d('a', 'PUBLISHING', PURLS, USER_MANAGED), 'automatic', false],
    [
      "user-managed run, an earlier user-managed run's VALIDATED deployment: awaits the release in the portal",
      d('a', 'VALIDATED', PURLS, USER_MANAGED),
      'user-managed',
      false,
    ],
    ["user-managed run, another tool's VALIDATED deployment: followed as it is", d('a', 'VALIDATED', PURLS, 'Deployment'), 'user-managed', false],
  ])('%s', (_case, listed, publishingType, published) => {
    const plan = planDeployment([listed], PURLS, COMPONENTS, publishingType);
    expect(plan.resume?.id).toBe('a');
    expect(plan.publishResumed).toBe(published);
  });

  test('nothing to resume: nothing to publish', () => {
    expect(planDeployment([], PURLS, COMPONENTS, 'automatic').publishResumed).toBe(false);
  });
});
