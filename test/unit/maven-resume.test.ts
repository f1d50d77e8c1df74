// What a re-run does with the deployments the portal lists for the namespace: follow the one
// that holds exactly these components and can still publish, drop this suite's FAILED ones.
import { planDeployment } from '@ci-actions/publishing/maven/resume.js';
import type { ListedDeployment } from '@ci-actions/publishing/maven/deployments.js';

const NAME = 'ci-actions io.github.acme:client,server:1.0.42';
const CLIENT = 'pkg:maven/io.github.acme/client@1.0.42';
const SERVER = 'pkg:maven/io.github.acme/server@1.0.42';
const PURLS = [CLIENT, SERVER];

const d = (id: string, state: ListedDeployment['state'], purls: string[] = [], name = NAME): ListedDeployment => ({ id, name, state, purls });

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
    ["another tool's FAILED deployment: left alone", [d('f', 'FAILED', [], 'central-bundle.zip')], undefined, []],
    ["this suite's FAILED deployment of other components: left alone", [d('f', 'FAILED', [], 'ci-actions io.github.acme:client:1.0.41')], undefined, []],
    ['dropped and resumed together', [d('v', 'VALIDATED', PURLS), d('f1', 'FAILED'), d('f2', 'FAILED')], 'v', ['f1', 'f2']],
  ])('%s', (_case, listed, resumed, dropped) => {
    const plan = planDeployment(listed, PURLS, NAME);
    expect(plan.resume?.id).toBe(resumed);
    expect(plan.drop.map((x) => x.id)).toEqual(dropped);
  });
});
