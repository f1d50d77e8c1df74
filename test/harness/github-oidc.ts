// Stand-in for the GitHub Actions runner's OIDC token endpoint, the URL a job with
// "permissions: id-token: write" finds in ACTIONS_ID_TOKEN_REQUEST_URL.
//
// What it answers, and where that is documented:
// - GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=<aud> with "Authorization: bearer
//   $ACTIONS_ID_TOKEN_REQUEST_TOKEN" answers 200 {"value": "<JWT>"} (GitHub Docs, "OpenID
//   Connect" > "Methods for requesting the OIDC token": the request URL carries api-version
//   already, so clients append &audience; @actions/core's getIDToken reads `.value`). npm asks
//   with audience "npm:<registry hostname>" (npm/cli lib/utils/oidc.js).
// - The JWT's claims are the ones GitHub Docs list for an Actions OIDC token (iss
//   https://token.actions.githubusercontent.com, aud, sub, repository, repository_owner,
//   repository_visibility, workflow_ref, job_workflow_ref, ref, event_name). In a called
//   (reusable) workflow, workflow_ref names the CALLER's workflow file and job_workflow_ref
//   the called one (GitHub Docs, "Using OpenID Connect with reusable workflows").
// - A missing or wrong bearer token: 401. GitHub's body text is not documented; npm reads only
//   the status (it logs "received an invalid response" and publishes without a token).
// The token is signed RS256 with a key of this process; verifyIdToken() is what the npm
// stand-in uses to check it, as npmjs.com checks GitHub's signature against GitHub's JWKS.
import { createVerify, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import http from 'node:http';
import { LOOPBACK, freePort } from './ports.js';

export const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';

export interface RunIdentity {
  /** owner/name of the repository the run belongs to. */
  repository: string;
  /** The workflow file that started the run, e.g. release.yml (the caller's, for a reusable workflow). */
  workflowFile: string;
  /** The file of the workflow running the job; a reusable workflow's own file. Defaults to workflowFile in the same repository. */
  jobWorkflow?: string;
  visibility?: 'public' | 'private' | 'internal';
  ref?: string;
}

export interface GithubOidc {
  /** Environment a job with id-token: write gets: ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN. */
  env: { ACTIONS_ID_TOKEN_REQUEST_URL: string; ACTIONS_ID_TOKEN_REQUEST_TOKEN: string };
  /** The identity the next tokens carry. */
  setIdentity(identity: RunIdentity): void;
  /** Audiences asked for, in order. */
  audiences: string[];
  /** The claims of a token this endpoint issued, or undefined when the signature or expiry does not hold. */
  verifyIdToken(jwt: string): Record<string, unknown> | undefined;
  stop(): Promise<void>;
}

export async function startGithubOidc(identity: RunIdentity): Promise<GithubOidc> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const requestToken = randomBytes(16).toString('hex');
  const audiences: string[] = [];
  let current = identity;
  const port = await freePort();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}`);
    const audience = url.searchParams.get('audience');
    // The scheme is case-insensitive (RFC 9110 11.1); the runner's client sends "Bearer".
    if (req.method !== 'GET' || url.pathname !== '/_apis/token' || req.headers.authorization?.replace(/^bearer /i, '') !== requestToken || !audience) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Unauthorized"}');
      return;
    }
    audiences.push(audience);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value: idToken(current, audience, privateKey) }));
  });
  await new Promise<void>((resolve) => server.listen(port, LOOPBACK, resolve));
  return {
    env: { ACTIONS_ID_TOKEN_REQUEST_URL: `http://${LOOPBACK}:${port}/_apis/token?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken },
    setIdentity: (next) => (current = next),
    audiences,
    verifyIdToken: (jwt) => verify(jwt, publicKey),
    // npm keeps connections alive; close() alone would wait for them.
    stop: () => new Promise((resolve) => server.close(() => resolve()).closeAllConnections()),
  };
}

function idToken(identity: RunIdentity, audience: string, key: KeyObject): string {
  const ref = identity.ref ?? 'refs/heads/main';
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: GITHUB_OIDC_ISSUER,
    aud: audience,
    sub: `repo:${identity.repository}:ref:${ref}`,
    repository: identity.repository,
    repository_owner: identity.repository.split('/')[0],
    repository_visibility: identity.visibility ?? 'public',
    ref,
    event_name: 'push',
    workflow_ref: `${identity.repository}/.github/workflows/${identity.workflowFile}@${ref}`,
    job_workflow_ref: `${identity.jobWorkflow ?? `${identity.repository}/.github/workflows/${identity.workflowFile}`}@${ref}`,
    jti: randomBytes(8).toString('hex'),
    iat: now,
    nbf: now,
    exp: now + 300,
  };
  const input = `${b64url(JSON.stringify({ typ: 'JWT', alg: 'RS256' }))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${b64url(sign('sha256', Buffer.from(input), key))}`;
}

function verify(jwt: string, key: KeyObject): Record<string, unknown> | undefined {
  const [header, payload, signature] = jwt.split('.');
  if (!header || !payload || !signature) return undefined;
  if (!createVerify('sha256').update(`${header}.${payload}`).verify(key, Buffer.from(signature, 'base64url'))) return undefined;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  return typeof claims.exp === 'number' && claims.exp > Date.now() / 1000 ? claims : undefined;
}

function b64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}
