// runAction's one decision: a user error (an input to fix, a failure the suite describes) is one
// line in the failed step; anything else is a bug in ci-actions, said so, with its stack in the
// debug log. Run as an action runs, its output captured.
import { namingInputs, runAction, InputError } from '@ci-actions/publishing/action/index.js';
import { DomainError } from '@ci-actions/publishing/errors.js';
import { AuthenticationError } from '@ci-actions/publishing/oci/errors.js';
import { addSecret } from '@ci-actions/publishing/secrets.js';
import { promoteInputFor } from '../../actions/promote-image/inputs.js';
import { credentialInputSources } from '../../actions/promote-image/credentials.js';
import { failureMessage, runActionInProcess } from '../support/in-process-action.js';

const BUG = /\(this is a bug in ci-actions, not in your workflow: please report it (.+) with this step's log; re-run with debug logging for the stack\)$/;

/** The step's log when its work fails with `err`, with the runner's variables `env`. */
async function failedWith(err: unknown, env: Record<string, string> = {}): Promise<{ message: string; stdout: string }> {
  const saved = { ...process.env };
  delete process.env.GITHUB_ACTION_REPOSITORY;
  Object.assign(process.env, env);
  try {
    const run = await runActionInProcess('load-config', () => runAction(() => Promise.reject(err)), {});
    expect(run.exitCode).toBe(1);
    return { message: failureMessage(run), stdout: run.stdout };
  } finally {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}

describe('runAction', () => {
  test.each<[string, unknown, string]>([
    ['an input error', new InputError('tags', '"-dev" is not a valid tag'), 'input "tags": "-dev" is not a valid tag'],
    ['a domain error no input gave', new DomainError('Central Portal deployment 1 FAILED validation'), 'Central Portal deployment 1 FAILED validation'],
    [
      'a system error (a file the runner cannot read)',
      Object.assign(new Error("EACCES: permission denied, open '/w/README.md'"), { code: 'EACCES', syscall: 'open' }),
      "EACCES: permission denied, open '/w/README.md'",
    ],
  ])('%s fails the step with its message alone, and no stack', async (_name, err, message) => {
    const { message: failure, stdout } = await failedWith(err);
    expect(failure).toBe(message);
    expect(stdout).not.toContain('::debug::');
    expect(stdout).not.toMatch(/\n\s+at /);
  });

  test('a domain error from the core, attributed by the action, names the input the user fixes', async () => {
    const inputs = {
      source: { registry: 'ghcr.io', repository: 'acme/app' },
      destinations: [{ registry: 'docker.io', repository: 'acme/app', tag: '1' }],
      destinationCredentials: { username: 'ci', password: 'destination-pass-for-tests' },
    };
    const work = () =>
      namingInputs(promoteInputFor(credentialInputSources(inputs), undefined), () =>
        Promise.reject(new AuthenticationError('docker.io', 'docker.io rejected the credentials of user "ci"')),
      );
    const run = await runActionInProcess('promote-image', () => runAction(work), {});
    expect(failureMessage(run)).toBe('input "destination-username/destination-password": docker.io rejected the credentials of user "ci"');
  });

  test('any other error is a bug: the message says so and where to report it, the stack goes to the debug log', async () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'digest')");
    const { message, stdout } = await failedWith(bug, { GITHUB_ACTION_REPOSITORY: 'acme/ci-actions', GITHUB_SERVER_URL: 'https://github.example' });
    expect(message).toMatch(/^Cannot read properties of undefined \(reading 'digest'\) /);
    expect(BUG.exec(message)?.[1]).toBe('at https://github.example/acme/ci-actions/issues');
    expect(stdout).toContain(`::debug::TypeError: Cannot read properties of undefined (reading 'digest')%0A    at `);
  });

  test('outside a run of a published action (no GITHUB_ACTION_REPOSITORY) the bug still says where to report it', async () => {
    const { message } = await failedWith(new RangeError('Invalid array length'));
    expect(BUG.exec(message)?.[1]).toBe("to the ci-actions repository your workflow's uses: names");
  });

  test('a bug that carries a secret in its message or stack shows it masked in both', async () => {
    addSecret('s3cr3t-token-for-run-action');
    const { message, stdout } = await failedWith(new Error('token s3cr3t-token-for-run-action was undefined'));
    expect(message).toMatch(/^token \*\*\* was undefined \(this is a bug/);
    const shown = stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'));
    expect(shown.join('\n')).toContain('::debug::Error: token *** was undefined');
    expect(shown.join('\n')).not.toContain('s3cr3t-token-for-run-action');
  });
});
