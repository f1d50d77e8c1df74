// A stand-in for Sonatype's Central Portal Publisher API, held to Sonatype's OpenAPI
// description (openapi.yaml beside this file, from https://central.sonatype.com/api-doc) and
// its documentation (https://central.sonatype.org/publish/publish-portal-api/):
//   POST /api/v1/publisher/upload?name=&publishingType=AUTOMATIC|USER_MANAGED (default USER_MANAGED)
//        multipart/form-data, the zip in the part "bundle" -> 201, the deployment id as text/plain
//   POST /api/v1/publisher/status?id=  -> 200 {deploymentId, deploymentName, deploymentState, purls, errors?}
//   GET  /api/v1/publisher/published?namespace=&name=&version= -> 200 {published}
//   POST /api/v1/publisher/deployments/files {sortField, sortDirection, page, size, pathStarting}
//        -> 200 {deployments: [DeploymentResponseFiles], page, pageSize, pageCount, totalResultCount}
//   DELETE /api/v1/publisher/deployment/{id} -> 204 for a FAILED or VALIDATED deployment
//        (as the description says), which the portal then forgets; 400 otherwise (inferred)
//   POST /api/v1/publisher/deployment/{id} -> 204 for a VALIDATED deployment, which then goes
//        on to PUBLISHING whatever its publishing type (as the description says); 400 otherwise
// with `Authorization: Bearer base64(username:password)` of a user token (401 otherwise).
// Errors carry no body: the description documents none. Every request but the Maven
// repository's is checked against the description, every answer too: `violations` lists what
// did not match, and a test fails when it is not empty.
//
// Each status request moves a deployment one state on (PENDING -> VALIDATING -> VALIDATED or
// FAILED -> PUBLISHING -> PUBLISHED for AUTOMATIC; USER_MANAGED stops at VALIDATED), so a
// test sees every state in order without depending on time. Validation is real
// (validation.ts). What is published is served as a Maven repository under /maven2/, with
// checksums computed for any file that has none (signatures), as repository managers do.
//
// The snapshot repository, /repository/maven-snapshots/, as the portal serves it
// (https://central.sonatype.org/publish/publish-portal-snapshots/): anyone reads; a PUT
// needs the user token as HTTP Basic credentials (401 with `WWW-Authenticate: BASIC` without,
// the challenge the portal sends, macro-peg/macro_peg#204) and a namespace with SNAPSHOTs
// enabled (403 otherwise, webjars/webjars-play#210); it takes -SNAPSHOT versions only, as a
// repository of snapshot version policy does, and no validation is made.
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { unzipSync } from 'fflate';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { formDataParts } from '../harness/multipart.js';
import { OpenApiDescription, type DescriptionSource } from '../harness/openapi.js';
import { repoRoot } from '../support/paths.js';
import { LOOPBACK } from '../harness/ports.js';
import { validateBundle, type BundleValidation } from './validation.js';

export const CENTRAL_PUBLISHER_API: DescriptionSource = {
  // From the repository root, not beside the module: the demo and the benchmarks run it compiled elsewhere.
  file: path.join(repoRoot, 'test/central-portal/openapi.yaml'),
  describes: "Sonatype's Central Publisher API",
};

export type DeploymentState = 'PENDING' | 'VALIDATING' | 'VALIDATED' | 'PUBLISHING' | 'PUBLISHED' | 'FAILED';

export interface Deployment {
  id: string;
  name: string;
  publishingType: 'AUTOMATIC' | 'USER_MANAGED';
  state: DeploymentState;
  /** Every state a status request reported, in order. */
  reported: DeploymentState[];
  bundle: Buffer;
  /** The paths in the bundle, which the deployments search matches pathStarting against. */
  paths: string[];
  /** Milliseconds since the epoch, strictly increasing from one upload to the next. */
  createTimestamp: number;
  validation: BundleValidation | undefined;
}

export interface CentralPortalOptions {
  /** User token name -> password. */
  users: Record<string, string>;
  /** Namespaces the account has verified. */
  namespaces: string[];
  /** Armored public keys Central would find on the key servers. */
  publicKeys: string[];
  /** Namespaces with SNAPSHOTs enabled. */
  snapshotNamespaces?: string[];
  /** A deployment that reaches this state stays in it (to test timeouts). */
  stallIn?: DeploymentState;
}

export interface CentralPortalStandIn {
  url: string;
  /** The published artifacts as a Maven repository: what repo1.maven.org serves. */
  repositoryUrl: string;
  /** The snapshot repository, read by anyone. */
  snapshotRepositoryUrl: string;
  /** Path -> bytes of what was PUT in the snapshot repository. */
  snapshots: Map<string, Buffer>;
  deployments: Deployment[];
  /** Ids of the deployments dropped, in order. */
  dropped: string[];
  /** Ids of the VALIDATED deployments published through the API, in order. */
  published: string[];
  /** Lets deployments stalled by stallIn move on (a job re-run after the portal caught up). */
  unstall(): void;
  requests: { method: string; path: string; status: number }[];
  /** Requests (and answers) that do not match Sonatype's OpenAPI description. */
  readonly violations: string[];
  stop(): Promise<void>;
}

const SNAPSHOTS = '/repository/maven-snapshots/';

const NEXT: Record<DeploymentState, DeploymentState | undefined> = {
  PENDING: 'VALIDATING',
  VALIDATING: 'VALIDATED', // or FAILED, decided by validation
  VALIDATED: 'PUBLISHING', // AUTOMATIC only
  PUBLISHING: 'PUBLISHED',
  PUBLISHED: undefined,
  FAILED: undefined,
};

export async function startCentralPortal(options: CentralPortalOptions): Promise<CentralPortalStandIn> {
  const description = OpenApiDescription.load(CENTRAL_PUBLISHER_API);
  const deployments: Deployment[] = [];
  const dropped: string[] = [];
  const published: string[] = [];
  let stallIn = options.stallIn;
  let lastTimestamp = 0;
  const requests: CentralPortalStandIn['requests'] = [];
  const violations: string[] = [];
  const repository = new Map<string, Buffer>();
  const snapshots = new Map<string, Buffer>();
  const publishedPurls = new Set<string>();
  const tokens = new Set(Object.entries(options.users).map(([user, password]) => `Bearer ${Buffer.from(`${user}:${password}`).toString('base64')}`));

  const send = (res: ServerResponse, status: number, body: string | Buffer = '', type = 'application/json') => {
    const api = new URL(res.req.url ?? '/', 'http://portal.invalid');
    const matched = api.pathname.startsWith('/api/') ? description.match(res.req.method ?? '', api.pathname) : undefined;
    if (matched)
      for (const p of description.responseProblems(matched, status, body.toString(), type))
        violations.push(`stand-in answer to ${res.req.method} ${res.req.url}: ${p}`);
    res.writeHead(status, { ...(body.length > 0 ? { 'content-type': type } : {}), 'content-length': String(Buffer.byteLength(body)) }).end(body);
    return status;
  };

  async function advance(deployment: Deployment): Promise<void> {
    if (deployment.state === stallIn) return;
    if (deployment.state === 'VALIDATING') {
      deployment.validation = await validateBundle(deployment.bundle, {
        armoredPublicKeys: options.publicKeys,
        namespaces: options.namespaces,
        isPublished: (purl) => publishedPurls.has(purl),
      });
      deployment.state = Object.keys(deployment.validation.errors).length > 0 ? 'FAILED' : 'VALIDATED';
      return;
    }
    if (deployment.state === 'VALIDATED' && deployment.publishingType === 'USER_MANAGED') return;
    const next = NEXT[deployment.state];
    if (!next) return;
    deployment.state = next;
    if (next === 'PUBLISHED') {
      for (const [path, bytes] of deployment.validation!.files) repository.set(path, bytes);
      for (const c of deployment.validation!.components) publishedPurls.add(c.purl);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<number> {
    const url = new URL(req.url ?? '/', 'http://portal.invalid');
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (url.pathname.startsWith('/maven2/')) return serveRepository(res, req.method, repository, decodeURIComponent(url.pathname.slice('/maven2/'.length)));
      if (url.pathname.startsWith(SNAPSHOTS)) return serveRepository(res, req.method, snapshots, decodeURIComponent(url.pathname.slice(SNAPSHOTS.length)));
    }
    if (req.method === 'PUT' && url.pathname.startsWith(SNAPSHOTS))
      return putSnapshot(req, res, decodeURIComponent(url.pathname.slice(SNAPSHOTS.length)), body);
    for (const p of description.requestProblems(req.method ?? '', url, body, req.headers['content-type'])) violations.push(`${req.method} ${req.url}: ${p}`);
    if (!tokens.has(req.headers.authorization ?? '')) return send(res, 401);
    const route = `${req.method} ${url.pathname}`;
    const param = (name: string) => url.searchParams.get(name) ?? '';

    if (route === 'POST /api/v1/publisher/upload') {
      const publishingType = param('publishingType') || 'USER_MANAGED';
      if (publishingType !== 'AUTOMATIC' && publishingType !== 'USER_MANAGED') return send(res, 400);
      const bundle = formDataParts(req.headers['content-type'] ?? '', body)?.find((part) => part.name === 'bundle');
      if (!bundle) return send(res, 400);
      lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
      const deployment: Deployment = {
        id: randomUUID(),
        name: param('name') || (bundle.filename ?? ''),
        publishingType,
        state: 'PENDING',
        reported: [],
        bundle: bundle.bytes,
        paths: bundlePaths(bundle.bytes),
        createTimestamp: lastTimestamp,
        validation: undefined,
      };
      deployments.push(deployment);
      return send(res, 201, deployment.id, 'text/plain');
    }
    if (route === 'POST /api/v1/publisher/status') {
      const deployment = deployments.find((d) => d.id === param('id'));
      if (!deployment) return send(res, 404);
      await advance(deployment);
      deployment.reported.push(deployment.state);
      return send(
        res,
        200,
        JSON.stringify({
          deploymentId: deployment.id,
          deploymentName: deployment.name,
          deploymentState: deployment.state,
          purls: purlsOf(deployment),
          ...(deployment.state === 'FAILED' ? { errors: deployment.validation!.errors } : {}),
        }),
      );
    }
    if (route === 'GET /api/v1/publisher/published') {
      if (!param('namespace') || !param('name') || !param('version')) return send(res, 400);
      return send(res, 200, JSON.stringify({ published: publishedPurls.has(`pkg:maven/${param('namespace')}/${param('name')}@${param('version')}`) }));
    }
    if (route === 'POST /api/v1/publisher/deployments/files') {
      let search: { page?: number; size?: number; sortDirection?: string; pathStarting?: string; deploymentIds?: string[] };
      try {
        search = JSON.parse(body.toString('utf8')) as typeof search;
      } catch {
        return send(res, 400);
      }
      const { page = 0, size = 20, pathStarting = '' } = search;
      const found = deployments
        .filter((d) => d.paths.some((p) => p.startsWith(pathStarting)) && (!search.deploymentIds || search.deploymentIds.includes(d.id)))
        .sort((a, b) => (search.sortDirection === 'asc' ? 1 : -1) * (a.createTimestamp - b.createTimestamp));
      return send(
        res,
        200,
        JSON.stringify({
          deployments: found.slice(page * size, (page + 1) * size).map(listed),
          page,
          pageSize: size,
          pageCount: Math.ceil(found.length / size),
          totalResultCount: found.length,
        }),
      );
    }
    const publish = req.method === 'POST' && url.pathname.startsWith('/api/v1/publisher/deployment/') ? description.match('POST', url.pathname) : undefined;
    if (publish) {
      const deployment = deployments.find((d) => d.id === publish.params.deploymentId);
      if (!deployment) return send(res, 404);
      if (deployment.state !== 'VALIDATED') return send(res, 400);
      deployment.state = 'PUBLISHING';
      published.push(deployment.id);
      return send(res, 204);
    }
    const drop = req.method === 'DELETE' ? description.match('DELETE', url.pathname) : undefined;
    if (drop) {
      const index = deployments.findIndex((d) => d.id === drop.params.deploymentId);
      if (index < 0) return send(res, 404);
      if (deployments[index].state !== 'FAILED' && deployments[index].state !== 'VALIDATED') return send(res, 400);
      dropped.push(deployments.splice(index, 1)[0].id);
      return send(res, 204);
    }
    return send(res, 404, JSON.stringify({ error: { message: `no route ${route}` } }));
  }

  /** A deployment as the search lists it: DeploymentResponseFiles, with its components once validated. */
  function listed(d: Deployment): Record<string, unknown> {
    return {
      deploymentId: d.id,
      deploymentName: d.name,
      deploymentState: d.state,
      deploymentType: 'BUNDLE',
      createTimestamp: d.createTimestamp,
      purls: purlsOf(d),
      deployedComponentVersions: (d.validation?.components ?? []).map((c) => ({
        name: c.purl,
        path: `${c.groupId.split('.').join('/')}/${c.artifactId}/${c.version}`,
        errors: d.validation!.errors[c.purl] ?? [],
      })),
    };
  }

  function putSnapshot(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): number {
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!basic || !tokens.has(`Bearer ${basic}`)) {
      res.writeHead(401, { 'www-authenticate': 'BASIC realm="Sonatype Nexus Repository Manager"', 'content-length': '0' }).end();
      return 401;
    }
    const segments = path.split('/');
    const file = segments.pop()!;
    // <group path>/<artifactId>/maven-metadata.xml[.checksum], or <group path>/<artifactId>/<version>/<file>
    const artifactLevel = /^maven-metadata\.xml/.test(file) && !segments[segments.length - 1].endsWith('-SNAPSHOT');
    const groupSegments = artifactLevel ? segments.slice(0, -1) : segments.slice(0, -2);
    const groupId = groupSegments.join('.');
    if (!(options.snapshotNamespaces ?? []).some((ns) => groupId === ns || groupId.startsWith(`${ns}.`))) return send(res, 403, 'Forbidden', 'text/plain');
    if (!artifactLevel && !segments[segments.length - 1].endsWith('-SNAPSHOT'))
      return send(res, 400, `Repository version policy: SNAPSHOT does not allow version: ${segments[segments.length - 1]}`, 'text/plain');
    snapshots.set(path, body);
    return send(res, 201);
  }

  function serveRepository(res: ServerResponse, method: string, files: Map<string, Buffer>, path: string): number {
    const stored = files.get(path);
    const checksum = /^(.*)\.(md5|sha1|sha256|sha512)$/.exec(path);
    const base = checksum ? files.get(checksum[1]) : undefined;
    const bytes = stored ?? (base && Buffer.from(createHash(checksum![2]).update(base).digest('hex')));
    if (!bytes) return send(res, 404, 'Not Found', 'text/plain');
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) }).end(method === 'HEAD' ? undefined : bytes);
    return 200;
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).then(
        (status) => requests.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0], status }),
        (err: Error) => send(res, 500, JSON.stringify({ error: { message: err.message } })),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => resolve());
  });
  const url = `http://${LOOPBACK}:${(server.address() as AddressInfo).port}`;
  let stopped: Promise<void> | undefined;
  return {
    url,
    repositoryUrl: `${url}/maven2/`,
    snapshotRepositoryUrl: `${url}${SNAPSHOTS}`,
    snapshots,
    deployments,
    dropped,
    published,
    unstall: () => {
      stallIn = undefined;
    },
    requests,
    violations,
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}

/** The components of a deployment, which the portal names once it has validated them. */
function purlsOf(d: Deployment): string[] {
  return d.state === 'VALIDATED' || d.state === 'PUBLISHING' || d.state === 'PUBLISHED' ? d.validation!.components.map((c) => c.purl) : [];
}

function bundlePaths(bundle: Buffer): string[] {
  try {
    return Object.keys(unzipSync(bundle)).filter((name) => !name.endsWith('/'));
  } catch {
    return [];
  }
}

/** For afterAll/afterEach: stops a stand-in that may never have started. */
export async function stopCentralPortal(portal: CentralPortalStandIn | undefined): Promise<void> {
  await portal?.stop();
}
