// publish-clients' npm inputs that decide how npm authenticates: with npm-token, or through
// trusted publishing (no token), which needs the runner's OIDC variables.
import { failureMessage, runActionInProcess } from '../support/in-process-action.js';
import { publishNpm } from '../support/minimal-inputs.js';

const OIDC = { ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/_apis/token?api-version=2.0', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token' };

async function failure(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<string> {
  const saved = { ...process.env };
  delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
  delete process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  Object.assign(process.env, env);
  try {
    const run = await runActionInProcess(publishNpm.action, publishNpm.run, { ...publishNpm.inputs, ...inputs });
    expect(run.exitCode).toBe(1);
    return failureMessage(run);
  } finally {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}

describe('npm-token and trusted publishing', () => {
  test.each([
    ['no OIDC variable', {}],
    ['the request URL without its token', { ACTIONS_ID_TOKEN_REQUEST_URL: OIDC.ACTIONS_ID_TOKEN_REQUEST_URL }],
  ])('no token and %s: fails saying the job needs id-token: write', async (_case, env) => {
    expect(await failure({ 'npm-token': '' }, env)).toBe(
      'input "npm-token": is empty, so npm would publish through trusted publishing, but this job cannot request an OIDC token: give the job "permissions: id-token: write" (and contents: read), or pass secrets.NPM_PUBLISH_TOKEN (a secret that is not defined, or not passed to a reusable workflow, arrives empty)',
    );
  });

  test.each([
    ['no token, with the OIDC variables', { 'npm-token': '' }, OIDC],
    ['a token, without them', {}, {}],
  ])('%s: the inputs are accepted (the step goes on to the package directory)', async (_case, inputs, env) => {
    expect(await failure(inputs, env)).toMatch(/^input "npm-package-paths": "clients\/ts" does not exist/);
  });
});
