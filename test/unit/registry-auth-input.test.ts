// promote-image's registry-auth input through the action's entry (INPUT_* variables): a
// bad block fails before any registry is contacted, naming the input and the entry, and
// never showing a password.
import { parseRegistryAuth } from '@ci-actions/publishing/action/registry-auth.js';
import { failureMessage, runActionInProcess } from '../support/in-process-action.js';
import { promote } from '../support/minimal-inputs.js';
import { expectNoSecretShown } from '../support/secrets.js';

const SECRET = 'p4ss-s3cret';

test('entries by registry, docker.io when none is named, scalars kept as written', async () => {
  const parsed = await parseRegistryAuth(
    `- username: hubuser\n  password: ${SECRET}\n- registry: https://Quay.io/\n  username: acme+robot\n  password: 0123\n`,
  );
  expect([...parsed]).toEqual([
    ['docker.io', { username: 'hubuser', password: SECRET }],
    ['quay.io', { username: 'acme+robot', password: '0123' }],
  ]);
});

// [case, registry-auth, other inputs, the failure]
const CASES: [string, string, Record<string, string>, string][] = [
  [
    'not YAML (a secret on the bad line)',
    `- registry: quay.io\n  username: a\n  password: "${SECRET}\n`,
    {},
    'input "registry-auth": is not valid YAML (MISSING_CHAR at line 3); expected a YAML list of {registry, username, password} entries, as docker/login-action takes it',
  ],
  [
    'a mapping, not a list',
    `quay.io:\n  username: a\n  password: ${SECRET}\n`,
    {},
    'input "registry-auth": is not a list; expected a YAML list of {registry, username, password} entries, as docker/login-action takes it',
  ],
  [
    'an undefined secret',
    `- registry: quay.io\n  username: acme+robot\n  password: ''\n`,
    {},
    'input "registry-auth": entry 1 (line 1) (quay.io) has no password (a secret that is not defined arrives empty)',
  ],
  [
    'a key login-action has but this does not read',
    `- registry: quay.io\n  ecr: auto\n  username: a\n  password: ${SECRET}\n`,
    {},
    'input "registry-auth": entry 1 (line 1) has "ecr"; only registry, username and password are read',
  ],
  [
    'a registry twice',
    `- username: a\n  password: ${SECRET}\n- registry: index.docker.io\n  username: b\n  password: ${SECRET}\n`,
    {},
    'input "registry-auth": entry 2 (line 3) names docker.io again; give each registry once',
  ],
  [
    "the source's registry, also given by source-username",
    `- registry: ghcr.io\n  username: ci\n  password: ${SECRET}\n`,
    { 'source-username': 'ci', 'source-password': 'another-s3cret' },
    `input "registry-auth": names ghcr.io, the source's registry, whose credentials source-username/source-password give too; give them once`,
  ],
];

test.each(CASES)('%s', async (_, registryAuth, inputs, failure) => {
  const run = await runActionInProcess(promote.action, promote.run, { ...promote.inputs, ...inputs, 'registry-auth': registryAuth });
  expect(run.exitCode).toBe(1);
  expect(failureMessage(run)).toBe(failure);
  expectNoSecretShown(run, [SECRET, 'another-s3cret']);
});
