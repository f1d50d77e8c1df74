// A credential helper that is not installed leaves no timer behind: Node's spawn `timeout` is
// cleared only on 'exit', which a spawn that failed never emits, and its 30 s timer kept
// promote-image's process (and Jest's) alive after the work was done.
import { runCredentialHelper } from '@ci-actions/publishing/oci/docker-credentials.js';

const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;

test('a helper that is not installed is refused by name, and nothing is left waiting', async () => {
  const before = timers();
  await expect(runCredentialHelper('ci-actions-absent', 'https://registry.example.test')).rejects.toThrow(
    'docker-credential-ci-actions-absent is not installed (not on PATH)',
  );
  expect(timers()).toBe(before);
});
