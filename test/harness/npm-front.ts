// Stand-in for what npmjs.com adds to a plain registry, in front of a real one (Verdaccio):
// the trusted-publishing token exchange and the staging area of staged publishing. Every
// other request goes to Verdaccio, with a token this front issued swapped for Verdaccio's
// own, so the publish itself is Verdaccio's.
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
// - Staging, from npm/cli's source (lib/commands/stage/*.js, libnpmpublish lib/publish.js,
//   npm 11.15.0+) and docs.npmjs.com/cli/v11/commands/npm-stage; npm documents no HTTP API:
//   POST /-/stage/package/<escaped name> with the body `npm publish` PUTs to /<name> answers
//   JSON {stageId}; GET /-/stage?page=&perPage=&package=<name> answers {items, total}, items
//   as npm stage view prints them (id, packageName, version, tag, createdAt, actor, actorType,
//   shasum). "Staged packages share the same semver version unique index as published
//   packages" (npm-stage docs): staging a version published or staged answers 409
//   {"error": "Cannot stage previously published version \"<v>\""}, the text npm/cli#9519
//   quotes for a second stage of one version. Both need a token: 401 without.
// Not modelled: the exchanged token's expiry and its limit to the one package; approving and
// rejecting (they need 2FA, a human's step); the 0.0.0-stage placeholder npm's docs describe
// for a package staged before any version was published.
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { GITHUB_OIDC_ISSUER, type GithubOidc } from './github-oidc.js';
import { httpRequest } from './http.js';
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
  /** The staging area: versions awaiting approval, as npm stage list shows them. */
  staged: StagedItem[];
  stop(): Promise<void>;
}

export interface StagedItem {
  id: string;
  packageName: string;
  version: string;
  tag: string;
  createdAt: string;
  actor: string;
  actorType: string;
  shasum: string;
}

const EXCHANGE = /^\/-\/npm\/v1\/oidc\/token\/exchange\/package\/([^/?]+)$/;
const STAGE = /^\/-\/stage\/package\/([^/?]+)$/;

export async function startNpmFront(verdaccio: { url: string; token: string }, oidc: GithubOidc): Promise<NpmFront> {
  const publishers = new Map<string, TrustedPublisher>();
  const issued = new Set<string>();
  const exchanges: NpmFront['exchanges'] = [];
  const staged: StagedItem[] = [];
  const authorized = (req: http.IncomingMessage) => {
    const bearer = req.headers.authorization?.replace(/^Bearer /, '');
    return bearer !== undefined && (bearer === verdaccio.token || issued.has(bearer));
  };
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
    const url = new URL(req.url ?? '/', `http://${host}`);
    const stage = req.method === 'POST' ? STAGE.exec(url.pathname) : null;
    if ((stage || url.pathname === '/-/stage') && !authorized(req)) {
      req.resume();
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'You must be logged in to stage a package' }));
      return;
    }
    if (stage) {
      void readBody(req).then(async (body) => {
        const document = JSON.parse(body.toString('utf8')) as {
          name: string;
          'dist-tags': Record<string, string>;
          versions: Record<string, { dist: { shasum: string } }>;
        };
        const [tag, version] = Object.entries(document['dist-tags'])[0];
        if (staged.some((item) => item.packageName === document.name && item.version === version) || (await isPublished(verdaccio, document.name, version))) {
          res.writeHead(409, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `Cannot stage previously published version "${version}"` }));
          return;
        }
        const item = {
          id: randomUUID(),
          packageName: document.name,
          version,
          tag,
          createdAt: new Date().toISOString(),
          actor: 'publisher',
          actorType: 'user',
          shasum: document.versions[version].dist.shasum,
        };
        staged.push(item);
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ stageId: item.id }));
      });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/-/stage') {
      const name = url.searchParams.get('package');
      const page = Number(url.searchParams.get('page') ?? 0);
      const perPage = Number(url.searchParams.get('perPage') ?? 100);
      const matching = staged.filter((item) => !name || item.packageName === name);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ items: matching.slice(page * perPage, (page + 1) * perPage), total: matching.length }));
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
    staged,
    // npm keeps connections alive; close() alone would wait for them.
    stop: () => new Promise((resolve) => server.close(() => resolve()).closeAllConnections()),
  };
}

function matches(claims: Record<string, unknown>, publisher: TrustedPublisher | undefined, audience: string): boolean {
  if (!publisher || claims.iss !== GITHUB_OIDC_ISSUER || claims.aud !== audience) return false;
  const workflow = `${publisher.repository}/.github/workflows/${publisher.workflowFile}@`;
  return claims.repository === publisher.repository && typeof claims.workflow_ref === 'string' && claims.workflow_ref.startsWith(workflow);
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function isPublished(verdaccio: { url: string; token: string }, name: string, version: string): Promise<boolean> {
  const res = await httpRequest(`${verdaccio.url}${name.replace('/', '%2f')}`, { headers: { authorization: `Bearer ${verdaccio.token}` } });
  return res.status === 200 && version in (res.json<{ versions?: Record<string, unknown> }>().versions ?? {});
}
