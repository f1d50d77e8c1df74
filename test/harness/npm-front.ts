// Stand-in for what npmjs.com adds to a plain registry, in front of a real one (Verdaccio):
// the trusted-publishing token exchange. Every other request goes to Verdaccio, with a
// token this front issued swapped for Verdaccio's own, so the publish itself is Verdaccio's.
//
// What it answers, and where that comes from:
// - POST /-/npm/v1/oidc/token/exchange/package/<escaped name>, "Authorization: Bearer <OIDC
//   id token>", no body: npm/cli lib/utils/oidc.js (npm 11.5.1+) sends exactly this and
//   reads `token` from the JSON answer; it then publishes with that token as the registry's
//   _authToken. The success status is not documented; npm reads only the body (201 here).
// - The checks: docs.npmjs.com/trusted-publishers has a package's trusted publisher name the
//   GitHub organization or user, the repository, the workflow file name (in
//   .github/workflows/) and optionally an environment; a token for another audience is not
//   for npm (npm asks for "npm:<registry hostname>"). The same page says a workflow started
//   by workflow_call is validated against the calling workflow, i.e. the OIDC claim
//   workflow_ref, not job_workflow_ref (npm/documentation#1721, npm/documentation#1755).
// - A refusal: 404 {"message": "OIDC token exchange error - package not found"}, the answer
//   npmjs.com gives for a token that matches no trusted publisher (quoted in npm/cli#9923 and
//   npm/cli#9969). npm logs the message at verbose level and publishes without a token.
// Not modelled: the exchanged token's expiry and its limit to the one package.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { GITHUB_OIDC_ISSUER, type GithubOidc } from './github-oidc.js';
import { LOOPBACK, freePort } from './ports.js';

export interface TrustedPublisher {
  /** owner/name on GitHub. */
  repository: string;
  /** File name in .github/workflows/, e.g. release.yml. */
  workflowFile: string;
}

export interface NpmFront {
  /** Registry URL, ending in `/`. */
  url: string;
  /** Configures package `name` to accept `publisher`, as a maintainer does on npmjs.com. */
  trust(name: string, publisher: TrustedPublisher): void;
  /** Every exchange: the package and whether it was granted. */
  exchanges: { name: string; granted: boolean }[];
  stop(): Promise<void>;
}

const EXCHANGE = /^\/-\/npm\/v1\/oidc\/token\/exchange\/package\/([^/?]+)$/;

export async function startNpmFront(verdaccio: { url: string; token: string }, oidc: GithubOidc): Promise<NpmFront> {
  const publishers = new Map<string, TrustedPublisher>();
  const issued = new Set<string>();
  const exchanges: NpmFront['exchanges'] = [];
  const port = await freePort();
  const host = LOOPBACK;
  const server = http.createServer((req, res) => {
    const exchange = req.method === 'POST' ? EXCHANGE.exec(req.url ?? '') : null;
    if (exchange) {
      const name = decodeURIComponent(exchange[1]);
      const claims = oidc.verifyIdToken(req.headers.authorization?.replace(/^Bearer /, '') ?? '');
      const granted = claims !== undefined && matches(claims, publishers.get(name), `npm:${host}`);
      exchanges.push({ name, granted });
      req.resume();
      if (!granted) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'OIDC token exchange error - package not found' }));
        return;
      }
      const token = `npm_${randomBytes(18).toString('base64url')}`;
      issued.add(token);
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ token }));
      return;
    }
    const headers = { ...req.headers };
    const bearer = headers.authorization?.replace(/^Bearer /, '');
    if (bearer && issued.has(bearer)) headers.authorization = `Bearer ${verdaccio.token}`;
    const target = new URL(verdaccio.url);
    const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (err) => res.writeHead(502).end(err.message));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return {
    url: `http://${host}:${port}/`,
    trust: (name, publisher) => publishers.set(name, publisher),
    exchanges,
    // npm keeps connections alive; close() alone would wait for them.
    stop: () => new Promise((resolve) => server.close(() => resolve()).closeAllConnections()),
  };
}

function matches(claims: Record<string, unknown>, publisher: TrustedPublisher | undefined, audience: string): boolean {
  if (!publisher || claims.iss !== GITHUB_OIDC_ISSUER || claims.aud !== audience) return false;
  const workflow = `${publisher.repository}/.github/workflows/${publisher.workflowFile}@`;
  return claims.repository === publisher.repository && typeof claims.workflow_ref === 'string' && claims.workflow_ref.startsWith(workflow);
}
