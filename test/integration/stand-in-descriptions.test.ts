// The Docker Hub and Central Portal stand-ins check what they receive and answer against the
// vendors' OpenAPI descriptions: each check must catch a request the vendor does not describe,
// or the zero-violation assertions of the tests that use the stand-ins would prove nothing.
import { httpRequest } from '../harness/http.js';
import { OpenApiDescription } from '../harness/openapi.js';
import { CENTRAL_PUBLISHER_API, startCentralPortal, type CentralPortalStandIn } from '../central-portal/server.js';
import { DOCKER_HUB_API, startDockerHubApi, type DockerHubApi } from '../dockerhub-api/server.js';

const USER = 'tkn-user';
const PASSWORD = 'tkn-password-0123456789';
const BEARER = `Bearer ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

let hub: DockerHubApi;
let portal: CentralPortalStandIn;
beforeAll(async () => {
  hub = await startDockerHubApi({ publisher: { password: PASSWORD, admin: ['acme'] } }, ['acme/server']);
  portal = await startCentralPortal({ users: { [USER]: PASSWORD }, namespaces: ['io.github.acme'], publicKeys: [] });
});
afterAll(async () => {
  await hub?.stop();
  await portal?.stop();
});

/** A multipart/form-data body of the given parts. */
function formData(parts: { name: string; type: string }[]): { body: Buffer; contentType: string } {
  const boundary = 'stand-in-check';
  const body = Buffer.concat([
    ...parts.map((p) =>
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="bundle.zip"\r\nContent-Type: ${p.type}\r\n\r\nzip\r\n`),
    ),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

async function hubToken(): Promise<string> {
  const res = await httpRequest(`${hub.url}/v2/auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ identifier: 'publisher', secret: PASSWORD }),
  });
  return res.json<{ access_token: string }>().access_token;
}

describe("the Docker Hub stand-in's check against Docker's description", () => {
  test.each([
    [
      'a token request without its secret',
      'POST',
      '/v2/auth/token',
      'application/json',
      { identifier: 'publisher' },
      "request body: body must have required property 'secret'",
    ],
    [
      'a short description over 100 characters',
      'PATCH',
      '/v2/repositories/acme/server/',
      'application/json',
      { description: 'x'.repeat(101) },
      'request body: body/description must NOT have more than 100 characters',
    ],
    [
      'a form-encoded description',
      'PATCH',
      '/v2/repositories/acme/server/',
      'application/x-www-form-urlencoded',
      'full_description=x',
      'request body of type "application/x-www-form-urlencoded" is not documented',
    ],
    [
      'the repository path without its trailing slash',
      'PATCH',
      '/v2/repositories/acme/server',
      'application/json',
      { description: 'x' },
      "PATCH /v2/repositories/acme/server is not an operation Docker Hub's API describes",
    ],
  ])('flags %s', async (_name, method, path, contentType, body, problem) => {
    const payload = typeof body === 'string' ? body : JSON.stringify(body);
    await httpRequest(`${hub.url}${path}`, { method, headers: { 'Content-Type': contentType, Authorization: `Bearer ${await hubToken()}` }, body: payload });
    expect(hub.violations.filter((v) => v.includes(problem))).toHaveLength(1);
    hub.violations.length = 0;
  });

  // Within the maxLength of Docker's description, over what Hub takes: the stand-in refuses it as Hub does.
  test.each([
    ['a short description of 34 em dashes (102 bytes)', { description: '\u2014'.repeat(34) }, 'description'],
    ['a README of 24,999 characters and 25,001 bytes', { full_description: `${'x'.repeat(24_998)}\u2014` }, 'full_description'],
  ])('refuses %s with a 400 naming the field, and keeps the description', async (_name, body, field) => {
    const res = await httpRequest(`${hub.url}/v2/repositories/acme/server/`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await hubToken()}` },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(400);
    expect(res.json<{ errinfo: { fielderrors: Record<string, string> } }>().errinfo.fielderrors).toEqual({ [field]: 'Exceeded max number of characters' });
    expect(hub.repositories.get('acme/server')).toMatchObject({ description: '', full_description: '' });
    expect(hub.violations).toEqual([]);
  });

  test('flags an answer without the repository fields GetRepository documents', () => {
    const description = OpenApiDescription.load(DOCKER_HUB_API);
    const update = description.match('PATCH', '/v2/repositories/acme/server/')!;
    expect(
      description.responseProblems(
        update,
        200,
        JSON.stringify({ namespace: 'acme', name: 'server', description: '', full_description: '' }),
        'application/json',
      )[0],
    ).toMatch(/^200 response: body must have required property 'user', .*body must have required property 'permissions'/);
  });
});

describe("the Central Portal stand-in's check against Sonatype's description", () => {
  test.each([
    [
      'a bundle in a part of another name',
      'POST',
      '/api/v1/publisher/upload?publishingType=AUTOMATIC',
      formData([{ name: 'file', type: 'application/octet-stream' }]),
      'multipart part "file" is not documented',
    ],
    ['an upload without its bundle', 'POST', '/api/v1/publisher/upload', formData([]), 'required multipart part "bundle" is missing'],
    [
      'a bundle part that is not application/octet-stream',
      'POST',
      '/api/v1/publisher/upload',
      formData([{ name: 'bundle', type: 'application/zip' }]),
      'multipart part "bundle" has content type application/zip, documented application/octet-stream',
    ],
    [
      'a publishing type Sonatype does not know',
      'POST',
      '/api/v1/publisher/upload?publishingType=MANUAL',
      formData([{ name: 'bundle', type: 'application/octet-stream' }]),
      'query parameter publishingType=MANUAL: publishingType must be equal to one of the allowed values',
    ],
    ['a status request without its id', 'POST', '/api/v1/publisher/status', undefined, 'required query parameter id is missing'],
    [
      'a status read with GET',
      'GET',
      '/api/v1/publisher/status?id=1',
      undefined,
      "GET /api/v1/publisher/status is not an operation Sonatype's Central Publisher API describes",
    ],
    [
      'a published check without the version',
      'GET',
      '/api/v1/publisher/published?namespace=io.github.acme&name=greeting',
      undefined,
      'required query parameter version is missing',
    ],
    [
      'a deployments search without its sortField',
      'POST',
      '/api/v1/publisher/deployments/files',
      { body: Buffer.from('{"pathStarting":"io/github/acme/"}'), contentType: 'application/json' },
      "request body: body must have required property 'sortField'",
    ],
    [
      'a deployments search sorted by a field Sonatype does not document',
      'POST',
      '/api/v1/publisher/deployments/files',
      { body: Buffer.from('{"sortField":"createTimestamp","pathStarting":"io/github/acme/"}'), contentType: 'application/json' },
      'request body: body/sortField must be equal to one of the allowed values',
    ],
    [
      'a drop sent to the search path',
      'DELETE',
      '/api/v1/publisher/deployments/files',
      undefined,
      "DELETE /api/v1/publisher/deployments/files is not an operation Sonatype's Central Publisher API describes",
    ],
  ])('flags %s', async (_name, method, path, form, problem) => {
    await httpRequest(`${portal.url}${path}`, {
      method,
      headers: { Authorization: BEARER, ...(form ? { 'Content-Type': form.contentType } : {}) },
      ...(form ? { body: form.body } : {}),
    });
    expect(portal.violations.filter((v) => v.includes(problem))).toHaveLength(1);
    portal.violations.length = 0;
  });

  test('flags an error answer with a body Sonatype does not document', () => {
    const description = OpenApiDescription.load(CENTRAL_PUBLISHER_API);
    const status = description.match('POST', '/api/v1/publisher/status')!;
    expect(description.responseProblems(status, 404, '{"error":{"message":"not found"}}', 'application/json')).toEqual([
      'POST /api/v1/publisher/status 404 has no documented body, got 33 bytes',
    ]);
    expect(description.responseProblems(status, 404, '', '')).toEqual([]);
  });
});
