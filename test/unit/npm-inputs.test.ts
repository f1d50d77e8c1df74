// publish-clients' npm inputs that decide how npm authenticates: with npm-token, or through
// trusted publishing (no token), which needs the runner's OIDC variables.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

describe('npm-provenance from the repository that builds the packages', () => {
  /** The runner's variables for a run of acme/clients whose event payload describes the repository as given. */
  function run(repository: object): Record<string, string> {
    const event = path.join(mkdtempSync(path.join(tmpdir(), 'event-')), 'event.json');
    writeFileSync(event, JSON.stringify({ repository: { full_name: 'acme/clients', ...repository } }));
    return { ...OIDC, GITHUB_REPOSITORY: 'acme/clients', GITHUB_EVENT_PATH: event };
  }

  test.each([
    [{ private: true, visibility: 'private' }, 'private'],
    [{ private: true, visibility: 'internal' }, 'internal'],
  ])('a %j repository is refused before anything is packed, naming the input', async (repository, visibility) => {
    expect(await failure({ 'npm-provenance': 'true' }, run(repository))).toBe(
      `input "npm-provenance": is true, but acme/clients is a ${visibility} repository, and npm publishes provenance only from public source repositories (E422 after signing); set npm-provenance to false`,
    );
  });

  test('a public repository is accepted (the step goes on to the package directory)', async () => {
    expect(await failure({ 'npm-provenance': 'true' }, run({ private: false, visibility: 'public' }))).toMatch(
      /^input "npm-package-paths": "clients\/ts" does not exist/,
    );
  });
});
